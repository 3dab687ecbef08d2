/** The shapes of the review routes of docs/api.md, as far as the pages read them. */
import type { Bilingual } from '../../i18n';
import type { Article, PersonRef } from '../../types';
import type { Logbook, LogbookEntry } from '../logbooks/types';

export type MonthRowStatus = 'not-opened' | 'open' | 'completed';
export type Conclusion = 'no-anomaly' | 'anomalies-found';

export interface MonthRow {
  siteId: string;
  siteName: Bilingual;
  logbook: string;
  title: Bilingual;
  articles: string[];
  status: MonthRowStatus;
  entries: number;
  anomalies: number;
  reviewers: PersonRef[];
  dueOn?: string;
  escalated?: boolean;
  conclusion?: Conclusion;
  completedAt?: string;
  completedBy?: PersonRef;
}

/** `GET /api/reviews?month=` */
export interface MonthView {
  month: string;
  label: Bilingual;
  articles: Article[];
  rows: MonthRow[];
  counts: Record<MonthRowStatus, number>;
}

export interface Anomaly {
  kind: string;
  key: string;
  entryId?: string;
  date: string;
  message: Bilingual;
}

export interface Finding {
  key: string;
  kind: string;
  entryId?: string;
  date?: string;
  message: Bilingual;
  cause: string;
  action: string;
}

export interface Review {
  id: string;
  month: string;
  logbook: string;
  siteId: string;
  title: Bilingual;
  siteName: Bilingual;
  articles: string[];
  reviewerRole: string;
  reviewers: PersonRef[];
  assignment: 'role' | 'nominee' | 'fallback';
  status: 'open' | 'completed';
  openedAt: string;
  dueOn: string;
  notifiedAt?: string;
  conclusion?: Conclusion;
  findings?: Finding[];
  comment?: string;
  entryCount?: number;
  anomalyCount?: number;
  completedAt?: string;
  completedBy?: PersonRef;
  version: number;
}

export interface HistoryEvent {
  seq: number;
  at: string;
  actor: PersonRef | null;
  action: string;
  summary: Bilingual;
}

/** `GET /api/reviews/{month}/{logbook}/{siteId}` and the answer of its `/complete`. */
export interface ReviewDetail {
  review: Review;
  logbook: Logbook;
  entries: LogbookEntry[];
  people: PersonRef[];
  anomalies: Anomaly[];
  history: HistoryEvent[];
  duty: { status: string; remindCount: number; dueOn: string; escalatedAt?: string; escalatedTo?: PersonRef[] } | null;
  mayComplete: boolean;
}
