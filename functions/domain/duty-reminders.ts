import { japanDate } from './dates';
import type { Duty } from './duties';
import { escalateDuty, remindDuty, reminderStep } from './duties';
import { ConditionFailedError, StaleWriteError } from './errors';
import { render } from './mail-templates';
import type { PersonRef } from './organisation';
import type { Deps, OutgoingMail } from './ports';
import type { RoleId } from './roles';
import { roles } from './roles';
import { everyItem } from './paging';

export interface DutyReminderRun {
  reminded: number;
  escalated: number;
}

/** Holders of a role in the duty's scope, or company-wide for a company role. */
async function holdersFor(deps: Pick<Deps, 'directory'>, role: RoleId, duty: Duty): Promise<PersonRef[]> {
  return deps.directory.holders(role, roles[role].scope === 'company' ? '*' : duty.scopeId);
}

/** The reminder or escalation e-mail of a duty, to one person. */
export function dutyReminderMail(duty: Duty, to: PersonRef & { email: string }, link: string, kind: 'remind' | 'escalate', overdue: boolean, count: number): OutgoingMail {
  const tag = kind === 'escalate' ? '【上申】' : overdue ? '【期限超過】' : '【期限のお知らせ】';
  const lead =
    kind === 'escalate'
      ? `次の業務が期限（${duty.dueOn}）を過ぎても完了していないため、お知らせします。担当: ${duty.assignees.map((a) => a.name.ja).join('、')}`
      : overdue
        ? `次の業務の期限（${duty.dueOn}）が過ぎています。速やかに対応してください（${count}回目のお知らせ）。`
        : `次の業務の期限は ${duty.dueOn} です（${count}回目のお知らせ）。`;
  const { text, html } = render([
    `${to.name.ja} 様`,
    '',
    lead,
    '',
    `業務: ${duty.title.ja}`,
    `根拠条文: ${duty.articles.join(', ')}`,
    `期限: ${duty.dueOn}`,
    '',
    '対応する画面（サインインが必要です）:',
    { link },
    '',
    '---',
    kind === 'escalate'
      ? `Escalation: "${duty.title.en}" was due on ${duty.dueOn} and is still open (assigned to ${duty.assignees.map((a) => a.name.en).join(', ')}).`
      : `${overdue ? 'Overdue' : 'Reminder'}: "${duty.title.en}" is due on ${duty.dueOn} (${duty.articles.join(', ')}).`,
  ]);
  return { to: [to.email], subject: `${tag}${duty.title.ja}（期限 ${duty.dueOn}）`, text, html };
}

/**
 * The daily run over open duties (working days): each duty whose reminder date has come is
 * reminded, or escalated once its escalation day has come — the escalation's holders are e-mailed
 * and may complete it from then on. The next date moves on in the same write that records the
 * reminder, so running twice on one day sends nothing twice.
 */
export async function remindDuties(deps: Pick<Deps, 'duties' | 'directory' | 'mailer' | 'clock' | 'webBaseUrl'>): Promise<DutyReminderRun> {
  const now = deps.clock.now();
  const today = japanDate(now);
  const at = now.toISOString();
  const run: DutyReminderRun = { reminded: 0, escalated: 0 };
  const due = await everyItem((cursor) => deps.duties.toRemind(today, { limit: 100, cursor }));

  for (const listed of due) {
    // The index may lag the record: decide on a fresh read.
    const duty = await deps.duties.get(listed.id);
    if (!duty) continue;
    const step = reminderStep(duty, today);
    if (step.kind === 'none') continue;
    const link = `${deps.webBaseUrl}/${duty.path}`;
    try {
      if (step.kind === 'escalate') {
        const holders = (await holdersFor(deps, step.to, duty)).filter((h) => !duty.assignees.some((a) => a.id === h.id));
        await deps.duties.commit([escalateDuty(duty, at, step.next, step.to, holders)]);
        const recipients = [...duty.assignees, ...holders];
        for (const ref of recipients) {
          const person = await deps.directory.person(ref.id);
          if (person) await deps.mailer.send(dutyReminderMail(duty, person, link, holders.some((h) => h.id === ref.id) ? 'escalate' : 'remind', true, duty.remindCount + 1));
        }
        run.escalated++;
        continue;
      }
      await deps.duties.commit([remindDuty(duty, at, step.next)]);
      for (const ref of [...duty.assignees, ...(duty.escalatedTo ?? [])]) {
        const person = await deps.directory.person(ref.id);
        if (person) await deps.mailer.send(dutyReminderMail(duty, person, link, 'remind', step.overdue, duty.remindCount + 1));
      }
      run.reminded++;
    } catch (error) {
      // Completed or changed meanwhile: the next run looks again.
      if (!(error instanceof StaleWriteError || error instanceof ConditionFailedError)) throw error;
    }
  }
  return run;
}
