import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { privilegedIdRequest, type PrivilegedIdRequest } from '../../../functions/forms/privileged-id-request';
import { PrivilegedId } from '../../../functions/ledgers/user-ids';
import { demoPrivilegedIds } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest } from './fakes';

const context = (items: LedgerItem[] = demoPrivilegedIds, pagesRead?: string[]): FormContext => formContext({ ledgers: new FakeLedgers({ 'privileged-ids': items }, { pagesRead }) });

const { entry, parse } = formUnderTest('privileged-id-request');

const valid = (): PrivilegedIdRequest => ({
  personId: 'u-ito',
  system: 'core-db',
  loginId: 'sysdba_ito',
  privilege: 'SYSDBA（基幹DBの保守）',
  reason: '山田の不在時にも基幹DBの障害対応ができるよう、2人目の保守担当とするため。',
});

describe('privileged ID request (F14): parsing and checks', () => {
  it('accepts complete data, the login in lower case', () => {
    expect(parse({ ...valid(), loginId: 'SYSDBA_Ito' })).toEqual({ ok: true, data: valid() });
  });

  it('asks for every field by its label', () => {
    const result = parse({});
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toEqual(['data.personId', 'data.system', 'data.loginId', 'data.privilege', 'data.reason']);
  });

  it('passes for a person of the directory and a login not yet used', async () => {
    expect(await privilegedIdRequest.check!(valid(), context())).toEqual([]);
  });

  it('refuses a person the directory does not know, naming A15', async () => {
    expect(await privilegedIdRequest.check!({ ...valid(), personId: 'u-ghost' }, context())).toEqual([
      { path: 'data.personId', messages: { ja: expect.stringContaining('安全管理細則 第15条'), en: expect.stringContaining('Art. 15') } },
    ]);
  });

  it.each(['root', 'admin', 'sa', 'shared_dba', 'dba-common'])('refuses the shared login %s (A16-2)', async (loginId) => {
    const issues = await privilegedIdRequest.check!({ ...valid(), loginId }, context());
    expect(issues).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('第16条第2項'), en: expect.stringContaining('Art. 16-2') } }]);
  });

  it('refuses a login already in the privileged ID ledger on that system, active or revoked', async () => {
    const taken = await privilegedIdRequest.check!({ ...valid(), loginId: 'sysdba_yamada' }, context());
    expect(taken).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('既に使われています'), en: expect.stringContaining('already used') } }]);
    const revoked = { ...demoPrivilegedIds[0], id: 'core-db:sysdba_ito', loginId: 'sysdba_ito', status: 'revoked' as const };
    expect((await privilegedIdRequest.check!(valid(), context([revoked]))).map((issue) => issue.path)).toEqual(['data.loginId']);
  });

  it('finds a login written in other letter case (the demo entry core-db:sysdba_yamada)', async () => {
    expect((await privilegedIdRequest.check!({ ...valid(), loginId: 'SYSDBA_YAMADA' }, context())).map((issue) => issue.path)).toEqual(['data.loginId']);
  });

  it('allows the same login on another system', async () => {
    expect(await privilegedIdRequest.check!({ ...valid(), system: 'dev-db', loginId: 'sysdba_yamada' }, context())).toEqual([]);
  });
});

describe('privileged ID request (F14): reservation and approval', () => {
  it('claims the login on the system, so that it cannot be granted twice', async () => {
    expect(await privilegedIdRequest.reserve!(valid(), { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' } }, context())).toEqual([
      { kind: 'claim', key: 'privileged-ids#core-db#login#sysdba_ito', field: 'data.loginId', message: { ja: expect.stringContaining('第15条'), en: expect.stringContaining('Art. 15') } },
    ]);
  });

  it('grants an active privileged ID named <system>:<loginId> that the ledger accepts', async () => {
    const ops = await privilegedIdRequest.onApproved!(
      {
        requestId: 'R-20261125-CCCCCC',
        requester: { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' }, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-it' },
        reservations: [],
        data: valid(),
        approvedAt: '2026-11-26T02:00:00.000Z',
      },
      context(),
    );
    expect(ops).toEqual([
      {
        kind: 'create',
        ledger: 'privileged-ids',
        item: {
          id: 'core-db:sysdba_ito',
          system: 'core-db',
          loginId: 'sysdba_ito',
          personId: 'u-ito',
          personName: { ja: '伊藤 美咲', en: 'Misaki Ito' },
          privilege: valid().privilege,
          reason: valid().reason,
          status: 'active',
          grantedAt: '2026-11-26T02:00:00.000Z',
          requestId: 'R-20261125-CCCCCC',
        },
        summary: { ja: expect.stringContaining('特権IDを付与しました'), en: expect.stringContaining('R-20261125-CCCCCC') },
      },
    ]);
    expect(ops[0].kind === 'create' && PrivilegedId.safeParse(ops[0].item).success).toBe(true);
  });
});

describe('privileged ID request (F14): how many exist (A15-3)', () => {
  it('shows the active privileged IDs of every system, then the reminder to keep them minimal', async () => {
    const notices = await privilegedIdRequest.context!(context());
    expect(notices).toEqual([
      { ja: '基幹業務システム: 有効な特権ID 1件', en: 'Core business system: 1 active privileged ID' },
      { ja: '基幹DB: 有効な特権ID 1件', en: 'Core database: 1 active privileged ID' },
      { ja: '開発・研修用DB: 有効な特権ID 0件', en: 'Development database: 0 active privileged IDs' },
      { ja: '社内ネットワーク: 有効な特権ID 0件', en: 'Company network: 0 active privileged IDs' },
      { ja: 'メール: 有効な特権ID 0件', en: 'Mail: 0 active privileged IDs' },
      { ja: expect.stringContaining('必要最小限にとどめます（安全管理細則 第15条第3項）'), en: expect.stringContaining('kept to the minimum (Security Rules Art. 15-3)') },
    ]);
  });

  it('leaves revoked IDs out of the count', async () => {
    const revoked = { ...demoPrivilegedIds[0], id: 'core-db:old', loginId: 'old_dba', status: 'revoked' as const };
    const notices = await privilegedIdRequest.context!(context([...demoPrivilegedIds, revoked]));
    expect(notices[1].ja).toBe('基幹DB: 有効な特権ID 1件');
  });

  it('counts past the first page of the state index', async () => {
    const many = Array.from({ length: 230 }, (_, i) => ({ ...demoPrivilegedIds[0], id: `network:adm${i}`, system: 'network' as const, loginId: `netadm${i}` }));
    const pages: string[] = [];
    const notices = await privilegedIdRequest.context!(context([...demoPrivilegedIds, ...many], pages));
    expect(notices[3]).toEqual({ ja: '社内ネットワーク: 有効な特権ID 230件', en: 'Company network: 230 active privileged IDs' });
    expect(pages.filter((page) => page.startsWith('active#network'))).toEqual(['active#network@0', 'active#network@100', 'active#network@200']);
  });
});

describe('privileged ID request (F14): catalogue entry', () => {
  it('is F14 in the ids category and goes to the system administrator, then the security manager', () => {
    expect(privilegedIdRequest).toMatchObject({ id: 'privileged-id-request', code: 'F14', version: 1, category: 'ids' });
    expect(privilegedIdRequest.route).toEqual([
      { role: 'sysAdmin', rule: 'any' },
      { role: 'securityManager', rule: 'any' },
    ]);
    expect(privilegedIdRequest.articles.map((article) => article.ref)).toEqual(['A15', 'A15-3', 'A16-2']);
  });

  it('orders its fields and labels them in both languages', () => {
    const properties = (entry.jsonSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    const ordered = Object.entries(properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['personId', 'system', 'loginId', 'privilege', 'reason']);
    expect(properties.loginId['x-label']).toEqual({ ja: '特権ID', en: 'Privileged login ID' });
  });
});
