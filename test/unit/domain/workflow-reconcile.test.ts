import { describe, expect, it } from 'vitest';
import { taskIdOf } from '../../../functions/domain/approval';
import { decideTask } from '../../../functions/domain/decisions';
import type { Deps, Workflow } from '../../../functions/domain/ports';
import { submitRequest, withdrawRequest } from '../../../functions/domain/requests';
import { handOver, handOverStep } from '../../../functions/domain/workflow-hand-over';
import { owedStep, QUIET_MINUTES, reconcileWorkflows } from '../../../functions/domain/workflow-reconcile';
import { advance, applyOutcome } from '../../../functions/domain/workflow-steps';
import type { TestDeps } from './in-memory-deps';
import { DAY, MINUTE, advanceAndNotify, inMemoryDeps, person, submitValid, validServerConnection } from './in-memory-deps';

/** Step Functions out of reach: every call fails as the SDK does when the endpoint refuses connections. */
const unreachable: Workflow = {
  start: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { code: 'ECONNREFUSED' })),
  resume: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { code: 'ECONNREFUSED' })),
  abort: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { code: 'ECONNREFUSED' })),
};
/** Step Functions out of reach for what the records stream hands over from now on (and for `deps.workflow`). */
const withoutStepFunctions = (t: TestDeps): Deps => {
  t.store.stream = (before, after) => handOver(unreachable, handOverStep(before, after));
  return { ...t.deps, workflow: unreachable };
};

async function waitingAtSato(t: TestDeps) {
  const id = await submitValid(t);
  const { token } = await advanceAndNotify(t, id);
  return { id, token: token!, task: taskIdOf(id, 1, 0, 'u-sato') };
}

const stored = async (t: TestDeps, id: string) => (await t.store.load(id))!;

describe('a stored change is answered although Step Functions cannot be reached', () => {
  it('keeps and answers a submission (trying again would file it twice), waiting for the workflow', async () => {
    const t = inMemoryDeps();
    const view = await submitRequest(withoutStepFunctions(t), person('u-tanaka'), { formId: 'server-connection-request', data: validServerConnection() });
    expect(view.status).toBe('in_review');
    const { request } = await stored(t, view.id);
    expect(request.status).toBe('in_review');
    expect((await t.store.listNeedingWorkflow({ limit: 10 })).items.map((r) => r.id)).toEqual([view.id]);
    expect(t.workflow.starts).toEqual([]);
  });

  it('records and answers a decision whose stage could not wake the workflow', async () => {
    const t = inMemoryDeps();
    const { id, task } = await waitingAtSato(t);
    const decided = await decideTask(withoutStepFunctions(t), person('u-sato'), task, { decision: 'approve' });
    expect(decided.task.status).toBe('approved');
    expect((await stored(t, id)).request.stages[0].status).toBe('approved');
    await expect(decideTask(t.deps, person('u-sato'), task, { decision: 'approve' })).rejects.toMatchObject({ status: 409 });
  });

  it('records and answers a withdrawal whose waiting workflow could not be stopped', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtSato(t);
    const view = await withdrawRequest(withoutStepFunctions(t), person('u-tanaka'), id, '不要になりました');
    expect(view.status).toBe('withdrawn');
    expect((await stored(t, id)).request.status).toBe('withdrawn');
  });
});

describe('reconcileWorkflows', () => {
  it(`starts a request filed while Step Functions was out of reach, once it has stood still for ${QUIET_MINUTES} minutes`, async () => {
    const t = inMemoryDeps();
    const view = await submitRequest(withoutStepFunctions(t), person('u-tanaka'), { formId: 'server-connection-request', data: validServerConnection() });
    t.clock.advance((QUIET_MINUTES - 1) * MINUTE);
    expect((await reconcileWorkflows(t.deps)).started).toEqual([]);
    t.clock.advance(MINUTE);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 1, started: [view.id], woken: [] });
    expect(t.workflow.starts).toEqual([{ requestId: view.id, round: 1 }]);
  });

  it('wakes the execution still waiting on a stage that was decided without waking it', async () => {
    const t = inMemoryDeps();
    const { id, token, task } = await waitingAtSato(t);
    await decideTask(withoutStepFunctions(t), person('u-sato'), task, { decision: 'approve' });
    t.workflow.starts.length = 0;
    t.clock.advance(QUIET_MINUTES * MINUTE);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 1, started: [], woken: [id] });
    expect(t.workflow.resumes).toEqual([{ token, output: { requestId: id, round: 1, stage: 0 } }]);
    expect(t.workflow.starts).toEqual([]);
  });

  it('starts the workflow again when the execution that waited on the decided stage is gone', async () => {
    const t = inMemoryDeps();
    const { id, task } = await waitingAtSato(t);
    await decideTask(withoutStepFunctions(t), person('u-sato'), task, { decision: 'approve' });
    t.workflow.waiting = false;
    t.clock.advance(QUIET_MINUTES * MINUTE);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 1, started: [id], woken: [] });
    // The new execution's Advance opens the next stage from what DynamoDB holds.
    expect((await advance(t.deps, id)).stage).toBe(1);
  });

  it('leaves a request whose approvers have been told alone, however long it waits', async () => {
    const t = inMemoryDeps();
    await waitingAtSato(t);
    t.clock.advance(6 * DAY);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 1, started: [], woken: [] });
    expect(t.workflow.resumes).toEqual([]);
  });

  it('starts a request whose stage was opened but whose approvers were never told', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id); // the execution died before AwaitDecision stored its token
    t.workflow.starts.length = 0;
    t.clock.advance(QUIET_MINUTES * MINUTE);
    expect((await reconcileWorkflows(t.deps)).started).toEqual([id]);
  });

  it('starts a finished request whose outcome was never applied, and not one whose outcome was', async () => {
    const t = inMemoryDeps();
    const { id, task } = await waitingAtSato(t);
    await decideTask(t.deps, person('u-sato'), task, { decision: 'reject', comment: '目的が不明確です。' });
    expect((await advance(t.deps, id)).next).toBe('rejected');
    t.workflow.starts.length = 0;
    t.clock.advance(QUIET_MINUTES * MINUTE);
    expect((await reconcileWorkflows(t.deps)).started).toEqual([id]);
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'rejected' });
    t.clock.advance(QUIET_MINUTES * MINUTE);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 0, started: [], woken: [] });
  });

  it('never touches a withdrawn request', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtSato(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    t.workflow.starts.length = 0;
    t.clock.advance(DAY);
    expect(await reconcileWorkflows(t.deps)).toEqual({ looked: 0, started: [], woken: [] });
  });

  it('reads every page of the requests the workflow owes something', async () => {
    const t = inMemoryDeps();
    const ids: string[] = [];
    for (let i = 0; i < 104; i++) ids.push((await submitRequest(withoutStepFunctions(t), person('u-tanaka'), { formId: 'server-connection-request', data: validServerConnection() })).id);
    t.clock.advance(QUIET_MINUTES * MINUTE);
    const result = await reconcileWorkflows(t.deps);
    expect(result.looked).toBe(104);
    expect(result.started.sort()).toEqual(ids.sort());
  });
});

describe('owedStep', () => {
  it('owes nothing to a request whose current stage waits with a token, and a start to one without', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtSato(t);
    const { request } = await stored(t, id);
    expect(owedStep(request)).toBeNull();
    expect(owedStep({ ...request, stages: request.stages.map((s, i) => (i === 0 ? { ...s, taskToken: null } : s)) })).toBe('start');
  });
});
