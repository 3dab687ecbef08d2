import { describe, expect, it } from 'vitest';
import { ledgerEntries } from '../../../functions/domain/approval';
import { verifyChain } from '../../../functions/domain/audit';
import { japanDate } from '../../../functions/domain/dates';
import type { LedgerItem, LedgerOp } from '../../../functions/domain/ledgers';
import { expireServerAccessGrants } from '../../../functions/domain/server-access';
import type { ServerAccessGrant } from '../../../functions/ledgers/server-access-grants';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps } from './in-memory-deps';

// 00:30 on 1 December in Tokyo, still 30 November in UTC.
const NOW = '2026-11-30T15:30:00.000Z';

const grant = (id: string, endDate: string, status: ServerAccessGrant['status'] = 'active'): ServerAccessGrant => ({
  id,
  serverId: 'srv-app',
  serverName: { ja: 'アプリケーションサーバ', en: 'Application server' },
  userId: 'u-tanaka',
  userName: { ja: '田中 太郎', en: 'Taro Tanaka' },
  protocol: 'ssh',
  startDate: '2026-10-01',
  endDate,
  status,
  requestId: `R-20261001-${id}`,
  grantedAt: '2026-10-01T00:00:00.000Z',
  siteId: 'site-tokyo',
  branchId: 'br-east',
});

function withGrants(...grants: ServerAccessGrant[]): TestDeps {
  const t = inMemoryDeps({ start: NOW });
  for (const g of grants) t.ledgers.seed('server-access-grants', g as unknown as LedgerItem);
  return t;
}

const statusOf = (t: TestDeps, id: string) => t.ledgers.peek('server-access-grants', id)?.status;
const run = (t: TestDeps) => expireServerAccessGrants(t.deps, japanDate(t.clock.now()), t.clock.now().toISOString());

describe('expireServerAccessGrants', () => {
  it('expires only active grants whose end date is before today in Japan', async () => {
    const t = withGrants(
      grant('LAST-MONTH', '2026-10-31'),
      grant('YESTERDAY', '2026-11-30'), // 30 November: yesterday in Japan although still today in UTC
      grant('TODAY', '2026-12-01'),
      grant('TOMORROW', '2026-12-02'),
      grant('REVOKED', '2026-10-15', 'revoked'),
      grant('EXPIRED', '2026-09-30', 'expired'),
    );
    expect(japanDate(t.clock.now())).toBe('2026-12-01');
    expect(await run(t)).toBe(2);
    expect(Object.fromEntries(['LAST-MONTH', 'YESTERDAY', 'TODAY', 'TOMORROW', 'REVOKED', 'EXPIRED'].map((id) => [id, statusOf(t, id)]))).toEqual({
      'LAST-MONTH': 'expired',
      YESTERDAY: 'expired',
      TODAY: 'active',
      TOMORROW: 'active',
      REVOKED: 'revoked',
      EXPIRED: 'expired',
    });
  });

  it('changes nothing else about an expired grant', async () => {
    const t = withGrants(grant('YESTERDAY', '2026-11-30'));
    await run(t);
    expect(t.ledgers.peek('server-access-grants', 'YESTERDAY')).toEqual({ ...grant('YESTERDAY', '2026-11-30'), status: 'expired' });
  });

  it('records an updated event for each expired grant, chained after its creation, with only the status changed', async () => {
    const t = withGrants(grant('A', '2026-11-01'), grant('B', '2026-11-02'), grant('KEEP', '2026-12-31'));
    await run(t);
    for (const id of ['A', 'B']) {
      const history = await t.ledgers.history('server-access-grants', id);
      expect(history.map((e) => e.action)).toEqual(['created', 'updated']);
      expect(history[1]).toMatchObject({ record: `server-access-grants#${id}`, seq: 2, at: NOW, actor: null, before: { status: 'active' } });
      expect(history[1].after).toMatchObject({ status: 'expired' });
      expect(Object.keys(history[1].before!)).toEqual(['status']);
      expect(history[1].summary.ja).toContain('利用終了日');
      expect(verifyChain(history)).toBeNull();
    }
    expect((await t.ledgers.history('server-access-grants', 'KEEP')).map((e) => e.action)).toEqual(['created']);
  });

  it('expires nothing on a second run the same day', async () => {
    const t = withGrants(grant('A', '2026-11-01'), grant('B', '2026-11-02'));
    expect(await run(t)).toBe(2);
    const before = t.ledgers.snapshot();
    const commits = t.ledgers.commits.length;
    expect(await run(t)).toBe(0);
    expect(t.ledgers.commits).toHaveLength(commits);
    expect(t.ledgers.snapshot()).toEqual(before);
  });

  it('goes through every page of grants to expire', async () => {
    const grants = Array.from({ length: 60 }, (_, i) => grant(`G-${String(i).padStart(2, '0')}`, '2026-11-15'));
    const t = withGrants(...grants, grant('KEEP', '2026-12-01'));
    expect(await run(t)).toBe(60);
    expect(t.ledgers.all('server-access-grants').filter((g) => g.status === 'active').map((g) => g.id)).toEqual(['KEEP']);
    expect(t.ledgers.commits).toHaveLength(60); // one transaction per grant
  });

  it('leaves a grant changed by someone else meanwhile as that change made it', async () => {
    const t = withGrants(grant('A', '2026-11-01'));
    let revoked = false;
    t.ledgers.beforeCommit = async () => {
      if (revoked) return;
      revoked = true;
      const read = (await t.ledgers.getVersioned('server-access-grants', 'A'))!;
      const revoke: LedgerOp = { kind: 'update', ledger: 'server-access-grants', before: read, after: { ...read.item, status: 'revoked' }, summary: { ja: '終了', en: 'Revoked' } };
      await t.ledgers.commit(ledgerEntries([revoke], '', NOW));
    };
    expect(await run(t)).toBe(0);
    expect(statusOf(t, 'A')).toBe('revoked');
  });

  it('does nothing when there are no grants', async () => {
    const t = inMemoryDeps({ start: NOW });
    expect(await run(t)).toBe(0);
    expect(t.ledgers.commits).toEqual([]);
  });
});
