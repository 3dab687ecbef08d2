import type { ApprovalRequest, Task } from './approval';
import { ConditionFailedError } from './errors';
import type { ApprovalLink } from './link-token';
import { hashLinkToken, linkExpiry, newLinkToken } from './link-token';
import { approvalRequestMail } from './mail-templates';
import type { Deps } from './ports';
import { formOf } from './requests';

/**
 * E-mails each task's approver a fresh single-use link to it. Mail goes out before the task is marked
 * notified: a retry may send a second valid link, never none.
 */
export async function mailApprovalLinks(deps: Deps, request: ApprovalRequest, tasks: readonly Task[]): Promise<number> {
  const form = formOf(deps, request.formId).form;
  let notified = 0;
  for (const task of tasks) {
    const approver = await deps.directory.person(task.approverId);
    if (!approver) continue;
    const now = deps.clock.now();
    const token = newLinkToken();
    const link: ApprovalLink = {
      tokenHash: hashLinkToken(token),
      taskId: task.id,
      requestId: request.id,
      round: task.round,
      stage: task.stage,
      approverId: task.approverId,
      createdAt: now.toISOString(),
      expiresAt: linkExpiry(now),
      usedAt: null,
    };
    await deps.requests.saveLink(link);
    await deps.mailer.send(
      approvalRequestMail({
        request,
        stage: request.stages[task.stage],
        approver: { id: approver.id, name: approver.name, email: approver.email, ...(task.onBehalfOf ? { onBehalfOf: task.onBehalfOf } : {}) },
        link: `${deps.webBaseUrl}/#/links/${token}`,
        expiresAt: link.expiresAt,
        articles: form.articles,
      }),
    );
    try {
      await deps.requests.markNotified(task, now.toISOString());
    } catch (error) {
      // Decided while we were mailing: nothing left to mark.
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    notified++;
  }
  return notified;
}
