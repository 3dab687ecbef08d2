import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { chainEvent, emptyChain } from '../domain/audit';
import type { AuditEvent } from '../domain/audit';
import type { LedgerItems, LedgerName, LedgerReader, LedgerWrite, Page, PageRequest, ServerAccessGrant } from '../domain/ledgers';
import type { LedgerMaintenance } from '../domain/ports';
import { decodeCursor, encodeCursor, entity, keys, withoutStorage } from './keys';

/** A ledger item as stored; grants are also indexed by status and end date so that expiry reads by index. */
export function ledgerItemRecord(write: LedgerWrite, chain: { seq: number; hash: string } = { seq: 1, hash: '' }) {
  const item = write.item as unknown as Record<string, unknown>;
  const grant = write.ledger === 'server-access-grants' ? (write.item as ServerAccessGrant) : null;
  return {
    ...keys.ledgerItem(write.ledger, write.item.id),
    entity: entity.ledgerItem,
    ledger: write.ledger,
    ...(grant ? { gsi2pk: keys.grantsByStatus(grant.status), gsi2sk: `${grant.endDate}#${grant.id}` } : {}),
    ...item,
    auditSeq: chain.seq,
  };
}

const stripLedgerAttributes = <T>(item: Record<string, unknown>): T => {
  const { ledger: _ledger, auditSeq: _seq, ...rest } = withoutStorage<Record<string, unknown>>(item);
  return rest as T;
};

/** Ledgers in the records table: one partition per ledger, items in id order. */
export class DynamoLedgers implements LedgerReader, LedgerMaintenance {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { records: string; audit: string },
  ) {}

  async get<N extends LedgerName>(ledger: N, id: string): Promise<LedgerItems[N] | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.ledgerItem(ledger, id) }));
    return result.Item ? stripLedgerAttributes<LedgerItems[N]>(result.Item) : null;
  }

  async list<N extends LedgerName>(ledger: N, page: PageRequest): Promise<Page<LedgerItems[N]>> {
    const partition = keys.ledgerPartition(ledger);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'pk', value: partition }),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((item) => stripLedgerAttributes<LedgerItems[N]>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  /**
   * Marks active grants whose end date has passed as expired (S5-4: no connection without a valid
   * permission). Each grant changes in its own transaction with its audit event.
   */
  async expireGrantsEndedBefore(date: string, at: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tables.records,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
          ExpressionAttributeValues: { ':pk': keys.grantsByStatus('active'), ':before': `${date}#` },
          Limit: 25,
        }),
      );
      const items = result.Items ?? [];
      if (items.length === 0) return expired;
      for (const item of items) {
        const grant = stripLedgerAttributes<ServerAccessGrant>(item);
        const seq = Number(item.auditSeq ?? 1);
        const previous = await this.lastEvent(`server-access-grants#${grant.id}`, seq);
        const { event } = chainEvent(previous ?? emptyChain(), {
          record: `server-access-grants#${grant.id}`,
          at,
          actor: null,
          action: 'expired',
          summary: { ja: `利用終了日（${grant.endDate}）を過ぎたため失効しました`, en: `Expired after its end date (${grant.endDate})` },
          before: { status: 'active' },
          after: { status: 'expired' },
        });
        try {
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.tables.records,
                    Item: ledgerItemRecord({ ledger: 'server-access-grants', item: { ...grant, status: 'expired' } }, { seq: event.seq, hash: event.hash }),
                    ConditionExpression: '#status = :active AND auditSeq = :seq',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':active': 'active', ':seq': seq },
                  },
                },
                { Put: { TableName: this.tables.audit, Item: { ...keys.auditEvent(event.record, event.seq), entity: entity.auditEvent, ...event }, ConditionExpression: 'attribute_not_exists(pk)' } },
              ],
            }),
          );
          expired++;
        } catch (error) {
          // Another run expired it first; nothing to do.
          if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
        }
      }
    }
  }

  private async lastEvent(record: string, seq: number): Promise<{ seq: number; hash: string } | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.audit, Key: keys.auditEvent(record, seq) }));
    const event = result.Item as AuditEvent | undefined;
    return event ? { seq: Number(event.seq), hash: event.hash } : null;
  }
}
