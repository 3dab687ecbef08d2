import type { ApprovalRequest, Circulation, LedgerEntry, RequestChange, Task } from './approval';
import type { AuditEvent } from './audit';
import type { FormDefinition } from './form-definition';
import type { LedgerDefinition, LedgerReader, Page, PageRequest } from './ledgers';
import type { ApprovalLink } from './link-token';
import type { Directory } from './organisation';
import type { Text } from './text';

/** Requests, their tasks, links and audit history. The adapter writes each change in one transaction. */
export interface RequestStore {
  load(id: string): Promise<{ request: ApprovalRequest; tasks: Task[]; circulations?: Circulation[] } | null>;
  /** A person's circulations, newest first; `unread` keeps those not yet marked read. */
  circulationsOf(personId: string, unread: boolean, page: PageRequest): Promise<Page<Circulation>>;
  /** Marks a circulation read; false when there is none for this person (or it was read already). */
  markCirculationRead(requestId: string, personId: string, at: string): Promise<boolean>;
  /**
   * Writes a change atomically. Throws StaleWriteError when the request's version moved on, and
   * ConditionFailedError when a task was no longer pending or a link was already used.
   */
  commit(change: RequestChange): Promise<void>;
  listByRequester(userId: string, page: PageRequest): Promise<Page<ApprovalRequest>>;
  /** Requests the workflow still owes something (see `needsWorkflow`), oldest first. */
  listNeedingWorkflow(page: PageRequest): Promise<Page<ApprovalRequest>>;
  inbox(approverId: string, page: PageRequest): Promise<Page<Task>>;
  /** Pending tasks whose reminder date is on or before this Japan date, oldest first. */
  tasksToRemind(onOrBefore: string, page: PageRequest): Promise<Page<Task>>;
  history(requestId: string): Promise<AuditEvent[]>;
  link(tokenHash: string): Promise<ApprovalLink | null>;
  saveLink(link: ApprovalLink): Promise<void>;
  /** Records that the approver was e-mailed; only while the task is still pending. */
  markNotified(task: Task, at: string): Promise<void>;
}

/** Ledgers: reads, each item's history, and changes made outside a request (edits, imports, schedules). */
export interface LedgerStore extends LedgerReader {
  history(ledger: string, id: string): Promise<AuditEvent[]>;
  /** Writes the entries in one transaction; refusals as in RequestStore.commit. */
  commit(entries: readonly LedgerEntry[]): Promise<void>;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** The approval workflow as the domain drives it. */
export interface Workflow {
  start(requestId: string, round: number): Promise<void>;
  /** Wakes the execution waiting on a token; false when that execution no longer waits. */
  resume(token: string, output: Record<string, unknown>): Promise<boolean>;
  /** Fails the waiting state with a named error; false when that execution no longer waits. */
  abort(token: string, error: string, cause: string): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  requestId(now: Date): string;
}

export interface CatalogEntry {
  form: FormDefinition;
  jsonSchema: Record<string, unknown>;
  labels: Record<string, Text>;
  /** JSON Schema of every version, the current one included. */
  versions: ReadonlyMap<number, Record<string, unknown>>;
}

export type FormCatalog = ReadonlyMap<string, CatalogEntry>;

export interface Deps {
  requests: RequestStore;
  directory: Directory;
  ledgers: LedgerStore;
  workflow: Workflow;
  mailer: Mailer;
  clock: Clock;
  ids: Ids;
  forms: FormCatalog;
  /** Ledger definitions by name (titles for history lines, validation for edits and imports). */
  ledgerDefinitions: ReadonlyMap<string, LedgerDefinition>;
  /** Where the web page lives; links in e-mail point here. */
  webBaseUrl: string;
}
