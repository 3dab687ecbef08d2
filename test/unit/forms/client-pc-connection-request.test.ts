import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { describeForm } from '../../../functions/forms/catalog';
import { clientPcConnectionRequest } from '../../../functions/forms/client-pc-connection-request';
import { Client } from '../../../functions/ledgers/clients';
import { demoClients } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse } = formUnderTest('client-pc-connection-request');

const demo = () => ({ clients: structuredClone(demoClients) as LedgerItem[] });
const context = (items: Record<string, LedgerItem[]> = demo()): FormContext => formContext({ ledgers: new FakeLedgers(items, { head: { seq: 3, hash: 'h3' } }) });
const check = (data: Record<string, unknown>, ctx = context()) => clientPcConnectionRequest.check!(data as never, ctx);

const checklist = ['loginAndAccessLog', 'antivirus', 'screenPosition', 'screensaver', 'theftPrevention'] as const;

const valid = (overrides: Record<string, unknown> = {}) => ({
  clientId: 'pc-tokyo-002',
  loginAndAccessLog: true,
  antivirus: true,
  screenPosition: true,
  screensaver: true,
  theftPrevention: true,
  ...overrides,
});

describe('client PC connection request (F15): the A11 checklist', () => {
  it('accepts a PC with every item ticked, and an optional note', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
    expect(parse(valid({ note: '覗き見防止フィルタを装着済み' })).ok).toBe(true);
  });

  it('refuses each item left unticked, on that item, by its label', () => {
    for (const item of checklist) {
      const result = parse(valid({ [item]: false }));
      expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([`data.${item}`]);
    }
    const result = parse(valid({ screensaver: false }));
    expect(result.ok ? null : result.issues[0].messages).toEqual({
      ja: '「パスワード付きスクリーンセーバー（10分以内）」にチェックを入れてください。',
      en: 'Tick Password screensaver within 10 minutes.',
    });
  });

  it('refuses every missing item of an empty checklist at once', () => {
    const result = parse({ clientId: 'pc-tokyo-002' });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(checklist.map((item) => `data.${item}`));
  });

  it('does not take "true" as text for a tick', () => {
    expect(parse(valid({ antivirus: 'true' })).ok).toBe(false);
  });

  it('cites the paragraph of Article 11 beside each item', () => {
    const schema = entry.jsonSchema as { properties: Record<string, Record<string, any>>; required: string[] };
    checklist.forEach((item, index) => {
      expect(schema.properties[item]).toMatchObject({ type: 'boolean', const: true, 'x-widget': 'checkbox' });
      expect(schema.properties[item]['x-help'].ja).toContain(`安全管理細則第11条（${index + 1}）`);
    });
    expect(schema.required).toEqual(['clientId', ...checklist]);
  });
});

describe('client PC connection request (F15): checks', () => {
  it('passes an active company PC not yet approved', async () => {
    expect(await check(valid())).toEqual([]);
  });

  it('refuses the personal MacBook (pc-tokyo-101) with Article 11', async () => {
    const issues = await check(valid({ clientId: 'pc-tokyo-101' }));
    expect(issues).toEqual([
      {
        path: 'data.clientId',
        messages: {
          ja: '個人所有のPCはサーバ・クラウドシステムへの接続を承認できません。会社所有のPCを選んでください（安全管理細則第11条・システム管理規程第35条第5項）。',
          en: 'A personally owned PC cannot be approved to access the servers or cloud systems; pick a company-owned PC (Security rules Art. 11; Art. 35-5).',
        },
      },
    ]);
  });

  it('refuses a client not in the ledger, a printer, a retired PC and a PC already approved', async () => {
    expect((await check(valid({ clientId: 'pc-nowhere' })))[0].messages.ja).toContain('クライアント台帳にありません');
    expect((await check(valid({ clientId: 'prn-tokyo-01' })))[0].messages.ja).toContain('PC（入力用端末）ではありません');
    const items = demo();
    items.clients[1].status = 'retired';
    expect((await check(valid(), context(items)))[0].messages.ja).toContain('稼働中ではありません');
    expect((await check(valid({ clientId: 'pc-tokyo-001' })))[0].messages.ja).toContain('既にサーバ接続が承認されています');
  });
});

describe('client PC connection request (F15): approval effects', () => {
  const facts = (data = valid()) => ({ requestId: 'R-20261125-7KQ2MX', requester: requesterOf('u-tanaka'), data: data as never, approvedAt: '2026-11-26T03:00:00.000Z' });

  it('marks the client approved for server access, with the time', async () => {
    const ops = await clientPcConnectionRequest.onApproved!(facts(), context());
    expect(ops).toEqual([
      {
        kind: 'update',
        ledger: 'clients',
        before: { item: demoClients[1], head: { seq: 3, hash: 'h3' } },
        after: { ...demoClients[1], serverAccessApproved: true, serverAccessApprovedAt: '2026-11-26T03:00:00.000Z' },
        summary: expect.objectContaining({ ja: expect.stringContaining('R-20261125-7KQ2MX') }),
      },
    ]);
    expect(Client.safeParse((ops[0] as { after: unknown }).after).success).toBe(true);
  });

  it('changes nothing for a client that left the ledger meanwhile', async () => {
    expect(await clientPcConnectionRequest.onApproved!(facts(valid({ clientId: 'pc-gone' })), context())).toEqual([]);
  });
});

describe('client PC connection request (F15): catalogue entry', () => {
  it('is F15 of the client category, going to the site manager and then the system administrator', () => {
    expect(clientPcConnectionRequest).toMatchObject({ id: 'client-pc-connection-request', code: 'F15', version: 1, category: 'client' });
    expect(describeForm(entry).route.map((s) => s.label.ja)).toEqual(['拠点管理者', 'システム管理者']);
  });

  it('quotes Article 11 and each of its five requirements', () => {
    expect(clientPcConnectionRequest.articles.map((a) => a.ref)).toEqual(['A11', 'A11(1)', 'A11(2)', 'A11(3)', 'A11(4)', 'A11(5)']);
    expect(clientPcConnectionRequest.articles[4].text.ja).toContain('10分以内');
  });

  it('offers active company PCs only', () => {
    const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.clientId['x-source']).toEqual({ ledger: 'clients', value: 'id', label: 'label', filter: { ownership: 'company', status: 'active', kind: 'terminal' } });
  });
});
