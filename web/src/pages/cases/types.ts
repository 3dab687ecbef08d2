/** The shapes of the case API (docs/api.md "Cases"), as the case pages read them. */
import type { Bilingual } from '../../i18n';
import type { HistoryEvent, PersonRef } from '../../types';

export type IncidentStatus = 'reported' | 'notified' | 'recovered' | 'recovery-notified' | 'timeline-reported' | 'cause-recorded' | 'closed';

export interface CaseArticle {
  ref: string;
  text: Bilingual;
}

export interface Place {
  id: string;
  name: Bilingual;
}

export interface CaseCatalog {
  cases: {
    kind: 'incident' | 'media-checkout';
    code: string;
    title: Bilingual;
    description: Bilingual;
    articles: CaseArticle[];
    kinds: Record<string, Bilingual>;
    phases?: { phase: IncidentStatus; label: Bilingual; status: Bilingual; articles: string[] }[];
    maxDays?: number;
  }[];
  sites: Place[];
  departments: Place[];
  may: { handleIncidents: boolean; listAllIncidents: boolean; listAllCheckouts: boolean; recordReturns: boolean };
}

export type RecipientReason = { role: string; departmentId?: string; siteId?: string };

export interface NoticeRecipient extends PersonRef {
  because: RecipientReason[];
}

export interface IncidentPhase {
  phase: IncidentStatus;
  at: string;
  by: PersonRef;
  recipients?: NoticeRecipient[];
  unreachedDepartments?: string[];
  message?: string;
}

export type AffectedSystem = { ledger?: 'servers' | 'clients'; id?: string; name: string };

export interface TimelineEntry {
  at: string;
  kind: 'started' | 'phase' | 'recovered' | 'line';
  label: Bilingual;
  by?: PersonRef;
  detail?: string;
  phase?: IncidentStatus;
}

export interface IncidentSummary {
  id: string;
  kind: string;
  title: string;
  siteName: Bilingual;
  startedAt: string;
  reportedAt: string;
  reporter: PersonRef;
  personalInfoRisk: boolean;
  status: IncidentStatus;
  statusLabel: Bilingual;
  next: IncidentStatus | null;
}

export interface Incident extends IncidentSummary {
  version: number;
  description: string;
  siteId: string;
  systems: AffectedSystem[];
  affectedDepartments: Place[];
  personalInfoNote?: string;
  phases: IncidentPhase[];
  recovery?: { recoveredAt: string; action: string };
  timeline?: { summary: string; lines: { at: string; text: string }[] };
  cause?: { cause: string; prevention: string };
  closingComment?: string;
  timelineEntries: TimelineEntry[];
  history: HistoryEvent[];
  mayHandle: boolean;
  preview: { recipients: NoticeRecipient[]; unreachedDepartments: string[] } | null;
}

export interface Checkout {
  id: string;
  version: number;
  mediaKind: string;
  item: { clientId?: string; name: string };
  purpose: string;
  destination: string;
  borrower: PersonRef;
  recordedBy: PersonRef;
  checkedOutAt: string;
  expectedReturnOn: string;
  status: 'out' | 'returned';
  returnedAt?: string;
  returnedTo?: PersonRef;
  returnNote?: string;
  overdue: boolean;
  daysOverdue: number;
}

export interface CheckoutDetail extends Checkout {
  history: HistoryEvent[];
  duty: { id: string; status: string; dueOn: string; remindCount: number; escalatedAt: string | null } | null;
  mayRecordReturn: boolean;
}
