import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Reservation } from '../../../functions/domain/approval';
import { reservationOps, taskIdOf } from '../../../functions/domain/approval';
import { decideTask } from '../../../functions/domain/decisions';
import { DomainError, StaleWriteError } from '../../../functions/domain/errors';
import type { ApprovedRequestFacts, FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { resubmitRequest, submitRequest, withdrawRequest } from '../../../functions/domain/requests';
import { advance, applyOutcome } from '../../../functions/domain/workflow-steps';
import type { Licence } from '../../../functions/ledgers/licences';
import type { TestDeps } from './in-memory-deps';
import { advanceAndNotify, inMemoryDeps, person } from './in-memory-deps';
import { catalogWith, testForm } from './test-forms';
import { refusal } from './refusal';

const REQUEST_ID = 'R-20261125-AAAAAA';
const loginTaken = { ja: 'このユーザIDは既に使われています（安全管理細則 第16条第3項）。', en: 'This login ID is taken already (A16-3).' };

/** A form that holds a seat of the licence it names and, when asked, a login name. */
const SeatData = z.object({ licenceId: z.string().trim().min(1), loginId: z.string().trim().min(1).optional() }).strict();
type SeatData = z.infer<typeof SeatData>;
const reserveContexts: FormContext[] = [];
const approvedFacts: ApprovedRequestFacts<SeatData>[] = [];
const seatForm = testForm<SeatData>('seat-test', SeatData, {
  async onApproved(facts) {
    approvedFacts.push(facts);
    return [];
  },
  async reserve(data, _requester, context) {
    reserveContexts.push(context);
    const reservations: Reservation[] = [{ kind: 'seat', licenceId: data.licenceId, field: 'data.licenceId' }];
    if (data.loginId) reservations.push({ kind: 'claim', key: `test-login#${data.loginId}`, field: 'data.loginId', message: loginTaken });
    return reservations;
  },
});
/** A form that holds two seats of one licence (one per client it installs on). */
const twoSeatForm = testForm<SeatData>('two-seat-test', SeatData, {
  async reserve(data) {
    return [
      { kind: 'seat', licenceId: data.licenceId, field: 'data.licenceId' },
      { kind: 'seat', licenceId: data.licenceId, field: 'data.licenceId' },
    ];
  },
});
const forms = catalogWith(seatForm as never, twoSeatForm as never);

const licence = (seats: Pick<Licence, 'seatsBought' | 'seatsUsed' | 'seatsHeld' | 'seatsFree'>, id = 'lic-test'): Licence => ({
  id,
  productId: 'prd-test',
  name: { ja: 'テスト用ライセンス', en: 'Test licence' },
  contractRef: 'TEST-1',
  status: 'active',
  ...seats,
});

/** Deps with the test forms and a licence of 3 seats: 1 used, 2 free. */
function withLicence(seats = { seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 }): TestDeps {
  const t = inMemoryDeps({ forms });
  t.ledgers.seed('licences', licence(seats) as LedgerItem);
  return t;
}

const seatsOf = (t: TestDeps, id = 'lic-test') => {
  const { seatsBought, seatsUsed, seatsHeld, seatsFree } = t.ledgers.peek('licences', id) as Licence;
  return { seatsBought, seatsUsed, seatsHeld, seatsFree };
};

const submit = (t: TestDeps, data: Record<string, unknown> = { licenceId: 'lic-test' }, requesterId = 'u-tanaka', formId = 'seat-test') =>
  submitRequest(t.deps, person(requesterId), { formId, data });

/** The site manager decides the only stage, and the workflow finishes the request. */
async function decided(t: TestDeps, id: string, decision: 'approve' | 'reject' | 'send_back') {
  const { result } = await advanceAndNotify(t, id);
  await decideTask(t.deps, person('u-sato'), taskIdOf(id, result.round, 0, 'u-sato'), { decision, comment: 'テスト' });
  const finished = await advance(t.deps, id);
  expect(finished.next).toBe(decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'sent_back');
  await applyOutcome(t.deps, { requestId: id, round: result.round, outcome: finished.next as 'approved' | 'rejected' | 'sent_back' });
}

describe('reservationOps', () => {
  const seat: Reservation = { kind: 'seat', licenceId: 'lic-erp', field: 'data.licenceId' };
  const claim: Reservation = { kind: 'claim', key: 'user-ids#core-business#login#taro', field: 'data.loginId', message: loginTaken };

  it('holds a seat by moving one seat to held, and claims a name for the request', () => {
    expect(reservationOps([seat, claim], REQUEST_ID, 'hold')).toEqual([
      { kind: 'seats', licenceId: 'lic-erp', held: 1, used: 0, field: 'data.licenceId' },
      { kind: 'claim', key: 'user-ids#core-business#login#taro', owner: REQUEST_ID, field: 'data.loginId', message: loginTaken },
    ]);
  });

  it('releases a held seat and gives back only the request’s own claim', () => {
    expect(reservationOps([seat, claim], REQUEST_ID, 'release')).toEqual([
      { kind: 'seats', licenceId: 'lic-erp', held: -1, used: 0, field: 'data.licenceId' },
      { kind: 'release', key: 'user-ids#core-business#login#taro', owner: REQUEST_ID },
    ]);
  });

  it('keeps a seat by moving it from held to used, and keeps a claim as it is', () => {
    expect(reservationOps([seat, claim], REQUEST_ID, 'keep')).toEqual([{ kind: 'seats', licenceId: 'lic-erp', held: -1, used: 1, field: 'data.licenceId' }]);
  });

  it('makes no operation for a request without reservations', () => {
    for (const mode of ['hold', 'release', 'keep'] as const) expect(reservationOps([], REQUEST_ID, mode)).toEqual([]);
  });
});

describe('a seat held by a request', () => {
  it('is held at submission: one more seat held, one fewer free, none more used', async () => {
    const t = withLicence();
    const view = await submit(t);
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 1, seatsFree: 1 });
    expect(t.store.requests.get(view.id)!.reservations).toEqual([{ kind: 'seat', licenceId: 'lic-test', field: 'data.licenceId' }]);
    expect(t.workflow.starts).toEqual([{ requestId: view.id, round: 1 }]);
  });

  it('is asked of the form with the requester and the clock’s time', async () => {
    const t = withLicence();
    reserveContexts.length = 0;
    await submit(t);
    expect(reserveContexts).toHaveLength(1);
    expect(reserveContexts[0].requester).toMatchObject({ id: 'u-tanaka', siteId: 'site-tokyo' });
    expect(reserveContexts[0].now).toEqual(t.clock.now());
    expect(reserveContexts[0].ledgers).toBe(t.ledgers);
  });

  it('is written in the same transaction as the request', async () => {
    const t = withLicence();
    await submit(t);
    expect(t.store.commits).toHaveLength(1);
    expect(t.store.commits[0].ledger.map((entry) => entry.op)).toEqual([{ kind: 'seats', licenceId: 'lic-test', held: 1, used: 0, field: 'data.licenceId' }]);
    expect(t.ledgers.commits).toEqual([]);
  });

  it('is released when the request is rejected', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await decided(t, id, 'reject');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 });
  });

  it('is released when the request is sent back, and held again when it is resubmitted', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await decided(t, id, 'send_back');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 });
    await resubmitRequest(t.deps, person('u-tanaka'), id, { licenceId: 'lic-test' });
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 1, seatsFree: 1 });
  });

  it('is released when the request is withdrawn while in review', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await advanceAndNotify(t, id);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '不要になりました');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 });
  });

  it('is released only once when a sent-back request is then withdrawn', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await decided(t, id, 'send_back');
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 });
  });

  it('is kept for good when the request is approved: one fewer held, one more used, free unchanged', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await decided(t, id, 'approve');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 2, seatsHeld: 0, seatsFree: 1 });
    expect((await t.store.load(id))!.request.outcomeAppliedRound).toBe(1);
  });

  it('is named in the approval facts the form gets, so that its effects can name the licence', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    approvedFacts.length = 0;
    await decided(t, id, 'approve');
    expect(approvedFacts.map((facts) => facts.reservations)).toEqual([[{ kind: 'seat', licenceId: 'lic-test', field: 'data.licenceId' }]]);
  });

  it('is kept once however often the outcome is applied', async () => {
    const t = withLicence();
    const { id } = await submit(t);
    await decided(t, id, 'approve');
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 2, seatsHeld: 0, seatsFree: 1 });
  });

  it('keeps the seat counters adding up to the seats bought through every step', async () => {
    const t = withLicence();
    const sums: number[] = [];
    const commit = t.store.commit.bind(t.store);
    t.store.commit = async (change) => {
      await commit(change);
      const seats = seatsOf(t);
      sums.push(seats.seatsUsed + seats.seatsHeld + seats.seatsFree);
    };
    const first = await submit(t);
    const second = await submit(t);
    await decided(t, first.id, 'approve');
    await decided(t, second.id, 'send_back');
    expect(new Set(sums)).toEqual(new Set([3]));
  });
});

describe('a submission whose transaction is cancelled by a conflicting one', () => {
  it('is sent again and holds its seat once', async () => {
    const t = withLicence();
    let conflicts = 1;
    t.store.beforeCommit = () => {
      if (conflicts-- > 0) throw new StaleWriteError(); // TransactionConflict with another hold on the licence
    };
    const view = await submit(t);
    expect(t.store.requests.size).toBe(1);
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 1, seatsFree: 1 });
    expect(t.workflow.starts).toEqual([{ requestId: view.id, round: 1 }]);
  });

  it('gives up after a few attempts, storing nothing', async () => {
    const t = withLicence();
    let attempts = 0;
    t.store.beforeCommit = () => {
      attempts++;
      throw new StaleWriteError();
    };
    await expect(submit(t)).rejects.toBeInstanceOf(StaleWriteError);
    expect(attempts).toBe(5);
    expect(t.store.requests.size).toBe(0);
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2 });
    expect(t.workflow.starts).toEqual([]);
  });
});

describe('a submission when no seat is free', () => {
  it('is refused with 400 on the reservation’s field, naming Art. 29-2, and stores nothing', async () => {
    const t = withLicence({ seatsBought: 2, seatsUsed: 2, seatsHeld: 0, seatsFree: 0 });
    const before = t.store.snapshot();
    const error = await refusal(submit(t));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].path).toBe('data.licenceId');
    expect(error.issues[0].messages.ja).toContain('lic-test');
    expect(error.issues[0].messages.ja).toContain('第29条第2項');
    expect(error.issues[0].messages.en).toContain('Art. 29-2');
    expect(t.store.snapshot()).toEqual(before);
    expect(t.store.requests.size).toBe(0);
    expect(t.store.writes).toBe(0);
    expect(t.workflow.starts).toEqual([]);
  });

  it('is refused when the last free seat is held by a request in review', async () => {
    const t = withLicence({ seatsBought: 2, seatsUsed: 1, seatsHeld: 0, seatsFree: 1 });
    await submit(t);
    const error = await refusal(submit(t, { licenceId: 'lic-test' }, 'u-saito'));
    expect(error.issues.map((issue) => issue.path)).toEqual(['data.licenceId']);
    expect(seatsOf(t)).toEqual({ seatsBought: 2, seatsUsed: 1, seatsHeld: 1, seatsFree: 0 });
  });

  it('succeeds again once a held seat is released', async () => {
    const t = withLicence({ seatsBought: 2, seatsUsed: 1, seatsHeld: 0, seatsFree: 1 });
    const { id } = await submit(t);
    await decided(t, id, 'reject');
    await submit(t, { licenceId: 'lic-test' }, 'u-saito');
    expect(seatsOf(t)).toEqual({ seatsBought: 2, seatsUsed: 1, seatsHeld: 1, seatsFree: 0 });
  });

  it('is refused on its field when the licence is not in the ledger', async () => {
    const t = withLicence();
    const error = await refusal(submit(t, { licenceId: 'lic-unknown' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['data.licenceId']);
    expect(t.store.requests.size).toBe(0);
  });

  it('is refused at resubmission too, leaving the request sent back', async () => {
    const t = withLicence({ seatsBought: 2, seatsUsed: 1, seatsHeld: 0, seatsFree: 1 });
    const { id } = await submit(t);
    await decided(t, id, 'send_back');
    await submit(t, { licenceId: 'lic-test' }, 'u-saito'); // takes the seat meanwhile
    const error = await refusal(resubmitRequest(t.deps, person('u-tanaka'), id, { licenceId: 'lic-test' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['data.licenceId']);
    expect((await t.store.load(id))!.request).toMatchObject({ status: 'sent_back', round: 1 });
  });
});

describe('a claimed name', () => {
  it('is held by the first request, and a second request for it is refused with 400 and the claim’s message', async () => {
    const t = withLicence();
    const first = await submit(t, { licenceId: 'lic-test', loginId: 'taro' });
    expect(t.ledgers.claims.get('test-login#taro')).toBe(first.id);
    const error = await refusal(submit(t, { licenceId: 'lic-test', loginId: 'taro' }, 'u-saito'));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([{ path: 'data.loginId', messages: loginTaken }]);
    expect(t.store.requests.size).toBe(1);
  });

  it('that is refused takes no seat either: the whole submission is one transaction', async () => {
    const t = withLicence();
    await submit(t, { licenceId: 'lic-test', loginId: 'taro' });
    await refusal(submit(t, { licenceId: 'lic-test', loginId: 'taro' }, 'u-saito'));
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 1, seatsFree: 1 });
  });

  it('is free again once the request holding it is rejected', async () => {
    const t = withLicence();
    const { id } = await submit(t, { licenceId: 'lic-test', loginId: 'taro' });
    await decided(t, id, 'reject');
    expect(t.ledgers.claims.has('test-login#taro')).toBe(false);
    const second = await submit(t, { licenceId: 'lic-test', loginId: 'taro' }, 'u-saito');
    expect(t.ledgers.claims.get('test-login#taro')).toBe(second.id);
  });

  it('stays claimed for good when the request holding it is approved', async () => {
    const t = withLicence();
    const { id } = await submit(t, { licenceId: 'lic-test', loginId: 'taro' });
    await decided(t, id, 'approve');
    expect(t.ledgers.claims.get('test-login#taro')).toBe(id);
  });
});

describe('concurrent submissions for the last seats', () => {
  it('let exactly as many through as seats are free, never taking a counter below zero', async () => {
    // The demo ERP licence: 5 bought, 3 used, 2 free.
    const t = inMemoryDeps({ forms });
    expect(seatsOf(t, 'lic-erp')).toEqual({ seatsBought: 5, seatsUsed: 3, seatsHeld: 0, seatsFree: 2 });
    const observed: ReturnType<typeof seatsOf>[] = [];
    // Every submission reads and computes its change before any of them writes.
    t.store.beforeCommit = async () => {
      observed.push(seatsOf(t, 'lic-erp'));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    };
    const requesters = ['u-tanaka', 'u-saito', 'u-takahashi', 'u-watanabe', 'u-ogawa', 'u-sato', 'u-abe', 'u-shimizu', 'u-kobayashi', 'u-mori', 'u-nakamura', 'u-kato'];
    const results = await Promise.allSettled(requesters.map((id) => submit(t, { licenceId: 'lic-erp' }, id)));
    observed.push(seatsOf(t, 'lic-erp'));

    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(succeeded).toHaveLength(2);
    expect(refused).toHaveLength(requesters.length - 2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).issues.map((issue) => issue.path)).toEqual(['data.licenceId']);
    }
    for (const seats of observed) {
      expect(Math.min(seats.seatsUsed, seats.seatsHeld, seats.seatsFree)).toBeGreaterThanOrEqual(0);
      expect(seats.seatsUsed + seats.seatsHeld + seats.seatsFree).toBe(seats.seatsBought);
    }
    expect(seatsOf(t, 'lic-erp')).toEqual({ seatsBought: 5, seatsUsed: 3, seatsHeld: 2, seatsFree: 0 });
    expect(t.store.requests.size).toBe(2);
    expect(t.workflow.starts).toHaveLength(2);
  });
});

describe('a request holding two seats of one licence', () => {
  // BUG (functions/domain/approval.ts reservationOps): each seat becomes its own `seats` op on the same
  // licence item, and DynamoDB refuses a transaction that names one item twice (ValidationException),
  // so such a submission fails with 500 instead of holding two seats. The ops should be merged per licence.
  it('holds both seats in one submission', async () => {
    const t = withLicence();
    await submit(t, { licenceId: 'lic-test' }, 'u-tanaka', 'two-seat-test');
    expect(seatsOf(t)).toEqual({ seatsBought: 3, seatsUsed: 1, seatsHeld: 2, seatsFree: 0 });
  });
});
