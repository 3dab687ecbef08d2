import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { clientEndNotice } from '../../../functions/forms/client-end-notice';
import { Client } from '../../../functions/ledgers/clients';
import { ClientProduct } from '../../../functions/ledgers/installations';
import { demoClientProducts, demoClients } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse } = formUnderTest('client-end-notice');

const demo = () => ({ clients: structuredClone(demoClients), 'client-products': structuredClone(demoClientProducts) });
/** Paged by one, so that the installations on a client are read across pages. */
const context = (items: Record<string, LedgerItem[]> = demo(), requester = requesterOf('u-tanaka')): FormContext =>
  formContext({ ledgers: new FakeLedgers(items, { head: { seq: 2, hash: 'h2' }, pageSize: 1 }), requester });

const valid = (overrides: Record<string, unknown> = {}) => ({
  clientId: 'pc-tokyo-001',
  reason: '担当者の異動により端末を返却します。',
  endDate: '2026-12-25',
  ...overrides,
});

describe('client end-of-use notice (F5): parsing', () => {
  it('accepts a client, a reason and an end date', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('asks for every field by its label', () => {
    const result = parse({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.messages.ja)).toEqual(['「利用を終了するクライアント」を入力してください。', '「終了理由」を入力してください。', '「利用終了日」を入力してください。']);
  });

  it('refuses an impossible end date', () => {
    const result = parse(valid({ endDate: '2026-02-30' }));
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['data.endDate']);
  });
});

describe('client end-of-use notice (F5): checks', () => {
  it('passes an active client in the ledger', async () => {
    expect(await clientEndNotice.check!(valid() as never, context())).toEqual([]);
  });

  it('refuses a client that is not in the ledger', async () => {
    const issues = await clientEndNotice.check!(valid({ clientId: 'pc-nowhere' }) as never, context());
    expect(issues.map((i) => i.path)).toEqual(['data.clientId']);
    expect(issues[0].messages.ja).toContain('クライアント台帳にありません');
  });

  it('refuses a client that is already retired, naming Article 16-5', async () => {
    const items = demo();
    items.clients[0].status = 'retired';
    const issues = await clientEndNotice.check!(valid() as never, context(items));
    expect(issues[0].messages.ja).toBe('「利用を終了するクライアント」は稼働中ではありません。既に廃止されたクライアントの終了届は不要です（第16条第5項）。');
  });

  it('refuses a client of another site, naming Article 16-5', async () => {
    const issues = await clientEndNotice.check!(valid({ clientId: 'pc-osaka-001' }) as never, context());
    expect(issues).toEqual([
      {
        path: 'data.clientId',
        messages: {
          ja: '「利用を終了するクライアント」はあなたの拠点のクライアントではありません。設置拠点の利用部門が届け出てください（第16条第5項）。',
          en: 'The client is not at your site; the department at its site files the notice (Art. 16-5).',
        },
      },
    ]);
    expect(await clientEndNotice.check!(valid({ clientId: 'pc-osaka-001' }) as never, context(demo(), requesterOf('u-saito')))).toEqual([]);
  });

  it('holds no seats or names', () => {
    expect(clientEndNotice.reserve).toBeUndefined();
  });
});

describe('client end-of-use notice (F5): approval effects', () => {
  const facts = (data = valid()) => ({ requestId: 'R-20261125-7KQ2MX', requester: requesterOf('u-tanaka'), data: data as never, approvedAt: '2026-11-26T03:00:00.000Z' });

  it('retires the client, removes what is installed on it and gives each licence its seats back', async () => {
    const ops = await clientEndNotice.onApproved!(facts(), context());
    expect(ops.map((op) => op.kind)).toEqual(['update', 'update', 'update', 'seats', 'seats']);
    const [client, excel, erp] = ops as { ledger: string; before: { item: LedgerItem; head: unknown }; after: LedgerItem }[];
    expect(client).toMatchObject({ ledger: 'clients', before: { item: { id: 'pc-tokyo-001', status: 'active' }, head: { seq: 2, hash: 'h2' } }, after: { id: 'pc-tokyo-001', status: 'retired' } });
    expect(Client.safeParse(client.after).success).toBe(true);
    expect(excel).toMatchObject({ ledger: 'client-products', after: { id: 'cp-tokyo-001-excel', status: 'removed', removedAt: '2026-11-26T03:00:00.000Z' } });
    expect(erp).toMatchObject({ ledger: 'client-products', after: { id: 'cp-tokyo-001-erp', status: 'removed' } });
    for (const installation of [excel, erp]) expect(ClientProduct.safeParse(installation.after).success).toBe(true);
    expect(ops.slice(3)).toEqual([
      { kind: 'seats', licenceId: 'lic-excel', held: 0, used: -1 },
      { kind: 'seats', licenceId: 'lic-erp', held: 0, used: -1 },
    ]);
  });

  it('names each licence once, with every seat it gets back', async () => {
    const items = demo();
    items['client-products'].push({ ...structuredClone(demoClientProducts[0]), id: 'cp-tokyo-001-excel-2', productId: 'prd-excel-addin' });
    const ops = await clientEndNotice.onApproved!(facts(), context(items));
    expect(ops.filter((op) => op.kind === 'seats')).toEqual([
      { kind: 'seats', licenceId: 'lic-excel', held: 0, used: -2 },
      { kind: 'seats', licenceId: 'lic-erp', held: 0, used: -1 },
    ]);
  });

  it('leaves removed installations and unlicensed ones without seat changes', async () => {
    const items = demo();
    items['client-products'].find((i) => i.id === 'cp-tokyo-001-excel')!.status = 'removed';
    delete items['client-products'].find((i) => i.id === 'cp-tokyo-001-erp')!.licenceId;
    const ops = await clientEndNotice.onApproved!(facts(), context(items));
    expect(ops.map((op) => op.kind)).toEqual(['update', 'update']);
  });

  it('retires a client with nothing installed with one update', async () => {
    const ops = await clientEndNotice.onApproved!(facts(valid({ clientId: 'prn-tokyo-01' })), context());
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: 'update', summary: { ja: '申請 R-20261125-7KQ2MX の承認によりクライアントを廃止しました' } });
  });

  it('changes nothing for a client that left the ledger meanwhile', async () => {
    expect(await clientEndNotice.onApproved!(facts(valid({ clientId: 'pc-gone' })), context())).toEqual([]);
  });
});

describe('client end-of-use notice (F5): catalogue entry', () => {
  it('is F5 of the client category, going to the site manager and then IT infrastructure', () => {
    expect(clientEndNotice).toMatchObject({ id: 'client-end-notice', code: 'F5', version: 1, category: 'client' });
    expect(clientEndNotice.route).toEqual([
      { role: 'siteManager', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
    ]);
    expect(clientEndNotice.articles.map((a) => a.ref)).toEqual(['S16-5', 'S35-7', 'S18-3']);
  });

  it('offers active clients from the client ledger', () => {
    const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.clientId['x-source']).toEqual({ ledger: 'clients', value: 'id', label: 'label', filter: { status: 'active' } });
    expect(schema.properties.endDate).toMatchObject({ format: 'date', 'x-widget': 'date' });
  });
});
