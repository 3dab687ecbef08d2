import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import { applicableStages } from '../../../functions/domain/routing';
import { describeForm } from '../../../functions/forms/catalog';
import { serverProductRequest } from '../../../functions/forms/server-product-request';
import type { ServerProductRequest } from '../../../functions/forms/server-product-request';
import { ServerProduct } from '../../../functions/ledgers/installations';
import type { Licence } from '../../../functions/ledgers/licences';
import type { Product } from '../../../functions/ledgers/products';
import type { Server } from '../../../functions/ledgers/servers';
import { demoLicences, demoProducts, demoServerProducts, demoServers } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest } from './fakes';

const { entry, parse } = formUnderTest('server-product-request');

const retiredServer: Server = { ...demoServers[3], id: 'srv-old', status: 'retired' };
const licensedProduct: Product = { id: 'prd-backup-agent', name: { ja: 'バックアップエージェント', en: 'Backup agent' }, vendor: 'Veritas', category: 'tool', target: 'server', licenceId: 'lic-backup', status: 'managed' };
const backupLicence: Licence = { id: 'lic-backup', productId: 'prd-backup-agent', name: { ja: 'バックアップ', en: 'Backup' }, seatsBought: 2, seatsUsed: 0, seatsHeld: 0, seatsFree: 2, status: 'active' };
const lapsedProduct: Product = { ...licensedProduct, id: 'prd-lapsed', licenceId: 'lic-lapsed' };
const lapsedLicence: Licence = { ...backupLicence, id: 'lic-lapsed', productId: 'prd-lapsed', status: 'expired' };
const plannedProduct: Product = { id: 'prd-new-db', name: { ja: '新DB', en: 'New DB' }, vendor: 'X', category: 'database', target: 'server', status: 'planned' };
const removed: ServerProduct = { id: 'sp-app-zabbix-old', serverId: 'srv-app', productId: 'prd-zabbix', version: '6.0', status: 'removed', installedAt: '2023-04-01T00:00:00.000Z', removedAt: '2024-03-31T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' };

/** Paged by one, so that the installations on a server are read across pages. */
const context = (): FormContext =>
  formContext({
    ledgers: new FakeLedgers(
      {
        servers: [...demoServers, retiredServer],
        products: [...demoProducts, licensedProduct, lapsedProduct, plannedProduct],
        licences: [...demoLicences, backupLicence, lapsedLicence],
        'server-products': [...demoServerProducts, removed],
      },
      { pageSize: 1 },
    ),
  });

const valid = (overrides: Partial<ServerProductRequest> = {}): ServerProductRequest => ({
  serverId: 'srv-app',
  productId: 'prd-zabbix',
  version: '7.0.4',
  purpose: 'アプリケーションサーバの稼働監視（第6条第3項）のため、監視エージェントを導入する。',
  ...overrides,
});

const check = (data: ServerProductRequest) => serverProductRequest.check!(data, context());
const pathsOf = async (data: ServerProductRequest) => (await check(data)).map((issue) => issue.path);

describe('server product request (F6): parsing', () => {
  it('accepts complete, valid data', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('asks for every field of an empty form by its label', () => {
    const result = parse({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.messages.ja)).toEqual(['「インストール先サーバ」を入力してください。', '「プロダクト」を入力してください。', '「バージョン」を入力してください。', '「利用目的」を入力してください。']);
  });

  it('refuses a version over 50 characters', () => {
    const result = parse(valid({ version: '1'.repeat(51) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ path: 'data.version', messages: { ja: '「バージョン」は50文字以内で入力してください。', en: 'Version must be at most 50 characters.' } }]);
  });
});

describe('server product request (F6): lookups', () => {
  it('passes a managed server product that the server does not have yet', async () => {
    expect(await check(valid())).toEqual([]);
    expect(await check(valid({ serverId: 'srv-dev-db', productId: 'prd-oracle-db' }))).toEqual([]);
  });

  it('passes a product that was installed once and removed since', async () => {
    expect(await check(valid({ serverId: 'srv-app', productId: 'prd-zabbix' }))).toEqual([]);
  });

  it('refuses a server that is not in the ledger, and a retired server', async () => {
    expect(await pathsOf(valid({ serverId: 'srv-nowhere' }))).toEqual(['data.serverId']);
    const retired = await check(valid({ serverId: 'srv-old' }));
    expect(retired).toEqual([{ path: 'data.serverId', messages: expect.objectContaining({ ja: expect.stringContaining('廃止') }) }]);
  });

  it('refuses a product that is not in the product ledger, naming Article 29-3', async () => {
    const issues = await check(valid({ productId: 'prd-freeware' }));
    expect(issues).toEqual([{ path: 'data.productId', messages: expect.objectContaining({ ja: expect.stringContaining('第29条第3項') }) }]);
    expect(issues[0].messages.en).toContain('Art. 29-3');
  });

  it('refuses a product that is only planned or retired: not managed (S29-3)', async () => {
    for (const productId of ['prd-new-db', 'prd-old-viewer']) {
      const issues = await check(valid({ productId }));
      expect(issues).toHaveLength(1);
      expect(issues[0].messages.ja).toContain('管理対象ではありません');
    }
  });

  it('refuses a client product', async () => {
    const issues = await check(valid({ productId: 'prd-excel' }));
    expect(issues).toEqual([{ path: 'data.productId', messages: expect.objectContaining({ ja: expect.stringContaining('クライアント用') }) }]);
  });

  it('refuses a product already installed on that server (S28-3), reading every page of the installations', async () => {
    const issues = await check(valid({ serverId: 'srv-core-db', productId: 'prd-oracle-db' }));
    expect(issues).toEqual([{ path: 'data.productId', messages: expect.objectContaining({ ja: expect.stringContaining('既にこのサーバにインストール') }) }]);
  });

  it('refuses a licensed product whose licence is not in force (S29-2)', async () => {
    const issues = await check(valid({ productId: 'prd-lapsed' }));
    expect(issues).toEqual([{ path: 'data.productId', messages: expect.objectContaining({ ja: expect.stringContaining('第29条第2項') }) }]);
  });

  it('reports a bad server and a bad product together', async () => {
    expect((await pathsOf(valid({ serverId: 'srv-nowhere', productId: 'prd-excel' }))).sort()).toEqual(['data.productId', 'data.serverId']);
  });
});

describe('server product request (F6): seats', () => {
  const requester = { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' } };

  it('holds a seat of the licence of a licensed product while in review (S29-2)', async () => {
    expect(await serverProductRequest.reserve!(valid({ productId: 'prd-backup-agent' }), requester, context())).toEqual([
      { kind: 'seat', licenceId: 'lic-backup', field: 'data.productId' },
    ]);
  });

  it('holds nothing for a product without a licence', async () => {
    expect(await serverProductRequest.reserve!(valid(), requester, context())).toEqual([]);
  });
});

describe('server product request (F6): route', () => {
  const roles = async (data: ServerProductRequest) => (await applicableStages(serverProductRequest.route, data, context().ledgers)).map((stage) => stage.role);

  it('adds the database administrator for database software (S23-4)', async () => {
    expect(await roles(valid({ serverId: 'srv-dev-db', productId: 'prd-oracle-db' }))).toEqual(['itInfra', 'dba']);
  });

  it('goes to IT infrastructure alone for other software', async () => {
    expect(await roles(valid())).toEqual(['itInfra']);
    expect(await roles(valid({ productId: 'prd-tomcat' }))).toEqual(['itInfra']);
  });

  it('describes the condition of the DBA stage for the page', () => {
    const dba = describeForm(entry).route[1];
    expect(dba).toMatchObject({ role: 'dba', when: { field: 'productId', ledger: 'products', property: 'category', equals: 'database', label: { ja: 'DBソフトの場合', en: 'when it is database software' } } });
  });
});

describe('server product request (F6): approval effects', () => {
  const facts = (data: ServerProductRequest) => ({ requestId: 'R-20261125-7KQ2MX', requester: { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' }, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-it' }, data, approvedAt: '2026-11-26T03:00:00.000Z' });

  it('records the installation with its version at the server’s site (S28-3)', async () => {
    const ops = await serverProductRequest.onApproved!(facts(valid({ serverId: 'srv-dev-db', productId: 'prd-oracle-db', version: '19.22' })), context());
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op.kind !== 'create') throw new Error('expected a create');
    expect(op.ledger).toBe('server-products');
    expect(op.item).toEqual({
      id: 'SP-20261125-7KQ2MX',
      serverId: 'srv-dev-db',
      productId: 'prd-oracle-db',
      version: '19.22',
      status: 'installed',
      installedAt: '2026-11-26T03:00:00.000Z',
      siteId: 'site-tokyo',
      branchId: 'br-east',
      requestId: 'R-20261125-7KQ2MX',
    });
    expect(ServerProduct.safeParse(op.item).success).toBe(true);
    expect(op.summary.ja).toContain('19.22');
  });

  it('fails loudly rather than record an installation without a place', async () => {
    await expect(serverProductRequest.onApproved!(facts(valid({ serverId: 'srv-nowhere' })), context())).rejects.toThrow('srv-nowhere');
  });
});

describe('server product request (F6): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('is F6 of the products category', () => {
    expect(serverProductRequest).toMatchObject({ id: 'server-product-request', code: 'F6', version: 1, category: 'products' });
    expect(serverProductRequest.articles.map((a) => a.ref)).toEqual(['S26', 'S23-4', 'S28-3', 'S29-2', 'S29-3']);
  });

  it('offers servers from the server ledger and managed server products from the product ledger', () => {
    expect(schema.properties.serverId['x-source']).toEqual({ ledger: 'servers', value: 'id', label: 'name' });
    expect(schema.properties.productId['x-source']).toEqual({ ledger: 'products', value: 'id', label: 'name', filter: { target: 'server', status: 'managed' } });
    expect(schema.required).toEqual(['serverId', 'productId', 'version', 'purpose']);
  });
});
