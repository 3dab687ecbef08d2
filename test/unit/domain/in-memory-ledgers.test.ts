/**
 * The in-memory ledger store is a test double of functions/adapters/dynamo-ledgers.ts; these tests pin
 * down that it refuses what the adapter's transaction items refuse, with the errors `transact` throws.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../functions/domain/approval';
import { ledgerEntries } from '../../../functions/domain/approval';
import { ConditionFailedError, StaleWriteError } from '../../../functions/domain/errors';
import type { LedgerItem, LedgerOp } from '../../../functions/domain/ledgers';
import { InvalidCursorError } from '../../../functions/adapters/keys';
import { demoLedgers } from '../../../infra/local/seed-data';
import { InMemoryLedgers } from './in-memory-deps';

const AT = '2026-11-25T01:00:00.000Z';
const summary = { ja: 'テスト', en: 'Test' };
const entries = (...ops: LedgerOp[]): LedgerEntry[] => ledgerEntries(ops, '', AT);

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('InMemoryLedgers: seeding', () => {
  it('holds every demo item, each with a created event as the head of its chain', async () => {
    const ledgers = new InMemoryLedgers();
    for (const [ledger, items] of demoLedgers) {
      for (const item of items) {
        const versioned = (await ledgers.getVersioned(ledger, item.id))!;
        expect(versioned.item).toEqual(item);
        const history = await ledgers.history(ledger, item.id);
        expect(history.map((e) => e.action)).toEqual(['created']);
        expect(versioned.head).toEqual({ seq: 1, hash: history[0].hash });
      }
    }
  });

  it('holds the names the issued user IDs claim', () => {
    const ledgers = new InMemoryLedgers();
    expect(ledgers.claims.get('user-ids#core-business#login#tanaka')).toBe('user-ids#core-business:tanaka');
    expect(ledgers.claims.get('user-ids#core-business#person#u-tanaka')).toBe('user-ids#core-business:tanaka');
  });
});

describe('InMemoryLedgers: reads', () => {
  const ledgers = new InMemoryLedgers();

  it('lists by site, by branch and by words, sorted by id', async () => {
    expect((await ledgers.list('clients', { limit: 100, siteId: 'site-tokyo' })).items.map((c) => c.id)).toEqual(['pc-tokyo-001', 'pc-tokyo-002', 'pc-tokyo-101', 'prn-tokyo-01']);
    expect((await ledgers.list('clients', { limit: 100, branchId: 'br-west' })).items.map((c) => c.id)).toEqual(['pc-osaka-001']);
    expect((await ledgers.list('products', { limit: 100, q: 'oracle ODBC' })).items.map((p) => p.id)).toEqual(['prd-odbc-driver']);
  });

  it('reads a page of `limit` items before the words filter it, with a cursor to read on', async () => {
    const first = await ledgers.list('products', { limit: 3, q: 'microsoft' });
    expect(first.items.map((p) => p.id)).toEqual(['prd-excel']);
    expect(first.nextCursor).toBeDefined();
    const rest = await ledgers.list('products', { limit: 10, q: 'microsoft', cursor: first.nextCursor });
    expect(rest.items).toEqual([]);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('refuses a cursor of another list', async () => {
    const servers = await ledgers.list('servers', { limit: 1 });
    await expect(ledgers.list('clients', { limit: 1, cursor: servers.nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(ledgers.list('servers', { limit: 1, cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('reads by the state index of the ledger’s stateKey, sorted, below a bound', async () => {
    const all = await ledgers.byState('user-ids', 'person#u-tanaka', { limit: 10 });
    expect(all.items.map((i) => i.id)).toEqual(['core-business:tanaka']);
    const active = await ledgers.byState('privileged-ids', 'active#core-db', { limit: 10 });
    expect(active.items.map((i) => i.id)).toEqual(['core-db:sysdba_yamada']);
    const installed = await ledgers.byState('client-products', 'client#pc-tokyo-001', { limit: 10 });
    expect(installed.items.map((i) => i.id)).toEqual(['cp-tokyo-001-erp', 'cp-tokyo-001-excel']); // by product, then id
    const before = await ledgers.byState('client-products', 'client#pc-tokyo-001', { limit: 10, sortBefore: 'prd-excel#' });
    expect(before.items.map((i) => i.id)).toEqual(['cp-tokyo-001-erp']);
    const first = await ledgers.byState('client-products', 'client#pc-tokyo-001', { limit: 1 });
    const second = await ledgers.byState('client-products', 'client#pc-tokyo-001', { limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(['cp-tokyo-001-erp', 'cp-tokyo-001-excel']);
  });
});

describe('InMemoryLedgers: commit', () => {
  it('refuses a create over an existing item as ConditionFailedError("ledger") with the op', async () => {
    const ledgers = new InMemoryLedgers();
    const op: LedgerOp = { kind: 'create', ledger: 'servers', item: { ...ledgers.peek('servers', 'srv-app')! }, summary };
    const error = await thrown(ledgers.commit(entries(op)));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error).toMatchObject({ target: 'ledger', op });
  });

  it('refuses an update of an item that changed since it was read as a StaleWriteError', async () => {
    const ledgers = new InMemoryLedgers();
    const read = (await ledgers.getVersioned('servers', 'srv-app'))!;
    await ledgers.commit(entries({ kind: 'update', ledger: 'servers', before: read, after: { ...read.item, os: 'a' }, summary }));
    expect(await thrown(ledgers.commit(entries({ kind: 'update', ledger: 'servers', before: read, after: { ...read.item, os: 'b' }, summary })))).toBeInstanceOf(
      StaleWriteError,
    );
    expect(ledgers.peek('servers', 'srv-app')!.os).toBe('a');
  });

  it('leaves counters alone in an update and moves them only by its adjustment', async () => {
    const ledgers = new InMemoryLedgers();
    const read = (await ledgers.getVersioned('licences', 'lic-erp'))!;
    await ledgers.commit(
      entries({ kind: 'update', ledger: 'licences', before: read, after: { ...read.item, seatsBought: 6, seatsUsed: 0, seatsFree: 9 }, summary, adjust: { seatsFree: 1 } }),
    );
    expect(ledgers.peek('licences', 'lic-erp')).toMatchObject({ seatsBought: 6, seatsUsed: 3, seatsHeld: 0, seatsFree: 3 });
  });

  it('refuses a seat move that would take a counter below zero as ConditionFailedError("seats")', async () => {
    const ledgers = new InMemoryLedgers();
    const take: LedgerOp = { kind: 'seats', licenceId: 'lic-erp', held: 3, used: 0, field: 'data.licenceId' };
    expect(await thrown(ledgers.commit(entries(take)))).toMatchObject({ target: 'seats', op: take });
    const release: LedgerOp = { kind: 'seats', licenceId: 'lic-erp', held: -1, used: 0 };
    expect(await thrown(ledgers.commit(entries(release)))).toMatchObject({ target: 'seats' });
    const missing: LedgerOp = { kind: 'seats', licenceId: 'lic-none', held: 1, used: 0 };
    expect(await thrown(ledgers.commit(entries(missing)))).toMatchObject({ target: 'seats' });
    expect(ledgers.peek('licences', 'lic-erp')).toMatchObject({ seatsUsed: 3, seatsHeld: 0, seatsFree: 2 });
  });

  it('refuses a name claimed already as ConditionFailedError("claim"), and a release by another owner as stale', async () => {
    const ledgers = new InMemoryLedgers();
    const claim: LedgerOp = { kind: 'claim', key: 'x', owner: 'R-1', field: 'data.loginId', message: summary };
    await ledgers.commit(entries(claim));
    expect(await thrown(ledgers.commit(entries({ ...claim, owner: 'R-2' })))).toMatchObject({ target: 'claim' });
    expect(await thrown(ledgers.commit(entries({ kind: 'release', key: 'x', owner: 'R-2' })))).toBeInstanceOf(StaleWriteError);
    await ledgers.commit(entries({ kind: 'release', key: 'gone', owner: 'R-2' })); // a claim already gone is fine
    await ledgers.commit(entries({ kind: 'release', key: 'x' })); // no owner: freed for good
    expect(ledgers.claims.has('x')).toBe(false);
  });

  it('writes all or nothing: a refused op leaves the ops before it unwritten', async () => {
    const ledgers = new InMemoryLedgers();
    const before = ledgers.snapshot();
    const item = { id: 'srv-new', name: { ja: '新', en: 'New' }, kind: 'other', hostname: 'h', os: 'o', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active' };
    await thrown(
      ledgers.commit(
        entries({ kind: 'create', ledger: 'servers', item: item as LedgerItem, summary }, { kind: 'seats', licenceId: 'lic-erp', held: 1, used: 0 }, { kind: 'seats', licenceId: 'lic-excel', held: 99, used: 0 }),
      ),
    );
    expect(ledgers.snapshot()).toEqual(before);
  });

  it('refuses, as DynamoDB does, a transaction that names one item twice', async () => {
    const ledgers = new InMemoryLedgers();
    const seat: LedgerOp = { kind: 'seats', licenceId: 'lic-erp', held: 1, used: 0 };
    await expect(ledgers.commit(entries(seat, seat))).rejects.toThrow('Transaction request cannot include multiple operations on one item');
  });
});
