import type { ApprovalRequest, Circulation, LedgerEntry, RequestChange, Task } from './approval';
import type { AuditEvent } from './audit';
import type { CaseStore } from './cases';
import type { DutyStore } from './duties';
import type { ReviewStore } from './reviews';
import type { FormDefinition } from './form-definition';
import type { LedgerDefinition, LedgerReader, Page, PageRequest } from './ledgers';
import type { LogbookEntry, LogbookId, LogbookRegistry } from './logbooks';
import type { ApprovalLink } from './link-token';
import type { Directory, PersonRef, Place } from './organisation';
import type { Text } from './text';
import type { RecordChange } from './versioned';

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

/**
 * Logbook entries (記録簿) by logbook, site and month, each with its own audit chain. A write is
 * refused while the review of its month, logbook and site is completed (the month is closed).
 */
export interface LogbookStore {
  /** The whole month, oldest first (see `sortEntries`). */
  entries(logbook: LogbookId, siteId: string, month: string): Promise<LogbookEntry[]>;
  get(logbook: LogbookId, siteId: string, month: string, id: string): Promise<LogbookEntry | null>;
  /** Writes the entry and its events in one transaction; refused with a DomainError 409 when the month's review is completed, StaleWriteError on a lost race. */
  commit(change: RecordChange<LogbookEntry>): Promise<void>;
  history(entry: LogbookEntry): Promise<AuditEvent[]>;
  /** Whether the month's review of this logbook and site is completed. */
  closed(logbook: LogbookId, siteId: string, month: string): Promise<boolean>;
  /** The sites logbooks are kept for. */
  sites(): Promise<Place[]>;
  /** The people of a site (the escort of a visitor is picked from them). */
  peopleAt(siteId: string): Promise<PersonRef[]>;
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
  /** Logbook entries (記録簿 L1–L5). */
  logbooks: LogbookStore;
  /** The logbook definitions (functions/logbooks/registry.ts). */
  logbookDefinitions: LogbookRegistry;
  /** Dated duties with reminders (reviews, password changes, ID deletions, returns …). */
  duties: DutyStore;
  /** Monthly reviews of the logbooks (月次点検). */
  reviews: ReviewStore;
  /** Cases with phases: incidents (C1) and media checkouts (C2). */
  cases: CaseStore;
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
