import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../functions/domain/form-definition';
import { describeForm } from '../../../functions/forms/catalog';
import { clientUsageRequest } from '../../../functions/forms/client-usage-request';
import { Client } from '../../../functions/ledgers/clients';
import { formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse, issueAt } = formUnderTest('client-usage-request');

const valid = () => ({
  kind: 'terminal',
  label: '営業部 端末3',
  model: 'ThinkPad L14',
  serialNumber: 'TK-0003',
  cpu: 'Core i5',
  memoryGb: 16,
  storageGb: 512,
  os: 'Windows 11',
  purpose: '営業部の受注入力担当が増えるため、受注入力用の端末が1台必要です。',
});

const context = (): FormContext => formContext();
const tanaka = requesterOf('u-tanaka');

describe('client usage request (F4): parsing', () => {
  it('accepts a terminal with its hardware configuration', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('accepts a printer or a network device without CPU, memory, storage or OS', () => {
    const { cpu: _c, memoryGb: _m, storageGb: _s, os: _o, ...rest } = valid();
    expect(parse({ ...rest, kind: 'printer' }).ok).toBe(true);
    expect(parse({ ...rest, kind: 'network' }).ok).toBe(true);
  });

  it('asks for the name, model, serial number and purpose by their labels', () => {
    expect(issueAt({ ...valid(), label: ' ' }, 'data.label').messages).toEqual({ ja: '「名称」を入力してください。', en: 'Enter Name.' });
    expect(issueAt({ ...valid(), model: '' }, 'data.model').messages).toEqual({ ja: '「機種」を入力してください。', en: 'Enter Model.' });
    expect(issueAt({ ...valid(), serialNumber: '' }, 'data.serialNumber').messages).toEqual({ ja: '「製造番号」を入力してください。', en: 'Enter Serial number.' });
    expect(issueAt({ ...valid(), purpose: '' }, 'data.purpose').messages).toEqual({ ja: '「利用目的」を入力してください。', en: 'Enter Purpose.' });
  });

  it('refuses a kind other than terminal, printer or network device', () => {
    expect(issueAt({ ...valid(), kind: 'server' }, 'data.kind').messages).toEqual({ ja: '「クライアントの種別」は選択肢から選んでください。', en: 'Choose Kind of client from the list.' });
  });

  it('takes memory and storage as numbers of at least 1 GB', () => {
    expect(issueAt({ ...valid(), memoryGb: '16' }, 'data.memoryGb').messages).toEqual({ ja: '「メモリ(GB)」の形式が正しくありません。', en: 'Memory (GB) has the wrong type.' });
    expect(issueAt({ ...valid(), memoryGb: 0 }, 'data.memoryGb').messages).toEqual({ ja: '「メモリ(GB)」は1以上にしてください。', en: 'Memory (GB) must be at least 1.' });
    expect(issueAt({ ...valid(), storageGb: 2_000_000 }, 'data.storageGb').messages.ja).toBe('「ストレージ(GB)」は1000000以下にしてください。');
  });

  it('refuses a purpose over 2000 characters', () => {
    expect(issueAt({ ...valid(), purpose: 'あ'.repeat(2001) }, 'data.purpose').messages.ja).toBe('「利用目的」は2000文字以内で入力してください。');
  });

  it('has no owner or user field: the client is the company’s and the requester is its user', () => {
    expect(issueAt({ ...valid(), ownership: 'personal' }, 'data.ownership').messages.en).toBe('Not a field of this form (ownership).');
  });
});

describe('client usage request (F4): checks', () => {
  it('passes a terminal with its whole configuration', async () => {
    expect(await clientUsageRequest.check!(valid() as never, context())).toEqual([]);
  });

  it('asks a terminal for each missing part of its configuration, naming Article 14-2', async () => {
    const { cpu: _c, memoryGb: _m, storageGb: _s, os: _o, ...rest } = valid();
    const issues = await clientUsageRequest.check!({ ...rest, kind: 'terminal' } as never, context());
    expect(issues.map((i) => i.path)).toEqual(['data.cpu', 'data.memoryGb', 'data.storageGb', 'data.os']);
    expect(issues[0].messages.ja).toBe('入力用端末は「CPU」を入力してください。クライアントのハード構成は台帳で管理します（第14条第2項）。');
    expect(issues[1].messages.en).toBe('Enter Memory (GB) for a terminal; the client ledger keeps its hardware configuration (Art. 14-2).');
  });

  it('does not ask a printer for a CPU', async () => {
    const { cpu: _c, ...rest } = valid();
    expect(await clientUsageRequest.check!({ ...rest, kind: 'printer' } as never, context())).toEqual([]);
  });
});

describe('client usage request (F4): approval effects', () => {
  const facts = (data: Record<string, unknown>, requester = tanaka) => ({
    requestId: 'R-20261125-7KQ2MX',
    requester,
    data: data as never,
    approvedAt: '2026-11-26T03:00:00.000Z',
  });

  it('records an active, company-owned client at the requester’s site with its hardware configuration', async () => {
    const ops = await clientUsageRequest.onApproved!(facts(valid()), context());
    expect(ops).toEqual([
      {
        kind: 'create',
        ledger: 'clients',
        item: {
          id: 'CL-20261125-7KQ2MX',
          label: '営業部 端末3',
          kind: 'terminal',
          ownership: 'company',
          siteId: 'site-tokyo',
          branchId: 'br-east',
          departmentId: 'dep-sales',
          userId: 'u-tanaka',
          model: 'ThinkPad L14',
          serialNumber: 'TK-0003',
          cpu: 'Core i5',
          memoryGb: 16,
          storageGb: 512,
          os: 'Windows 11',
          status: 'active',
          serverAccessApproved: false,
          requestId: 'R-20261125-7KQ2MX',
        },
        summary: { ja: '申請 R-20261125-7KQ2MX の承認によりクライアントを登録しました', en: 'Client recorded by the approval of request R-20261125-7KQ2MX' },
      },
    ]);
  });

  it('creates an item the client ledger accepts, with no empty values for a printer', async () => {
    const { cpu: _c, memoryGb: _m, storageGb: _s, os: _o, ...rest } = valid();
    const [op] = await clientUsageRequest.onApproved!(facts({ ...rest, kind: 'printer' }), context());
    const item = (op as { item: Record<string, unknown> }).item;
    expect(Client.safeParse(item).success).toBe(true);
    expect(Object.values(item)).not.toContain(undefined);
    expect(item).not.toHaveProperty('cpu');
  });

  it('places the client where the requester was when they filed, not where the directory says now', async () => {
    const [op] = await clientUsageRequest.onApproved!(facts(valid(), { ...tanaka, siteId: 'site-osaka', branchId: 'br-west', departmentId: 'dep-production' }), context());
    expect((op as { item: Record<string, unknown> }).item).toMatchObject({ siteId: 'site-osaka', branchId: 'br-west', departmentId: 'dep-production', userId: 'u-tanaka' });
  });
});

describe('client usage request (F4): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };

  it('is F4 of the client category, in the catalogue', () => {
    expect(clientUsageRequest).toMatchObject({ id: 'client-usage-request', code: 'F4', version: 1, category: 'client' });
    expect(entry.form).toBe(clientUsageRequest);
  });

  it('goes to the site manager, then the branch responsible, then IT infrastructure (S16-3)', () => {
    expect(clientUsageRequest.route).toEqual([
      { role: 'siteManager', rule: 'any' },
      { role: 'siteResponsible', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
    ]);
    expect(describeForm(entry).route.map((s) => s.label.ja)).toEqual(['拠点管理者', '拠点責任者', '情報システム部インフラ担当']);
  });

  it('names Article 16 and the client ledger of Article 14', () => {
    expect(clientUsageRequest.articles.map((a) => a.ref)).toEqual(['S16', 'S16-2', 'S16-3', 'S16-4', 'S14-2', 'S14-3']);
  });

  it('labels the client kinds as the client ledger does, in both languages', () => {
    expect(schema.properties.kind['x-enum-labels']).toEqual({
      terminal: { ja: '入力用端末', en: 'Terminal' },
      printer: { ja: 'ネットワークプリンタ', en: 'Network printer' },
      network: { ja: 'ネットワーク接続機器', en: 'Network device' },
    });
  });

  it('shows memory and storage as numbers, in order', () => {
    expect(schema.properties.memoryGb).toMatchObject({ type: 'number', 'x-widget': 'number' });
    const ordered = Object.entries(schema.properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['kind', 'label', 'model', 'serialNumber', 'cpu', 'memoryGb', 'storageGb', 'os', 'purpose']);
  });

  it('requires what every client has and allows nothing else', () => {
    expect(schema.required).toEqual(['kind', 'label', 'model', 'serialNumber', 'purpose']);
    expect(schema.additionalProperties).toBe(false);
  });
});
