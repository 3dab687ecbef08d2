import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../domain/approval';
import type { AuditEvent, ChainHead } from '../domain/audit';
import type { LedgerDefinition, LedgerItem, LedgerOp } from '../domain/ledgers';
import { ledgerRegistry } from '../ledgers/registry';
import { entity, keys } from './keys';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** What a transaction item guards, so that a cancelled transaction maps to the right error. */
export type Target = 'request' | 'stale' | 'task' | 'link' | 'ledger' | 'seats' | 'claim';

export interface Guarded {
  item: TransactItem;
  target: Target;
  op?: LedgerOp;
}

export interface Tables {
  records: string;
  audit: string;
}

export function definitionOf(ledger: string): LedgerDefinition {
  const definition = ledgerRegistry.get(ledger);
  if (!definition) throw new Error(`Unknown ledger ${ledger}`);
  return definition;
}

/**
 * Every string in an item, and the labels of its enum values (稼働中 for `active`), lower-cased, so
 * that a ledger search finds words in any field as the page shows them.
 */
export function searchTextOf(item: Record<string, unknown>, definition?: LedgerDefinition): string {
  const words: string[] = [];
  for (const column of definition?.columns ?? []) {
    const label = column.enumLabels?.[String(item[column.key] ?? '')];
    if (label) words.push(label.ja, label.en);
  }
  const walk = (value: unknown) => {
    if (typeof value === 'string') words.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(item);
  return words.join(' ').toLowerCase();
}

/** Storage attributes of a ledger item: its keys, its indexes (by site, by branch, by state), its chain head. */
export function ledgerItemRecord(ledger: string, item: LedgerItem, head: ChainHead) {
  const definition = definitionOf(ledger);
  const state = definition.stateKey?.(item);
  return {
    ...keys.ledgerItem(ledger, item.id),
    entity: entity.ledgerItem,
    ledger,
    ...(item.siteId ? { gsi1pk: keys.ledgerBySite(ledger, item.siteId), gsi1sk: item.id } : {}),
    ...(item.branchId ? { gsi3pk: keys.ledgerByBranch(ledger, item.branchId), gsi3sk: item.id } : {}),
    ...(state ? { gsi2pk: keys.ledgerByState(ledger, state.partition), gsi2sk: state.sort } : {}),
    ...item,
    searchText: searchTextOf(item, definition),
    auditSeq: head.seq,
    auditHash: head.hash,
  };
}

/** Attributes of a ledger record that belong to the storage, not to the item. */
export const LEDGER_STORAGE = ['pk', 'sk', 'entity', 'ledger', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'searchText', 'auditSeq', 'auditHash'];

export function itemOf(record: Record<string, unknown>): { item: LedgerItem; head: ChainHead } {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!LEDGER_STORAGE.includes(key)) item[key] = value;
  return { item: item as LedgerItem, head: { seq: Number(record.auditSeq ?? 0), hash: String(record.auditHash ?? '') } };
}

export function auditRecord(event: AuditEvent) {
  return { ...keys.auditEvent(event.record, event.seq), entity: entity.auditEvent, ...event };
}

/** Append-only: an event is written once at its sequence number and never replaced. */
export function appendAudit(tables: Tables, event: AuditEvent): Guarded {
  return { target: 'stale', item: { Put: { TableName: tables.audit, Item: auditRecord(event), ConditionExpression: 'attribute_not_exists(pk)' } } };
}

/**
 * Replaces an item's attributes with an update that leaves its counters alone (only transactions move
 * seats) and is refused if the item changed since it was read.
 */
function updateItem(
  tables: Tables,
  ledger: string,
  before: { item: LedgerItem; head: ChainHead },
  after: LedgerItem,
  head: ChainHead,
  adjust: Record<string, number> = {},
): TransactItem {
  const definition = definitionOf(ledger);
  const counters = new Set<string>(definition.counters ?? []);
  const next = ledgerItemRecord(ledger, after, head) as Record<string, unknown>;
  const previous = ledgerItemRecord(ledger, before.item, before.head) as Record<string, unknown>;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': before.head.seq };
  const sets: string[] = [];
  const removes: string[] = [];
  let n = 0;
  for (const [key, value] of Object.entries(next)) {
    if (key === 'pk' || key === 'sk' || counters.has(key)) continue;
    names[`#a${n}`] = key;
    values[`:v${n}`] = value;
    sets.push(`#a${n} = :v${n}`);
    n++;
  }
  for (const key of Object.keys(previous)) {
    if (key in next || counters.has(key)) continue;
    names[`#a${n}`] = key;
    removes.push(`#a${n}`);
    n++;
  }
  names['#seq'] = 'auditSeq';
  const adds: string[] = [];
  const guards = ['#seq = :expected'];
  for (const [counter, delta] of Object.entries(adjust)) {
    names[`#a${n}`] = counter;
    values[`:d${n}`] = delta;
    adds.push(`#a${n} :d${n}`);
    if (delta < 0) {
      values[`:need${n}`] = -delta;
      guards.push(`#a${n} >= :need${n}`);
    }
    n++;
  }
  return {
    Update: {
      TableName: tables.records,
      Key: keys.ledgerItem(ledger, after.id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: guards.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Moves a licence's seat counters. seatsFree moves opposite to held + used; every counter that
 * goes down must have enough, so the last seat can never be taken twice.
 */
function seatsItem(tables: Tables, op: Extract<LedgerOp, { kind: 'seats' }>): TransactItem {
  const free = -(op.held + op.used);
  const conditions = ['attribute_exists(pk)'];
  const values: Record<string, number> = { ':held': op.held, ':used': op.used, ':free': free };
  if (op.held < 0) (conditions.push('seatsHeld >= :needHeld'), (values[':needHeld'] = -op.held));
  if (op.used < 0) (conditions.push('seatsUsed >= :needUsed'), (values[':needUsed'] = -op.used));
  if (free < 0) (conditions.push('seatsFree >= :needFree'), (values[':needFree'] = -free));
  return {
    Update: {
      TableName: tables.records,
      Key: keys.ledgerItem('licences', op.licenceId),
      UpdateExpression: 'ADD seatsHeld :held, seatsUsed :used, seatsFree :free',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeValues: values,
    },
  };
}

/** The transaction items of ledger entries, each with what it guards. */
export function ledgerTransactItems(tables: Tables, entries: readonly LedgerEntry[]): Guarded[] {
  return entries.flatMap(({ op, event }): Guarded[] => {
    const audit = event ? [appendAudit(tables, event)] : [];
    const head = event ? { seq: event.seq, hash: event.hash } : { seq: 0, hash: '' };
    switch (op.kind) {
      case 'create':
        return [
          { target: 'ledger', op, item: { Put: { TableName: tables.records, Item: ledgerItemRecord(op.ledger, op.item, head), ConditionExpression: 'attribute_not_exists(pk)' } } },
          ...audit,
        ];
      case 'update':
        return [{ target: 'stale', op, item: updateItem(tables, op.ledger, op.before, op.after, head, op.adjust) }, ...audit];
      case 'seats':
        return [{ target: 'seats', op, item: seatsItem(tables, op) }];
      case 'claim':
        return [
          {
            target: 'claim',
            op,
            item: { Put: { TableName: tables.records, Item: { ...keys.claim(op.key), entity: entity.claim, key: op.key, owner: op.owner }, ConditionExpression: 'attribute_not_exists(pk)' } },
          },
        ];
      case 'release':
        // A request gives back only its own claim (a claim that is gone already is fine); a
        // release without an owner frees the name for good (an ID deleted).
        return [
          {
            target: 'stale',
            op,
            item: {
              Delete: {
                TableName: tables.records,
                Key: keys.claim(op.key),
                ...(op.owner
                  ? { ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner', ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':owner': op.owner } }
                  : {}),
              },
            },
          },
        ];
    }
  });
}
