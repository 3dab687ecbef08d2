import type { Requester } from '../../../functions/domain/approval';
import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import { describeForm } from '../../../functions/forms/catalog';
import { MAX_UNITS, newIntroductionRingi } from '../../../functions/forms/new-introduction-ringi';
import type { NewIntroductionRingi } from '../../../functions/forms/new-introduction-ringi';
import { Client } from '../../../functions/ledgers/clients';
import { Product } from '../../../functions/ledgers/products';
import { Server } from '../../../functions/ledgers/servers';
import { formContext, formUnderTest } from './fakes';

const { entry, parse, issuesOf } = formUnderTest('new-introduction-ringi');

const context: FormContext = formContext();

const valid = (overrides: Partial<NewIntroductionRingi> = {}): NewIntroductionRingi => ({
  assetType: 'server',
  name: '販売管理アプリケーションサーバ2号機',
  vendor: '富士見システム',
  specification: 'CPU 16コア / メモリ 64GB / RHEL 9',
  quantity: 1,
  estimatedCost: 2_400_000,
  annualPlanRef: '2027年度 情報システム部年間運営計画 3.2 基幹系増強',
  maintenanceContract: '富士見システム 保守契約 HW-2027-004（オンサイト4時間対応）',
  purpose: '受注増に伴うアプリケーションサーバの負荷分散のため。',
  ...overrides,
});

/** The requester as the request keeps it: with their site, branch and department at filing. */
const watanabe = { id: 'u-watanabe', name: { ja: '渡辺 誠', en: 'Makoto Watanabe' }, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales' };
const facts = (data: NewIntroductionRingi, requester: Requester = watanabe) => ({
  requestId: 'R-20261125-7KQ2MX',
  requester,
  data,
  approvedAt: '2026-11-27T03:00:00.000Z',
});

describe('new introduction ringi (F3): parsing', () => {
  it('accepts a server, a client and a product introduction', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
    expect(parse(valid({ assetType: 'client', clientKind: 'printer', model: 'imageRUNNER C3226' })).ok).toBe(true);
    expect(parse(valid({ assetType: 'product', productCategory: 'monitoring', productTarget: 'server' })).ok).toBe(true);
  });

  it('requires the annual operation plan reference (S4-3, S15-3, S25-3, S34-3)', () => {
    const { annualPlanRef: _omitted, ...rest } = valid();
    expect(issuesOf(rest)).toEqual([{ path: 'data.annualPlanRef', messages: { ja: '「年間運営計画の該当項目」を入力してください。', en: 'Enter Annual operation plan item.' } }]);
    expect(issuesOf(valid({ annualPlanRef: '   ' })).map((issue) => issue.path)).toEqual(['data.annualPlanRef']);
  });

  it('requires the maintenance contract (S4-4, S15-5, S25-5, S34-5)', () => {
    const { maintenanceContract: _omitted, ...rest } = valid();
    expect(issuesOf(rest)).toEqual([{ path: 'data.maintenanceContract', messages: { ja: '「保守契約」を入力してください。', en: 'Enter Maintenance contract.' } }]);
  });

  it('says in the help of both required fields which articles ask for them', () => {
    const properties = (entry.jsonSchema as { properties: Record<string, { 'x-help': { ja: string } }> }).properties;
    expect(properties.annualPlanRef['x-help'].ja).toContain('第4条第3項');
    expect(properties.maintenanceContract['x-help'].ja).toContain('第4条第4項');
  });

  it('refuses a quantity that is not a whole number of at least 1, and a negative cost', () => {
    expect(issuesOf(valid({ quantity: 0 }))[0]).toEqual({ path: 'data.quantity', messages: { ja: '「数量」は1以上にしてください。', en: 'Quantity must be at least 1.' } });
    expect(issuesOf(valid({ quantity: 1.5 })).map((issue) => issue.path)).toEqual(['data.quantity']);
    expect(issuesOf(valid({ estimatedCost: -1 }))[0].messages.ja).toBe('「概算費用（円）」は0以上にしてください。');
  });

  it('refuses an unknown asset type and an unknown field', () => {
    const issues = issuesOf({ ...valid(), assetType: 'building', site: 'site-tokyo' });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['data.assetType', 'data.site']);
  });
});

describe('new introduction ringi (F3): cross-field checks', () => {
  it('passes a server, a client and a complete product', async () => {
    expect(await newIntroductionRingi.check!(valid(), context)).toEqual([]);
    expect(await newIntroductionRingi.check!(valid({ assetType: 'client', quantity: MAX_UNITS }), context)).toEqual([]);
    expect(await newIntroductionRingi.check!(valid({ assetType: 'product', productCategory: 'tool', productTarget: 'client', quantity: 300 }), context)).toEqual([]);
  });

  it('asks a product for its category and where it runs', async () => {
    const issues = await newIntroductionRingi.check!(valid({ assetType: 'product' }), context);
    expect(issues.map((issue) => issue.path)).toEqual(['data.productCategory', 'data.productTarget']);
    expect(issues[0].messages.ja).toContain('第24条');
    expect(issues[1].messages.ja).toContain('第25条');
  });

  it(`refuses more than ${MAX_UNITS} servers or clients in one ringi, since each is recorded on its own`, async () => {
    const issues = await newIntroductionRingi.check!(valid({ assetType: 'client', quantity: MAX_UNITS + 1 }), context);
    expect(issues).toEqual([{ path: 'data.quantity', messages: expect.objectContaining({ ja: expect.stringContaining('第14条第2項') }) }]);
  });
});

describe('new introduction ringi (F3): approval effects', () => {
  it('records a planned server at the requester’s site, owned by the requester, with the maintenance contract', async () => {
    const ops = await newIntroductionRingi.onApproved!(facts(valid()), context);
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op.kind !== 'create') throw new Error('expected a create');
    expect(op.ledger).toBe('servers');
    expect(op.item).toEqual({
      id: 'SRV-20261125-7KQ2MX',
      name: { ja: '販売管理アプリケーションサーバ2号機', en: '販売管理アプリケーションサーバ2号機' },
      kind: 'other',
      hostname: 'TBD',
      os: 'TBD',
      siteId: 'site-tokyo',
      branchId: 'br-east',
      owner: 'u-watanabe',
      status: 'planned',
      configuration: 'CPU 16コア / メモリ 64GB / RHEL 9',
      maintenanceContract: '富士見システム 保守契約 HW-2027-004（オンサイト4時間対応）',
      requestId: 'R-20261125-7KQ2MX',
    });
    expect(Server.safeParse(op.item).success).toBe(true);
    expect(op.summary.ja).toContain('R-20261125-7KQ2MX');
  });

  it('uses the English name when one is given', async () => {
    const [op] = await newIntroductionRingi.onApproved!(facts(valid({ nameEn: 'Sales application server 2' })), context);
    expect(op.kind === 'create' && op.item.name).toEqual({ ja: '販売管理アプリケーションサーバ2号機', en: 'Sales application server 2' });
  });

  it('records one planned, company-owned client per unit, numbered from the request id', async () => {
    const ops = await newIntroductionRingi.onApproved!(facts(valid({ assetType: 'client', name: '営業部 端末', quantity: 3, model: 'ThinkPad L14' })), context);
    expect(ops.map((op) => op.kind === 'create' && op.item.id)).toEqual(['CL-20261125-7KQ2MX-1', 'CL-20261125-7KQ2MX-2', 'CL-20261125-7KQ2MX-3']);
    for (const op of ops) {
      if (op.kind !== 'create') throw new Error('expected creates');
      expect(op.ledger).toBe('clients');
      expect(Client.safeParse(op.item).success).toBe(true);
      expect(op.item).toMatchObject({ kind: 'terminal', ownership: 'company', status: 'planned', model: 'ThinkPad L14', serialNumber: 'TBD', departmentId: 'dep-sales', siteId: 'site-tokyo' });
    }
    expect(ops.map((op) => op.kind === 'create' && op.item.label)).toEqual(['営業部 端末 #1', '営業部 端末 #2', '営業部 端末 #3']);
  });

  it('records a client of the kind asked for, with TBD for a model not chosen yet', async () => {
    const [op] = await newIntroductionRingi.onApproved!(facts(valid({ assetType: 'client', clientKind: 'network' })), context);
    expect(op.kind === 'create' && op.item).toMatchObject({ id: 'CL-20261125-7KQ2MX', kind: 'network', model: 'TBD' });
  });

  it('records a planned product with its category, target and maintenance contract', async () => {
    const ops = await newIntroductionRingi.onApproved!(
      facts(valid({ assetType: 'product', name: 'Zabbix Enterprise', vendor: 'Zabbix', productCategory: 'monitoring', productTarget: 'server', quantity: 4 })),
      context,
    );
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op.kind !== 'create') throw new Error('expected a create');
    expect(op.ledger).toBe('products');
    expect(op.item).toEqual({
      id: 'PRD-20261125-7KQ2MX',
      name: { ja: 'Zabbix Enterprise', en: 'Zabbix Enterprise' },
      vendor: 'Zabbix',
      category: 'monitoring',
      target: 'server',
      status: 'planned',
      maintenanceContract: '富士見システム 保守契約 HW-2027-004（オンサイト4時間対応）',
      requestId: 'R-20261125-7KQ2MX',
    });
    expect(Product.safeParse(op.item).success).toBe(true);
  });

  it('gives the same ids when applied twice, so a repeated outcome cannot create twice', async () => {
    const first = await newIntroductionRingi.onApproved!(facts(valid({ quantity: 2 })), context);
    const second = await newIntroductionRingi.onApproved!(facts(valid({ quantity: 2 })), context);
    expect(second).toEqual(first);
  });
});

describe('new introduction ringi (F3): catalogue entry', () => {
  it('is F3, in the server category, and says it covers servers, clients and products', () => {
    expect(newIntroductionRingi).toMatchObject({ id: 'new-introduction-ringi', code: 'F3', version: 1, category: 'server' });
    expect(newIntroductionRingi.description.ja).toContain('サーバ・クライアント・プロダクト');
  });

  it('goes to the department head, then IT infrastructure for the specification check, then the ringi approver', () => {
    expect(newIntroductionRingi.route).toEqual([
      { role: 'deptHead', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
      { role: 'ringiApprover', rule: 'any' },
    ]);
    expect(describeForm(entry).route.map((stage) => stage.label.ja)).toEqual(['部門責任者', '情報システム部インフラ担当', '管理者（社内稟議）']);
  });

  it('names the articles of all three introductions', () => {
    const refs = newIntroductionRingi.articles.map((article) => article.ref);
    for (const ref of ['S4-2', 'S4-3', 'S4-4', 'S15-2', 'S15-3', 'S15-4', 'S15-5', 'S25-2', 'S25-3', 'S25-5', 'S34-2', 'S34-3', 'S34-4', 'S34-5']) expect(refs).toContain(ref);
  });

  it('requires what every ringi needs and leaves the per-type fields optional', () => {
    const schema = entry.jsonSchema as { required: string[]; properties: Record<string, Record<string, unknown>> };
    expect(schema.required).toEqual(['assetType', 'name', 'vendor', 'specification', 'quantity', 'estimatedCost', 'annualPlanRef', 'maintenanceContract', 'purpose']);
    expect(schema.properties.estimatedCost['x-widget']).toBe('number');
    expect(Object.keys(schema.properties.assetType['x-enum-labels'] as object)).toEqual(['server', 'client', 'product']);
  });
});
