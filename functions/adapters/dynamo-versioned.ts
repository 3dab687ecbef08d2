import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecordChange, VersionedRecord } from '../domain/versioned';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { appendAudit } from './dynamo-ledger-ops';
import { transact } from './dynamo-ledgers';

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
