import { describe, expect, it } from 'vitest';
import { catalog, describeForm } from '../../../functions/forms/catalog';
import { serverConnectionRequest } from '../../../functions/forms/server-connection-request';
import { demoServers } from '../../../infra/local/seed-data';
import { formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse, issuesOf, issueAt } = formUnderTest('server-connection-request');

const valid = () => ({
  serverId: 'srv-app',
  protocol: 'ssh',
  purpose: '販売管理アプリの障害調査のため、アプリケーションサーバにSSHで接続します。',
  startDate: '2026-12-01',
  endDate: '2026-12-31',
});

const context = () => formContext({ ledgers: { servers: demoServers } });

describe('server connection request (F1): parsing', () => {
  it('accepts complete, valid data and returns it', () => {
    const result = parse(valid());
    expect(result).toEqual({ ok: true, data: valid() });
  });

  it('accepts an optional note and trims the text fields', () => {
    const result = parse({ ...valid(), serverId: '  srv-app ', purpose: '  調査  ', note: '  急ぎ  ' });
    expect(result).toEqual({ ok: true, data: { ...valid(), purpose: '調査', note: '急ぎ' } });
  });

  it('accepts every protocol of Article 5', () => {
    for (const protocol of ['telnet', 'ftp', 'odbc', 'ssh', 'other']) {
      expect(parse({ ...valid(), protocol }).ok).toBe(true);
    }
  });

  it('accepts an end date equal to the start date', () => {
    expect(parse({ ...valid(), endDate: valid().startDate }).ok).toBe(true);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parse({ ...valid(), startDate: '2028-02-29', endDate: '2028-03-01' }).ok).toBe(true);
  });

  it('asks for a missing purpose by its label, in Japanese and English', () => {
    const { purpose: _purpose, ...rest } = valid();
    expect(issueAt(rest, 'data.purpose').messages).toEqual({ ja: '「利用目的」を入力してください。', en: 'Enter Purpose.' });
  });

  it('treats a purpose of only spaces as missing', () => {
    expect(issueAt({ ...valid(), purpose: '   ' }, 'data.purpose').messages).toEqual({ ja: '「利用目的」を入力してください。', en: 'Enter Purpose.' });
  });

  it('refuses a purpose over 2000 characters and says the limit', () => {
    const issue = issueAt({ ...valid(), purpose: 'あ'.repeat(2001) }, 'data.purpose');
    expect(issue.messages).toEqual({ ja: '「利用目的」は2000文字以内で入力してください。', en: 'Purpose must be at most 2000 characters.' });
  });

  it('accepts a purpose of exactly 2000 characters', () => {
    expect(parse({ ...valid(), purpose: 'あ'.repeat(2000) }).ok).toBe(true);
  });

  it('refuses a note over 1000 characters', () => {
    expect(issueAt({ ...valid(), note: 'x'.repeat(1001) }, 'data.note').messages).toEqual({
      ja: '「備考」は1000文字以内で入力してください。',
      en: 'Note must be at most 1000 characters.',
    });
  });

  it('refuses an unknown protocol and asks to choose from the list', () => {
    expect(issueAt({ ...valid(), protocol: 'rdp' }, 'data.protocol').messages).toEqual({ ja: '「接続方式」は選択肢から選んでください。', en: 'Choose Protocol from the list.' });
  });

  it('refuses an impossible date such as 2026-02-30', () => {
    expect(issueAt({ ...valid(), startDate: '2026-02-30', endDate: '2026-03-31' }, 'data.startDate').messages).toEqual({
      ja: '「利用開始日」は正しい日付（YYYY-MM-DD）で入力してください。',
      en: 'Start date must be a valid date (YYYY-MM-DD).',
    });
  });

  it('refuses a date in another format', () => {
    expect(issueAt({ ...valid(), endDate: '2026/12/31' }, 'data.endDate').messages.en).toBe('End date must be a valid date (YYYY-MM-DD).');
  });

  it('refuses an end date before the start date with the message on data.endDate', () => {
    expect(issuesOf({ ...valid(), startDate: '2026-12-10', endDate: '2026-12-09' })).toEqual([
      { path: 'data.endDate', messages: { ja: '「利用終了日」は「利用開始日」以降の日付にしてください。', en: 'The end date cannot be before the start date.' } },
    ]);
  });

  it('reports an end date before the start date together with the other problems', () => {
    const issues = issuesOf({ ...valid(), purpose: '', startDate: '2026-12-10', endDate: '2026-12-09' });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['data.endDate', 'data.purpose']);
  });

  it('refuses an unknown extra field and names it', () => {
    expect(issuesOf({ ...valid(), password: 'hunter2' })).toEqual([
      { path: 'data.password', messages: { ja: 'この申請書にない項目です（password）。', en: 'Not a field of this form (password).' } },
    ]);
  });

  it('asks for every required field of an empty form, each by its label', () => {
    const issues = issuesOf({});
    expect(issues.map((issue) => issue.path)).toEqual(['data.serverId', 'data.protocol', 'data.purpose', 'data.startDate', 'data.endDate']);
    expect(issues.map((issue) => issue.messages.en)).toEqual(['Enter Server.', 'Choose Protocol from the list.', 'Enter Purpose.', 'Enter Start date.', 'Enter End date.']);
    expect(issues.map((issue) => issue.messages.ja)).toEqual([
      '「接続先サーバ」を入力してください。',
      '「接続方式」は選択肢から選んでください。',
      '「利用目的」を入力してください。',
      '「利用開始日」を入力してください。',
      '「利用終了日」を入力してください。',
    ]);
  });

  it('treats missing data like an empty form', () => {
    expect(issuesOf(undefined)).toEqual(issuesOf({}));
    expect(issuesOf(null)).toEqual(issuesOf({}));
  });

  it('never names a field by its key in a message', () => {
    const issues = issuesOf({ serverId: 7, protocol: 'x', purpose: 'a'.repeat(3000), startDate: 'soon', endDate: '2026-13-01' });
    for (const issue of issues) {
      for (const key of ['serverId', 'protocol', 'purpose', 'startDate', 'endDate']) {
        expect(issue.messages.ja).not.toContain(key);
        expect(issue.messages.en).not.toContain(key);
      }
    }
  });

  // zod 4 reports the input only when asked ({ reportInput: true }); without it this reads "Enter Server.".
  it('says a field has the wrong type (not that it is missing) when a number is sent for the server', () => {
    expect(issueAt({ ...valid(), serverId: 42 }, 'data.serverId').messages).toEqual({
      ja: '「接続先サーバ」の形式が正しくありません。',
      en: 'Server has the wrong type.',
    });
  });

  it('gives a readable message, on data itself, when the data is not an object', () => {
    const issues = issuesOf('not an object');
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('data');
    expect(issues[0].messages.ja).not.toContain('「」');
    expect(issues[0].messages.en).not.toBe('Enter .');
    expect(issuesOf([valid()])).toEqual(issues);
  });

  it('never echoes the submitted values in its messages', () => {
    const issues = issuesOf({ ...valid(), serverId: 987654321, purpose: 'x'.repeat(2001), password: 'hunter2' });
    expect(JSON.stringify(issues)).not.toContain('987654321');
    expect(JSON.stringify(issues)).not.toContain('hunter2');
    expect(JSON.stringify(issues)).not.toContain('xxxxxxxx');
  });
});

describe('server connection request (F1): lookups', () => {
  it('passes the check for a server in the server ledger', async () => {
    expect(await serverConnectionRequest.check!(valid() as never, context())).toEqual([]);
  });

  it('refuses a server that is not in the ledger, naming Article 7', async () => {
    const issues = await serverConnectionRequest.check!({ ...valid(), serverId: 'srv-unknown' } as never, context());
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('data.serverId');
    expect(issues[0].messages.ja).toContain('第7条');
    expect(issues[0].messages.ja).toContain('「接続先サーバ」');
    expect(issues[0].messages.en).toContain('Art. 7');
  });

  it('knows every demo server', async () => {
    for (const server of demoServers) {
      expect(await serverConnectionRequest.check!({ ...valid(), serverId: server.id } as never, context())).toEqual([]);
    }
  });
});

describe('server connection request (F1): approval effects', () => {
  const facts = (serverId: string) => ({
    requestId: 'R-20261125-AAAAAA',
    requester: requesterOf('u-tanaka'),
    data: { ...valid(), serverId } as never,
    approvedAt: '2026-11-26T03:00:00.000Z',
  });

  it('grants one active server access to the requester, with the server name', async () => {
    const writes = await serverConnectionRequest.onApproved!(facts('srv-app'), context());
    expect(writes).toEqual([
      {
        kind: 'create',
        ledger: 'server-access-grants',
        summary: { ja: expect.stringContaining('R-20261125-AAAAAA'), en: expect.stringContaining('R-20261125-AAAAAA') },
        item: {
          id: 'G-20261125-AAAAAA',
          serverId: 'srv-app',
          serverName: { ja: 'アプリケーションサーバ', en: 'Application server' },
          userId: 'u-tanaka',
          userName: { ja: '田中 太郎', en: 'Taro Tanaka' },
          protocol: 'ssh',
          startDate: '2026-12-01',
          endDate: '2026-12-31',
          status: 'active',
          requestId: 'R-20261125-AAAAAA',
          grantedAt: '2026-11-26T03:00:00.000Z',
          siteId: 'site-tokyo',
          branchId: 'br-east',
        },
      },
    ]);
  });

  it('still grants access, named by the server id, when the server left the ledger meanwhile', async () => {
    const writes = await serverConnectionRequest.onApproved!(facts('srv-retired'), context());
    expect(writes).toHaveLength(1);
    expect((writes[0] as { item: unknown }).item).toMatchObject({ serverId: 'srv-retired', serverName: { ja: 'srv-retired', en: 'srv-retired' }, status: 'active' });
  });
});

describe('server connection request (F1): catalogue entry', () => {
  const schema = entry.jsonSchema as {
    properties: Record<string, Record<string, unknown>>;
    required: string[];
    additionalProperties: boolean;
    'x-rules': unknown[];
  };

  it('is in the catalogue under its id', () => {
    expect(catalog.get('server-connection-request')?.form).toBe(serverConnectionRequest);
    expect(serverConnectionRequest).toMatchObject({ id: 'server-connection-request', code: 'F1', version: 1, category: 'server' });
  });

  it('carries each field label in Japanese and English as x-label', () => {
    expect(schema.properties.serverId['x-label']).toEqual({ ja: '接続先サーバ', en: 'Server' });
    expect(schema.properties.protocol['x-label']).toEqual({ ja: '接続方式', en: 'Protocol' });
    expect(schema.properties.purpose['x-label']).toEqual({ ja: '利用目的', en: 'Purpose' });
    expect(schema.properties.startDate['x-label']).toEqual({ ja: '利用開始日', en: 'Start date' });
    expect(schema.properties.endDate['x-label']).toEqual({ ja: '利用終了日', en: 'End date' });
    expect(schema.properties.note['x-label']).toEqual({ ja: '備考', en: 'Note' });
  });

  it('derives the labels used in messages from x-label', () => {
    expect(entry.labels).toEqual(Object.fromEntries(Object.entries(schema.properties).map(([key, p]) => [key, p['x-label']])));
  });

  it('says which widget shows each field', () => {
    expect(Object.fromEntries(Object.entries(schema.properties).map(([key, p]) => [key, p['x-widget']]))).toEqual({
      serverId: 'select',
      protocol: 'select',
      purpose: 'textarea',
      startDate: 'date',
      endDate: 'date',
      note: 'textarea',
    });
  });

  it('orders the fields with x-order', () => {
    const ordered = Object.entries(schema.properties)
      .sort(([, a], [, b]) => Number(a['x-order']) - Number(b['x-order']))
      .map(([key]) => key);
    expect(ordered).toEqual(['serverId', 'protocol', 'purpose', 'startDate', 'endDate', 'note']);
  });

  it('takes the server choices from the server ledger (x-source)', () => {
    expect(schema.properties.serverId['x-source']).toEqual({ ledger: 'servers', value: 'id', label: 'name' });
  });

  it('labels every protocol choice in both languages (x-enum-labels)', () => {
    const labels = schema.properties.protocol['x-enum-labels'] as Record<string, { ja: string; en: string }>;
    expect(Object.keys(labels).sort()).toEqual([...(schema.properties.protocol.enum as string[])].sort());
    expect(labels.other).toEqual({ ja: 'その他', en: 'Other' });
  });

  it('declares the date-order rule as x-rules, so the page checks what the server checks', () => {
    expect(schema['x-rules']).toEqual(serverConnectionRequest.rules);
    expect(schema['x-rules']).toEqual([expect.objectContaining({ kind: 'dateOrder', start: 'startDate', end: 'endDate', path: 'endDate' })]);
  });

  it('requires every field but the note and allows no others', () => {
    expect(schema.required).toEqual(['serverId', 'protocol', 'purpose', 'startDate', 'endDate']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('states the length limits and date format in the JSON Schema', () => {
    expect(schema.properties.purpose).toMatchObject({ minLength: 1, maxLength: 2000 });
    expect(schema.properties.startDate).toMatchObject({ type: 'string', format: 'date' });
  });

  it('lists S5-3 among the articles it implements', () => {
    const refs = serverConnectionRequest.articles.map((article) => article.ref);
    expect(refs).toContain('S5-3');
    expect(refs).toEqual(['S5', 'S5-2', 'S5-3', 'S5-4']);
    for (const article of serverConnectionRequest.articles) {
      expect(article.text.ja).not.toBe('');
      expect(article.text.en).not.toBe('');
    }
  });

  it('goes to the site manager, then the branch responsible, then IT infrastructure', () => {
    expect(serverConnectionRequest.route).toEqual([
      { role: 'siteManager', rule: 'any' },
      { role: 'siteResponsible', rule: 'any' },
      { role: 'itInfra', rule: 'any' },
    ]);
  });

  it('is described for GET /api/forms with its route labels and its schema', () => {
    const described = describeForm(entry);
    expect(described.route.map((stage) => stage.label.ja)).toEqual(['拠点管理者', '拠点責任者', '情報システム部インフラ担当']);
    expect(described.schema).toBe(entry.jsonSchema);
    expect(described.title).toEqual({ ja: 'サーバ接続利用申請', en: 'Server connection request' });
  });
});
