import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, DecisionInput, RequestChange, Requester, Reservation, Stage, Task } from '../../../functions/domain/approval';
import {
  applyOutcome,
  decide,
  fileRequest,
  finish,
  nextStep,
  openStage,
  parseTaskId,
  recordTaskToken,
  requestRecord,
  resubmit,
  stagesFor,
  taskIdOf,
  withdraw,
} from '../../../functions/domain/approval';
import type { AuditEvent } from '../../../functions/domain/audit';
import { GENESIS_HASH, verifyChain } from '../../../functions/domain/audit';
import { DomainError } from '../../../functions/domain/errors';
import type { StageTemplate } from '../../../functions/domain/form-definition';
import type { LedgerOp } from '../../../functions/domain/ledgers';
import type { PersonRef } from '../../../functions/domain/organisation';
import { refOf } from '../../../functions/domain/organisation';
import { historyView, requestView, taskView } from '../../../functions/domain/views';
import { ledgerRegistry } from '../../../functions/ledgers/registry';
import { person } from './in-memory-deps';

const REQUEST_ID = 'R-20261125-AAAAAA';
const tanaka = person('u-tanaka');
const requester: Requester = { id: tanaka.id, name: tanaka.name, siteId: tanaka.siteId, branchId: tanaka.branchId, departmentId: tanaka.departmentId };
const asRef = (p: Requester): PersonRef => ({ id: p.id, name: p.name });
const sato = refOf(person('u-sato'));
const kobayashi = refOf(person('u-kobayashi'));
const mori = refOf(person('u-mori'));
const yamada = refOf(person('u-yamada'));
const ito = refOf(person('u-ito'));
const outsider = refOf(person('u-saito'));

/** Stage 0: one site manager; stage 1: two branch responsibles who must all approve; stage 2: IT infrastructure, any one. */
const route: StageTemplate[] = [
  { role: 'siteManager', rule: 'any' },
  { role: 'siteResponsible', rule: 'all' },
  { role: 'itInfra', rule: 'any' },
];
const approversOf = [[sato], [kobayashi, mori], [yamada, ito]];
const data = { serverId: 'srv-app', protocol: 'ssh', purpose: '調査', startDate: '2026-12-01', endDate: '2026-12-31' };

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 1, minute)).toISOString();

/**
 * A request as the store would hold it: every change is applied in order, and every change must
 * expect the version it was computed from and write the next one.
 */
class Tracked {
  request!: ApprovalRequest;
  tasks: Task[] = [];
  events: AuditEvent[] = [];
  changes: RequestChange[] = [];

  apply(change: RequestChange): RequestChange {
    const previous = this.changes.length === 0 ? null : this.request;
    expect(change.expectedVersion).toBe(previous ? previous.version : null);
    expect(change.request.version).toBe((previous?.version ?? 0) + 1);
    this.request = change.request;
    for (const task of change.createTasks) {
      expect(this.tasks.some((t) => t.id === task.id)).toBe(false);
      this.tasks.push(task);
    }
    for (const task of change.updateTasks) {
      const index = this.tasks.findIndex((t) => t.id === task.id);
      expect(this.tasks[index]?.status).toBe('pending');
      this.tasks[index] = task;
    }
    this.events.push(...change.events);
    this.changes.push(change);
    return change;
  }

  task(stage: number, approver: PersonRef, round = this.request.round): Task {
    const found = this.tasks.find((t) => t.id === taskIdOf(this.request.id, round, stage, approver.id));
    if (!found) throw new Error(`no task for ${approver.id} at stage ${stage}`);
    return found;
  }

  decide(stage: number, approver: PersonRef, decision: DecisionInput['decision'], minute: number, comment = '', linkTokenHash?: string) {
    return this.apply(decide(this.request, this.tasks, this.task(stage, approver), { actor: approver, decision, comment, at: at(minute), linkTokenHash }));
  }

  open(minute: number) {
    const step = nextStep(this.request);
    if (step.kind !== 'open') throw new Error(`expected to open a stage, not ${JSON.stringify(step)}`);
    return this.apply(openStage(this.request, step.stage, approversOf[step.stage], null, at(minute)));
  }
}

function filed(reservations: Reservation[] = []): Tracked {
  const tracked = new Tracked();
  tracked.apply(
    fileRequest({
      id: REQUEST_ID,
      form: { id: 'server-connection-request', code: 'F1', version: 1, title: { ja: 'サーバ接続利用申請', en: 'Server connection request' } },
      requester,
      data,
      stages: stagesFor(route, approversOf, [null, null, null]),
      reservations,
      at: at(0),
    }),
  );
  return tracked;
}

/** A request whose first stage is open. */
function opened(): Tracked {
  const tracked = filed();
  tracked.open(1);
  return tracked;
}

function domainError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const withStage = (request: ApprovalRequest, index: number, patch: Partial<Stage>): ApprovalRequest => ({
  ...request,
  currentStage: index,
  stages: request.stages.map((s) => (s.index === index ? { ...s, ...patch } : s)),
});

describe('stagesFor', () => {
  it('builds pending stages labelled by their role, with the resolved approvers and notes', () => {
    const note = { ja: '注記', en: 'Note' };
    const stages = stagesFor(route, approversOf, [null, note, null]);
    expect(stages.map((s) => [s.index, s.role, s.rule, s.status])).toEqual([
      [0, 'siteManager', 'any', 'pending'],
      [1, 'siteResponsible', 'all', 'pending'],
      [2, 'itInfra', 'any', 'pending'],
    ]);
    expect(stages[0].label).toEqual({ ja: '拠点管理者', en: 'Site manager' });
    expect(stages[1].approvers).toEqual([kobayashi, mori]);
    expect(stages[1].note).toEqual(note);
    expect(stages.every((s) => s.decision === null && s.approvals.length === 0 && s.taskToken === null)).toBe(true);
  });
});

describe('fileRequest', () => {
  it('creates a request in review, round 1, at its first stage, with every stage pending', () => {
    const { request } = filed();
    expect(request).toMatchObject({
      id: REQUEST_ID,
      formId: 'server-connection-request',
      formCode: 'F1',
      formVersion: 1,
      status: 'in_review',
      round: 1,
      currentStage: 0,
      requester,
      data,
      createdAt: at(0),
      updatedAt: at(0),
      submittedAt: at(0),
      version: 1,
      outcomeAppliedRound: null,
    });
    expect(request.stages.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('is a new record: it expects no version and creates no task', () => {
    const [change] = filed().changes;
    expect(change.expectedVersion).toBeNull();
    expect(change.createTasks).toEqual([]);
    expect(change.updateTasks).toEqual([]);
    expect(change.ledger).toEqual([]);
  });

  it('records a submitted audit event chained from the genesis hash', () => {
    const tracked = filed();
    const [event] = tracked.changes[0].events;
    expect(event).toMatchObject({
      record: requestRecord(REQUEST_ID),
      seq: 1,
      prevHash: GENESIS_HASH,
      action: 'submitted',
      actor: asRef(requester),
      at: at(0),
      before: null,
    });
    expect(event.after).toMatchObject({ status: 'in_review', round: 1, currentStage: 0, stageStatus: 'pending', data });
    expect(event.summary.ja).toContain('田中 太郎');
    expect(event.summary.en).toContain('Taro Tanaka');
    expect(tracked.request.audit).toEqual({ seq: 1, hash: event.hash });
    expect(verifyChain(tracked.events)).toBeNull();
  });
});

describe('nextStep', () => {
  const base = filed().request;

  it('opens a pending stage', () => {
    expect(nextStep(base)).toEqual({ kind: 'open', stage: 0 });
  });

  it('waits while the stage is open', () => {
    expect(nextStep(withStage(base, 0, { status: 'open' }))).toEqual({ kind: 'await' });
  });

  it('opens the next stage after an approved stage that is not the last', () => {
    expect(nextStep(withStage(base, 0, { status: 'approved' }))).toEqual({ kind: 'open', stage: 1 });
    expect(nextStep(withStage(base, 1, { status: 'approved' }))).toEqual({ kind: 'open', stage: 2 });
  });

  it('finishes as approved after the last stage is approved', () => {
    expect(nextStep(withStage(base, 2, { status: 'approved' }))).toEqual({ kind: 'finish', status: 'approved' });
  });

  it('finishes as rejected after a rejected stage, whichever it is', () => {
    expect(nextStep(withStage(base, 0, { status: 'rejected' }))).toEqual({ kind: 'finish', status: 'rejected' });
    expect(nextStep(withStage(base, 1, { status: 'rejected' }))).toEqual({ kind: 'finish', status: 'rejected' });
  });

  it('finishes as sent back after a sent-back stage', () => {
    expect(nextStep(withStage(base, 1, { status: 'sent_back' }))).toEqual({ kind: 'finish', status: 'sent_back' });
  });

  it('reports a request that is no longer in review as ended, with its status', () => {
    for (const status of ['approved', 'rejected', 'sent_back', 'withdrawn'] as const) {
      expect(nextStep({ ...base, status })).toEqual({ kind: 'ended', status });
    }
  });

  it('treats a cancelled stage as the end', () => {
    expect(nextStep(withStage(base, 0, { status: 'cancelled' }))).toEqual({ kind: 'ended', status: 'in_review' });
  });
});

describe('openStage', () => {
  it('opens the stage for its approvers and makes it the current stage', () => {
    const tracked = filed();
    const note = { ja: '回付', en: 'Rerouted' };
    tracked.apply(openStage(tracked.request, 0, [sato], note, at(1)));
    expect(tracked.request.currentStage).toBe(0);
    expect(tracked.request.updatedAt).toBe(at(1));
    expect(tracked.request.stages[0]).toMatchObject({ status: 'open', approvers: [sato], note, taskToken: null });
    expect(tracked.request.stages[1].status).toBe('pending');
  });

  it('creates one pending task per approver', () => {
    const tracked = filed();
    const change = openStage(tracked.request, 2, [yamada, ito], null, at(1));
    expect(change.createTasks).toEqual([
      {
        id: `${REQUEST_ID}.1.2.u-yamada`,
        requestId: REQUEST_ID,
        round: 1,
        stage: 2,
        approverId: 'u-yamada',
        approverName: yamada.name,
        status: 'pending',
        createdAt: at(1),
        decidedAt: null,
        decision: null,
        comment: null,
        notifiedAt: null,
      },
      expect.objectContaining({ id: `${REQUEST_ID}.1.2.u-ito`, approverId: 'u-ito', status: 'pending' }),
    ]);
  });

  it('gives tasks the same ids when the same stage is opened again', () => {
    const { request } = filed();
    const first = openStage(request, 0, [sato], null, at(1)).createTasks.map((t) => t.id);
    const second = openStage(request, 0, [sato], null, at(2)).createTasks.map((t) => t.id);
    expect(second).toEqual(first);
  });

  it('records a stage_opened event naming the stage and its approvers, chained after the submission', () => {
    const tracked = opened();
    const event = tracked.events[1];
    expect(event).toMatchObject({ seq: 2, prevHash: tracked.events[0].hash, action: 'stage_opened', actor: null });
    expect(event.summary.ja).toBe('拠点管理者（佐藤 花子）の承認待ちになりました');
    expect(event.summary.en).toBe('Waiting for Site manager (Hanako Sato)');
    expect(event.after).toMatchObject({ stageStatus: 'open', approvers: ['u-sato'] });
    expect(verifyChain(tracked.events)).toBeNull();
  });

  it('clears a task token left from an earlier wait', () => {
    const tracked = opened();
    tracked.apply(recordTaskToken(tracked.request, 0, 'old-token', at(2)));
    const reopened = openStage(tracked.request, 0, [sato], null, at(3));
    expect(reopened.request.stages[0].taskToken).toBeNull();
  });
});

describe('task ids', () => {
  it('say where the task sits, and parse back', () => {
    const id = taskIdOf(REQUEST_ID, 3, 2, 'u-kobayashi');
    expect(id).toBe('R-20261125-AAAAAA.3.2.u-kobayashi');
    expect(parseTaskId(id)).toEqual({ requestId: REQUEST_ID, round: 3, stage: 2, approverId: 'u-kobayashi' });
  });

  it('round-trip for every task openStage creates', () => {
    const tracked = opened();
    for (const task of tracked.tasks) {
      expect(parseTaskId(task.id)).toEqual({ requestId: task.requestId, round: task.round, stage: task.stage, approverId: task.approverId });
    }
  });

  it.each([
    ['an empty string', ''],
    ['a request id alone', REQUEST_ID],
    ['a lower-case request id', 'r-20261125-aaaaaa.1.0.u-sato'],
    ['a missing approver', `${REQUEST_ID}.1.0.`],
    ['a round too large', `${REQUEST_ID}.12345.0.u-sato`],
    ['trailing text', `${REQUEST_ID}.1.0.u-sato/extra`],
    ['a path', `../${REQUEST_ID}.1.0.u-sato`],
  ])('are refused when given %s', (_what, id) => {
    expect(parseTaskId(id)).toBeNull();
  });

  // Person ids are Cognito usernames (infra/identity.ts), which may hold capitals, dots or underscores.
  it('parse back for an approver id with capitals, a dot or an underscore', () => {
    for (const approverId of ['U-Tanaka', 'taro.tanaka', 'taro_tanaka']) {
      expect(parseTaskId(taskIdOf(REQUEST_ID, 1, 0, approverId))).toEqual({ requestId: REQUEST_ID, round: 1, stage: 0, approverId });
    }
  });
});

describe('decide: who and when', () => {
  it('refuses the requester deciding their own request (403)', () => {
    const tracked = opened();
    const error = domainError(() => decide(tracked.request, tracked.tasks, tracked.task(0, sato), { actor: asRef(requester), decision: 'approve', comment: '', at: at(2) }));
    expect(error.status).toBe(403);
    expect(error.messages).toEqual({ ja: '自分の申請を承認・却下することはできません。', en: 'You cannot decide your own request.' });
  });

  it('refuses the requester even on a task that names them as approver (403)', () => {
    const tracked = filed();
    tracked.apply(openStage(tracked.request, 0, [asRef(requester)], null, at(1)));
    const task = tracked.tasks[0];
    expect(domainError(() => decide(tracked.request, tracked.tasks, task, { actor: asRef(requester), decision: 'approve', comment: '', at: at(2) })).status).toBe(403);
  });

  it('refuses a decision from someone who is not the stage approver (403)', () => {
    const tracked = opened();
    const error = domainError(() => decide(tracked.request, tracked.tasks, tracked.task(0, sato), { actor: outsider, decision: 'approve', comment: '', at: at(2) }));
    expect(error.status).toBe(403);
    expect(error.messages.en).toBe('You are not the approver of this task.');
  });

  it('refuses an approver of another stage deciding this stage task (403)', () => {
    const tracked = opened();
    expect(domainError(() => decide(tracked.request, tracked.tasks, tracked.task(0, sato), { actor: yamada, decision: 'approve', comment: '', at: at(2) })).status).toBe(403);
  });

  it('refuses a task that was already decided (409)', () => {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    const error = domainError(() => decide(tracked.request, tracked.tasks, tracked.task(0, sato), { actor: sato, decision: 'approve', comment: '', at: at(3) }));
    expect(error.status).toBe(409);
    expect(error.messages.en).toBe('This task has already been decided.');
  });

  it('refuses deciding twice in an "all" stage that is still open (409)', () => {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    tracked.decide(1, kobayashi, 'approve', 4);
    expect(tracked.request.stages[1].status).toBe('open');
    expect(domainError(() => decide(tracked.request, tracked.tasks, tracked.task(1, kobayashi), { actor: kobayashi, decision: 'reject', comment: '', at: at(5) })).status).toBe(409);
  });

  it('refuses a stale pending copy of a task of an earlier stage (409)', () => {
    const tracked = opened();
    const stale = tracked.task(0, sato);
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    expect(domainError(() => decide(tracked.request, tracked.tasks, stale, { actor: sato, decision: 'approve', comment: '', at: at(4) })).status).toBe(409);
  });

  it('refuses a stale pending copy of a task of an earlier round (409)', () => {
    const tracked = opened();
    const stale = tracked.task(0, sato);
    tracked.decide(0, sato, 'send_back', 2, '目的を具体的に');
    tracked.apply(finish(tracked.request, 'sent_back', at(3)));
    tracked.apply(resubmit(tracked.request, asRef(requester), data, stagesFor(route, approversOf, [null, null, null]), [], at(4)));
    tracked.open(5);
    expect(tracked.request.round).toBe(2);
    expect(tracked.task(0, sato).status).toBe('pending');
    expect(domainError(() => decide(tracked.request, tracked.tasks, stale, { actor: sato, decision: 'approve', comment: '', at: at(6) })).status).toBe(409);
  });

  it('refuses a decision on a withdrawn request (409)', () => {
    const tracked = opened();
    const pending = tracked.task(0, sato);
    tracked.apply(withdraw(tracked.request, tracked.tasks, asRef(requester), '', at(2)));
    expect(domainError(() => decide(tracked.request, tracked.tasks, pending, { actor: sato, decision: 'approve', comment: '', at: at(3) })).status).toBe(409);
  });
});

describe('decide: "any" stages', () => {
  function atItStage(): Tracked {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    tracked.decide(1, kobayashi, 'approve', 4);
    tracked.decide(1, mori, 'approve', 5);
    tracked.open(6);
    return tracked;
  }

  it('completes on the first approval', () => {
    const tracked = opened();
    const change = tracked.decide(0, sato, 'approve', 2, '問題ありません');
    const stage = tracked.request.stages[0];
    expect(stage.status).toBe('approved');
    expect(stage.decision).toEqual({ by: sato, decision: 'approve', comment: '問題ありません', at: at(2) });
    expect(stage.approvals).toEqual([stage.decision]);
    expect(change.request.stages[0].status).not.toBe('open');
    expect(nextStep(tracked.request)).toEqual({ kind: 'open', stage: 1 });
  });

  it('supersedes the sibling tasks when one approver decides', () => {
    const tracked = atItStage();
    const change = tracked.decide(2, ito, 'approve', 7);
    expect(change.updateTasks.map((t) => [t.approverId, t.status])).toEqual([
      ['u-ito', 'approved'],
      ['u-yamada', 'superseded'],
    ]);
    expect(tracked.task(2, yamada)).toMatchObject({ status: 'superseded', decidedAt: at(7), decision: null });
    expect(nextStep(tracked.request)).toEqual({ kind: 'finish', status: 'approved' });
  });

  it('records the decided task with its decision, comment and time', () => {
    const tracked = atItStage();
    tracked.decide(2, yamada, 'reject', 7, '用途が不明確');
    expect(tracked.task(2, yamada)).toMatchObject({ status: 'rejected', decision: 'reject', comment: '用途が不明確', decidedAt: at(7) });
    expect(tracked.request.stages[2].status).toBe('rejected');
    expect(tracked.request.stages[2].approvals).toEqual([]);
  });

  it('records a decided event naming the approver, stage, verb and comment, chained to the last one', () => {
    const tracked = opened();
    const change = tracked.decide(0, sato, 'send_back', 2, '期間を短く');
    const [event] = change.events;
    expect(event).toMatchObject({ action: 'decided', actor: sato, seq: 3, prevHash: tracked.events[1].hash });
    expect(event.summary).toEqual({ ja: '佐藤 花子（拠点管理者）が差し戻しました：期間を短く', en: 'Hanako Sato (Site manager) sent back: 期間を短く' });
    expect(event.after).toMatchObject({ task: tracked.task(0, sato).id, decision: 'send_back', viaLink: false, stageStatus: 'sent_back' });
    expect(verifyChain(tracked.events)).toBeNull();
  });

  it('uses up the e-mailed link in the same change when the decision comes through one', () => {
    const tracked = opened();
    const change = tracked.decide(0, sato, 'approve', 2, '', 'a'.repeat(64));
    expect(change.useLink).toEqual({ tokenHash: 'a'.repeat(64), at: at(2) });
    expect(change.events[0].after).toMatchObject({ viaLink: true });
  });

  it('uses no link for a decision from the inbox', () => {
    expect(opened().decide(0, sato, 'approve', 2).useLink).toBeUndefined();
  });
});

describe('decide: "all" stages', () => {
  function atAllStage(): Tracked {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    return tracked;
  }

  it('waits for every approver: the first approval leaves the stage open', () => {
    const tracked = atAllStage();
    const change = tracked.decide(1, kobayashi, 'approve', 4);
    const stage = tracked.request.stages[1];
    expect(stage.status).toBe('open');
    expect(stage.decision).toBeNull();
    expect(stage.approvals.map((a) => a.by.id)).toEqual(['u-kobayashi']);
    expect(change.updateTasks.map((t) => t.id)).toEqual([tracked.task(1, kobayashi).id]);
    expect(tracked.task(1, mori).status).toBe('pending');
    expect(change.request.stages[1].status).toBe('open');
    expect(nextStep(tracked.request)).toEqual({ kind: 'await' });
  });

  it('completes on the last approval, with every approval recorded', () => {
    const tracked = atAllStage();
    tracked.decide(1, mori, 'approve', 4);
    const change = tracked.decide(1, kobayashi, 'approve', 5);
    const stage = tracked.request.stages[1];
    expect(stage.status).toBe('approved');
    expect(stage.decision?.by).toEqual(kobayashi);
    expect(stage.approvals.map((a) => a.by.id)).toEqual(['u-mori', 'u-kobayashi']);
    expect(change.request.stages[1].status).not.toBe('open');
    expect(nextStep(tracked.request)).toEqual({ kind: 'open', stage: 2 });
  });

  it('completes at once on a rejection, superseding the others', () => {
    const tracked = atAllStage();
    const change = tracked.decide(1, kobayashi, 'reject', 4, '不要');
    expect(tracked.request.stages[1].status).toBe('rejected');
    expect(tracked.request.stages[1].decision).toMatchObject({ by: kobayashi, decision: 'reject', comment: '不要' });
    expect(tracked.task(1, mori).status).toBe('superseded');
    expect(change.request.stages[1].status).not.toBe('open');
    expect(nextStep(tracked.request)).toEqual({ kind: 'finish', status: 'rejected' });
  });

  it('completes at once on a send-back after another approval, keeping that approval', () => {
    const tracked = atAllStage();
    tracked.decide(1, kobayashi, 'approve', 4);
    tracked.decide(1, mori, 'send_back', 5);
    const stage = tracked.request.stages[1];
    expect(stage.status).toBe('sent_back');
    expect(stage.decision?.by).toEqual(mori);
    expect(stage.approvals.map((a) => a.by.id)).toEqual(['u-kobayashi']);
    expect(nextStep(tracked.request)).toEqual({ kind: 'finish', status: 'sent_back' });
  });
});

describe('finish', () => {
  it.each([
    ['approved', '最終承認されました'],
    ['rejected', '却下されました'],
    ['sent_back', '差し戻されました。修正して再申請できます'],
  ] as const)('closes the request as %s with an audit event', (status, summary) => {
    const tracked = opened();
    const change = tracked.apply(finish(tracked.request, status, at(9)));
    expect(tracked.request).toMatchObject({ status, updatedAt: at(9) });
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ action: status, actor: null, summary: { ja: summary } });
    expect(nextStep(tracked.request)).toEqual({ kind: 'ended', status });
  });
});

describe('withdraw', () => {
  it('cancels the open stage and every pending task', () => {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    tracked.decide(1, kobayashi, 'approve', 4);
    const change = tracked.apply(withdraw(tracked.request, tracked.tasks, asRef(requester), '不要になりました', at(5)));
    expect(tracked.request.status).toBe('withdrawn');
    expect(tracked.request.stages.map((s) => s.status)).toEqual(['approved', 'cancelled', 'pending']);
    expect(change.updateTasks).toEqual([expect.objectContaining({ approverId: 'u-mori', status: 'cancelled', decidedAt: at(5) })]);
    expect(tracked.task(1, kobayashi).status).toBe('approved');
    expect(change.events[0]).toMatchObject({ action: 'withdrawn', actor: asRef(requester), after: expect.objectContaining({ comment: '不要になりました' }) });
    expect(change.events[0].summary.ja).toBe('田中 太郎 が引戻しました：不要になりました');
  });

  it('may happen before the first stage opens', () => {
    const tracked = filed();
    const change = tracked.apply(withdraw(tracked.request, tracked.tasks, asRef(requester), '', at(1)));
    expect(change.updateTasks).toEqual([]);
    expect(tracked.request.status).toBe('withdrawn');
    expect(change.events[0].summary.en).toBe('Taro Tanaka withdrew the request');
  });

  it('may happen while the request is sent back', () => {
    const tracked = opened();
    tracked.decide(0, sato, 'send_back', 2);
    tracked.apply(finish(tracked.request, 'sent_back', at(3)));
    tracked.apply(withdraw(tracked.request, tracked.tasks, asRef(requester), '', at(4)));
    expect(tracked.request.status).toBe('withdrawn');
    expect(tracked.request.stages[0].status).toBe('sent_back');
  });

  it('is refused to anyone but the requester (403)', () => {
    const tracked = opened();
    const error = domainError(() => withdraw(tracked.request, tracked.tasks, sato, '', at(2)));
    expect(error.status).toBe(403);
    expect(error.messages.en).toBe('Only the requester can withdraw a request.');
  });

  it.each(['approved', 'rejected', 'withdrawn'] as const)('is refused once the request is %s (409)', (status) => {
    const tracked = opened();
    expect(domainError(() => withdraw({ ...tracked.request, status }, tracked.tasks, asRef(requester), '', at(2))).status).toBe(409);
  });
});

describe('resubmit', () => {
  function sentBack(): Tracked {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    tracked.decide(1, mori, 'send_back', 4, '期間を短く');
    tracked.apply(finish(tracked.request, 'sent_back', at(5)));
    return tracked;
  }

  it('starts the route again in the next round with the edited data', () => {
    const tracked = sentBack();
    const edited = { ...data, endDate: '2026-12-15' };
    const change = tracked.apply(resubmit(tracked.request, asRef(requester), edited, stagesFor(route, approversOf, [null, null, null]), [], at(6)));
    expect(tracked.request).toMatchObject({ status: 'in_review', round: 2, currentStage: 0, data: edited, submittedAt: at(6), updatedAt: at(6), createdAt: at(0) });
    expect(tracked.request.stages.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(tracked.request.stages.every((s) => s.approvals.length === 0 && s.decision === null)).toBe(true);
    expect(change.events[0]).toMatchObject({ action: 'resubmitted', before: expect.objectContaining({ data, round: 1 }), after: expect.objectContaining({ data: edited, round: 2 }) });
    expect(nextStep(tracked.request)).toEqual({ kind: 'open', stage: 0 });
  });

  it('opens tasks with new ids in the new round', () => {
    const tracked = sentBack();
    tracked.apply(resubmit(tracked.request, asRef(requester), data, stagesFor(route, approversOf, [null, null, null]), [], at(6)));
    const change = tracked.open(7);
    expect(change.createTasks.map((t) => t.id)).toEqual([`${REQUEST_ID}.2.0.u-sato`]);
  });

  it('is refused to anyone but the requester (403)', () => {
    const tracked = sentBack();
    expect(domainError(() => resubmit(tracked.request, sato, data, tracked.request.stages, [], at(6))).status).toBe(403);
  });

  it.each(['in_review', 'approved', 'rejected', 'withdrawn'] as const)('is refused while the request is %s (409)', (status) => {
    const tracked = sentBack();
    const error = domainError(() => resubmit({ ...tracked.request, status }, asRef(requester), data, tracked.request.stages, [], at(6)));
    expect(error.status).toBe(409);
    expect(error.messages.en).toBe('Only a sent-back request can be resubmitted.');
  });
});

describe('recordTaskToken', () => {
  it('keeps the token on the stage without an audit event', () => {
    const tracked = opened();
    const change = tracked.apply(recordTaskToken(tracked.request, 0, 'token-1', at(2)));
    expect(tracked.request.stages[0].taskToken).toBe('token-1');
    expect(change.events).toEqual([]);
    expect(tracked.request.audit).toEqual(tracked.changes[1].request.audit);
  });
});

describe('applyOutcome', () => {
  const titles = (ledger: string) => ledgerRegistry.get(ledger)?.title ?? { ja: ledger, en: ledger };
  const grant = (id: string): Extract<LedgerOp, { kind: 'create' }> => ({
    kind: 'create',
    ledger: 'server-access-grants',
    summary: { ja: '接続を許可しました', en: 'Access granted' },
    item: {
      id,
      serverId: 'srv-app',
      serverName: { ja: 'アプリケーションサーバ', en: 'Application server' },
      userId: 'u-tanaka',
      userName: tanaka.name,
      protocol: 'ssh',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      status: 'active',
      requestId: REQUEST_ID,
      grantedAt: at(9),
    },
  });

  function approved(): Tracked {
    const tracked = opened();
    tracked.decide(0, sato, 'approve', 2);
    tracked.open(3);
    tracked.decide(1, kobayashi, 'approve', 4);
    tracked.decide(1, mori, 'approve', 5);
    tracked.open(6);
    tracked.decide(2, yamada, 'approve', 7);
    tracked.apply(finish(tracked.request, 'approved', at(8)));
    return tracked;
  }

  it('marks the round applied', () => {
    const tracked = approved();
    tracked.apply(applyOutcome(tracked.request, [grant('G-20261125-AAAAAA')], titles, at(9)));
    expect(tracked.request.outcomeAppliedRound).toBe(1);
    expect(tracked.request.status).toBe('approved');
  });

  it('gives each ledger write its own chain, starting from the genesis hash', () => {
    const tracked = approved();
    const change = applyOutcome(tracked.request, [grant('G-1'), grant('G-2')], titles, at(9));
    expect(change.ledger.map(({ op }) => op)).toEqual([grant('G-1'), grant('G-2')]);
    for (const { op, event } of change.ledger) {
      const id = op.kind === 'create' ? op.item.id : '';
      expect(event).toMatchObject({ record: `server-access-grants#${id}`, seq: 1, prevHash: GENESIS_HASH, action: 'created', actor: null, summary: grant(id).summary });
      expect(event!.after).toMatchObject({ id, requestId: REQUEST_ID });
      expect(verifyChain([event!])).toBeNull();
    }
    expect(change.ledger[0].event!.hash).not.toBe(change.ledger[1].event!.hash);
  });

  it('records effects_applied on the request chain, naming the ledger items', () => {
    const tracked = approved();
    const change = tracked.apply(applyOutcome(tracked.request, [grant('G-20261125-AAAAAA')], titles, at(9)));
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ action: 'effects_applied', after: { writes: [{ ledger: 'server-access-grants', id: 'G-20261125-AAAAAA' }] } });
    expect(change.events[0].summary.ja).toContain('サーバ接続許可台帳 G-20261125-AAAAAA');
    expect(change.events[0].summary.en).toContain('Server access grants G-20261125-AAAAAA');
    expect(verifyChain(tracked.events)).toBeNull();
  });

  it('marks a round without effects applied, without an event', () => {
    const tracked = approved();
    const change = tracked.apply(applyOutcome(tracked.request, [], titles, at(9)));
    expect(change.events).toEqual([]);
    expect(change.ledger).toEqual([]);
    expect(tracked.request.outcomeAppliedRound).toBe(1);
  });

  it('writes no effects for a request that was not approved, only marking the round applied', () => {
    const tracked = opened();
    tracked.decide(0, sato, 'reject', 2);
    tracked.apply(finish(tracked.request, 'rejected', at(3)));
    const change = tracked.apply(applyOutcome(tracked.request, [grant('G-1')], titles, at(4)));
    expect(change.ledger).toEqual([]);
    expect(change.events).toEqual([]);
    expect(tracked.request.outcomeAppliedRound).toBe(1);
  });

  it('leaves a request chain that verifies from submission to outcome', () => {
    const tracked = approved();
    tracked.apply(applyOutcome(tracked.request, [grant('G-20261125-AAAAAA')], titles, at(9)));
    expect(tracked.events.map((e) => e.action)).toEqual([
      'submitted',
      'stage_opened',
      'decided',
      'stage_opened',
      'decided',
      'decided',
      'stage_opened',
      'decided',
      'approved',
      'effects_applied',
    ]);
    expect(tracked.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(verifyChain(tracked.events)).toBeNull();
    expect(tracked.request.audit).toEqual({ seq: 10, hash: tracked.events[9].hash });
  });
});

describe('reservations through a request’s life', () => {
  const message = { ja: 'このIDは使用済みです。', en: 'This ID is taken.' };
  const reservations: Reservation[] = [
    { kind: 'seat', licenceId: 'lic-erp', field: 'data.licenceId' },
    { kind: 'claim', key: 'user-ids#core-business#login#taro', field: 'data.loginId', message },
  ];
  const ops = (change: RequestChange) => change.ledger.map((entry) => entry.op);
  const hold = [
    { kind: 'seats', licenceId: 'lic-erp', held: 1, used: 0, field: 'data.licenceId' },
    { kind: 'claim', key: 'user-ids#core-business#login#taro', owner: REQUEST_ID, field: 'data.loginId', message },
  ];
  const release = [
    { kind: 'seats', licenceId: 'lic-erp', held: -1, used: 0, field: 'data.licenceId' },
    { kind: 'release', key: 'user-ids#core-business#login#taro', owner: REQUEST_ID },
  ];

  function reserved(): Tracked {
    const tracked = filed(reservations);
    tracked.open(1);
    return tracked;
  }

  it('are held in the filing change, without ledger events (the request’s chain tells)', () => {
    const tracked = filed(reservations);
    expect(tracked.request.reservations).toEqual(reservations);
    expect(ops(tracked.changes[0])).toEqual(hold);
    expect(tracked.changes[0].ledger.every((entry) => entry.event === null)).toBe(true);
  });

  it.each(['rejected', 'sent_back'] as const)('are released when the request finishes %s', (status) => {
    const tracked = reserved();
    expect(ops(tracked.apply(finish(tracked.request, status, at(2))))).toEqual(release);
  });

  it('are not released when the request finishes approved, and kept when its outcome is applied', () => {
    const tracked = reserved();
    expect(tracked.apply(finish(tracked.request, 'approved', at(2))).ledger).toEqual([]);
    expect(ops(tracked.apply(applyOutcome(tracked.request, [], (l) => ({ ja: l, en: l }), at(3))))).toEqual([
      { kind: 'seats', licenceId: 'lic-erp', held: -1, used: 1, field: 'data.licenceId' },
    ]);
  });

  it('are released when the request is withdrawn in review, and not again when withdrawn after a send-back', () => {
    const inReview = reserved();
    expect(ops(inReview.apply(withdraw(inReview.request, inReview.tasks, asRef(requester), '', at(2))))).toEqual(release);
    const sentBack = reserved();
    sentBack.apply(finish(sentBack.request, 'sent_back', at(2)));
    expect(sentBack.apply(withdraw(sentBack.request, sentBack.tasks, asRef(requester), '', at(3))).ledger).toEqual([]);
  });

  it('are held again, as given, when the request is resubmitted', () => {
    const tracked = reserved();
    tracked.apply(finish(tracked.request, 'sent_back', at(2)));
    const seatOnly = [reservations[0]];
    const change = tracked.apply(resubmit(tracked.request, asRef(requester), data, stagesFor(route, approversOf, [null, null, null]), seatOnly, at(3)));
    expect(tracked.request.reservations).toEqual(seatOnly);
    expect(ops(change)).toEqual([hold[0]]);
  });
});

describe('versions', () => {
  it('go up by one with every change, each expecting the one before (checked by Tracked.apply)', () => {
    const tracked = opened();
    tracked.apply(recordTaskToken(tracked.request, 0, 't', at(2)));
    tracked.decide(0, sato, 'approve', 3);
    tracked.open(4);
    tracked.decide(1, kobayashi, 'approve', 5);
    tracked.apply(withdraw(tracked.request, tracked.tasks, asRef(requester), '', at(6)));
    expect(tracked.changes.map((c) => c.request.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(tracked.changes.map((c) => c.expectedVersion)).toEqual([null, 1, 2, 3, 4, 5, 6]);
  });

  it('do not change the request a change was computed from', () => {
    const tracked = opened();
    const before = structuredClone(tracked.request);
    decide(tracked.request, tracked.tasks, tracked.task(0, sato), { actor: sato, decision: 'approve', comment: '', at: at(2) });
    withdraw(tracked.request, tracked.tasks, asRef(requester), '', at(2));
    expect(tracked.request).toEqual(before);
  });
});

describe('views', () => {
  it('show a request without its version, audit head or task tokens', () => {
    const tracked = opened();
    tracked.apply(recordTaskToken(tracked.request, 0, 'secret-token', at(2)));
    const view = requestView(tracked.request);
    expect(JSON.stringify(view)).not.toContain('secret-token');
    expect(view).not.toHaveProperty('version');
    expect(view).not.toHaveProperty('audit');
    expect(view).not.toHaveProperty('history');
    expect(view.stages[0]).not.toHaveProperty('taskToken');
    expect(view.stages[0].approvers).toEqual([sato]);
  });

  it('show the history when given, with what each event changed and without the record key', () => {
    const tracked = opened();
    const view = requestView(tracked.request, tracked.events);
    expect(view.history).toHaveLength(2);
    expect(view.history?.[0]).toEqual(historyView(tracked.events[0]));
    expect(view.history?.[0]).toMatchObject({ before: null, after: expect.objectContaining({ status: 'in_review' }) });
    expect(view.history?.[0]).not.toHaveProperty('record');
  });

  it('show a task with its stage label and a summary of its request', () => {
    const tracked = opened();
    const view = taskView(tracked.task(0, sato), tracked.request);
    expect(view).toMatchObject({ id: `${REQUEST_ID}.1.0.u-sato`, stageLabel: { ja: '拠点管理者', en: 'Site manager' }, status: 'pending' });
    expect(view.request).toEqual({
      id: REQUEST_ID,
      formId: 'server-connection-request',
      formCode: 'F1',
      formTitle: tracked.request.formTitle,
      status: 'in_review',
      requester,
      submittedAt: at(0),
    });
  });
});
