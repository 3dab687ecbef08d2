import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from './sdk-commands';
import type { LedgerEntry } from '../domain/approval';
import type { AuditEvent } from '../domain/audit';
import { ConditionFailedError, StaleWriteError } from '../domain/errors';
import type { LedgerItem, LedgerQuery, LedgerReader, Page, PageRequest, Versioned } from '../domain/ledgers';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { itemOf, ledgerTransactItems } from './dynamo-ledger-ops';
import { decodeCursor, encodeCursor, keyFits, keys } from './keys';

/** Sends a transaction and maps a refusal to the domain's errors, naming what was refused. */
export async function transact(db: DynamoDBDocumentClient, guarded: Guarded[]): Promise<void> {
  if (guarded.length === 0) return;
  try {
    await db.send(new TransactWriteCommand({ TransactItems: guarded.map((g) => g.item) }));
  } catch (error) {
    // By name: the SDK package (and its error classes) loads only when the client first sends.
    if (error instanceof Error && error.name === 'TransactionCanceledException') {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const { target, op } = guarded[failed] ?? { target: 'stale' };
        if (target === 'stale') throw new StaleWriteError();
        throw new ConditionFailedError(target, op);
      }
      // TransactionConflict: another transaction touched the same items; a fresh read settles it.
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw new StaleWriteError();
    }
    throw error;
  }
}

/** Ledgers in the records table: one partition per ledger, indexed by site, branch and state. */
export class DynamoLedgers implements LedgerReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async getVersioned(ledger: string, id: string): Promise<Versioned | null> {
    const key = keys.ledgerItem(ledger, id);
    // Ids come from requests, forms and CSV rows before they are validated: one too long names no item.
    if (!keyFits(key)) return null;
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: key, ConsistentRead: true }));
    return result.Item ? itemOf(result.Item) : null;
  }

  async get(ledger: string, id: string): Promise<LedgerItem | null> {
    return (await this.getVersioned(ledger, id))?.item ?? null;
  }

  /**
   * One page of a ledger, optionally of one site or branch (by index) and containing some words.
   * The words filter what each page reads, so a page costs the same however large the ledger is;
   * a page may then hold fewer items than asked, with a cursor to read on.
   */
  async list(ledger: string, query: LedgerQuery): Promise<Page<LedgerItem>> {
    const [index, name, partition] = query.siteId
      ? ['gsi1', 'gsi1pk', keys.ledgerBySite(ledger, query.siteId)]
      : query.branchId
        ? ['gsi3', 'gsi3pk', keys.ledgerByBranch(ledger, query.branchId)]
        : [undefined, 'pk', keys.ledgerPartition(ledger)];
    const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    // Site and branch together: the site's index, and the branch as a filter (a site lies in one branch).
    const filters = [...words.map((_, i) => `contains(searchText, :w${i})`), ...(query.siteId && query.branchId ? ['branchId = :branch'] : [])];
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        IndexName: index,
        KeyConditionExpression: `${name} = :pk`,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeValues: {
          ':pk': partition,
          ...Object.fromEntries(words.map((word, i) => [`:w${i}`, word])),
          ...(query.siteId && query.branchId ? { ':branch': query.branchId } : {}),
        },
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor, { name, value: partition }),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((record) => itemOf(record).item), ...(nextCursor ? { nextCursor } : {}) };
  }

  async byState(ledger: string, partition: string, page: PageRequest & { sortBefore?: string }): Promise<Page<LedgerItem>> {
    const pk = keys.ledgerByState(ledger, partition);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        IndexName: 'gsi2',
        KeyConditionExpression: page.sortBefore ? 'gsi2pk = :pk AND gsi2sk < :before' : 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(page.sortBefore ? { ':before': page.sortBefore } : {}) },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'gsi2pk', value: pk }),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((record) => itemOf(record).item), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Every change of one item, oldest first. */
  async history(ledger: string, id: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.audit,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${ledger}#${id}` },
          ExclusiveStartKey: startKey,
        }),
      );
      events.push(...(page.Items ?? []).map(({ pk: _pk, entity: _entity, seq, ...event }) => ({ ...(event as AuditEvent), seq: Number(seq) })));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  /** Ledger changes made outside a request (direct edits, imports, schedules), in one transaction. */
  async commit(entries: readonly LedgerEntry[]): Promise<void> {
    await transact(this.db, ledgerTransactItems(this.tables, entries));
  }
}
