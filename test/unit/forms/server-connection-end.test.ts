import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import { grantEndClaim, serverConnectionEnd } from '../../../functions/forms/server-connection-end';
import { ServerAccessGrant } from '../../../functions/ledgers/server-access-grants';
import { formContext, formUnderTest, requesterOf } from './fakes';

const { entry, parse, issuesOf } = formUnderTest('server-connection-end');

const grant = (overrides: Partial<ServerAccessGrant> = {}): ServerAccessGrant => ({
  id: 'G-20261101-AAAAAA',
  serverId: 'srv-core-db',
  serverName: { ja: '基幹DBサーバ', en: 'Core database server' },
  userId: 'u-tanaka',
  userName: { ja: '田中 太郎', en: 'Taro Tanaka' },
  protocol: 'odbc',
  startDate: '2026-11-01',
  endDate: '2027-03-31',
  status: 'active',
  requestId: 'R-20261101-AAAAAA',
  grantedAt: '2026-11-01T03:00:00.000Z',
  siteId: 'site-tokyo',
  branchId: 'br-east',
  ...overrides,
});

const contextWith = (...grants: ServerAccessGrant[]): FormContext => formContext({ ledgers: { 'server-access-grants': grants } });

const valid = () => ({ grantId: 'G-20261101-AAAAAA', endDate: '2026-12-15', reason: '月次集計の担当を外れたため、基幹DBへの接続が不要になりました。' });
const tanaka = requesterOf('u-tanaka');

describe('server connection end notice (F2): parsing', () => {
  it('accepts complete, valid data', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
  });

  it('asks for every field of an empty form by its label', () => {
    expect(issuesOf({}).map((issue) => issue.messages.ja)).toEqual(['「終了する接続許可」を入力してください。', '「利用終了日」を入力してください。', '「終了理由」を入力してください。']);
  });

  it('refuses an impossible end date and an unknown field', () => {
    const issues = issuesOf({ ...valid(), endDate: '2026-02-30', extra: true });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['data.endDate', 'data.extra']);
  });

  it('refuses a reason over 2000 characters', () => {
    expect(issuesOf({ ...valid(), reason: 'あ'.repeat(2001) })[0].messages.ja).toBe('「終了理由」は2000文字以内で入力してください。');
  });
});

describe('server connection end notice (F2): lookups', () => {
  it('passes for an active grant whose end date is not before the notice', async () => {
    expect(await serverConnectionEnd.check!(valid(), contextWith(grant()))).toEqual([]);
    expect(await serverConnectionEnd.check!({ ...valid(), endDate: '2027-03-31' }, contextWith(grant()))).toEqual([]);
  });

  it('refuses a grant that is not in the ledger, naming Article 5-5', async () => {
    const issues = await serverConnectionEnd.check!(valid(), contextWith());
    expect(issues).toEqual([{ path: 'data.grantId', messages: expect.objectContaining({ ja: expect.stringContaining('第5条第5項') }) }]);
    expect(issues[0].messages.en).toContain('Art. 5-5');
  });

  it('refuses a grant that has expired or was ended already', async () => {
    for (const status of ['expired', 'revoked'] as const) {
      const issues = await serverConnectionEnd.check!(valid(), contextWith(grant({ status })));
      expect(issues.map((issue) => issue.path)).toEqual(['data.grantId']);
      expect(issues[0].messages.ja).toContain('既に終了または期限切れ');
    }
  });

  it('refuses an end date after the grant ends, and says when the grant ends', async () => {
    const issues = await serverConnectionEnd.check!({ ...valid(), endDate: '2027-04-01' }, contextWith(grant()));
    expect(issues).toEqual([{ path: 'data.endDate', messages: expect.objectContaining({ ja: expect.stringContaining('2027-03-31') }) }]);
  });
});

describe('server connection end notice (F2): reservation', () => {
  it('claims the grant, so that a second notice for it is refused while the first is open or approved', async () => {
    expect(await serverConnectionEnd.reserve!(valid(), tanaka, contextWith(grant()))).toEqual([
      { kind: 'claim', key: grantEndClaim('G-20261101-AAAAAA'), field: 'data.grantId', message: expect.objectContaining({ ja: expect.stringContaining('既に終了届') }) },
    ]);
  });

  it("refuses to end another person's grant, on the grant field, naming Article 5-5", async () => {
    const sato = { id: 'u-sato', name: { ja: '佐藤 花子', en: 'Hanako Sato' } };
    const refusal = await serverConnectionEnd.reserve!(valid(), sato, contextWith(grant())).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).status).toBe(400);
    expect((refusal as DomainError).issues).toEqual([{ path: 'data.grantId', messages: expect.objectContaining({ ja: expect.stringContaining('他の利用者の接続許可') }) }]);
  });
});

describe('server connection end notice (F2): approval effects', () => {
  const facts = (data = valid()) => ({ requestId: 'R-20261125-BBBBBB', requester: tanaka, data, approvedAt: '2026-11-26T03:00:00.000Z' });

  it('revokes the grant, as read with its chain head, and records when its use ends', async () => {
    const context = contextWith(grant());
    const ops = await serverConnectionEnd.onApproved!(facts(), context);
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op.kind !== 'update') throw new Error('expected an update');
    expect(op.ledger).toBe('server-access-grants');
    expect(op.before).toEqual(await context.ledgers.getVersioned('server-access-grants', 'G-20261101-AAAAAA'));
    expect(op.after).toEqual({ ...grant(), status: 'revoked', revokedAt: '2026-11-26T03:00:00.000Z', endDate: '2026-12-15' });
    expect(ServerAccessGrant.safeParse(op.after).success).toBe(true);
    expect(op.summary.ja).toContain('R-20261125-BBBBBB');
  });

  it('keeps the grant end date when the notice names the same day', async () => {
    const [op] = await serverConnectionEnd.onApproved!(facts({ ...valid(), endDate: '2027-03-31' }), contextWith(grant()));
    expect(op.kind === 'update' && op.after.endDate).toBe('2027-03-31');
  });

  it('changes nothing when the grant expired meanwhile', async () => {
    expect(await serverConnectionEnd.onApproved!(facts(), contextWith(grant({ status: 'expired' })))).toEqual([]);
  });

  it('changes nothing when the grant is gone', async () => {
    expect(await serverConnectionEnd.onApproved!(facts(), contextWith())).toEqual([]);
  });
});

describe('server connection end notice (F2): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('is F2 of the server category and goes to IT infrastructure alone (S5-5)', () => {
    expect(serverConnectionEnd).toMatchObject({ id: 'server-connection-end', code: 'F2', version: 1, category: 'server' });
    expect(serverConnectionEnd.route).toEqual([{ role: 'itInfra', rule: 'any' }]);
    expect(serverConnectionEnd.articles.map((a) => a.ref)).toContain('S5-5');
  });

  it('offers the active grants of the grant ledger, labelled by server', () => {
    expect(schema.properties.grantId['x-source']).toEqual({ ledger: 'server-access-grants', value: 'id', label: 'serverName', filter: { status: 'active' } });
    expect(schema.required).toEqual(['grantId', 'endDate', 'reason']);
  });
});
