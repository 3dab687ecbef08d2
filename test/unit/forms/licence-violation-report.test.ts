import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import { licenceViolationReport, type LicenceViolationReport } from '../../../functions/forms/licence-violation-report';
import { LicenceRegistration } from '../../../functions/ledgers/licence-registrations';
import { demoClients } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const registration = (overrides: Partial<LicenceRegistration> = {}): LicenceRegistration => ({
  id: 'LR-20261101-EEEEEE',
  userId: 'u-tanaka',
  clientId: 'pc-tokyo-001',
  productId: 'prd-erp-client',
  licenceId: 'lic-erp',
  usage: '受注入力',
  status: 'active',
  revision: 2,
  registeredAt: '2026-11-01T00:00:00.000Z',
  changedAt: '2026-11-10T00:00:00.000Z',
  siteId: 'site-tokyo',
  branchId: 'br-east',
  requestId: 'R-20261110-EEEEEE',
  ...overrides,
});

const context = (registrations: LicenceRegistration[] = [registration()]): FormContext =>
  formContext({ ledgers: new FakeLedgers({ clients: demoClients, 'licence-registrations': registrations }, { head: { seq: 4, hash: 'h4' } }) });

const { entry, parse } = formUnderTest('licence-violation-report');

const violation = (): LicenceViolationReport => ({ kind: 'violation', registrationId: 'LR-20261101-EEEEEE', description: '業務外の用途でアプリケーションを複製していた。' });
const move = (): LicenceViolationReport => ({ kind: 'pc-move', registrationId: 'LR-20261101-EEEEEE', description: '11月20日に仙台営業所へ移動した。', newClientId: 'pc-sendai-001' });

const sato = requesterOf('u-sato');

describe('licence violation or PC move report (F10): parsing and checks', () => {
  it('accepts a violation and a move', () => {
    expect(parse(violation())).toEqual({ ok: true, data: violation() });
    expect(parse(move())).toEqual({ ok: true, data: move() });
  });

  it('refuses an unknown kind of report', () => {
    expect(parse({ ...violation(), kind: 'loss' })).toMatchObject({ ok: false, issues: [{ path: 'data.kind', messages: { ja: '「報告の種類」は選択肢から選んでください。' } }] });
  });

  it('passes a report on an active registration', async () => {
    expect(await licenceViolationReport.check!(violation(), context())).toEqual([]);
    expect(await licenceViolationReport.check!(move(), context())).toEqual([]);
  });

  it('refuses a registration that has already ended or is not there (S44)', async () => {
    for (const ctx of [context([registration({ status: 'lapsed' })]), context([])]) {
      const issues = await licenceViolationReport.check!(violation(), ctx);
      expect(issues).toEqual([{ path: 'data.registrationId', messages: { ja: expect.stringContaining('第44条'), en: expect.stringContaining('Art. 44') } }]);
    }
  });

  it('asks where the PC moved to (S45-2)', async () => {
    const { newClientId: _to, ...nowhere } = move();
    expect(await licenceViolationReport.check!(nowhere, context())).toEqual([
      { path: 'data.newClientId', messages: { ja: 'パソコンの移動を報告するときは「移動先のパソコン」を選んでください（第45条第2項）。', en: 'A PC move report needs the PC it moved to (Art. 45-2).' } },
    ]);
  });

  it('refuses a destination not in the client ledger, or the registered PC itself', async () => {
    expect((await licenceViolationReport.check!({ ...move(), newClientId: 'pc-mars' }, context())).map((issue) => issue.path)).toEqual(['data.newClientId']);
    const same = await licenceViolationReport.check!({ ...move(), newClientId: 'pc-tokyo-001' }, context());
    expect(same).toEqual([{ path: 'data.newClientId', messages: { ja: expect.stringContaining('同じです'), en: expect.stringContaining('already registered') } }]);
  });

  it('takes no destination on a violation report', async () => {
    expect((await licenceViolationReport.check!({ ...violation(), newClientId: 'pc-sendai-001' }, context())).map((issue) => issue.path)).toEqual(['data.newClientId']);
  });
});

describe('licence violation or PC move report (F10): reservation and approval', () => {
  const facts = (data: LicenceViolationReport, requester = sato) => ({ requestId: 'R-20261125-FFFFFF', requester, reservations: [], data, approvedAt: '2026-11-26T05:00:00.000Z' });

  it('holds the registration, so that it is reported (and its seat given back) once', async () => {
    expect(await licenceViolationReport.reserve!(violation(), sato, context())).toEqual([
      { kind: 'claim', key: 'licence-registrations#end#LR-20261101-EEEEEE', field: 'data.registrationId', message: { ja: expect.stringContaining('第44条'), en: expect.stringContaining('Art. 44') } },
    ]);
  });

  it('revokes the registration on a violation and gives its seat back', async () => {
    const ops = await licenceViolationReport.onApproved!(facts(violation()), context());
    expect(ops).toEqual([
      {
        kind: 'update',
        ledger: 'licence-registrations',
        before: { item: registration(), head: { seq: 4, hash: 'h4' } },
        after: { ...registration(), status: 'revoked', endedAt: '2026-11-26T05:00:00.000Z', requestId: 'R-20261125-FFFFFF' },
        summary: { ja: expect.stringContaining('取り消しました（第44条第2項）'), en: expect.stringContaining('revoked') },
      },
      { kind: 'seats', licenceId: 'lic-erp', held: 0, used: -1 },
    ]);
    expect(ops[0].kind === 'update' && LicenceRegistration.safeParse(ops[0].after).success).toBe(true);
  });

  it('lets the registration lapse on a PC move and gives its seat back', async () => {
    const ops = await licenceViolationReport.onApproved!(facts(move()), context());
    expect(ops[0]).toMatchObject({ kind: 'update', after: { status: 'lapsed', endedAt: '2026-11-26T05:00:00.000Z' }, summary: { ja: expect.stringContaining('失効としました（第44条）') } });
    expect(ops[1]).toEqual({ kind: 'seats', licenceId: 'lic-erp', held: 0, used: -1 });
  });

  it('gives nothing back twice: a registration that ended meanwhile is left as it is', async () => {
    expect(await licenceViolationReport.onApproved!(facts(violation()), context([registration({ status: 'lapsed' })]))).toEqual([]);
  });

  it('tells the registration\'s user, unless they filed the report themselves', async () => {
    const notices = await licenceViolationReport.notices!(facts(violation()), context());
    expect(notices).toEqual([
      {
        to: [{ id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' } }],
        subject: { ja: 'アプリケーション使用登録 LR-20261101-EEEEEE が取り消されました', en: expect.stringContaining('revoked') },
        body: { ja: expect.stringContaining('改めて使用登録を申請'), en: expect.stringContaining('apply for a new registration') },
      },
    ]);
    expect(await licenceViolationReport.notices!(facts(violation(), requesterOf('u-tanaka')), context())).toEqual([]);
  });
});

describe('licence violation or PC move report (F10): catalogue entry', () => {
  it('is F10 in the licences category and goes to the site manager, then the licence manager', () => {
    expect(licenceViolationReport).toMatchObject({ id: 'licence-violation-report', code: 'F10', version: 1, category: 'licences' });
    expect(licenceViolationReport.route).toEqual([
      { role: 'siteManager', rule: 'any' },
      { role: 'licenseManager', rule: 'any' },
    ]);
    expect(licenceViolationReport.articles.map((article) => article.ref)).toEqual(['S44', 'S44-2', 'S45', 'S45-2']);
  });

  it('labels both kinds of report and orders the fields', () => {
    const properties = (entry.jsonSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(properties.kind['x-enum-labels']).toEqual({ violation: { ja: 'ライセンス違反', en: 'Licence violation' }, 'pc-move': { ja: 'パソコンの移動', en: 'PC moved' } });
    const ordered = Object.entries(properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['kind', 'registrationId', 'description', 'newClientId']);
  });
});
