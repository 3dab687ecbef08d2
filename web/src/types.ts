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

/** A stage that applies only when a field (or a property of the ledger item it names) has a value. */
export interface StageCondition {
  field: string;
  ledger?: string;
  property?: string;
  equals: unknown;
  label: Bilingual;
}

export interface RouteStep {
  role: string;
  label: Bilingual;
  rule?: string;
  when?: StageCondition;
}

/** One stage of `POST /api/forms/{id}/route-preview`: resolved for the caller and the data so far. */
export interface PreviewStage {
  role: string;
  label: Bilingual;
  rule?: string;
  approvers: PersonRef[];
  note?: Bilingual | null;
  /** The condition that made the stage apply: its label, or the whole condition. */
  when?: Bilingual | StageCondition | null;
}

/** `x-source`: options from a ledger, optionally only the items whose properties match `filter`. */
export interface SourceSpec {
  ledger: string;
  value: string;
  label: string;
  filter?: Record<string, unknown>;
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
  'x-source'?: SourceSpec;
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
  by: PersonRef & { onBehalfOf?: PersonRef };
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
  /** Approvals so far (stages that need every approver). */
  approvals?: StageDecision[];
  decisions?: StageDecision[];
  /** Why the stage went elsewhere, or 上申の説明 after an escalation. */
  note: Bilingual | null;
}

/**
 * Audit actions of a request (docs/api.md): `submitted`, `stage_opened`, `decided`, `approved`,
 * `rejected`, `sent_back`, `resubmitted`, `withdrawn`, `effects_applied`, `reminded` (督促),
 * `escalated` (上申). Ledger items have their own.
 */
export interface HistoryEvent {
  seq: number;
  at: string;
  actor: PersonRef | null;
  action: string;
  summary: Bilingual;
  comment?: string | null;
  /** What changed; for `escalated`, `after.approvers` are the ids of the people who joined the stage. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  hash?: string;
  prevHash?: string;
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
  /** The schema of the form version the request was filed under. */
  formSchema?: Form['schema'] | null;
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

export type ColumnType = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'enum' | 'list';

/** A ledger column; `key` is a dot path into the item (`name.ja`). */
export interface LedgerColumn {
  key: string;
  label: Bilingual | string;
  type?: ColumnType;
  enumLabels?: Record<string, Bilingual>;
}

export type LedgerItem = Record<string, unknown> & { id?: string; siteId?: string; branchId?: string };

/** A ledger's definition (`GET /api/ledgers`). */
export interface LedgerDefinition {
  name: string;
  title?: Bilingual | string;
  description?: Bilingual | string;
  /** Refs of the articles the ledger serves (e.g. S5-3). */
  articles?: string[];
  columns?: LedgerColumn[];
  /** Attributes only transactions move (seat counters): shown read-only when editing. */
  counters?: string[];
}

/** `GET /api/ledgers/{name}`: the definition with one page of items. */
export interface LedgerPage extends LedgerDefinition {
  items: LedgerItem[];
  nextCursor?: string;
}

/** `GET /api/ledgers/{name}/{id}`. */
export interface LedgerItemView {
  item: LedgerItem;
  version: number;
  history: HistoryEvent[];
}

export interface ImportIssue {
  path: string;
  message?: string;
  messages?: Bilingual;
}

export interface ImportRow {
  row: number;
  id: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  issues: ImportIssue[];
}

/** `POST /api/ledgers/{name}/import`. */
export interface ImportReport {
  imported: number;
  rejected: number;
  unchanged: number;
  applied?: boolean;
  rows: ImportRow[];
}

/** One task's outcome in `POST /api/tasks/bulk-approval`. */
export interface BulkResult {
  taskId: string;
  ok: boolean;
  status: number;
  code?: string;
  messages?: Bilingual;
}

/** `POST /api/tasks/bulk-approval` (一括承認). */
export interface BulkOutcome {
  approved: number;
  refused: number;
  results: BulkResult[];
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
