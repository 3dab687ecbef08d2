import type { ApprovalRequest, Task } from './approval';
import { escalate, remind } from './approval';
import { japanDate } from './dates';
import { ConditionFailedError, StaleWriteError } from './errors';
import type { ReminderPolicy } from './form-definition';
import { DEFAULT_REMINDERS } from './form-definition';
import { reminderMail } from './mail-templates';
import { scopeIdFor } from './organisation';
import type { Deps } from './ports';
import { formOf } from './requests';
import { roles, superiorOf } from './roles';
import { addWorkingDays, workingDaysBetween } from './working-days';
import { mailApprovalLinks } from './approval-links';
import { everyItem } from './paging';

export interface ReminderRun {
  reminded: number;
  escalated: number;
}

/**
 * The daily 督促 (working days only): an approver whose task has waited the form's reminder interval
 * is reminded, again after each interval; once the task has waited the escalation limit, the stage
 * role's superior joins the stage with a task and a link of their own. Running twice on one day sends
 * nothing twice (each task's next date moves on in the same write that records the reminder).
 */
export async function remindOpenTasks(deps: Deps): Promise<ReminderRun> {
  const today = japanDate(deps.clock.now());
  const run: ReminderRun = { reminded: 0, escalated: 0 };
  const due = await everyItem((cursor) => deps.requests.tasksToRemind(today, { limit: 100, cursor }));

  const escalatedStages = new Set<string>();
  for (const task of due) {
    const loaded = await deps.requests.load(task.requestId);
    const current = loaded?.tasks.find((t) => t.id === task.id);
    if (!loaded || !current || current.status !== 'pending' || (current.remindOn ?? '') > today) continue;
    const { request, tasks } = loaded;
    const policy = formOf(deps, request.formId).form.reminders ?? DEFAULT_REMINDERS;
    const opened = japanDate(new Date(current.createdAt));
    const waited = workingDaysBetween(opened, today);
    const next = nextReminderDate(policy, opened, today, Boolean(current.escalatedAt));
    const stageKey = `${request.id}.${current.round}.${current.stage}`;
    try {
      if (waited >= policy.escalateAfterWorkingDays && !current.escalatedAt && !escalatedStages.has(stageKey)) {
        if (await escalateStage(deps, request, tasks, current, next)) {
          escalatedStages.add(stageKey);
          run.escalated++;
          continue;
        }
      }
      const at = deps.clock.now().toISOString();
      await deps.requests.commit(remind(request, current, at, next));
      const approver = await deps.directory.person(current.approverId);
      if (approver) {
        await deps.mailer.send(reminderMail(request, request.stages[current.stage], approver, `${deps.webBaseUrl}/#/tasks/${current.id}`, (current.remindCount ?? 0) + 1, waited));
      }
      run.reminded++;
    } catch (error) {
      // Decided or changed meanwhile: tomorrow's run looks again.
      if (!(error instanceof StaleWriteError || error instanceof ConditionFailedError)) throw error;
    }
  }
  return run;
}

/** Adds the superior role's holders to the stage; false when the role has no superior or nobody holds it. */
async function escalateStage(deps: Deps, request: ApprovalRequest, tasks: readonly Task[], task: Task, next: string): Promise<boolean> {
  const stage = request.stages[task.stage];
  const superior = superiorOf[stage.role];
  if (!superior) return false;
  const holders = await deps.directory.holders(superior, scopeIdFor(superior, request.requester));
  const joining = holders.filter((p) => p.id !== request.requester.id && !stage.approvers.some((a) => a.id === p.id));
  if (joining.length === 0) return false;
  const change = escalate(request, tasks, task.stage, joining, roles[superior].label, deps.clock.now().toISOString(), next);
  await deps.requests.commit(change);
  await mailApprovalLinks(deps, change.request, change.createTasks);
  return true;
}

/**
 * The next date a waiting task is looked at: its next reminder, or its escalation day if that comes
 * first (so that escalation happens on its day even between reminders).
 */
export function nextReminderDate(policy: ReminderPolicy, opened: string, today: string, escalated: boolean): string {
  const reminder = addWorkingDays(today, policy.remindAfterWorkingDays);
  if (escalated) return reminder;
  const escalation = addWorkingDays(opened, policy.escalateAfterWorkingDays);
  return escalation > today && escalation < reminder ? escalation : reminder;
}
