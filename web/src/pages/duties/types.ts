/** The duty shapes of docs/api.md (`GET /api/duties`, `GET /api/duties/{id}`), as the calendar reads them. */
import type { Bilingual } from '../../i18n';
import type { HistoryEvent, PersonRef } from '../../types';

export type DutyKind = 'logbook-review' | 'password-change' | 'id-deletion' | 'usage-analysis' | 'internal-audit' | 'media-return';
export type DutyStatus = 'open' | 'done' | 'cancelled';

export interface FigureTable {
  title: Bilingual;
  ledger: string;
  columns: Bilingual[];
  rows: { label: Bilingual; values: number[] }[];
}

export interface Duty {
  id: string;
  kind: DutyKind;
  title: Bilingual;
  articles: string[];
  assignees: PersonRef[];
  role: string;
  dueOn: string;
  path: string;
  status: DutyStatus;
  openedAt: string;
  remindCount: number;
  escalatedAt?: string;
  escalatedTo?: PersonRef[];
  doneAt?: string;
  doneBy?: PersonRef;
  note?: string;
  subject: Record<string, string>;
  figures?: { period: { id: string; from: string; to: string; label: Bilingual }; asOf: string; tables: FigureTable[] };
  version: number;
  /** Set on the calendar's list: open and past its due date. */
  overdue?: boolean;
}

export interface DutyCalendar {
  month: string;
  today: string;
  due: Duty[];
  overdueEarlier: Duty[];
  scope: 'all' | 'mine';
}

export interface DutyDetail {
  duty: Duty;
  history: HistoryEvent[];
  articles: { ref: string; text?: Bilingual }[];
}

/** Kinds completed on their own page (a review, a return): the calendar links there. */
export const COMPLETED_ELSEWHERE: ReadonlySet<DutyKind> = new Set(['logbook-review', 'media-return']);

/** Where a duty is looked at: its own page for reviews and returns, the duty page for the rest. */
export const dutyHref = (duty: Pick<Duty, 'id' | 'kind' | 'path'>) => (COMPLETED_ELSEWHERE.has(duty.kind) ? duty.path : `#/duties/${encodeURIComponent(duty.id)}`);

/** Whether the duty is past its date and still open, as of `today` (a Japan date). */
export const isOverdue = (duty: Pick<Duty, 'status' | 'dueOn'>, today: string) => duty.status === 'open' && duty.dueOn < today;
