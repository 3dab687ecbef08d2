import { describe, expect, it } from 'vitest';
import type { Requester } from '../../../functions/domain/approval';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { describeForm } from '../../../functions/forms/catalog';
import { isSharedOrAnonymousLogin, userIdIssueRequest, type UserIdIssueRequest } from '../../../functions/forms/user-id-issue-request';
import { UserId } from '../../../functions/ledgers/user-ids';
import { demoUserIds } from '../../../infra/local/seed-data';
import { formContext, formUnderTest, requesterOf } from './fakes';

const tanaka = requesterOf('u-tanaka');

const context = (seed: Record<string, LedgerItem[]> = { 'user-ids': demoUserIds }, requester: Requester | undefined = tanaka): FormContext => formContext({ ledgers: seed, requester });

const { entry, parse } = formUnderTest('user-id-issue-request');

const valid = (): UserIdIssueRequest => ({
  personId: 'u-takahashi',
  system: 'core-business',
  loginId: 'takahashi.yu',
  accessRights: '販売管理（参照・更新）、在庫照会（参照）',
  reason: '仙台営業所での受注入力のため。',
});


describe('user ID issue request (F12): parsing', () => {
  it('accepts complete data', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('stores the login id trimmed and in lower case, so that Tanaka and tanaka are one name', () => {
    const result = parse({ ...valid(), loginId: '  Takahashi.Yu ' });
    expect(result.ok && result.data.loginId).toBe('takahashi.yu');
  });

  it('accepts every system of the user ID ledger', () => {
    for (const system of ['core-business', 'core-db', 'dev-db', 'network', 'mail']) expect(parse({ ...valid(), system }).ok).toBe(true);
  });

  it('refuses an unknown system', () => {
    expect(parse({ ...valid(), system: 'sap' })).toMatchObject({ ok: false, issues: [{ path: 'data.system', messages: { ja: '「システム」は選択肢から選んでください。' } }] });
  });

  it('refuses a login id with spaces or other characters', () => {
    for (const loginId of ['taka hashi', 'たかはし', '-takahashi', 'taka@hashi']) {
      expect(parse({ ...valid(), loginId })).toMatchObject({ ok: false, issues: [{ path: 'data.loginId', messages: { ja: '「ユーザID」の形式が正しくありません。' } }] });
    }
  });

  it('refuses a login id shorter than 3 or longer than 64 characters', () => {
    expect(parse({ ...valid(), loginId: 'ab' })).toMatchObject({ ok: false, issues: [{ path: 'data.loginId', messages: { ja: '「ユーザID」は3文字以上で入力してください。' } }] });
    expect(parse({ ...valid(), loginId: 'a'.repeat(65) })).toMatchObject({ ok: false, issues: [{ path: 'data.loginId' }] });
  });

  it('refuses a person id with a space or a #, which would break the claim keys', () => {
    expect(parse({ ...valid(), personId: 'u-x#y' })).toMatchObject({ ok: false, issues: [{ path: 'data.personId' }] });
    expect(parse({ ...valid(), personId: 'u x' })).toMatchObject({ ok: false, issues: [{ path: 'data.personId' }] });
  });

  it('asks for every required field by its label', () => {
    const result = parse({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(['data.personId', 'data.system', 'data.loginId', 'data.accessRights', 'data.reason']);
    expect(result.issues.map((issue) => issue.messages.ja)).toContain('「アクセス権限」を入力してください。');
  });

  it('refuses an unknown extra field', () => {
    expect(parse({ ...valid(), password: 'x' })).toMatchObject({ ok: false, issues: [{ path: 'data.password' }] });
  });
});

describe('user ID issue request (F12): no shared or anonymous IDs (A16-2)', () => {
  it.each(['guest', 'GUEST', 'guest01', '01guest', 'test_user', 'shared-sales', 'sales.shared', 'admin', 'Administrator', 'common', 'user01', 'temp', 'anonymous', 'demo', 'root', 'sa', 'sa_01', 'testuser', 'guests', 'tmp-1'])(
    'refuses %s',
    (loginId) => expect(isSharedOrAnonymousLogin(loginId)).toBe(true),
  );

  it.each(['tanaka', 'takahashi.yu', 'sato', 'sasaki', 'rootsu', 'testa', 'saito01', 'yusa-dept', 'demoto', 'sysadm_matsumoto'])('allows %s', (loginId) =>
    expect(isSharedOrAnonymousLogin(loginId)).toBe(false),
  );

  it('refuses guest01 with a field error naming A16-2', async () => {
    const issues = await userIdIssueRequest.check!({ ...valid(), loginId: 'guest01' }, context());
    expect(issues).toEqual([
      {
        path: 'data.loginId',
        messages: {
          ja: expect.stringContaining('安全管理細則 第16条第2項'),
          en: expect.stringContaining('Art. 16-2'),
        },
      },
    ]);
    expect(issues[0].messages.ja).toContain('共用・匿名ID');
  });
});

describe('user ID issue request (F12): lookups', () => {
  it('passes for a person of the directory without an ID on the system', async () => {
    expect(await userIdIssueRequest.check!(valid(), context())).toEqual([]);
  });

  it('refuses a person the directory does not know', async () => {
    const issues = await userIdIssueRequest.check!({ ...valid(), personId: 'u-nobody' }, context());
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('data.personId');
    expect(issues[0].messages.ja).toContain('組織の名簿にありません');
    expect(issues[0].messages.ja).toContain('第16条第3項');
  });

  it('refuses a second live ID for the same person on the same system (A16-3)', async () => {
    const issues = await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', loginId: 'tanaka2' }, context());
    expect(issues).toEqual([{ path: 'data.personId', messages: { ja: expect.stringContaining('1ユーザ1ID'), en: expect.stringContaining('one person, one ID') } }]);
  });

  it('allows the same person an ID on another system', async () => {
    expect(await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', system: 'mail', loginId: 'tanaka' }, context())).toEqual([]);
  });

  it('allows a new ID once the old one was deleted, but never reuses the deleted login', async () => {
    const deleted = { ...demoUserIds[0], status: 'deleted' as const, deletedAt: '2026-11-01T00:00:00.000Z' };
    const ctx = context({ 'user-ids': [deleted] });
    expect(await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', loginId: 'tanaka.taro' }, ctx)).toEqual([]);
    const reuse = await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', loginId: 'tanaka' }, ctx);
    expect(reuse.map((issue) => issue.path)).toEqual(['data.loginId']);
    expect(reuse[0].messages.ja).toContain('既に使われています');
  });

  it('counts a suspended ID as the person\'s ID', async () => {
    const suspended = { ...demoUserIds[0], status: 'suspended' as const, scheduledDeletionOn: '2026-12-31' };
    const issues = await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', loginId: 'tanaka.taro' }, context({ 'user-ids': [suspended] }));
    expect(issues.map((issue) => issue.path)).toEqual(['data.personId']);
  });

  it('finds the person\'s ID on a later page of the state index', async () => {
    const others = Array.from({ length: 150 }, (_, i) => ({ ...demoUserIds[0], id: `mail:t${i}`, system: 'mail' as const, loginId: `t${i}` }));
    const issues = await userIdIssueRequest.check!({ ...valid(), personId: 'u-tanaka', loginId: 'tanaka.taro' }, context({ 'user-ids': [...others, demoUserIds[0]] }));
    expect(issues.map((issue) => issue.path)).toEqual(['data.personId']);
  });

  it('refuses an ID for someone of another department, whose head would not be the one requesting it', async () => {
    expect(await userIdIssueRequest.check!({ ...valid(), personId: 'u-saito' }, context())).toEqual([
      { path: 'data.personId', messages: { ja: expect.stringContaining('所属部門'), en: expect.stringContaining("person's own department") } },
    ]);
    expect(await userIdIssueRequest.check!({ ...valid(), personId: 'u-saito', system: 'mail' }, context(undefined, requesterOf('u-ogawa')))).toEqual([]);
  });

  it('reports a forbidden login and an unknown person together', async () => {
    const issues = await userIdIssueRequest.check!({ ...valid(), personId: 'u-nobody', loginId: 'guest' }, context());
    expect(issues.map((issue) => issue.path).sort()).toEqual(['data.loginId', 'data.personId']);
  });
});

describe('user ID issue request (F12): reservations', () => {
  it('claims the person and the login on the system, with the key formats the seed uses', async () => {
    const reservations = await userIdIssueRequest.reserve!(valid(), tanaka, context());
    expect(reservations).toEqual([
      { kind: 'claim', key: 'user-ids#core-business#person#u-takahashi', field: 'data.personId', message: { ja: expect.stringContaining('第16条第3項'), en: expect.stringContaining('Art. 16-3') } },
      { kind: 'claim', key: 'user-ids#core-business#login#takahashi.yu', field: 'data.loginId', message: { ja: expect.stringContaining('第16条第3項'), en: expect.stringContaining('Art. 16-3') } },
    ]);
  });

});

describe('user ID issue request (F12): approval', () => {
  const facts = { requestId: 'R-20261125-AAAAAA', requester: tanaka, reservations: [], data: valid(), approvedAt: '2026-11-26T03:00:00.000Z' };

  it('issues an active ID named <system>:<loginId>, placed where the person works, with the password clock started', async () => {
    const ops = await userIdIssueRequest.onApproved!(facts, context());
    expect(ops).toEqual([
      {
        kind: 'create',
        ledger: 'user-ids',
        item: {
          id: 'core-business:takahashi.yu',
          system: 'core-business',
          loginId: 'takahashi.yu',
          personId: 'u-takahashi',
          personName: { ja: '高橋 優', en: 'Yu Takahashi' },
          accessRights: valid().accessRights,
          status: 'active',
          issuedAt: '2026-11-26T03:00:00.000Z',
          passwordChangedAt: '2026-11-26T03:00:00.000Z',
          siteId: 'site-sendai',
          branchId: 'br-east',
          requestId: 'R-20261125-AAAAAA',
        },
        summary: { ja: expect.stringContaining('R-20261125-AAAAAA'), en: expect.stringContaining('R-20261125-AAAAAA') },
      },
    ]);
  });

  it('creates an item the user ID ledger accepts', async () => {
    const [op] = await userIdIssueRequest.onApproved!(facts, context());
    expect(op.kind === 'create' && UserId.safeParse(op.item).success).toBe(true);
  });
});

describe('user ID issue request (F12): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('is F12 in the ids category and goes to the department head, then the network administrator', () => {
    expect(userIdIssueRequest).toMatchObject({ id: 'user-id-issue-request', code: 'F12', version: 1, category: 'ids' });
    expect(userIdIssueRequest.route).toEqual([
      { role: 'deptHead', rule: 'any' },
      { role: 'networkAdmin', rule: 'any' },
    ]);
    expect(describeForm(entry).route.map((stage) => stage.label.ja)).toEqual(['部門責任者', 'ネットワーク管理者']);
  });

  it('names A16-2, A16-3 and A16-4', () => {
    expect(userIdIssueRequest.articles.map((article) => article.ref)).toEqual(['A16', 'A16-2', 'A16-3', 'A16-4']);
  });

  it('labels every field in both languages and orders them', () => {
    for (const property of Object.values(schema.properties)) {
      expect(property['x-label']).toEqual({ ja: expect.any(String), en: expect.any(String) });
      expect(property['x-help']).toEqual({ ja: expect.any(String), en: expect.any(String) });
    }
    const ordered = Object.entries(schema.properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['personId', 'system', 'loginId', 'accessRights', 'reason']);
  });

  it('labels the systems of the user ID ledger', () => {
    expect(schema.properties.system['x-enum-labels']).toMatchObject({ 'core-db': { ja: '基幹DB', en: 'Core database' } });
    expect(schema.properties.accessRights['x-widget']).toBe('textarea');
  });

  it('tells the page the login id pattern, which accepts upper case', () => {
    expect(new RegExp(String(schema.properties.loginId.pattern)).test('Takahashi.Yu')).toBe(true);
  });
});
