import { describe, expect, it } from 'vitest';
import type { Requester, Reservation } from '../../../functions/domain/approval';
import type { FormContext } from '../../../functions/domain/form-definition';
import { applicationUseRegistration, type ApplicationUseRegistration } from '../../../functions/forms/application-use-registration';
import { LicenceRegistration } from '../../../functions/ledgers/licence-registrations';
import { demoClients, demoLicences, demoProducts } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const registration = (overrides: Partial<LicenceRegistration> = {}): LicenceRegistration => ({
  id: 'LR-20261101-AAAAAA',
  userId: 'u-tanaka',
  clientId: 'pc-tokyo-001',
  productId: 'prd-excel',
  licenceId: 'lic-excel',
  usage: '売上集計表の作成',
  status: 'active',
  revision: 1,
  registeredAt: '2026-11-01T00:00:00.000Z',
  siteId: 'site-tokyo',
  branchId: 'br-east',
  requestId: 'R-20261101-AAAAAA',
  ...overrides,
});

const expiredLicence = { ...demoLicences[0], id: 'lic-old', productId: 'prd-old-app', status: 'expired' as const };
const oldApp = { ...demoProducts[3], id: 'prd-old-app', licenceId: 'lic-old' };

const tanaka = requesterOf('u-tanaka');

const context = (registrations: LicenceRegistration[] = [registration()], requester: Requester = tanaka): FormContext =>
  formContext({
    ledgers: new FakeLedgers(
      {
        clients: demoClients,
        products: [...demoProducts, oldApp],
        licences: [...demoLicences, expiredLicence],
        'licence-registrations': registrations,
      },
      { head: { seq: 2, hash: 'h2' } },
    ),
    requester,
  });

const { entry, parse } = formUnderTest('application-use-registration');

const fresh = (): ApplicationUseRegistration => ({ clientId: 'pc-tokyo-001', productId: 'prd-erp-client', usage: '受注入力と在庫照会' });
const change = (): ApplicationUseRegistration => ({ registrationId: 'LR-20261101-AAAAAA', clientId: 'pc-tokyo-001', productId: 'prd-excel', usage: '売上集計表と予算管理表の作成' });

const pathsOf = async (data: ApplicationUseRegistration, ctx = context()) => (await applicationUseRegistration.check!(data, ctx)).map((issue) => issue.path);

describe('application use registration (F9): parsing', () => {
  it('accepts a new registration and a change', () => {
    expect(parse(fresh())).toEqual({ ok: true, data: fresh() });
    expect(parse(change())).toEqual({ ok: true, data: change() });
  });

  it('asks for the PC, the application and the usage, not for a registration', () => {
    const result = parse({});
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toEqual(['data.clientId', 'data.productId', 'data.usage']);
  });

  it('refuses a usage over 2000 characters', () => {
    expect(parse({ ...fresh(), usage: 'あ'.repeat(2001) })).toMatchObject({ ok: false, issues: [{ path: 'data.usage', messages: { ja: '「使用内容」は2000文字以内で入力してください。' } }] });
  });
});

describe('application use registration (F9): checks', () => {
  it('passes a new registration of a managed, licensed application on a company PC', async () => {
    expect(await applicationUseRegistration.check!(fresh(), context())).toEqual([]);
  });

  it('refuses a personal PC with Article 48', async () => {
    const issues = await applicationUseRegistration.check!({ ...fresh(), clientId: 'pc-tokyo-101' }, context());
    expect(issues).toEqual([
      {
        path: 'data.clientId',
        messages: {
          ja: '個人所有のパソコンには、ライセンス取得が必要なアプリケーションの使用を認めません（第48条）。会社所有のパソコンを選んでください。',
          en: 'A personal PC may not use an application that needs a licence (Art. 48); pick a company-owned PC.',
        },
      },
    ]);
  });

  it('refuses a PC that is not in the client ledger', async () => {
    expect(await pathsOf({ ...fresh(), clientId: 'pc-nowhere' })).toEqual(['data.clientId']);
  });

  it('refuses a retired product, or one not in the ledger, with Article 38-3', async () => {
    for (const productId of ['prd-old-viewer', 'prd-unknown']) {
      const issues = await applicationUseRegistration.check!({ ...fresh(), productId }, context());
      expect(issues).toEqual([{ path: 'data.productId', messages: { ja: expect.stringContaining('第38条第3項'), en: expect.stringContaining('Art. 38-3') } }]);
    }
  });

  it('refuses a product that needs no licence, or a server product', async () => {
    for (const productId of ['prd-odbc-driver', 'prd-oracle-db']) {
      const issues = await applicationUseRegistration.check!({ ...fresh(), productId }, context());
      expect(issues).toEqual([{ path: 'data.productId', messages: { ja: expect.stringContaining('使用登録は不要'), en: expect.stringContaining('Art. 41') } }]);
    }
  });

  it('refuses an application whose licence has expired', async () => {
    const issues = await applicationUseRegistration.check!({ ...fresh(), productId: 'prd-old-app' }, context());
    expect(issues).toEqual([{ path: 'data.productId', messages: { ja: expect.stringContaining('第42条第3項'), en: expect.stringContaining('Art. 42-3') } }]);
  });

  it('refuses a second new registration of the same application on the same PC', async () => {
    const issues = await applicationUseRegistration.check!({ ...fresh(), productId: 'prd-excel' }, context());
    expect(issues).toEqual([{ path: 'data.clientId', messages: { ja: expect.stringContaining('変更として申請'), en: expect.stringContaining('change of that registration') } }]);
    // A lapsed registration no longer counts.
    expect(await pathsOf({ ...fresh(), productId: 'prd-excel' }, context([registration({ status: 'lapsed' })]))).toEqual([]);
  });

  it('passes a change of an active registration', async () => {
    expect(await applicationUseRegistration.check!(change(), context())).toEqual([]);
  });

  it('passes a change that moves the registration to another company PC', async () => {
    expect(await pathsOf({ ...change(), clientId: 'pc-tokyo-002', usage: registration().usage })).toEqual([]);
  });

  it('refuses a change of a registration that is not active or not there', async () => {
    for (const ctx of [context([registration({ status: 'revoked' })]), context([])]) {
      const issues = await applicationUseRegistration.check!(change(), ctx);
      expect(issues).toEqual([{ path: 'data.registrationId', messages: { ja: expect.stringContaining('有効な使用登録だけ'), en: expect.stringContaining('Art. 41-3') } }]);
    }
  });

  it('refuses a change of someone else\'s registration (S47)', async () => {
    const issues = await applicationUseRegistration.check!(change(), context(undefined, requesterOf('u-sato')));
    expect(issues).toEqual([{ path: 'data.registrationId', messages: { ja: expect.stringContaining('他の利用者の使用登録'), en: expect.stringContaining("another person's registration") } }]);
  });

  it('refuses a change that switches the application', async () => {
    expect(await pathsOf({ ...change(), productId: 'prd-erp-client' })).toEqual(['data.productId']);
  });

  it('refuses a change that changes nothing', async () => {
    const issues = await applicationUseRegistration.check!({ ...change(), usage: registration().usage }, context());
    expect(issues).toEqual([{ path: 'data.usage', messages: { ja: expect.stringContaining('変更がありません'), en: expect.stringContaining('Nothing differs') } }]);
  });

  it('refuses a change onto a personal PC', async () => {
    expect(await pathsOf({ ...change(), clientId: 'pc-tokyo-101' })).toEqual(['data.clientId']);
  });
});

describe('application use registration (F9): reservations', () => {
  it('holds a seat of the application\'s licence for a new registration', async () => {
    expect(await applicationUseRegistration.reserve!(fresh(), tanaka, context())).toEqual([{ kind: 'seat', licenceId: 'lic-erp', field: 'data.productId' }]);
  });

  it('takes no other seat for a change, but holds the registration so that one change at a time is in review', async () => {
    expect(await applicationUseRegistration.reserve!(change(), tanaka, context())).toEqual([
      {
        kind: 'claim',
        key: 'licence-registrations#change#LR-20261101-AAAAAA',
        field: 'data.registrationId',
        message: { ja: 'この使用登録は変更の承認待ちです（第41条第3項）。', en: expect.stringContaining('Art. 41-3') },
      },
    ]);
  });

});

describe('application use registration (F9): approval', () => {
  const facts = (data: ApplicationUseRegistration, reservations: Reservation[] = []) => ({ requestId: 'R-20261125-DDDDDD', requester: tanaka, reservations, data, approvedAt: '2026-11-26T04:00:00.000Z' });

  it('registers a new use: active, revision 1, where the PC is', async () => {
    const ops = await applicationUseRegistration.onApproved!(facts(fresh(), [{ kind: 'seat', licenceId: 'lic-erp', field: 'data.productId' }]), context());
    expect(ops).toEqual([
      {
        kind: 'create',
        ledger: 'licence-registrations',
        item: {
          id: 'LR-20261125-DDDDDD',
          userId: 'u-tanaka',
          clientId: 'pc-tokyo-001',
          productId: 'prd-erp-client',
          licenceId: 'lic-erp',
          usage: '受注入力と在庫照会',
          status: 'active',
          revision: 1,
          registeredAt: '2026-11-26T04:00:00.000Z',
          siteId: 'site-tokyo',
          branchId: 'br-east',
          requestId: 'R-20261125-DDDDDD',
        },
        summary: { ja: expect.stringContaining('R-20261125-DDDDDD'), en: expect.stringContaining('R-20261125-DDDDDD') },
      },
    ]);
    expect(ops[0].kind === 'create' && LicenceRegistration.safeParse(ops[0].item).success).toBe(true);
  });

  it('names the licence whose seat it held, even if the product has moved to another licence since', async () => {
    const [op] = await applicationUseRegistration.onApproved!(facts(fresh(), [{ kind: 'seat', licenceId: 'lic-erp-old', field: 'data.productId' }]), context());
    expect(op.kind === 'create' && op.item.licenceId).toBe('lic-erp-old');
  });

  it('applies an approved change as the next revision and frees the registration for later changes', async () => {
    const ops = await applicationUseRegistration.onApproved!(facts({ ...change(), clientId: 'pc-osaka-001' }), context());
    expect(ops).toEqual([
      { kind: 'release', key: 'licence-registrations#change#LR-20261101-AAAAAA', owner: 'R-20261125-DDDDDD' },
      {
        kind: 'update',
        ledger: 'licence-registrations',
        before: { item: registration(), head: { seq: 2, hash: 'h2' } },
        after: {
          ...registration(),
          clientId: 'pc-osaka-001',
          usage: '売上集計表と予算管理表の作成',
          revision: 2,
          changedAt: '2026-11-26T04:00:00.000Z',
          siteId: 'site-osaka',
          branchId: 'br-west',
          requestId: 'R-20261125-DDDDDD',
        },
        summary: { ja: expect.stringContaining('第2版'), en: expect.stringContaining('revision 2') },
      },
    ]);
    expect(ops[1].kind === 'update' && LicenceRegistration.safeParse(ops[1].after).success).toBe(true);
    expect(ops.some((op) => op.kind === 'seats')).toBe(false);
  });

  it('changes nothing but its own hold when the registration ended while the change was in review', async () => {
    expect(await applicationUseRegistration.onApproved!(facts(change()), context([registration({ status: 'revoked' })]))).toEqual([
      { kind: 'release', key: 'licence-registrations#change#LR-20261101-AAAAAA', owner: 'R-20261125-DDDDDD' },
    ]);
  });
});

describe('application use registration (F9): catalogue entry', () => {
  const properties = (entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] }).properties;

  it('is F9 in the licences category and goes to the licence manager', () => {
    expect(applicationUseRegistration).toMatchObject({ id: 'application-use-registration', code: 'F9', version: 1, category: 'licences' });
    expect(applicationUseRegistration.route).toEqual([{ role: 'licenseManager', rule: 'any' }]);
    expect(applicationUseRegistration.articles.map((article) => article.ref)).toEqual(['S41', 'S41-3', 'S38-3', 'S42-3', 'S48']);
  });

  it('picks from the ledgers, offering only what may be chosen', () => {
    expect(properties.registrationId['x-source']).toEqual({ ledger: 'licence-registrations', value: 'id', label: 'id', filter: { status: 'active' } });
    expect(properties.clientId['x-source']).toEqual({ ledger: 'clients', value: 'id', label: 'label', filter: { ownership: 'company' } });
    expect(properties.productId['x-source']).toEqual({ ledger: 'products', value: 'id', label: 'name', filter: { status: 'managed' } });
  });

  it('orders its fields', () => {
    const ordered = Object.entries(properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['registrationId', 'clientId', 'productId', 'usage']);
  });
});
