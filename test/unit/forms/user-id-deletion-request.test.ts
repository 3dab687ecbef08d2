import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import { userIdDeletionRequest, type UserIdDeletionRequest } from '../../../functions/forms/user-id-deletion-request';
import { UserId } from '../../../functions/ledgers/user-ids';
import { demoUserIds } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const suspendedSato = { ...demoUserIds[1], status: 'suspended' as const, suspendedAt: '2026-11-01T00:00:00.000Z', scheduledDeletionOn: '2026-12-31' };
const deletedSaito = { ...demoUserIds[3], status: 'deleted' as const, deletedAt: '2026-11-01T00:00:00.000Z' };

// 2026-11-25 12:30 in Tokyo is 03:30 UTC; "today" is Japan's day.
const context = (now = new Date('2026-11-25T03:30:00.000Z')): FormContext =>
  formContext({ ledgers: new FakeLedgers({ 'user-ids': [demoUserIds[0], suspendedSato, demoUserIds[2], deletedSaito] }, { head: { seq: 3, hash: 'h3' } }), now });

const { entry, parse } = formUnderTest('user-id-deletion-request');

const deletion = (): UserIdDeletionRequest => ({ userIdEntry: 'core-business:tanaka', action: 'delete', reason: '異動により基幹業務システムを使わなくなったため。' });
const suspension = (on = '2026-12-31'): UserIdDeletionRequest => ({ ...deletion(), action: 'suspend', scheduledDeletionOn: on, reason: '月末の締め処理が終わるまで削除できないため。' });

describe('user ID deletion or suspension request (F13): parsing', () => {
  it('accepts a deletion and a suspension with a date', () => {
    expect(parse(deletion())).toEqual({ ok: true, data: deletion() });
    expect(parse(suspension())).toEqual({ ok: true, data: suspension() });
  });

  it('refuses an unknown action and an impossible date', () => {
    expect(parse({ ...deletion(), action: 'disable' })).toMatchObject({ ok: false, issues: [{ path: 'data.action', messages: { ja: '「処理」は選択肢から選んでください。' } }] });
    expect(parse(suspension('2026-02-30'))).toMatchObject({ ok: false, issues: [{ path: 'data.scheduledDeletionOn', messages: { ja: '「削除予定日」は正しい日付（YYYY-MM-DD）で入力してください。' } }] });
  });

  it('asks for the ID, the action and the reason', () => {
    const result = parse({});
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toEqual(['data.userIdEntry', 'data.action', 'data.reason']);
  });
});

describe('user ID deletion or suspension request (F13): checks (A16-5)', () => {
  it('passes a deletion of an active ID and of a suspended one', async () => {
    expect(await userIdDeletionRequest.check!(deletion(), context())).toEqual([]);
    expect(await userIdDeletionRequest.check!({ ...deletion(), userIdEntry: suspendedSato.id }, context())).toEqual([]);
  });

  it('passes a suspension until a date after today', async () => {
    expect(await userIdDeletionRequest.check!(suspension('2026-11-26'), context())).toEqual([]);
  });

  it('refuses a suspension without a scheduled deletion date', async () => {
    const { scheduledDeletionOn: _date, ...undated } = suspension();
    expect(await userIdDeletionRequest.check!(undated, context())).toEqual([
      { path: 'data.scheduledDeletionOn', messages: { ja: '利用停止にするときは「削除予定日」を入力してください（安全管理細則 第16条第5項）。', en: 'A suspension needs a scheduled deletion date (Security Rules Art. 16-5).' } },
    ]);
  });

  it('refuses a scheduled deletion today or earlier, judged by the day in Japan', async () => {
    for (const on of ['2026-11-25', '2026-11-01']) {
      const issues = await userIdDeletionRequest.check!(suspension(on), context());
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path: 'data.scheduledDeletionOn', messages: { ja: expect.stringContaining('明日以降'), en: expect.stringContaining('after today') } });
    }
    // 23:30 UTC on the 25th is already the 26th in Tokyo.
    const late = context(new Date('2026-11-25T15:30:00.000Z'));
    expect((await userIdDeletionRequest.check!(suspension('2026-11-26'), late)).map((issue) => issue.path)).toEqual(['data.scheduledDeletionOn']);
  });

  it('refuses a scheduled date on a deletion, which happens on approval', async () => {
    const issues = await userIdDeletionRequest.check!({ ...deletion(), scheduledDeletionOn: '2026-12-31' }, context());
    expect(issues).toEqual([{ path: 'data.scheduledDeletionOn', messages: { ja: expect.stringContaining('削除の場合は'), en: expect.stringContaining('empty for a deletion') } }]);
  });

  it('refuses an ID that is not in the ledger, or already deleted', async () => {
    const unknown = await userIdDeletionRequest.check!({ ...deletion(), userIdEntry: 'core-business:nobody' }, context());
    expect(unknown).toEqual([{ path: 'data.userIdEntry', messages: { ja: expect.stringContaining('ユーザID台帳にありません'), en: expect.stringContaining('Art. 16-5') } }]);
    const gone = await userIdDeletionRequest.check!({ ...deletion(), userIdEntry: deletedSaito.id }, context());
    expect(gone).toEqual([{ path: 'data.userIdEntry', messages: { ja: expect.stringContaining('既に削除されています'), en: expect.stringContaining('already been deleted') } }]);
  });

  it('refuses to suspend an ID that is already suspended, and says how to delete it', async () => {
    const issues = await userIdDeletionRequest.check!({ ...suspension(), userIdEntry: suspendedSato.id }, context());
    expect(issues).toEqual([{ path: 'data.userIdEntry', messages: { ja: expect.stringContaining('2026-12-31'), en: expect.stringContaining('choose "Delete"') } }]);
  });
});

describe('user ID deletion or suspension request (F13): reservations and approval', () => {
  const requester = requesterOf('u-watanabe');
  const facts = (data: UserIdDeletionRequest) => ({ requestId: 'R-20261125-BBBBBB', requester, reservations: [], data, approvedAt: '2026-11-26T01:00:00.000Z' });

  it('holds the ID while in review, so that two requests cannot act on it at once', async () => {
    expect(await userIdDeletionRequest.reserve!(deletion(), facts(deletion()).requester, context())).toEqual([
      { kind: 'claim', key: 'user-ids#change#core-business:tanaka', field: 'data.userIdEntry', message: { ja: expect.stringContaining('審査中'), en: expect.stringContaining('Art. 16-5') } },
    ]);
  });

  it('deletes the ID and frees the person and the login for the future', async () => {
    const ops = await userIdDeletionRequest.onApproved!(facts(deletion()), context());
    expect(ops).toEqual([
      { kind: 'release', key: 'user-ids#change#core-business:tanaka', owner: 'R-20261125-BBBBBB' },
      {
        kind: 'update',
        ledger: 'user-ids',
        before: { item: demoUserIds[0], head: { seq: 3, hash: 'h3' } },
        after: { ...demoUserIds[0], status: 'deleted', deletedAt: '2026-11-26T01:00:00.000Z', requestId: 'R-20261125-BBBBBB' },
        summary: { ja: expect.stringContaining('削除しました'), en: expect.stringContaining('Deleted') },
      },
      { kind: 'release', key: 'user-ids#core-business#person#u-tanaka' },
      { kind: 'release', key: 'user-ids#core-business#login#tanaka' },
    ]);
    const update = ops[1];
    expect(update.kind === 'update' && UserId.safeParse(update.after).success).toBe(true);
  });

  it('suspends the ID until its scheduled deletion and keeps its names claimed', async () => {
    const ops = await userIdDeletionRequest.onApproved!(facts(suspension()), context());
    expect(ops).toHaveLength(2);
    expect(ops[0]).toEqual({ kind: 'release', key: 'user-ids#change#core-business:tanaka', owner: 'R-20261125-BBBBBB' });
    expect(ops[1]).toMatchObject({
      kind: 'update',
      after: { id: 'core-business:tanaka', status: 'suspended', suspendedAt: '2026-11-26T01:00:00.000Z', scheduledDeletionOn: '2026-12-31', requestId: 'R-20261125-BBBBBB' },
    });
    expect(ops[1].kind === 'update' && UserId.safeParse(ops[1].after).success).toBe(true);
  });

  it('deletes a suspended ID, keeping when it was suspended', async () => {
    const ops = await userIdDeletionRequest.onApproved!(facts({ ...deletion(), userIdEntry: suspendedSato.id }), context());
    expect(ops[1]).toMatchObject({ kind: 'update', after: { status: 'deleted', suspendedAt: suspendedSato.suspendedAt, deletedAt: '2026-11-26T01:00:00.000Z' } });
    expect(ops.slice(2)).toEqual([
      { kind: 'release', key: 'user-ids#core-business#person#u-sato' },
      { kind: 'release', key: 'user-ids#core-business#login#sato' },
    ]);
  });

  it('only gives back its own hold when the ID was deleted meanwhile', async () => {
    expect(await userIdDeletionRequest.onApproved!(facts({ ...deletion(), userIdEntry: deletedSaito.id }), context())).toEqual([
      { kind: 'release', key: `user-ids#change#${deletedSaito.id}`, owner: 'R-20261125-BBBBBB' },
    ]);
  });
});

describe('user ID deletion or suspension request (F13): catalogue entry', () => {
  it('is F13 in the ids category and goes to the department head, then the system administrator', () => {
    expect(userIdDeletionRequest).toMatchObject({ id: 'user-id-deletion-request', code: 'F13', version: 1, category: 'ids' });
    expect(userIdDeletionRequest.route).toEqual([
      { role: 'deptHead', rule: 'any' },
      { role: 'sysAdmin', rule: 'any' },
    ]);
    expect(userIdDeletionRequest.articles.map((article) => article.ref)).toEqual(['A16-5']);
  });

  it('picks the ID from the user ID ledger and labels both actions', () => {
    const properties = (entry.jsonSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(properties.userIdEntry['x-source']).toEqual({ ledger: 'user-ids', value: 'id', label: 'id' });
    expect(Object.keys(properties.action['x-enum-labels'] as object)).toEqual(['delete', 'suspend']);
    expect(properties.scheduledDeletionOn).toMatchObject({ format: 'date', 'x-widget': 'date' });
  });
});
