import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { chainEvent, emptyChain } from '../../functions/domain/audit';
import type { LedgerItem } from '../../functions/domain/ledgers';
import { directoryVersionRaise, personRecords, placeRecord } from '../../functions/adapters/dynamo-directory';
import { auditRecord, ledgerItemRecord } from '../../functions/adapters/dynamo-ledger-ops';
import { keys, entity } from '../../functions/adapters/keys';
import { branches, demoLedgers, demoPeople, departments, sites } from './seed-data';
import { seedDemoLogbooks } from './seed-logbooks';

/** Writes an item unless it exists, so that seeding again never overwrites what users changed. */
async function putOnce(db: DynamoDBDocumentClient, table: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Seeds the demo organisation and the ledgers (the servers of S2, clients, products, licences,
 * installations, user and privileged IDs), each item with its first audit event. Safe on every start.
 */
export async function seedDemoData(db: DynamoDBDocumentClient, tables: { records: string; audit: string }, at: string): Promise<{ created: number }> {
  let created = 0;
  const records = [
    ...branches.map((place) => placeRecord('branch', place)),
    ...sites.map((place) => placeRecord('site', place)),
    ...departments.map((place) => placeRecord('department', place)),
    ...demoPeople.flatMap(personRecords),
  ];
  for (const item of records) if (await putOnce(db, tables.records, item)) created++;
  // A new database: the people were written just now.
  const fresh = created > 0;
  if (fresh) await db.send(new UpdateCommand(directoryVersionRaise(tables.records).Update));

  for (const [ledger, items] of demoLedgers) {
    for (const item of items as LedgerItem[]) {
      const { event } = chainEvent(emptyChain(), {
        record: `${ledger}#${item.id}`,
        at,
        actor: null,
        action: 'created',
        summary: { ja: '台帳の初期登録', en: 'Initial ledger entry' },
        before: null,
        after: { ...item },
      });
      if (await putOnce(db, tables.records, ledgerItemRecord(ledger, item, { seq: event.seq, hash: event.hash }))) {
        await putOnce(db, tables.audit, auditRecord(event));
        created++;
      }
    }
  }
  // The IDs already issued hold their names: one person one ID per system (A16-3), one login each.
  const claims = demoLedgers.flatMap(([ledger, items]) =>
    (items as LedgerItem[]).flatMap((item) =>
      ledger === 'user-ids'
        ? [`user-ids#${String(item.system)}#person#${String(item.personId)}`, `user-ids#${String(item.system)}#login#${String(item.loginId)}`].map((key) => ({ key, owner: `${ledger}#${item.id}` }))
        : ledger === 'privileged-ids'
          ? [{ key: `privileged-ids#${String(item.system)}#login#${String(item.loginId)}`, owner: `${ledger}#${item.id}` }]
          : [],
    ),
  );
  for (const { key, owner } of claims) await putOnce(db, tables.records, { ...keys.claim(key), entity: entity.claim, key, owner });
  // Last month's logbooks, so that the monthly review has something to show on a fresh start.
  if (fresh) created += await seedDemoLogbooks(db, tables, new Date(at));
  return { created };
}
