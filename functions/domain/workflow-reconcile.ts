import type { ApprovalRequest } from './approval';
import { needsWorkflow } from './approval';
import type { Deps } from './ports';

/**
 * How long a request must have stood still before reconciliation acts on it. Longer than a workflow
 * step keeps retrying an outage (about five and a half minutes, approval.asl.json), so that it never
 * races an execution that is still alive.
 */
export const QUIET_MINUTES = 15;

/**
 * What the workflow owes a request that has stood still, judged from its stored state alone:
 * - `start`: no execution will move it — it was never started (Step Functions unreachable at
 *   submission), died before its stage was opened or its approvers told, or its outcome was never
 *   applied;
 * - `wake`: its stage is decided, but the execution waiting on the stage's token was not woken;
 * - `null`: nothing is owed, or an execution waits for people to decide.
 */
export function owedStep(request: ApprovalRequest): 'start' | 'wake' | null {
  if (!needsWorkflow(request)) return null;
  if (request.status !== 'in_review') return 'start';
  const stage = request.stages[request.currentStage];
  if (!stage) return 'start';
  switch (stage.status) {
    case 'pending':
      return 'start';
    case 'open':
      return stage.taskToken ? null : 'start';
    case 'cancelled':
      return null;
    default:
      return stage.taskToken ? 'wake' : 'start';
  }
}

export interface ReconcileResult {
  /** Requests the workflow owes something that were looked at. */
  looked: number;
  /** Requests whose workflow was started again. */
  started: string[];
  /** Requests whose waiting execution was woken with the stage's stored token. */
  woken: string[];
}

/**
 * Sets going again every request the workflow owes a step but has not taken for
 * {@link QUIET_MINUTES}: after Step Functions was out of reach when a request was filed or a stage
 * decided, or an execution failed after its retries. It reads only the index of requests the
 * workflow owes something (`WORKFLOW#pending`). Every step it causes is idempotent (Advance,
 * NotifyApprovers, ApplyOutcome), so running it twice changes nothing more.
 */
export async function reconcileWorkflows(deps: Deps, options: { quietMinutes?: number } = {}): Promise<ReconcileResult> {
  const stillSince = new Date(deps.clock.now().getTime() - (options.quietMinutes ?? QUIET_MINUTES) * 60_000).toISOString();
  const result: ReconcileResult = { looked: 0, started: [], woken: [] };
  let cursor: string | undefined;
  do {
    const page = await deps.requests.listNeedingWorkflow({ limit: 100, cursor });
    for (const request of page.items) {
      result.looked++;
      if (request.updatedAt > stillSince) continue;
      const step = owedStep(request);
      if (step === 'wake') {
        const stage = request.stages[request.currentStage];
        const woke = await deps.workflow.resume(stage.taskToken!, { requestId: request.id, round: request.round, stage: stage.index });
        if (woke) {
          result.woken.push(request.id);
          continue;
        }
      }
      if (step !== null) {
        await deps.workflow.start(request.id, request.round);
        result.started.push(request.id);
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return result;
}
