/**
 * In-memory test doubles for the domain's ports (functions/domain/ports.ts). The RequestStore enforces
 * the same conditions as the DynamoDB adapter (functions/adapters/dynamo-request-store.ts), checked in
 * the same order as the adapter's transaction items, and applies a change all-or-nothing.
 */
import type { ApprovalRequest, RequestChange, Task } from '../../../functions/domain/approval';
import { needsWorkflow } from '../../../functions/domain/approval';
import type { AuditEvent } from '../../../functions/domain/audit';
import { japanDate } from '../../../functions/domain/dates';
import { ConditionFailedError, StaleWriteError } from '../../../functions/domain/errors';
import type { LedgerItems, LedgerName, LedgerReader, Page, PageRequest } from '../../../functions/domain/ledgers';
import type { ApprovalLink } from '../../../functions/domain/link-token';
import type { Directory, Person, PersonRef } from '../../../functions/domain/organisation';
import { refOf } from '../../../functions/domain/organisation';
import { submitRequest } from '../../../functions/domain/requests';
import type { AdvanceResult } from '../../../functions/domain/workflow-steps';
import { advance, notifyApprovers } from '../../../functions/domain/workflow-steps';
import type { Clock, Deps, FormCatalog, Ids, Mailer, OutgoingMail, RequestStore, Workflow } from '../../../functions/domain/ports';
import type { RoleId } from '../../../functions/domain/roles';
import { catalog } from '../../../functions/forms/catalog';
import { demoPeople, demoServers } from '../../../infra/local/seed-data';

const copy = <T>(value: T): T => structuredClone(value);

/** Offset cursors over an in-memory list, like the adapter's opaque cursors. */
function pageOf<T>(items: T[], page: PageRequest): Page<T> {
  const start = page.cursor ? Number(page.cursor) : 0;
  const slice = items.slice(start, start + page.limit);
  const next = start + page.limit;
  return { items: slice.map(copy), ...(next < items.length ? { nextCursor: String(next) } : {}) };
}

/** The ledgers, shared by the LedgerReader and the RequestStore (which writes ledger items in a change). */
export class InMemoryLedgers implements LedgerReader {
  readonly items = new Map<string, unknown>();

  static key = (ledger: string, id: string) => `${ledger}#${id}`;

  constructor(servers = demoServers) {
    for (const server of servers) this.items.set(InMemoryLedgers.key('servers', server.id), copy(server));
  }

  async get<N extends LedgerName>(ledger: N, id: string): Promise<LedgerItems[N] | null> {
    const item = this.items.get(InMemoryLedgers.key(ledger, id));
    return item ? (copy(item) as LedgerItems[N]) : null;
  }

  async list<N extends LedgerName>(ledger: N, page: PageRequest): Promise<Page<LedgerItems[N]>> {
    const all = [...this.items.entries()]
      .filter(([key]) => key.startsWith(`${ledger}#`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item as LedgerItems[N]);
    return pageOf(all, page);
  }

  all<N extends LedgerName>(ledger: N): LedgerItems[N][] {
    return [...this.items.entries()].filter(([key]) => key.startsWith(`${ledger}#`)).map(([, item]) => copy(item) as LedgerItems[N]);
  }
}

export class InMemoryRequestStore implements RequestStore {
  readonly requests = new Map<string, ApprovalRequest>();
  readonly tasks = new Map<string, Task>();
  readonly links = new Map<string, ApprovalLink>();
  /** Audit events by record (`request#…`, `server-access-grants#…`), oldest first. */
  readonly audit = new Map<string, AuditEvent[]>();
  /** Every change that was written, in order. */
  readonly commits: RequestChange[] = [];
  /** Every write of any kind (commit, saveLink, markNotified), to show that a read changed nothing. */
  writes = 0;
  /** Runs before each commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: ((change: RequestChange) => Promise<void> | void) | null = null;

  constructor(readonly ledgers: InMemoryLedgers) {}

  async load(id: string) {
    const request = this.requests.get(id);
    if (!request) return null;
    const tasks = [...this.tasks.values()].filter((task) => task.requestId === id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { request: copy(request), tasks: tasks.map(copy) };
  }

  async commit(change: RequestChange): Promise<void> {
    const hook = this.beforeCommit;
    if (hook) await hook(change);

    // The conditions, in the order of the adapter's transaction items; the first failure cancels all.
    const stored = this.requests.get(change.request.id);
    if (change.expectedVersion === null) {
      if (stored) throw new ConditionFailedError('request');
    } else if (!stored || stored.version !== change.expectedVersion) {
      throw new StaleWriteError();
    }
    for (const event of change.events) {
      if ((this.audit.get(event.record) ?? []).some((e) => e.seq === event.seq)) throw new StaleWriteError();
    }
    for (const task of change.createTasks) {
      if (this.tasks.has(task.id)) throw new StaleWriteError();
    }
    for (const task of change.updateTasks) {
      if (this.tasks.get(task.id)?.status !== 'pending') throw new ConditionFailedError('task');
    }
    if (change.useLink) {
      const link = this.links.get(change.useLink.tokenHash);
      if (!link || link.usedAt) throw new ConditionFailedError('link');
    }
    for (const { write, event } of change.ledgerWrites) {
      if (this.ledgers.items.has(InMemoryLedgers.key(write.ledger, write.item.id))) throw new ConditionFailedError('ledger');
      if ((this.audit.get(event.record) ?? []).some((e) => e.seq === event.seq)) throw new StaleWriteError();
    }

    // All conditions hold: apply everything.
    this.requests.set(change.request.id, copy(change.request));
    for (const event of change.events) this.appendAudit(event);
    for (const task of [...change.createTasks, ...change.updateTasks]) this.tasks.set(task.id, copy(task));
    if (change.useLink) {
      const link = this.links.get(change.useLink.tokenHash)!;
      this.links.set(link.tokenHash, { ...link, usedAt: change.useLink.at });
    }
    for (const { write, event } of change.ledgerWrites) {
      this.ledgers.items.set(InMemoryLedgers.key(write.ledger, write.item.id), copy(write.item));
      this.appendAudit(event);
    }
    this.commits.push(copy(change));
    this.writes++;
  }

  private appendAudit(event: AuditEvent) {
    const events = this.audit.get(event.record) ?? [];
    events.push(copy(event));
    events.sort((a, b) => a.seq - b.seq);
    this.audit.set(event.record, events);
  }

  async listByRequester(userId: string, page: PageRequest) {
    const all = [...this.requests.values()]
      .filter((r) => r.requester.id === userId)
      .sort((a, b) => (`${b.createdAt}#${b.id}` < `${a.createdAt}#${a.id}` ? -1 : 1));
    return pageOf(all, page);
  }

  async listNeedingWorkflow(page: PageRequest) {
    const all = [...this.requests.values()]
      .filter((r) => needsWorkflow(r))
      .sort((a, b) => (`${a.createdAt}#${a.id}` < `${b.createdAt}#${b.id}` ? -1 : 1));
    return pageOf(all, page);
  }

  async inbox(approverId: string, page: PageRequest) {
    const all = [...this.tasks.values()]
      .filter((t) => t.approverId === approverId && t.status === 'pending')
      .sort((a, b) => (`${a.createdAt}#${a.id}` < `${b.createdAt}#${b.id}` ? -1 : 1));
    return pageOf(all, page);
  }

  async history(requestId: string) {
    return (this.audit.get(`request#${requestId}`) ?? []).map(copy);
  }

  async link(tokenHash: string) {
    const link = this.links.get(tokenHash);
    return link ? copy(link) : null;
  }

  async saveLink(link: ApprovalLink) {
    if (this.links.has(link.tokenHash)) throw new Error('ConditionalCheckFailedException: the link already exists');
    this.links.set(link.tokenHash, copy(link));
    this.writes++;
  }

  async markNotified(task: Task, at: string) {
    const stored = this.tasks.get(task.id);
    if (stored?.status !== 'pending') throw new ConditionFailedError('task');
    this.tasks.set(task.id, { ...stored, notifiedAt: at });
    this.writes++;
  }

  /** Everything stored, as one comparable value. */
  snapshot() {
    return copy({
      requests: [...this.requests.entries()],
      tasks: [...this.tasks.entries()],
      links: [...this.links.entries()],
      audit: [...this.audit.entries()],
      ledgers: [...this.ledgers.items.entries()],
    });
  }

  tasksOf(requestId: string): Task[] {
    return [...this.tasks.values()].filter((t) => t.requestId === requestId).map(copy);
  }
}

export class InMemoryDirectory implements Directory {
  readonly people: Map<string, Person>;

  constructor(people: readonly Person[] = demoPeople) {
    this.people = new Map(people.map((p) => [p.id, copy(p)]));
  }

  async person(id: string) {
    const found = this.people.get(id);
    return found ? copy(found) : null;
  }

  async holders(role: RoleId, scopeId: string): Promise<PersonRef[]> {
    return [...this.people.values()]
      .filter((p) => p.roles.some((r) => r.role === role && r.scope.id === scopeId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(refOf);
  }
}

export class RecordingWorkflow implements Workflow {
  readonly starts: { requestId: string; round: number }[] = [];
  readonly resumes: { token: string; output: Record<string, unknown> }[] = [];
  readonly aborts: { token: string; error: string; cause: string }[] = [];
  /** What resume/abort answer: whether the execution still waits. */
  waiting = true;

  async start(requestId: string, round: number) {
    this.starts.push({ requestId, round });
  }

  async resume(token: string, output: Record<string, unknown>) {
    this.resumes.push({ token, output: copy(output) });
    return this.waiting;
  }

  async abort(token: string, error: string, cause: string) {
    this.aborts.push({ token, error, cause });
    return this.waiting;
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];

  async send(mail: OutgoingMail) {
    this.sent.push(copy(mail));
  }

  to(email: string) {
    return this.sent.filter((mail) => mail.to.includes(email));
  }
}

export class TestClock implements Clock {
  private current: Date;

  constructor(start = '2026-11-25T01:00:00.000Z') {
    this.current = new Date(start);
  }

  now() {
    return new Date(this.current.getTime());
  }

  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(iso: string) {
    this.current = new Date(iso);
  }
}

export const MINUTE = 60 * 1000;
export const DAY = 24 * 60 * MINUTE;

const LETTERS = 'ABCDEFGHJKMNPQRSTVWXYZ';

/** Request ids by filing date in Japan, then AAAAAA, AAAAAB, … */
export class SequentialIds implements Ids {
  private next = 0;

  requestId(now: Date) {
    let n = this.next++;
    let suffix = '';
    for (let i = 0; i < 6; i++) {
      suffix = LETTERS[n % LETTERS.length] + suffix;
      n = Math.floor(n / LETTERS.length);
    }
    return `R-${japanDate(now).replaceAll('-', '')}-${suffix}`;
  }
}

export const WEB_BASE_URL = 'https://kitei.example.test';

export interface TestDeps {
  deps: Deps;
  store: InMemoryRequestStore;
  directory: InMemoryDirectory;
  ledgers: InMemoryLedgers;
  workflow: RecordingWorkflow;
  mailer: RecordingMailer;
  clock: TestClock;
  ids: SequentialIds;
}

export function inMemoryDeps(options: { people?: readonly Person[]; forms?: FormCatalog; start?: string } = {}): TestDeps {
  const ledgers = new InMemoryLedgers();
  const store = new InMemoryRequestStore(ledgers);
  const directory = new InMemoryDirectory(options.people);
  const workflow = new RecordingWorkflow();
  const mailer = new RecordingMailer();
  const clock = new TestClock(options.start);
  const ids = new SequentialIds();
  const deps: Deps = {
    requests: store,
    directory,
    ledgers,
    workflow,
    mailer,
    clock,
    ids,
    forms: options.forms ?? catalog,
    webBaseUrl: WEB_BASE_URL,
  };
  return { deps, store, directory, ledgers, workflow, mailer, clock, ids };
}

/** A demo person by id; throws when the seed data has no such person. */
export function person(id: string): Person {
  const found = demoPeople.find((p) => p.id === id);
  if (!found) throw new Error(`No demo person ${id}`);
  return copy(found);
}

/** The catalogue with F1's route replaced by one stage that needs every IT infrastructure member. */
export const allItCatalog: FormCatalog = new Map(
  [...catalog].map(([id, entry]) => [id, { ...entry, form: { ...entry.form, route: [{ role: 'itInfra' as const, rule: 'all' as const }] } }]),
);

/** Valid data for the server connection request (F1). */
export const validServerConnection = () => ({
  serverId: 'srv-core-db',
  protocol: 'odbc',
  purpose: '月次決算の集計のため、基幹DBにODBCで接続します。',
  startDate: '2026-12-01',
  endDate: '2027-03-31',
});

/** Pulls the single-use token out of an approval e-mail's text. */
export function linkTokenOf(mail: OutgoingMail): string {
  const match = new RegExp(`${WEB_BASE_URL.replaceAll('.', '\\.')}/#/links/([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`No link in the mail to ${mail.to.join(', ')}`);
  return match[1];
}

/** Files a valid server connection request and returns its id. */
export async function submitValid(t: TestDeps, requesterId = 'u-tanaka', data: Record<string, unknown> = validServerConnection()): Promise<string> {
  const view = await submitRequest(t.deps, person(requesterId), { formId: 'server-connection-request', data });
  return view.id;
}

let tokens = 0;

/** A task token as Step Functions would hand one to AwaitDecision. */
export const newTaskToken = () => `task-token-${++tokens}`;

/**
 * One turn of the state machine: Advance, and when it says "await", AwaitDecision's notify step with
 * a fresh task token. Returns what Advance said and the token the execution now waits on.
 */
export async function advanceAndNotify(t: TestDeps, requestId: string): Promise<{ result: AdvanceResult; token: string | null }> {
  const result = await advance(t.deps, requestId);
  if (result.next !== 'await') return { result, token: null };
  const token = newTaskToken();
  await notifyApprovers(t.deps, { requestId, round: result.round, stage: result.stage, taskToken: token });
  return { result, token };
}
