import type { ApprovalRequest, Stage, Task } from './approval';
import type { AuditEvent } from './audit';

/** A stage as users see it: without the workflow's task token. */
const stageView = ({ taskToken: _token, approvals, ...stage }: Stage) => ({ ...stage, approvals });

/** A request as the API shows it; internal bookkeeping (version, chain head, tokens) stays inside. */
export function requestView(request: ApprovalRequest, history?: AuditEvent[]) {
  return {
    id: request.id,
    formId: request.formId,
    formCode: request.formCode,
    formVersion: request.formVersion,
    formTitle: request.formTitle,
    status: request.status,
    round: request.round,
    requester: request.requester,
    data: request.data,
    currentStage: request.currentStage,
    stages: request.stages.map(stageView),
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    submittedAt: request.submittedAt,
    ...(history ? { history: history.map(historyView) } : {}),
  };
}

export const historyView = (event: AuditEvent) => ({
  seq: event.seq,
  at: event.at,
  actor: event.actor,
  action: event.action,
  summary: event.summary,
  /** What changed: the fields before and after (a creation has only `after`). */
  before: event.before ?? null,
  after: event.after ?? null,
  hash: event.hash,
  prevHash: event.prevHash,
});

export function taskView(task: Task, request: ApprovalRequest) {
  return {
    id: task.id,
    requestId: task.requestId,
    round: task.round,
    stage: task.stage,
    stageLabel: request.stages[task.stage]?.label ?? null,
    approverId: task.approverId,
    status: task.status,
    createdAt: task.createdAt,
    decidedAt: task.decidedAt,
    decision: task.decision,
    comment: task.comment,
    request: {
      id: request.id,
      formId: request.formId,
      formCode: request.formCode,
      formTitle: request.formTitle,
      status: request.status,
      requester: request.requester,
      submittedAt: request.submittedAt,
    },
  };
}
