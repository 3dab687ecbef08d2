import type { z } from 'zod';
import type { FieldIssue } from './errors';
import type { LedgerReader, LedgerWrite } from './ledgers';
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
}

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
}

export interface ApprovedRequestFacts<T> {
  requestId: string;
  requester: PersonRef;
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
  rules: CrossFieldRule[];
  /** Checks that need to look things up (the server exists in the ledger, …). */
  check?(data: T, context: FormContext): Promise<FieldIssue[]>;
  /** The ledger items a final approval creates, written in the same transaction as the outcome. */
  onApproved?(facts: ApprovedRequestFacts<T>, context: FormContext): Promise<LedgerWrite[]>;
}
