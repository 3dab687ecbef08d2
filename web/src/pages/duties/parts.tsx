/** Pieces the calendar and the duty page share: the month's name, status badges, who a duty is for. */
import { getLang, loc } from '../../i18n';
import type { PersonRef } from '../../types';
import { td } from './messages';
import type { Duty, DutyKind } from './types';

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-11` as 2026年11月 / November 2026. */
export function monthName(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return td('month', { year, month: number, monthName: EN_MONTHS[number - 1] ?? String(number) });
}

/** The month before or after `YYYY-MM`. */
export function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number);
  const index = year * 12 + number - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Days between two Japan dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export const kindName = (kind: DutyKind) => td(`kind.${kind}`);

/** The duty's status, with 期限超過 and how long for an open one past its date. */
export function DutyStatusBadge({ duty, today }: { duty: Pick<Duty, 'status' | 'dueOn'>; today: string }) {
  if (duty.status === 'open' && duty.dueOn < today) {
    return (
      <span class="duty-status">
        <span class="badge badge-rejected">{td('overdue')}</span> <span class="muted small">{td('daysOver', { n: daysBetween(duty.dueOn, today) })}</span>
      </span>
    );
  }
  const tone = duty.status === 'open' ? 'badge-in_review' : duty.status === 'done' ? 'badge-approved' : 'badge-withdrawn';
  return <span class={`badge ${tone}`}>{td(`status.${duty.status}`)}</span>;
}

const names = (people: readonly PersonRef[]) => people.map((person) => loc(person.name)).join(getLang() === 'ja' ? '、' : ', ');

/** The assignees, and whom the duty was escalated to. */
export function Assignees({ duty }: { duty: Pick<Duty, 'assignees' | 'escalatedTo'> }) {
  return (
    <>
      {names(duty.assignees) || '—'}
      {duty.escalatedTo && duty.escalatedTo.length > 0 ? <span class="duty-escalated">{td('escalatedNote', { names: names(duty.escalatedTo) })}</span> : null}
    </>
  );
}
