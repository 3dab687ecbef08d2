import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from './sdk-commands';
import type { AuditEvent } from '../domain/audit';
import type { Page, PageRequest } from '../domain/ledgers';
import type { RecordChange, VersionedRecord } from '../domain/versioned';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { appendAudit } from './dynamo-ledger-ops';
import { transact } from './dynamo-ledgers';
import { decodeCursor, encodeCursor, withoutStorage } from './keys';

/**
 * The transaction items of a change to a versioned record: the record put only if it is still at
 * the version it was read at (or does not exist yet, for a creation), and its audit events appended.
 * A lost race surfaces as StaleWriteError from `transact`.
 *
 * @param storage the item as stored: the record's own fields plus its keys and index attributes,
 *   built by the caller's record builder (e.g. `{ ...keys.duty(id), entity: entity.duty, ...duty }`).
 */
export function versionedPut<T extends VersionedRecord>(tables: Tables, change: RecordChange<T>, storage: Record<string, unknown>): Guarded[] {
  const condition =
    change.expectedVersion === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': change.expectedVersion } };
  return [{ target: 'stale', item: { Put: { TableName: tables.records, Item: storage, ...condition } } }, ...change.events.map((event) => appendAudit(tables, event))];
}

/** Writes changes to several versioned records in one transaction (all or nothing). */
export async function commitVersioned(
  db: DynamoDBDocumentClient,
  tables: Tables,
  changes: readonly { change: RecordChange<VersionedRecord>; storage: Record<string, unknown> }[],
  extra: readonly Guarded[] = [],
): Promise<void> {
  await transact(db, [...changes.flatMap(({ change, storage }) => versionedPut(tables, change, storage)), ...extra]);
}

/** Every event of one audit chain (`record`, e.g. `duty#review.2026-10.L1.site-tokyo`), oldest first. */
export async function readAuditChain(db: DynamoDBDocumentClient, tables: Tables, record: string): Promise<AuditEvent[]> {
  const items = await queryEvery(db, { TableName: tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': record }, ConsistentRead: true });
  return items.map((item) => withoutStorage<AuditEvent>(item)).map(({ seq, ...rest }) => ({ ...rest, seq: Number(seq) }));
}

/**
 * Every item a query finds, reading page after page: for the sets that are read whole (an audit
 * chain, the places, a department's people), which stay small enough to hold in memory.
 */
export async function queryEvery(db: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * One page of a query on the records table (by key or one of its indexes), without the storage
 * attributes; oldest (lowest sort key) first unless `newestFirst`.
 */
export async function queryRecords<T>(
  db: DynamoDBDocumentClient,
  tables: Tables,
  query: { index?: 'gsi1' | 'gsi2' | 'gsi3'; partition: string; sortBefore?: string; sortAtMost?: string; newestFirst?: boolean; page: PageRequest },
): Promise<Page<T>> {
  const name = query.index ? `${query.index}pk` : 'pk';
  const sortName = query.index ? `${query.index}sk` : 'sk';
  const bound = query.sortBefore !== undefined ? { op: '<', value: query.sortBefore } : query.sortAtMost !== undefined ? { op: '<=', value: query.sortAtMost } : null;
  const result = await db.send(
    new QueryCommand({
      TableName: tables.records,
      IndexName: query.index,
      KeyConditionExpression: bound ? '#pk = :pk AND #sk ' + bound.op + ' :bound' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': name, ...(bound ? { '#sk': sortName } : {}) },
      ExpressionAttributeValues: { ':pk': query.partition, ...(bound ? { ':bound': bound.value } : {}) },
      ...(query.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: query.page.limit,
      ExclusiveStartKey: decodeCursor(query.page.cursor, { name, value: query.partition }),
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map((item) => withoutStorage<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
}
