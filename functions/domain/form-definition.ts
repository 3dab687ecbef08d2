import type { z } from 'zod';
import type { FieldIssue } from './errors';
import type { Requester, Reservation } from './approval';
import type { LedgerOp, LedgerReader } from './ledgers';
import type { Directory, PersonRef } from './organisation';
import type { RoleId } from './roles';
import type { Text } from './text';

/** How the catalogue groups forms, following the chapters of the regulations. */
export type FormCategory = 'server' | 'client' | 'products' | 'licences' | 'ids' | 'configuration';

/** An article (or paragraph) of the regulations a form implements, e.g. `S5-3`. */
export interface Article {
  ref: string;
  text: Text;
}

/** One stage of a route: a role resolved from the requester's place in the organisation. */
export interface StageTemplate {
  role: RoleId;
  /** `any`: one approver's decision completes the stage; `all`: every approver must approve. */
  rule: 'any' | 'all';
  /** The stage applies only when this holds for the form data (e.g. DB software adds the DBA). */
  when?: StageCondition;
}

/**
 * A declarative condition on the form data: a field's value, or a property of the ledger item a
 * field points to (`{ field: 'productId', ledger: 'products', property: 'category', equals: 'database' }`).
 */
export interface StageCondition {
  field: string;
  ledger?: string;
  property?: string;
  equals: string | number | boolean;
  /** How the condition reads to a requester, shown beside the stage. */
  label: Text;
}

export interface ReminderPolicy {
  /** Working days after a task opens (and between reminders) before its approver is reminded. */
  remindAfterWorkingDays: number;
  /** Working days after a task opens before the stage is escalated to the role's superior. */
  escalateAfterWorkingDays: number;
}

export const DEFAULT_REMINDERS: ReminderPolicy = { remindAfterWorkingDays: 3, escalateAfterWorkingDays: 10 };

/** End date not before start date; declared here so that the page and the server check the same rule. */
export interface DateOrderRule {
  kind: 'dateOrder';
  start: string;
  end: string;
  path: string;
  message: Text;
}

export type CrossFieldRule = DateOrderRule;

export interface FormContext {
  ledgers: LedgerReader;
  directory: Directory;
  now: Date;
  /** Who is filing (absent when a form computes facts for its page before anyone files). */
  requester?: Requester;
}

/** A message to people other than the requester and the approvers (e.g. S8-2 advance notice). */
export interface Notice {
  to: PersonRef[];
  subject: Text;
  body: Text;
}

export interface ApprovedRequestFacts<T> {
  requestId: string;
  requester: Requester;
  /** What the request held while in review (the seat it keeps names the licence it took); always set by ApplyOutcome. */
  reservations?: Reservation[];
  data: T;
  approvedAt: string;
}

/** Everything the platform knows about one form: what it asks, whom it goes to, what approval does. */
export interface FormDefinition<T extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  code: string;
  version: number;
  category: FormCategory;
  title: Text;
  description: Text;
  articles: Article[];
  route: StageTemplate[];
  /** The form data; field metadata (`x-label`, `x-help`, …) rides on zod's `.meta()`. */
  schema: z.ZodType<T>;
  /**
   * Schemas of earlier versions, kept so that a request filed under one still shows its fields with
   * the labels it was filed with after the form changed.
   */
  previousVersions?: { version: number; schema: z.ZodType }[];
  rules: CrossFieldRule[];
  /** 回覧: roles that receive a read-only notice of every approved request (resolved for the requester). */
  circulate?: RoleId[];
  /** 督促 and escalation of open tasks, in working days (defaults: DEFAULT_REMINDERS). */
  reminders?: ReminderPolicy;
  /** Checks that need to look things up (the server exists in the ledger, …). */
  check?(data: T, context: FormContext): Promise<FieldIssue[]>;
  /** Seats and names the request holds while in review (see Reservation). */
  reserve?(data: T, requester: PersonRef, context: FormContext): Promise<Reservation[]>;
  /** The ledger changes a final approval makes, written in the same transaction as the outcome. */
  onApproved?(facts: ApprovedRequestFacts<T>, context: FormContext): Promise<LedgerOp[]>;
  /** Who else is told of a final approval, after it is recorded. */
  notices?(facts: ApprovedRequestFacts<T>, context: FormContext): Promise<Notice[]>;
  /** Facts shown on the form before filling it in (A15-3: how many privileged IDs exist). */
  context?(context: FormContext): Promise<Text[]>;
}
