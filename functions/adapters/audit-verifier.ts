import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, ChainBreak } from '../domain/audit';
import { verifyChain } from '../domain/audit';
import { keys } from './keys';

export interface ChainReport {
  record: string;
  events: number;
  /** The first event that does not follow from the one before, or a head that is not the last event. */
  broken: (ChainBreak | { seq: number; reason: 'head' }) | null;
}

/** Where a record keeps the head of its chain (request items and ledger items do), to catch a deleted last event. */
async function storedHead(db: DynamoDBDocumentClient, recordsTable: string, record: string): Promise<{ seq: number; hash: string } | null> {
  const [kind, ...rest] = record.split('#');
  const id = rest.join('#');
  if (kind === 'request') {
    const item = (await db.send(new GetCommand({ TableName: recordsTable, Key: keys.request(id) }))).Item;
    const head = item?.audit as { seq: number; hash: string } | undefined;
    return head ? { seq: Number(head.seq), hash: head.hash } : null;
  }
  const item = (await db.send(new GetCommand({ TableName: recordsTable, Key: keys.ledgerItem(kind, id) }))).Item;
  return item && item.auditSeq !== undefined ? { seq: Number(item.auditSeq), hash: String(item.auditHash) } : null;
}

/**
 * Walks every audit chain (an admin export: the one place that scans) and reports, per record, the
 * first link that is broken — an altered, reordered or missing event, or a last event that was removed.
 */
export async function verifyAuditLog(db: DynamoDBDocumentClient, tables: { records: string; audit: string }): Promise<ChainReport[]> {
  const chains = new Map<string, AuditEvent[]>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tables.audit, ExclusiveStartKey: startKey }));
    for (const { pk, entity: _entity, ...item } of page.Items ?? []) {
      const event = { ...(item as AuditEvent), seq: Number(item.seq) };
      const list = chains.get(String(pk)) ?? [];
      list.push(event);
      chains.set(String(pk), list);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const reports: ChainReport[] = [];
  for (const [record, events] of [...chains].sort(([a], [b]) => (a < b ? -1 : 1))) {
    events.sort((a, b) => a.seq - b.seq);
    let broken: ChainReport['broken'] = verifyChain(events);
    if (!broken) {
      const head = await storedHead(db, tables.records, record);
      const last = events[events.length - 1];
      if (head && (head.seq !== last.seq || (head.hash && head.hash !== last.hash))) broken = { seq: head.seq, reason: 'head' };
    }
    reports.push({ record, events: events.length, broken });
  }
  return reports;
}
