/**
 * Duties: the dated obligations the regulations put on someone — a month's logbook review, a
 * password change every six months (A17-2), the deletion of a suspended ID (A16-5), periodic usage
 * analyses (S11, S21, S30, S39) and internal audits (S17-6), the return of a laptop taken out
 * (A11(5)). Each is one record with a due date; a daily run reminds its assignees and escalates it
 * to a role above when it stays open, and the calendar lists them.
 */
import type { LedgerEntry } from './approval';
import type { AuditEvent } from './audit';
import { japanDate } from './dates';
import { conflict, forbidden } from './errors';
import type { Page, PageRequest } from './ledgers';
import type { Person, PersonRef } from './organisation';
import { hasRole, refOf } from './organisation';
import type { RoleId } from './roles';
import { roles, superiorOf } from './roles';
import type { Text } from './text';
import type { RecordChange, VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { addDays, addWorkingDays, isWorkingDay } from './working-days';

export type DutyKind = 'logbook-review' | 'password-change' | 'id-deletion' | 'usage-analysis' | 'internal-audit' | 'media-return';
export type DutyStatus = 'open' | 'done' | 'cancelled';

export interface Duty extends VersionedRecord {
  /** Deterministic, so that opening the same duty twice finds the first: e.g. `review.2026-10.L1.site-tokyo`. */
  id: string;
  kind: DutyKind;
  title: Text;
  /** Article references, e.g. `A17-2`. */
  articles: string[];
  /** Who must act. */
  assignees: PersonRef[];
  /** The role the duty belongs to; escalation goes to the policy's role or this role's superior. */
  role: RoleId;
  /** Where the role holds (a site id, or `company`): escalation looks for holders there. */
  scopeId: string;
  /** Japan date by which it should be done. */
  dueOn: string;
  /** The web page where it is done, as a hash route: `#/reviews/2026-10/L1/site-tokyo`. */
  path: string;
  status: DutyStatus;
  openedAt: string;
  /** The next Japan date the daily run looks at it; absent once it is no longer open. */
  remindOn?: string;
  remindCount: number;
  escalatedAt?: string;
  escalatedTo?: PersonRef[];
  doneAt?: string;
  doneBy?: PersonRef;
  note?: string;
  /** Ids the duty is about (a ledger item, a month and logbook …), for the page that does it. */
  subject: Record<string, string>;
  /** Ledger figures taken when the duty opened (a usage analysis, an internal audit), shown on its page. */
  figures?: DutyFigures;
}

/** The ledger figures of a period, attached to a periodic duty when it opens. */
export interface DutyFigures {
  /** The period the duty covers (Japan dates, inclusive). */
  period: { id: string; from: string; to: string; label: Text };
  /** When the ledgers were read: the figures are the ledgers as they stood then. */
  asOf: string;
  tables: FigureTable[];
}

/** One table of counts: a row per site, product or licence, a column per status or counter. */
export interface FigureTable {
  title: Text;
  /** The ledger the counts come from. */
  ledger: string;
  columns: Text[];
  rows: { label: Text; values: number[] }[];
}

/** When a kind of duty is reminded and escalated. Working days are Japanese working days. */
export interface DutyPolicy {
  /** The first reminder: this many calendar days before the due date (negative: after it). */
  firstReminderDaysBeforeDue: number;
  /** …or, when set, this many working days after the duty opened, whichever comes first. */
  firstReminderWorkingDaysAfterOpen?: number;
  /** Reminders repeat every this many working days while the duty is open. */
  repeatWorkingDays: number;
  /** Escalation this many calendar days after the due date (0: on the due date itself). */
  escalateDaysAfterDue: number;
  /** Who it escalates to; by default the superior of the duty's role. */
  escalateTo?: RoleId;
}

/**
 * The regulations' reminders, by kind. A review is due 10 days after it opens and is reminded every
 * 3 working days; a password is reminded 14 days before its 6 months run out and escalated to the
 * system administrator once overdue; a suspended ID is reminded on its deletion date.
 */
export const dutyPolicies: Record<DutyKind, DutyPolicy> = {
  'logbook-review': { firstReminderDaysBeforeDue: -1, firstReminderWorkingDaysAfterOpen: 3, repeatWorkingDays: 3, escalateDaysAfterDue: 0 },
  'password-change': { firstReminderDaysBeforeDue: 14, repeatWorkingDays: 3, escalateDaysAfterDue: 1, escalateTo: 'sysAdmin' },
  'id-deletion': { firstReminderDaysBeforeDue: 0, repeatWorkingDays: 3, escalateDaysAfterDue: 5 },
  'usage-analysis': { firstReminderDaysBeforeDue: 7, repeatWorkingDays: 5, escalateDaysAfterDue: 10 },
  'internal-audit': { firstReminderDaysBeforeDue: 7, repeatWorkingDays: 5, escalateDaysAfterDue: 10 },
  'media-return': { firstReminderDaysBeforeDue: -1, repeatWorkingDays: 1, escalateDaysAfterDue: 1, escalateTo: 'generalAffairs' },
};

/** The audit chain of a duty. */
export const dutyRecord = (id: string) => `duty#${id}`;

/** What is needed to open a duty; the rest is derived. */
export type DutyDraft = Pick<Duty, 'id' | 'kind' | 'title' | 'articles' | 'assignees' | 'role' | 'scopeId' | 'dueOn' | 'path' | 'subject'> & Partial<Pick<Duty, 'figures'>>;

/** The first working day on or after a date: reminders go out on working days. */
function onWorkingDay(date: string): string {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The date a newly opened duty is first looked at by the daily run. */
export function firstRemindOn(draft: Pick<Duty, 'kind' | 'dueOn'>, openedOn: string): string {
  const policy = dutyPolicies[draft.kind];
  const candidates = [addDays(draft.dueOn, -policy.firstReminderDaysBeforeDue)];
  if (policy.firstReminderWorkingDaysAfterOpen !== undefined) candidates.push(addWorkingDays(openedOn, policy.firstReminderWorkingDaysAfterOpen));
  const first = candidates.sort()[0];
  // Never in the past: a duty opened late is reminded from its next working day.
  return onWorkingDay(first > openedOn ? first : addDays(openedOn, 1));
}

/** The day an open duty escalates. */
export const escalationDay = (duty: Pick<Duty, 'kind' | 'dueOn'>): string => addDays(duty.dueOn, dutyPolicies[duty.kind].escalateDaysAfterDue);

/** Opens a duty: it is reminded from `firstRemindOn`. */
export function openDuty(draft: DutyDraft, at: string, actor: PersonRef | null): RecordChange<Duty> {
  const openedOn = japanDate(new Date(at));
  return recordChange<Duty>(
    null,
    { ...draft, status: 'open', openedAt: at, remindOn: firstRemindOn(draft, openedOn), remindCount: 0 },
    dutyRecord(draft.id),
    [
      {
        at,
        actor,
        action: 'duty.opened',
        summary: { ja: `${draft.title.ja}（期限 ${draft.dueOn}）を開始しました`, en: `Opened ${draft.title.en} (due ${draft.dueOn})` },
        after: { status: 'open', dueOn: draft.dueOn, assignees: draft.assignees.map((a) => a.id) },
      },
    ],
  );
}

/** Whether a person may complete (or see the details of) a duty: an assignee, someone it escalated to, or a holder of its role. */
export function mayAct(duty: Pick<Duty, 'assignees' | 'escalatedTo' | 'role'>, person: Pick<Person, 'id' | 'roles'>): boolean {
  return (
    duty.assignees.some((a) => a.id === person.id || a.onBehalfOf?.id === person.id) ||
    (duty.escalatedTo ?? []).some((a) => a.id === person.id) ||
    hasRole(person, duty.role)
  );
}

/** Marks an open duty done. Refuses someone who may not act on it, and a duty no longer open. */
export function completeDuty(duty: Duty, by: Person, at: string, note?: string): RecordChange<Duty> {
  if (!mayAct(duty, by)) {
    throw forbidden({ ja: 'この業務を完了できるのは担当者だけです。', en: 'Only the people this duty is assigned to may complete it.' });
  }
  if (duty.status !== 'open') {
    throw conflict({ ja: 'この業務はすでに完了または取消済みです。', en: 'This duty is already done or cancelled.' });
  }
  const { remindOn: _remindOn, ...rest } = duty;
  return recordChange<Duty>(duty, { ...rest, status: 'done', doneAt: at, doneBy: refOf(by), ...(note ? { note } : {}) }, dutyRecord(duty.id), [
    {
      at,
      actor: refOf(by),
      action: 'duty.done',
      summary: { ja: `${duty.title.ja}を完了しました`, en: `Completed ${duty.title.en}` },
      before: { status: 'open' },
      after: { status: 'done', ...(note ? { note } : {}) },
    },
  ]);
}

/** Cancels an open duty (its subject went away, e.g. the ID was deleted before the password was due). */
export function cancelDuty(duty: Duty, at: string, actor: PersonRef | null, reason: Text): RecordChange<Duty> {
  if (duty.status !== 'open') throw conflict({ ja: 'この業務はすでに完了または取消済みです。', en: 'This duty is already done or cancelled.' });
  const { remindOn: _remindOn, ...rest } = duty;
  return recordChange<Duty>(duty, { ...rest, status: 'cancelled' }, dutyRecord(duty.id), [
    { at, actor, action: 'duty.cancelled', summary: { ja: `${duty.title.ja}を取り消しました（${reason.ja}）`, en: `Cancelled ${duty.title.en} (${reason.en})` }, before: { status: 'open' }, after: { status: 'cancelled' } },
  ]);
}

/**
 * Opens a cancelled duty again (its subject came back, e.g. a suspended ID made active again with the
 * same password date): reminded afresh from `firstRemindOn`, its earlier escalation forgotten.
 */
export function reopenDuty(duty: Duty, at: string, actor: PersonRef | null, reason: Text): RecordChange<Duty> {
  if (duty.status !== 'cancelled') throw conflict({ ja: '取り消された業務だけを再開できます。', en: 'Only a cancelled duty can be reopened.' });
  const { escalatedAt: _escalatedAt, escalatedTo: _escalatedTo, doneAt: _doneAt, doneBy: _doneBy, note: _note, ...rest } = duty;
  return recordChange<Duty>(duty, { ...rest, status: 'open', remindOn: firstRemindOn(duty, japanDate(new Date(at))), remindCount: 0 }, dutyRecord(duty.id), [
    { at, actor, action: 'duty.reopened', summary: { ja: `${duty.title.ja}を再開しました（${reason.ja}）`, en: `Reopened ${duty.title.en} (${reason.en})` }, before: { status: 'cancelled' }, after: { status: 'open' } },
  ]);
}

/** What the daily run does with an open duty on a day. */
export type ReminderStep = { kind: 'none' } | { kind: 'remind'; next: string; overdue: boolean } | { kind: 'escalate'; next: string; to: RoleId };

/** The next date after `today` the duty is looked at: its next reminder, or its escalation day if that comes first. */
function nextLook(duty: Duty, today: string, escalated: boolean): string {
  const reminder = addWorkingDays(today, dutyPolicies[duty.kind].repeatWorkingDays);
  const escalation = onWorkingDay(escalationDay(duty));
  return !escalated && escalation > today && escalation < reminder ? escalation : reminder;
}

/** Decides the daily run's step for a duty: escalate once when its day has come, else remind. */
export function reminderStep(duty: Duty, today: string): ReminderStep {
  if (duty.status !== 'open' || !duty.remindOn || duty.remindOn > today) return { kind: 'none' };
  const policy = dutyPolicies[duty.kind];
  const to = policy.escalateTo ?? superiorOf[duty.role];
  if (!duty.escalatedAt && to && today >= escalationDay(duty)) return { kind: 'escalate', next: nextLook(duty, today, true), to };
  return { kind: 'remind', next: nextLook(duty, today, Boolean(duty.escalatedAt)), overdue: today > duty.dueOn };
}

/** Records a reminder sent today and when to look next. */
export function remindDuty(duty: Duty, at: string, next: string): RecordChange<Duty> {
  const count = duty.remindCount + 1;
  return recordChange<Duty>(duty, { ...duty, remindOn: next, remindCount: count }, dutyRecord(duty.id), [
    { at, actor: null, action: 'duty.reminded', summary: { ja: `督促を送りました（${count}回目）`, en: `Sent reminder ${count}` }, after: { remindCount: count, remindOn: next } },
  ]);
}

/** Records an escalation to the holders of a role (they may then complete the duty too). */
export function escalateDuty(duty: Duty, at: string, next: string, to: RoleId, holders: PersonRef[]): RecordChange<Duty> {
  return recordChange<Duty>(duty, { ...duty, remindOn: next, escalatedAt: at, escalatedTo: holders }, dutyRecord(duty.id), [
    {
      at,
      actor: null,
      action: 'duty.escalated',
      summary: { ja: `期限を過ぎたため${roles[to].label.ja}へ上申しました`, en: `Escalated to ${roles[to].label.en} as it is overdue` },
      after: { escalatedTo: holders.map((h) => h.id) },
    },
  ]);
}

/** Duties, each with its audit chain. */
export interface DutyStore {
  get(id: string): Promise<Duty | null>;
  /**
   * Writes the changes in one transaction, with the ledger entries a completion causes (a password
   * change recorded on its ID, a suspended ID deleted). Opening a duty that exists already is refused
   * with StaleWriteError, as is any change to a duty or ledger item whose version moved on.
   */
  commit(changes: readonly RecordChange<Duty>[], ledger?: readonly LedgerEntry[]): Promise<void>;
  /** Open duties whose reminder date is on or before this Japan date, earliest first. */
  toRemind(onOrBefore: string, page: PageRequest): Promise<Page<Duty>>;
  /** Duties due in a month (YYYY-MM), any status, by due date. */
  dueIn(month: string, page: PageRequest): Promise<Page<Duty>>;
  /** Open duties due before this Japan date (overdue ones), earliest first. */
  openDueBefore(date: string, page: PageRequest): Promise<Page<Duty>>;
  history(id: string): Promise<AuditEvent[]>;
}
