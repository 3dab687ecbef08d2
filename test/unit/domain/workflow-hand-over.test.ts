import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../functions/domain/approval';
import { taskIdOf } from '../../../functions/domain/approval';
import { decideTask } from '../../../functions/domain/decisions';
import { resubmitRequest, withdrawRequest } from '../../../functions/domain/requests';
import { advance } from '../../../functions/domain/workflow-steps';
import { handOver, handOverStep } from '../../../functions/domain/workflow-hand-over';
import type { TestDeps } from './in-memory-deps';
import { RecordingWorkflow, advanceAndNotify, allItCatalog, inMemoryDeps, person, submitValid, validServerConnection } from './in-memory-deps';

/** Every (before, after) pair of a request the store's commits produced, in order, and the step each owes. */
function recordSteps(t: TestDeps) {
  const steps: { before: ApprovalRequest | null; after: ApprovalRequest; step: ReturnType<typeof handOverStep> }[] = [];
  const deliver = t.store.stream!;
  t.store.stream = async (before, after) => {
    steps.push({ before, after, step: handOverStep(before, after) });
    await deliver(before, after);
  };
  return steps;
}
const kinds = (steps: ReturnType<typeof recordSteps>) => steps.map((s) => s.step?.kind ?? null);

describe('handOverStep', () => {
  it('starts the workflow for a filed request, with its round', async () => {
    const t = inMemoryDeps();
    const steps = recordSteps(t);
    const id = await submitValid(t);
    expect(steps.map((s) => s.step)).toEqual([{ kind: 'start', requestId: id, round: 1 }]);
  });

  it('owes nothing for the workflow’s own changes: opening a stage and storing its task token', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const steps = recordSteps(t);
    await advanceAndNotify(t, id);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(kinds(steps)).toEqual(steps.map(() => null));
  });

  it('wakes the execution waiting with its token once a decision completes the stage', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const { token } = await advanceAndNotify(t, id);
    const steps = recordSteps(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
    expect(steps.map((s) => s.step)).toEqual([{ kind: 'wake', requestId: id, token, output: { requestId: id, round: 1, stage: 0 } }]);
  });

  it('does not wake for a decision that leaves an every-approver stage open', async () => {
    const t = inMemoryDeps({ forms: allItCatalog });
    const id = await submitValid(t);
    await advanceAndNotify(t, id);
    const steps = recordSteps(t);
    await decideTask(t.deps, person('u-yamada'), taskIdOf(id, 1, 0, 'u-yamada'), { decision: 'approve' });
    expect(kinds(steps).filter(Boolean)).toEqual([]);
    await decideTask(t.deps, person('u-ito'), taskIdOf(id, 1, 0, 'u-ito'), { decision: 'approve' });
    expect(kinds(steps).filter(Boolean)).toEqual(['wake']);
  });

  it('leaves a stage decided before its execution stored a token to NotifyApprovers', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id); // the stage is open, no token yet
    const steps = recordSteps(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
    expect(kinds(steps)).toEqual([null]);
  });

  it('stops the waiting execution of a withdrawn request, naming the requester', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const { token } = await advanceAndNotify(t, id);
    const steps = recordSteps(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '不要になりました');
    expect(steps.map((s) => s.step)).toEqual([{ kind: 'stop', requestId: id, token, error: 'Request.Withdrawn', cause: 'Withdrawn by u-tanaka' }]);
  });

  it('starts a new round for a resubmitted request, and nothing for the send-back itself', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advanceAndNotify(t, id);
    const steps = recordSteps(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'send_back', comment: '目的を具体的に書いてください。' });
    await advance(t.deps, id); // the execution finishes the round as sent back
    await resubmitRequest(t.deps, person('u-tanaka'), id, validServerConnection());
    expect(kinds(steps)).toEqual(['wake', null, 'start']);
    expect(steps.at(-1)!.step).toEqual({ kind: 'start', requestId: id, round: 2 });
  });

  it('owes nothing for a change that is not of a request in the image', () => {
    expect(handOverStep(null, null)).toBeNull();
  });
});

describe('handOver', () => {
  it('throws what Step Functions throws, for the stream to deliver the change again', async () => {
    const refusing = new RecordingWorkflow();
    refusing.start = async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(handOver(refusing, { kind: 'start', requestId: 'R-1', round: 1 })).rejects.toThrow('ECONNREFUSED');
  });

  it('is content when the execution no longer waits on the token', async () => {
    const gone = new RecordingWorkflow();
    gone.waiting = false;
    await handOver(gone, { kind: 'wake', requestId: 'R-1', token: 't', output: { requestId: 'R-1', round: 1, stage: 0 } });
    expect(gone.resumes).toHaveLength(1);
  });
});
