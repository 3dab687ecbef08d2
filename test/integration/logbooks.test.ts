import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLogbooks } from '../../functions/adapters/dynamo-logbooks';
import type { LoadedClient } from '../../functions/adapters/lazy-client';
import { lazyClient } from '../../functions/adapters/lazy-client';
import { DomainError, StaleWriteError } from '../../functions/domain/errors';
import { newEntryId, previousMonth, recordEntry } from '../../functions/domain/logbooks';
import { logbookRegistry } from '../../functions/logbooks/registry';
import type { Session } from './support';
import { recordsUnder, runtime, signIn } from './support';

/**
 * Logbooks through the HTTP API against DynamoDB Local: recording, completing and correcting an
 * entry, the version guard, the month closed by its review, and field errors in both languages.
 * Dates are today's in Japan (the runtime's clock is the real one).
 */

const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const month = today.slice(0, 7);

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

const auditOf = async (record: string) =>
  (await db.send(new QueryCommand({ TableName: runtime.tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': record } }))).Items ?? [];

/** The review item that closes a month (written as the reviews write it: `status` on the review key). */
const reviewKey = (logbook: string, siteId: string) => ({ pk: `REVIEW#${month}`, sk: `${logbook}#${siteId}` });

let tanaka: Session;
let sato: Session;
let takahashi: Session;

beforeAll(async () => {
  [tanaka, sato, takahashi] = await Promise.all(['u-tanaka', 'u-sato', 'u-takahashi'].map(signIn));
});

afterAll(async () => {
  await db.send(new DeleteCommand({ TableName: runtime.tables.records, Key: reviewKey('L2', 'site-sendai') }));
});

describe('logbooks through the API', () => {
  it('lists the five logbooks with the caller’s site and the articles they implement', async () => {
    const { status, body } = await tanaka.call('GET', '/api/logbooks');
    expect(status).toBe(200);
    expect(body).toMatchObject({ today, month, site: { id: 'site-tokyo', name: { ja: '東京本社' } }, sites: [{ id: 'site-tokyo' }] });
    expect(body.logbooks.map((l: { id: string; articles: { ref: string }[] }) => `${l.id} ${l.articles.map((a) => a.ref).join(',')}`)).toEqual([
      'L1 A4(3)',
      'L2 A9',
      'L3 A8,A9',
      'L4 A13(1)',
      'L5 A14(3)',
    ]);
  });

  it('records an entry, completes it, refuses a change on a stale version, and keeps the original in the history', async () => {
    const added = await tanaka.call('POST', `/api/logbooks/L4/site-tokyo/${month}`, { date: today, fields: { purpose: 'バックアップ媒体の交換', enteredAt: '09:05' } });
    expect(added.status).toBe(201);
    const entry = added.body.entry;
    expect(entry).toMatchObject({ logbook: 'L4', siteId: 'site-tokyo', month, date: today, version: 1, recordedBy: { id: 'u-tanaka' }, open: [{ field: 'exitedAt' }] });

    const stored = (await recordsUnder(null, `LOGBOOK#L4#site-tokyo#${month}`)).find((item) => item.id === entry.id);
    expect(stored).toMatchObject({ entity: 'logbook-entry', sk: `ENTRY#${today}#${entry.id}`, version: 1 });

    // 退室 by a colleague of the site: a completion, no reason needed.
    const left = await sato.call('PUT', `/api/logbooks/server-room-access/site-tokyo/${month}/${entry.id}`, { version: 1, fields: { ...entry.fields, exitedAt: '09:20' } });
    expect(left.status).toBe(200);
    expect(left.body.entry).toMatchObject({ version: 2, fields: { exitedAt: '09:20' }, updatedBy: { id: 'u-sato' }, open: [] });

    // The recorder corrects what they saw at version 1: someone changed it since.
    const before = await recordsUnder(null, `LOGBOOK#L4#site-tokyo#${month}`);
    const stale = await tanaka.call('PUT', `/api/logbooks/L4/site-tokyo/${month}/${entry.id}`, { version: 1, fields: { ...entry.fields, purpose: 'UPS の点検' }, reason: '作業内容の誤り' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.messages).toEqual({ ja: 'この記録は他の人が変更しました。画面を更新してください。', en: 'Someone else changed this entry; reload it.' });
    expect(await recordsUnder(null, `LOGBOOK#L4#site-tokyo#${month}`)).toEqual(before);

    const corrected = await tanaka.call('PUT', `/api/logbooks/L4/site-tokyo/${month}/${entry.id}`, { version: 2, fields: { ...left.body.entry.fields, purpose: 'UPS の点検' }, reason: '作業内容の誤り' });
    expect(corrected.status).toBe(200);

    const read = await tanaka.call('GET', `/api/logbooks/L4/site-tokyo/${month}/${entry.id}`);
    expect(read.status).toBe(200);
    expect(read.body.entry).toMatchObject({ version: 3, fields: { purpose: 'UPS の点検', enteredAt: '09:05', exitedAt: '09:20' }, mayCorrect: true });
    expect(read.body.history.map((event: { action: string }) => event.action)).toEqual(['logbook.entry.recorded', 'logbook.entry.completed', 'logbook.entry.corrected']);
    expect(read.body.history[0].after).toMatchObject({ purpose: 'バックアップ媒体の交換' });
    expect(read.body.history[2]).toMatchObject({ before: { purpose: 'バックアップ媒体の交換' }, after: { purpose: 'UPS の点検', reason: '作業内容の誤り' } });
    // The events are in the audit table, chained.
    const events = await auditOf(`logbook-entry#L4.site-tokyo.${month}.${entry.id}`);
    expect(events.map((event) => Number(event.seq))).toEqual([1, 2, 3]);
    expect(events[1].prevHash).toBe(events[0].hash);

    const list = await sato.call('GET', `/api/logbooks/L4/site-tokyo/${month}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ closed: false, mayRecord: true, site: { id: 'site-tokyo' } });
    expect(list.body.entries.find((e: { id: string }) => e.id === entry.id)).toMatchObject({ version: 3, mayCorrect: false });
  });

  it('answers 400 with every field’s problem in Japanese and English, and stores nothing', async () => {
    const before = await recordsUnder(null, `LOGBOOK#L1#site-tokyo#${month}`);
    const ja = await tanaka.call('POST', `/api/logbooks/L1/site-tokyo/${month}`, { date: today, fields: { cabinet: '書庫A', openedAt: '25:00', lockedAt: '' } });
    expect(ja.status).toBe(400);
    expect(ja.body.error.code).toBe('validation_failed');
    const issues = Object.fromEntries(ja.body.error.issues.map((issue: { path: string }) => [issue.path, issue]));
    expect(issues['fields.purpose']).toEqual({ path: 'fields.purpose', message: '「用途」を入力してください。', messages: { ja: '「用途」を入力してください。', en: 'Enter Purpose.' } });
    expect(issues['fields.openedAt'].messages).toEqual({ ja: '「開錠時刻」は 時:分（例 09:05）で入力してください。', en: 'Opened at must be a time as HH:mm (e.g. 09:05).' });

    const en = await tanaka.call('POST', `/api/logbooks/L1/site-tokyo/${month}`, { date: '2000-01-01', fields: { cabinet: '書庫A', purpose: '確認', openedAt: '09:00' } }, { 'accept-language': 'en' });
    expect(en.status).toBe(400);
    expect(en.body.error.issues).toEqual([{ path: 'date', message: `Date must lie in ${month} (the logbook is kept by month).`, messages: expect.any(Object) }]);

    const malformed = await tanaka.call('POST', `/api/logbooks/L1/site-tokyo/${month}`, { fields: 'not an object' });
    expect(malformed.status).toBe(400);
    expect(await recordsUnder(null, `LOGBOOK#L1#site-tokyo#${month}`)).toEqual(before);
  });

  it('starts with last month’s demo logbooks, slips included, for the monthly review to find', async () => {
    const last = previousMonth(month);
    const cabinets = await tanaka.call('GET', `/api/logbooks/L1/site-tokyo/${last}`);
    expect(cabinets.status).toBe(200);
    expect(cabinets.body.entries.length).toBeGreaterThanOrEqual(5);
    expect(cabinets.body.entries.filter((e: { open: unknown[] }) => e.open.length > 0)).toHaveLength(1);
    const entry = cabinets.body.entries[0];
    const read = await tanaka.call('GET', `/api/logbooks/L1/site-tokyo/${last}/${entry.id}`);
    expect(read.body.history.map((event: { action: string }) => event.action)).toEqual(['logbook.entry.recorded', 'logbook.entry.completed']);
  });

  it('refuses another site’s logbook to its people, and an unknown logbook or month', async () => {
    expect((await takahashi.call('POST', `/api/logbooks/L1/site-tokyo/${month}`, { date: today, fields: { cabinet: '書庫A', purpose: '確認', openedAt: '09:00' } })).status).toBe(403);
    expect((await takahashi.call('GET', `/api/logbooks/L1/site-tokyo/${month}`)).status).toBe(403);
    expect((await tanaka.call('GET', `/api/logbooks/L9/site-tokyo/${month}`)).status).toBe(404);
    expect((await tanaka.call('GET', '/api/logbooks/L1/site-tokyo/2026-13')).status).toBe(400);
  });

  it('closes the month once its review is completed: 409 with a clear message, nothing written', async () => {
    const check = { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true };
    const partition = `LOGBOOK#L2#site-sendai#${month}`;
    const first = await takahashi.call('POST', `/api/logbooks/L2/site-sendai/${month}`, { date: today, fields: check });
    expect(first.status).toBe(201);

    await db.send(new PutCommand({ TableName: runtime.tables.records, Item: { ...reviewKey('L2', 'site-sendai'), entity: 'review', status: 'completed' } }));
    const before = await recordsUnder(null, partition);

    const added = await takahashi.call('POST', `/api/logbooks/L2/site-sendai/${month}`, { date: today, fields: check });
    expect(added.status).toBe(409);
    expect(added.body.error).toMatchObject({ code: 'month_closed', messages: { ja: `${month} の最終退出点検表は月次点検が完了しているため、記録・訂正できません。` } });
    const corrected = await takahashi.call('PUT', `/api/logbooks/L2/site-sendai/${month}/${first.body.entry.id}`, { version: 1, fields: { ...check, note: '追記' }, reason: '備考の追記' });
    expect(corrected.status).toBe(409);
    expect(await recordsUnder(null, partition)).toEqual(before);
    expect(await auditOf(`logbook-entry#L2.site-sendai.${month}.${first.body.entry.id}`)).toHaveLength(1);

    const list = await takahashi.call('GET', `/api/logbooks/L2/site-sendai/${month}`);
    expect(list.body).toMatchObject({ closed: true, mayRecord: false });

    // While the review is open the month is open again.
    await db.send(new PutCommand({ TableName: runtime.tables.records, Item: { ...reviewKey('L2', 'site-sendai'), entity: 'review', status: 'open' } }));
    expect((await takahashi.call('POST', `/api/logbooks/L2/site-sendai/${month}`, { date: today, fields: check })).status).toBe(201);
  });
});

describe('the DynamoDB logbook store', () => {
  // The functions' clients take the SDK's commands by name (lazy-client.ts): the store gets one over the test's client.
  const client = lazyClient<DynamoDBDocumentClient>(async () => ({ client: db as unknown as LoadedClient['client'], commands: await import('@aws-sdk/lib-dynamodb') }));
  const store = new DynamoLogbooks(client, runtime.tables, logbookRegistry);
  const yamada = { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' } };
  const change = (siteId: string) =>
    recordEntry(logbookRegistry.get('L4')!, { id: newEntryId(today), siteId, month, date: today, fields: { purpose: '点検', enteredAt: '10:00' } }, yamada, new Date().toISOString());

  it('refuses a write into a closed month in the same transaction, even without the domain’s check', async () => {
    await db.send(new PutCommand({ TableName: runtime.tables.records, Item: { ...reviewKey('L4', 'site-osaka'), entity: 'review', status: 'completed' } }));
    try {
      const refused = change('site-osaka');
      const error = await store.commit(refused).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ status: 409, code: 'month_closed' });
      expect(await store.get('L4', 'site-osaka', month, refused.next.id)).toBeNull();
      expect(await auditOf(`logbook-entry#L4.site-osaka.${month}.${refused.next.id}`)).toEqual([]);
    } finally {
      await db.send(new DeleteCommand({ TableName: runtime.tables.records, Key: reviewKey('L4', 'site-osaka') }));
    }
  });

  it('refuses a second creation of the same entry as a lost race', async () => {
    const created = change('site-osaka');
    await store.commit(created);
    await expect(store.commit(created)).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.entries('L4', 'site-osaka', month)).filter((e) => e.id === created.next.id)).toHaveLength(1);
  });
});
