import type { ApprovalRequest } from './approval';
import type { Workflow } from './ports';

/**
 * What the approval workflow must be told about one stored change of a request, judged from the
 * request as it was before the change and as it is after it:
 * - `start`: a request was filed, or a sent-back one resubmitted (a new round in review);
 * - `wake`: a decision completed the stage an execution waits on with its task token;
 * - `stop`: a request in review was withdrawn while an execution waited on its stage.
 *
 * The API stores the change and answers; the change reaches the workflow from the records table's
 * stream (functions/workflow/hand-over-requests.ts), so a submission or a decision is not kept
 * waiting on Step Functions, and an outage there cannot turn a stored change into an error.
 */
export type HandOverStep =
  | { kind: 'start'; requestId: string; round: number }
  | { kind: 'wake'; requestId: string; token: string; output: { requestId: string; round: number; stage: number } }
  | { kind: 'stop'; requestId: string; token: string; error: 'Request.Withdrawn'; cause: string };

const DECIDED = new Set(['approved', 'rejected', 'sent_back']);

/** The step one change owes the workflow, or null (most changes are the workflow's own). */
export function handOverStep(before: ApprovalRequest | null, after: ApprovalRequest | null): HandOverStep | null {
  if (!after) return null;
  if (after.status === 'in_review' && (!before || before.round < after.round)) {
    return { kind: 'start', requestId: after.id, round: after.round };
  }
  if (!before || before.round !== after.round) return null;
  if (before.status === 'in_review' && after.status === 'withdrawn') {
    const token = before.stages[before.currentStage]?.taskToken;
    return token ? { kind: 'stop', requestId: after.id, token, error: 'Request.Withdrawn', cause: `Withdrawn by ${after.requester.id}` } : null;
  }
  for (const stage of after.stages) {
    const was = before.stages[stage.index];
    // A stage decided before its execution stored a token is released by NotifyApprovers itself.
    if (was?.status === 'open' && DECIDED.has(stage.status) && stage.taskToken) {
      return { kind: 'wake', requestId: after.id, token: stage.taskToken, output: { requestId: after.id, round: after.round, stage: stage.index } };
    }
  }
  return null;
}

/**
 * Takes the step {@link handOverStep} finds. A token nobody waits on any more is fine (the request
 * continues from DynamoDB); any other failure is thrown, for the stream to deliver the change again.
 */
export async function handOver(workflow: Workflow, step: HandOverStep | null): Promise<void> {
  if (!step) return;
  switch (step.kind) {
    case 'start':
      return workflow.start(step.requestId, step.round);
    case 'wake':
      await workflow.resume(step.token, step.output);
      return;
    case 'stop':
      await workflow.abort(step.token, step.error, step.cause);
      return;
  }
}
