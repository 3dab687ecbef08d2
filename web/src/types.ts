/** The shapes of docs/api.md, as far as the web app reads them. */
import type { Bilingual } from './i18n';

export type RequestStatus = 'in_review' | 'approved' | 'rejected' | 'sent_back' | 'withdrawn';
export type StageStatus = 'pending' | 'open' | 'approved' | 'rejected' | 'sent_back' | 'cancelled';
export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'sent_back' | 'superseded' | 'cancelled';
export type Decision = 'approve' | 'reject' | 'send_back';

export interface PersonRef {
  id: string;
  name: Bilingual;
}

export interface Role {
  role: string;
  label?: Bilingual;
  scope?: { kind: string; id: string };
}

export interface Person extends PersonRef {
  email?: string;
  site?: { id: string; name: Bilingual };
  branch?: { id: string; name: Bilingual };
  department?: { id: string; name: Bilingual };
  roles: Role[];
}

export interface Article {
  ref: string;
  text: Bilingual;
}

export interface RouteStep {
  role: string;
  label: Bilingual;
  rule?: string;
}

/** One property of a form's JSON Schema, with the x-* keywords of docs/api.md. */
export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: FieldSchema;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  anyOf?: FieldSchema[];
  oneOf?: FieldSchema[];
  'x-label'?: Bilingual;
  'x-help'?: Bilingual;
  'x-widget'?: string;
  'x-enum-labels'?: Record<string, Bilingual>;
  'x-source'?: { ledger: string; value: string; label: string };
  'x-order'?: number;
}

export interface FormRule {
  kind: string;
  start?: string;
  end?: string;
  path?: string;
  message?: Bilingual;
  [key: string]: unknown;
}

export interface FormSchema {
  type?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  'x-rules'?: FormRule[];
}

export interface Form {
  id: string;
  code: string;
  version?: number;
  category: string;
  title: Bilingual;
  description?: Bilingual;
  articles?: Article[];
  route?: RouteStep[];
  schema: FormSchema;
}

export interface StageDecision {
  by: PersonRef;
  decision: Decision;
  comment?: string | null;
  at: string;
}

export interface Stage {
  index: number;
  role: string;
  label: Bilingual;
  rule?: string;
  status: StageStatus;
  approvers: PersonRef[];
  decision: StageDecision | null;
  decisions?: StageDecision[];
  note: Bilingual | null;
}

export interface HistoryEvent {
  seq: number;
  at: string;
  actor: PersonRef | null;
  action: string;
  summary: Bilingual;
  comment?: string | null;
}

export interface RequestRecord {
  id: string;
  formId: string;
  formCode: string;
  formVersion?: number;
  formTitle: Bilingual;
  status: RequestStatus;
  round?: number;
  requester: PersonRef & { siteId?: string; branchId?: string; departmentId?: string };
  data: Record<string, unknown>;
  currentStage?: number | null;
  stages: Stage[];
  createdAt?: string;
  updatedAt?: string;
  submittedAt?: string;
  history?: HistoryEvent[];
}

export interface TaskRecord {
  id: string;
  requestId: string;
  round?: number;
  stage: number;
  stageLabel?: Bilingual;
  approverId: string;
  status: TaskStatus;
  createdAt?: string;
  decision: StageDecision | null;
  request: {
    id: string;
    formId: string;
    formCode: string;
    formTitle: Bilingual;
    status: RequestStatus;
    requester: PersonRef;
    submittedAt?: string;
  };
}

export interface TaskView {
  task: TaskRecord;
  request: RequestRecord;
  link?: { expiresAt?: string };
}

export interface LedgerColumn {
  key: string;
  label: Bilingual | string;
}

export interface LedgerPage {
  name: string;
  title?: Bilingual | string;
  /** Refs of the articles the ledger serves (e.g. S5-3). */
  articles?: string[];
  columns?: LedgerColumn[];
  items: Record<string, unknown>[];
  nextCursor?: string;
}

export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}

export interface Issue {
  path: string;
  message: string;
  messages?: Bilingual;
}
