import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { productUninstallNotice } from '../../../functions/forms/product-uninstall-notice';
import { ClientProduct } from '../../../functions/ledgers/installations';
import { demoClientProducts } from '../../../infra/local/seed-data';
import { formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse } = formUnderTest('product-uninstall-notice');

const demo = () => ({ 'client-products': structuredClone(demoClientProducts) as LedgerItem[] });
const context = (items: Record<string, LedgerItem[]> = demo()): FormContext => formContext({ ledgers: items });

const valid = (overrides: Record<string, unknown> = {}) => ({ installationId: 'cp-tokyo-001-erp', reason: '担当業務の変更により不要になりました。', ...overrides });

describe('product uninstall notice (F8): parsing', () => {
  it('accepts an installation and a reason', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('asks for both fields by their labels', () => {
    const result = parse({});
    expect(result.ok ? [] : result.issues.map((i) => i.messages.ja)).toEqual(['「アンインストールするプロダクト」を入力してください。', '「終了理由」を入力してください。']);
  });

  it('refuses a reason over 2000 characters', () => {
    const result = parse(valid({ reason: 'x'.repeat(2001) }));
    expect(result.ok ? [] : result.issues.map((i) => i.messages.en)).toEqual(['Reason must be at most 2000 characters.']);
  });
});

describe('product uninstall notice (F8): checks', () => {
  it('passes an installed product', async () => {
    expect(await productUninstallNotice.check!(valid() as never, context())).toEqual([]);
  });

  it('refuses an installation that is not in the ledger', async () => {
    const issues = await productUninstallNotice.check!(valid({ installationId: 'cp-nowhere' }) as never, context());
    expect(issues).toEqual([
      {
        path: 'data.installationId',
        messages: {
          ja: '「アンインストールするプロダクト」がクライアントプロダクト台帳にありません。台帳に登録されたインストールを選んでください（第37条第3項）。',
          en: 'The installation is not in the client product ledger; pick a recorded installation (Art. 37-3).',
        },
      },
    ]);
  });

  it('refuses an installation already removed, naming Article 35-7', async () => {
    const items = demo();
    items['client-products'][3].status = 'removed';
    const issues = await productUninstallNotice.check!(valid() as never, context(items));
    expect(issues.map((i) => i.messages.ja)).toEqual(['「アンインストールするプロダクト」は既にアンインストール済です（第35条第7項）。']);
  });
});

describe('product uninstall notice (F8): approval effects', () => {
  const facts = (data = valid()) => ({ requestId: 'R-20261125-7KQ2MX', requester: requesterOf('u-tanaka'), data: data as never, approvedAt: '2026-11-26T03:00:00.000Z' });

  it('marks the installation removed and gives its seat back', async () => {
    const ops = await productUninstallNotice.onApproved!(facts(), context());
    expect(ops).toEqual([
      {
        kind: 'update',
        ledger: 'client-products',
        before: { item: demoClientProducts[3], head: { seq: 1, hash: 'h1' } },
        after: { ...demoClientProducts[3], status: 'removed', removedAt: '2026-11-26T03:00:00.000Z' },
        summary: { ja: '申請 R-20261125-7KQ2MX の承認によりアンインストール済としました', en: 'Removed by the approval of request R-20261125-7KQ2MX' },
      },
      { kind: 'seats', licenceId: 'lic-erp', held: 0, used: -1 },
    ]);
    expect(ClientProduct.safeParse((ops[0] as { after: unknown }).after).success).toBe(true);
  });

  it('moves no seat for an unlicensed installation', async () => {
    const items = demo();
    delete items['client-products'][3].licenceId;
    const ops = await productUninstallNotice.onApproved!(facts(), context(items));
    expect(ops.map((op) => op.kind)).toEqual(['update']);
  });

  it('changes nothing when the installation was removed meanwhile, so its seat is not given back twice', async () => {
    const items = demo();
    items['client-products'][3].status = 'removed';
    expect(await productUninstallNotice.onApproved!(facts(), context(items))).toEqual([]);
    expect(await productUninstallNotice.onApproved!(facts(valid({ installationId: 'cp-gone' })), context())).toEqual([]);
  });
});

describe('product uninstall notice (F8): catalogue entry', () => {
  it('is F8 of the products category, going to the site manager and then IT infrastructure', () => {
    expect(productUninstallNotice).toMatchObject({ id: 'product-uninstall-notice', code: 'F8', version: 1, category: 'products' });
    expect(productUninstallNotice.route).toEqual([
      { role: 'siteManager', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
    ]);
    expect(productUninstallNotice.articles.map((a) => a.ref)).toContain('S35-7');
  });

  it('offers installed products from the client product ledger', () => {
    const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.installationId['x-source']).toEqual({ ledger: 'client-products', value: 'id', label: 'id', filter: { status: 'installed' } });
  });
});
