import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { chainEvent, emptyChain } from '../../functions/domain/audit';
import { personRecords, placeRecord } from '../../functions/adapters/dynamo-directory';
import { ledgerItemRecord } from '../../functions/adapters/dynamo-ledgers';
import { auditRecord } from '../../functions/adapters/dynamo-request-store';
import { branches, demoPeople, demoServers, departments, sites } from './seed-data';

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

/** Seeds the demo organisation and the server ledger of S2. Safe to run on every start. */
export async function seedDemoData(db: DynamoDBDocumentClient, tables: { records: string; audit: string }, at: string): Promise<{ created: number }> {
  let created = 0;
  const records = [
    ...branches.map((place) => placeRecord('branch', place)),
    ...sites.map((place) => placeRecord('site', place)),
    ...departments.map((place) => placeRecord('department', place)),
    ...demoPeople.flatMap(personRecords),
  ];
  for (const item of records) if (await putOnce(db, tables.records, item)) created++;

  for (const server of demoServers) {
    const { event } = chainEvent(emptyChain(), {
      record: `servers#${server.id}`,
      at,
      actor: null,
      action: 'created',
      summary: { ja: 'サーバ台帳の初期登録（第2条）', en: 'Initial entry of the server ledger (Art. 2)' },
      before: null,
      after: { ...server },
    });
    if (await putOnce(db, tables.records, ledgerItemRecord({ ledger: 'servers', item: server }))) {
      await putOnce(db, tables.audit, auditRecord(event));
      created++;
    }
  }
  return { created };
}
