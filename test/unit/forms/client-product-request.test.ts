import { describe, expect, it } from 'vitest';
import type { FieldIssue } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { applicableStages } from '../../../functions/domain/routing';
import { clientProductRequest } from '../../../functions/forms/client-product-request';
import { ClientProduct } from '../../../functions/ledgers/installations';
import { demoClientProducts, demoClients, demoLicences, demoProducts } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse } = formUnderTest('client-product-request');

const demo = () => ({
  clients: structuredClone(demoClients),
  products: structuredClone(demoProducts),
  licences: structuredClone(demoLicences),
  'client-products': structuredClone(demoClientProducts),
});

const ledgersOf = (items: Record<string, LedgerItem[]>) => new FakeLedgers(items, { head: { seq: 2, hash: 'h2' } });
const context = (items: Record<string, LedgerItem[]> = demo()): FormContext => formContext({ ledgers: ledgersOf(items) });
const tanaka = requesterOf('u-tanaka');

const valid = (overrides: Record<string, unknown> = {}) => ({
  clientId: 'pc-tokyo-002',
  productId: 'prd-erp-client',
  version: '5.2',
  purpose: '受注データの照会と入力に基幹ERPクライアントを使います。',
  ...overrides,
});

const check = (data: Record<string, unknown>, ctx = context()) => clientProductRequest.check!(data as never, ctx);

function only(issues: FieldIssue[], path: string): FieldIssue {
  expect(issues.map((i) => i.path)).toEqual([path]);
  return issues[0];
}

describe('client product request (F7): parsing', () => {
  it('accepts a client, a product, a version and a purpose', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('asks for each field by its label', () => {
    const result = parse({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.messages.ja)).toEqual([
      '「インストール先クライアント」を入力してください。',
      '「プロダクト」を入力してください。',
      '「バージョン」を入力してください。',
      '「利用目的」を入力してください。',
    ]);
  });

  it('refuses a version over 50 characters and an unknown field', () => {
    const result = parse({ ...valid(), version: '1'.repeat(51), licenceId: 'lic-erp' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['data.version', 'data.licenceId']);
  });
});

describe('client product request (F7): checks', () => {
  it('passes a managed client product on an active company client that does not have it yet', async () => {
    expect(await check(valid())).toEqual([]);
  });

  it('passes a managed product without a licence', async () => {
    expect(await check(valid({ productId: 'prd-odbc-driver' }))).toEqual([]);
  });

  it('refuses the personal MacBook (pc-tokyo-101) on the client field, naming Article 35-5', async () => {
    const issue = only(await check(valid({ clientId: 'pc-tokyo-101' })), 'data.clientId');
    expect(issue.messages).toEqual({
      ja: '個人所有のクライアントには管理プロダクトをインストールできません（第35条第5項・第48条）。',
      en: 'A personally owned client may not receive a managed product (Art. 35-5, 48).',
    });
  });

  it('refuses a client that is not in the ledger, and one that is retired', async () => {
    expect(only(await check(valid({ clientId: 'pc-nowhere' })), 'data.clientId').messages.ja).toContain('クライアント台帳にありません');
    const items = demo();
    items.clients[1].status = 'retired';
    expect(only(await check(valid(), context(items)), 'data.clientId').messages.ja).toContain('稼働中ではありません');
  });

  it('refuses a retired product (prd-old-viewer) with Article 38-3', async () => {
    const issue = only(await check(valid({ productId: 'prd-old-viewer' })), 'data.productId');
    expect(issue.messages.ja).toBe('「プロダクト」は廃止されています。情報システム部インフラ担当で管理していないプロダクトはインストールできません（第38条第3項）。');
    expect(issue.messages.en).toContain('Art. 38-3');
  });

  it('refuses a product that is not in the product ledger with Article 38-3', async () => {
    const issue = only(await check(valid({ productId: 'prd-freeware' })), 'data.productId');
    expect(issue.messages.ja).toContain('プロダクト台帳にありません');
    expect(issue.messages.ja).toContain('第38条第3項');
  });

  it('refuses a product that is only planned, and a server product', async () => {
    const items = demo();
    items.products.push({ ...demoProducts[3], id: 'prd-planned', status: 'planned' });
    expect(only(await check(valid({ productId: 'prd-planned' }), context(items)), 'data.productId').messages.ja).toContain('導入予定');
    expect(only(await check(valid({ productId: 'prd-zabbix' })), 'data.productId').messages.ja).toContain('サーバ用');
  });

  it('refuses a product already installed on the client', async () => {
    const issue = only(await check(valid({ clientId: 'pc-tokyo-001' })), 'data.productId');
    expect(issue.messages.ja).toBe('「プロダクト」はこのクライアントに既にインストールされています。同じクライアントに重ねて申請することはできません（第37条第3項・第38条第2項）。');
  });

  it('accepts a product again once its installation on the client was removed', async () => {
    const items = demo();
    const erp = items['client-products'].find((i) => i.id === 'cp-tokyo-001-erp')!;
    erp.status = 'removed';
    expect(await check(valid({ clientId: 'pc-tokyo-001' }), context(items))).toEqual([]);
  });

  it('refuses a product whose licence has no free seat, naming Article 38-2', async () => {
    const items = demo();
    Object.assign(items.licences[1], { seatsUsed: 4, seatsHeld: 1, seatsFree: 0 });
    const issue = only(await check(valid(), context(items)), 'data.productId');
    expect(issue.messages.ja).toBe('ライセンス（lic-erp）に空きがありません。契約数を超えるインストールはできません（第29条第2項・第38条第2項）。');
  });

  it('refuses a product whose licence has expired or is missing', async () => {
    const items = demo();
    items.licences[1].status = 'expired';
    expect(only(await check(valid(), context(items)), 'data.productId').messages.ja).toContain('有効ではありません');
    items.licences.splice(1, 1);
    expect(only(await check(valid(), context(items)), 'data.productId').messages.ja).toContain('lic-erp');
  });

  it('reports a bad client and a bad product together', async () => {
    const issues = await check(valid({ clientId: 'pc-tokyo-101', productId: 'prd-old-viewer' }));
    expect(issues.map((i) => i.path)).toEqual(['data.clientId', 'data.productId']);
  });
});

describe('client product request (F7): seat reservation', () => {
  it('holds one seat of the product’s licence on the product field, and claims the client and product', async () => {
    const reservations = await clientProductRequest.reserve!(valid() as never, { id: tanaka.id, name: tanaka.name }, context());
    expect(reservations).toEqual([
      { kind: 'seat', licenceId: 'lic-erp', field: 'data.productId' },
      {
        kind: 'claim',
        key: 'client-product:pc-tokyo-002:prd-erp-client',
        field: 'data.productId',
        message: expect.objectContaining({ ja: expect.stringContaining('第38条第2項') }),
      },
    ]);
  });

  it('holds no seat for a product without a licence', async () => {
    const reservations = await clientProductRequest.reserve!(valid({ productId: 'prd-odbc-driver' }) as never, { id: tanaka.id, name: tanaka.name }, context());
    expect(reservations.map((r) => r.kind)).toEqual(['claim']);
  });
});

describe('client product request (F7): approval effects', () => {
  const facts = (data = valid()) => ({
    requestId: 'R-20261125-7KQ2MX',
    requester: tanaka,
    data: data as never,
    approvedAt: '2026-11-26T03:00:00.000Z',
  });

  it('records the installation with its version, licence and user at the client’s place, and gives back the claim', async () => {
    const ops = await clientProductRequest.onApproved!(facts(), context());
    expect(ops).toEqual([
      {
        kind: 'create',
        ledger: 'client-products',
        item: {
          id: 'CP-20261125-7KQ2MX',
          clientId: 'pc-tokyo-002',
          productId: 'prd-erp-client',
          version: '5.2',
          licenceId: 'lic-erp',
          userId: 'u-tanaka',
          status: 'installed',
          installedAt: '2026-11-26T03:00:00.000Z',
          siteId: 'site-tokyo',
          branchId: 'br-east',
          requestId: 'R-20261125-7KQ2MX',
        },
        summary: { ja: '申請 R-20261125-7KQ2MX の承認によりインストールを記録しました', en: 'Installation recorded by the approval of request R-20261125-7KQ2MX' },
      },
      { kind: 'release', key: 'client-product:pc-tokyo-002:prd-erp-client', owner: 'R-20261125-7KQ2MX' },
    ]);
    expect(ClientProduct.safeParse((ops[0] as { item: unknown }).item).success).toBe(true);
  });

  it('moves no seat itself: the seat held since submission is kept by the framework', async () => {
    const ops = await clientProductRequest.onApproved!(facts(), context());
    expect(ops.some((op) => op.kind === 'seats')).toBe(false);
  });

  it('places the installation where the requester filed from when its client left the ledger meanwhile', async () => {
    const [op] = await clientProductRequest.onApproved!(facts(valid({ clientId: 'pc-gone' })), context());
    expect((op as { item: Record<string, unknown> }).item).toMatchObject({ clientId: 'pc-gone', siteId: 'site-tokyo', branchId: 'br-east' });
  });

  it('records an unlicensed product without a licence id', async () => {
    const [op] = await clientProductRequest.onApproved!(facts(valid({ productId: 'prd-odbc-driver', version: '19.3' })), context());
    const item = (op as { item: Record<string, unknown> }).item;
    expect(item).not.toHaveProperty('licenceId');
    expect(ClientProduct.safeParse(item).success).toBe(true);
  });
});

describe('client product request (F7): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('is F7 of the products category', () => {
    expect(clientProductRequest).toMatchObject({ id: 'client-product-request', code: 'F7', version: 1, category: 'products' });
  });

  it('goes to the department head (S35-6), the site manager, the branch responsible and IT infrastructure, always', async () => {
    expect(clientProductRequest.route).toEqual([
      { role: 'deptHead', rule: 'any' },
      { role: 'siteManager', rule: 'any' },
      { role: 'siteResponsible', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
    ]);
    expect(await applicableStages(clientProductRequest.route, valid(), ledgersOf(demo()))).toHaveLength(4);
  });

  it('names the articles it enforces', () => {
    const refs = clientProductRequest.articles.map((a) => a.ref);
    for (const ref of ['S35', 'S35-3', 'S35-5', 'S35-6', 'S37-3', 'S38-2', 'S38-3', 'S48']) expect(refs).toContain(ref);
  });

  it('offers only company clients and managed client products', () => {
    expect(schema.properties.clientId['x-source']).toEqual({ ledger: 'clients', value: 'id', label: 'label', filter: { ownership: 'company', status: 'active' } });
    expect(schema.properties.productId['x-source']).toEqual({ ledger: 'products', value: 'id', label: 'name', filter: { target: 'client', status: 'managed' } });
    expect(schema.required).toEqual(['clientId', 'productId', 'version', 'purpose']);
  });
});
