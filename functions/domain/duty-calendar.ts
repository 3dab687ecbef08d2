import type { AuditEvent } from './audit';
import { japanDate } from './dates';
import type { Duty, DutyKind } from './duties';
import { dutyArticles } from './duty-articles';
import { completeDuty, mayAct } from './duties';
import { conflict, notFound, StaleWriteError } from './errors';
import { everyItem } from './paging';
import type { Person } from './organisation';
import { hasRole } from './organisation';
import type { Deps } from './ports';
import { completionEffects } from './recurring-duties';

/** Who sees every duty on the calendar, not only their own: the roles that answer for compliance. */
const OVERSEERS = ['securityManager', 'itInfra', 'sysAdmin', 'generalAffairs'] as const;

export const seesAllDuties = (person: Pick<Person, 'roles'>) => OVERSEERS.some((role) => hasRole(person, role));

export interface DutyCalendar {
  month: string;
  today: string;
  /** Due in the month, by due date. */
  due: (Duty & { overdue: boolean })[];
  /** Still open from earlier months. */
  overdueEarlier: Duty[];
  /** Whether the list holds every duty or only the caller's. */
  scope: 'all' | 'mine';
}

/**
 * The calendar of a month: what is due, for whom, and what is overdue. Everyone sees the duties
 * they may act on; the security manager, IT infrastructure, the system administrator and general
 * affairs see every duty.
 */
export async function dutyCalendar(deps: Pick<Deps, 'duties' | 'clock'>, caller: Person, month: string): Promise<DutyCalendar> {
  const today = japanDate(deps.clock.now());
  const all = seesAllDuties(caller);
  const visible = (duty: Duty) => all || mayAct(duty, caller);
  const monthStart = `${month}-01`;
  const [due, earlier] = await Promise.all([
    everyItem((cursor) => deps.duties.dueIn(month, { limit: 200, cursor })),
    everyItem((cursor) => deps.duties.openDueBefore(monthStart < today ? monthStart : today, { limit: 200, cursor })),
  ]);
  return {
    month,
    today,
    due: due.filter(visible).map((duty) => ({ ...duty, overdue: duty.status === 'open' && duty.dueOn < today })),
    overdueEarlier: earlier.filter((duty) => visible(duty) && !duty.dueOn.startsWith(month)),
    scope: all ? 'all' : 'mine',
  };
}

const notFoundDuty = () => notFound({ ja: '業務が見つかりません。', en: 'No such duty.' });

/** One duty with its history and the text of its articles, for whoever may act on it or oversees duties. */
export async function dutyDetail(
  deps: Pick<Deps, 'duties'>,
  caller: Person,
  id: string,
): Promise<{ duty: Duty; history: AuditEvent[]; articles: ReturnType<typeof dutyArticles> }> {
  const duty = await deps.duties.get(id);
  if (!duty || !(seesAllDuties(caller) || mayAct(duty, caller))) throw notFoundDuty();
  return { duty, history: await deps.duties.history(id), articles: dutyArticles(duty.articles) };
}

/** Kinds completed on their own page, where completing records more than "done" (findings, a return). */
const COMPLETED_ELSEWHERE = new Set<DutyKind>(['logbook-review', 'media-return']);

/**
 * Marks a duty done from the calendar ("確認しました"): a password changed, an ID deleted, an
 * analysis or audit carried out. `version` guards against completing what someone else changed.
 * What the completion records elsewhere (the password date on the ID and the next change, the ID
 * deleted; see `completionEffects`) is written in the same transaction as the duty.
 */
export async function confirmDuty(deps: Pick<Deps, 'duties' | 'clock' | 'ledgers'>, caller: Person, id: string, input: { note?: string; version: number }): Promise<Duty> {
  const duty = await deps.duties.get(id);
  if (!duty || !(seesAllDuties(caller) || mayAct(duty, caller))) throw notFoundDuty();
  if (COMPLETED_ELSEWHERE.has(duty.kind)) {
    throw conflict({ ja: 'この業務は専用の画面で完了してください。', en: 'This duty is completed on its own page.' });
  }
  if (duty.version !== input.version) {
    throw conflict({ ja: 'ほかの人が先に更新しました。最新の内容を確認してください。', en: 'Someone else changed this duty first; reload it.' });
  }
  const at = deps.clock.now().toISOString();
  const change = completeDuty(duty, caller, at, input.note);
  const effects = await completionEffects(deps, duty, caller, at, input.note);
  try {
    await deps.duties.commit([change, ...effects.duties], effects.ledger);
  } catch (error) {
    if (error instanceof StaleWriteError) throw conflict({ ja: 'ほかの人が先に更新しました。最新の内容を確認してください。', en: 'Someone else changed this duty first; reload it.' });
    throw error;
  }
  return change.next;
}
