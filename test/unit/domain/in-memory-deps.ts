/**
 * In-memory test doubles for the domain's ports (functions/domain/ports.ts). Both stores write
 * through one transaction function that enforces the same conditions as the DynamoDB adapters
 * (functions/adapters/dynamo-request-store.ts, dynamo-ledger-ops.ts, dynamo-ledgers.ts `transact`):
 * the items are checked in the adapter's order against the state before the transaction, the first
 * refusal maps to the same error, and a change is applied all-or-nothing.
 */
import type { ApprovalRequest, Circulation, LedgerEntry, RequestChange, Task } from '../../../functions/domain/approval';
import { InMemoryDuties } from './in-memory-duties';
import { InMemoryCases } from './in-memory-cases';
import { InMemoryLogbooks } from './in-memory-logbooks';
import { InMemoryReviews } from './in-memory-reviews';
import { logbookRegistry } from '../../../functions/logbooks/registry';
import { needsWorkflow } from '../../../functions/domain/approval';
import type { AuditEvent, ChainHead } from '../../../functions/domain/audit';
import { chainEvent, emptyChain } from '../../../functions/domain/audit';
import { japanDate } from '../../../functions/domain/dates';
import { ConditionFailedError, StaleWriteError } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerDefinition, LedgerItem, LedgerOp, LedgerQuery, Page, PageRequest, Versioned } from '../../../functions/domain/ledgers';
import type { ApprovalLink } from '../../../functions/domain/link-token';
import type { Directory, Person, PersonRef } from '../../../functions/domain/organisation';
import { refOf } from '../../../functions/domain/organisation';
import { submitRequest } from '../../../functions/domain/requests';
import type { AdvanceResult } from '../../../functions/domain/workflow-steps';
import { advance, notifyApprovers } from '../../../functions/domain/workflow-steps';
import { handOver, handOverStep } from '../../../functions/domain/workflow-hand-over';
import type { Clock, Deps, FormCatalog, Ids, LedgerStore, Mailer, OutgoingMail, RequestStore, Workflow } from '../../../functions/domain/ports';
import type { RoleId } from '../../../functions/domain/roles';
import { searchTextOf } from '../../../functions/adapters/dynamo-ledger-ops';
import { InvalidCursorError } from '../../../functions/adapters/keys';
import { catalog } from '../../../functions/forms/catalog';
import { ledgerRegistry } from '../../../functions/ledgers/registry';
import { demoLedgers, demoPeople } from '../../../infra/local/seed-data';

const copy = <T>(value: T): T => structuredClone(value);

const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Offset cursors over an in-memory list, like the adapter's opaque cursors. */
function pageOf<T>(items: T[], page: PageRequest): Page<T> {
  const start = page.cursor ? Number(page.cursor) : 0;
  const slice = items.slice(start, start + page.limit);
  const next = start + page.limit;
  return { items: slice.map(copy), ...(next < items.length ? { nextCursor: String(next) } : {}) };
}

/** A cursor names the partition it belongs to and the last sort key read, like a LastEvaluatedKey. */
const encodeCursor = (partition: string, after: string) => Buffer.from(JSON.stringify({ partition, after })).toString('base64url');

function decodeCursor(cursor: string | undefined, partition: string): string | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { partition?: unknown; after?: unknown };
    if (key && key.partition === partition && typeof key.after === 'string') return key.after;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/**
 * One page of a sorted partition: `limit` entries are read after the cursor and then filtered, as a
 * DynamoDB Query applies Limit before its FilterExpression (a page may hold fewer items than asked).
 */
function queryPage(partition: string, entries: { sort: string; item: LedgerItem }[], page: PageRequest, keep: (item: LedgerItem) => boolean = () => true): Page<LedgerItem> {
  const after = decodeCursor(page.cursor, partition);
  const sorted = entries.sort(byKey((e) => e.sort)).filter((e) => after === undefined || e.sort > after);
  const read = sorted.slice(0, page.limit);
  const more = sorted.length > read.length;
  return {
    items: read.filter((e) => keep(e.item)).map((e) => copy(e.item)),
    ...(more && read.length > 0 ? { nextCursor: encodeCursor(partition, read[read.length - 1].sort) } : {}),
  };
}

/** What a transaction item guards, as in functions/adapters/dynamo-ledger-ops.ts. */
type Target = 'request' | 'stale' | 'task' | 'link' | 'ledger' | 'seats' | 'claim';

/** One item of a transaction: the record it writes, its condition, and its write. */
export interface Step {
  /** Table and key of the record; DynamoDB refuses a transaction that names one record twice. */
  key: string;
  target: Target;
  op?: LedgerOp;
  holds(): boolean;
  apply(): void;
}

/**
 * TransactWriteItems in memory. Every condition is judged against the state before the transaction;
 * the first refused item decides the error exactly as `transact` maps a cancellation; nothing is
 * written unless every condition holds.
 */
export function transact(steps: readonly Step[]): void {
  if (steps.length === 0) return;
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.key)) throw new Error(`ValidationException: Transaction request cannot include multiple operations on one item (${step.key})`);
    seen.add(step.key);
  }
  const refused = steps.find((step) => !step.holds());
  if (refused) {
    if (refused.target === 'stale') throw new StaleWriteError();
    throw new ConditionFailedError(refused.target, refused.op);
  }
  for (const step of steps) step.apply();
}

interface StoredItem {
  ledger: string;
  item: LedgerItem;
  head: ChainHead;
}

const SEED_AT = '2026-04-01T00:00:00.000Z';

/**
 * The ledgers, their claims and the audit table (shared with the RequestStore, which writes ledger
 * entries in a request's change). Seeded like infra/local/seed.ts: every item with its first audit
 * event, and the names the issued user IDs hold.
 */
export class InMemoryLedgers implements LedgerStore {
  /** Ledger items by `ledger#id`, each with the head of its own audit chain. */
  readonly records = new Map<string, StoredItem>();
  /** Unique names (one person one ID) by key, with their owner. */
  readonly claims = new Map<string, string>();
  /** Audit events by record (`request#…`, `licences#…`), oldest first. */
  readonly audit = new Map<string, AuditEvent[]>();
  /** Every ledger transaction written outside a request (edits, imports, schedules), in order. */
  readonly commits: LedgerEntry[][] = [];
  /** Runs before each ledger commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: ((entries: readonly LedgerEntry[]) => Promise<void> | void) | null = null;

  static key = (ledger: string, id: string) => `${ledger}#${id}`;

  constructor(
    seed: readonly (readonly [string, readonly { id: string }[]])[] = demoLedgers,
    readonly definitions: ReadonlyMap<string, LedgerDefinition> = ledgerRegistry,
  ) {
    for (const [ledger, items] of seed) for (const item of items) this.seed(ledger, item as LedgerItem);
    for (const [ledger, items] of seed.filter(([name]) => name === 'user-ids')) {
      for (const item of items as LedgerItem[]) {
        this.claims.set(`user-ids#${String(item.system)}#person#${String(item.personId)}`, `${ledger}#${item.id}`);
        this.claims.set(`user-ids#${String(item.system)}#login#${String(item.loginId)}`, `${ledger}#${item.id}`);
      }
    }
  }

  /** Stores an item as the seed does: with a `created` event as the first of its chain. */
  seed(ledger: string, item: LedgerItem, at = SEED_AT): void {
    this.definitionOf(ledger);
    const { event, head } = chainEvent(emptyChain(), {
      record: InMemoryLedgers.key(ledger, item.id),
      at,
      actor: null,
      action: 'created',
      summary: { ja: '台帳の初期登録', en: 'Initial ledger entry' },
      before: null,
      after: { ...item },
    });
    this.records.set(InMemoryLedgers.key(ledger, item.id), { ledger, item: copy(item), head });
    this.appendAudit(event);
  }

  definitionOf(ledger: string): LedgerDefinition {
    const definition = this.definitions.get(ledger);
    if (!definition) throw new Error(`Unknown ledger ${ledger}`);
    return definition;
  }

  async getVersioned(ledger: string, id: string): Promise<Versioned | null> {
    const stored = this.records.get(InMemoryLedgers.key(ledger, id));
    return stored ? { item: copy(stored.item), head: { ...stored.head } } : null;
  }

  async get(ledger: string, id: string): Promise<LedgerItem | null> {
    return (await this.getVersioned(ledger, id))?.item ?? null;
  }

  /** Items of one ledger (of one site or branch), sorted by id, filtered by words in any text. */
  async list(ledger: string, query: LedgerQuery): Promise<Page<LedgerItem>> {
    const partition = query.siteId ? `site#${query.siteId}` : query.branchId ? `branch#${query.branchId}` : 'all';
    const entries = this.stored(ledger)
      .filter(({ item }) => (query.siteId ? item.siteId === query.siteId : query.branchId ? item.branchId === query.branchId : true))
      .map(({ item }) => ({ sort: item.id, item }));
    const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    return queryPage(`${ledger}#${partition}`, entries, query, (item) => words.every((word) => searchTextOf(item).includes(word)));
  }

  /** Items by the ledger's state index (`stateKey`), sorted by its sort value, optionally below `sortBefore`. */
  async byState(ledger: string, partition: string, page: PageRequest & { sortBefore?: string }): Promise<Page<LedgerItem>> {
    const definition = this.definitionOf(ledger);
    const entries = this.stored(ledger).flatMap(({ item }) => {
      const state = definition.stateKey?.(item);
      if (!state || state.partition !== partition) return [];
      if (page.sortBefore !== undefined && !(state.sort < page.sortBefore)) return [];
      return [{ sort: state.sort, item }];
    });
    return queryPage(`${ledger}#state#${partition}`, entries, page);
  }

  async history(ledger: string, id: string): Promise<AuditEvent[]> {
    return (this.audit.get(InMemoryLedgers.key(ledger, id)) ?? []).map(copy);
  }

  async commit(entries: readonly LedgerEntry[]): Promise<void> {
    const hook = this.beforeCommit;
    if (hook) await hook(entries);
    transact(this.steps(entries));
    this.commits.push(copy([...entries]));
  }

  /** The transaction items of ledger entries, as `ledgerTransactItems` builds them. */
  steps(entries: readonly LedgerEntry[]): Step[] {
    return entries.flatMap(({ op, event }): Step[] => {
      const audit = event ? [this.auditStep(event)] : [];
      const head: ChainHead = event ? { seq: event.seq, hash: event.hash } : { seq: 0, hash: '' };
      switch (op.kind) {
        case 'create': {
          this.definitionOf(op.ledger);
          const key = InMemoryLedgers.key(op.ledger, op.item.id);
          return [
            {
              key: `records:${key}`,
              target: 'ledger',
              op,
              holds: () => !this.records.has(key),
              apply: () => this.records.set(key, { ledger: op.ledger, item: copy(op.item), head }),
            },
            ...audit,
          ];
        }
        case 'update': {
          const definition = this.definitionOf(op.ledger);
          const counters = new Set<string>(definition.counters ?? []);
          const key = InMemoryLedgers.key(op.ledger, op.after.id);
          const adjust = op.adjust ?? {};
          return [
            {
              key: `records:${key}`,
              target: 'stale',
              op,
              // The item is as it was read, and every counter the update lowers has enough.
              holds: () => {
                const stored = this.records.get(key);
                if (stored?.head.seq !== op.before.head.seq) return false;
                return Object.entries(adjust).every(([counter, delta]) => delta >= 0 || (typeof stored.item[counter] === 'number' && (stored.item[counter] as number) >= -delta));
              },
              // SET every attribute of the new item and REMOVE those it dropped, counters excepted;
              // ADD the counter moves (a missing counter counts from zero).
              apply: () => {
                const stored = this.records.get(key)!;
                const next: Record<string, unknown> = { ...stored.item };
                for (const attribute of Object.keys(op.before.item)) if (!(attribute in op.after) && !counters.has(attribute)) delete next[attribute];
                for (const [attribute, value] of Object.entries(op.after)) if (!counters.has(attribute)) next[attribute] = copy(value);
                for (const [counter, delta] of Object.entries(adjust)) next[counter] = (typeof next[counter] === 'number' ? (next[counter] as number) : 0) + delta;
                this.records.set(key, { ledger: op.ledger, item: next as LedgerItem, head });
              },
            },
            ...audit,
          ];
        }
        case 'seats': {
          const key = InMemoryLedgers.key('licences', op.licenceId);
          const free = -(op.held + op.used);
          const counter = (item: LedgerItem, name: string) => (typeof item[name] === 'number' ? (item[name] as number) : null);
          const enough = (item: LedgerItem, name: string, delta: number) => delta >= 0 || (counter(item, name) ?? -Infinity) >= -delta;
          return [
            {
              key: `records:${key}`,
              target: 'seats',
              op,
              holds: () => {
                const stored = this.records.get(key);
                return !!stored && enough(stored.item, 'seatsHeld', op.held) && enough(stored.item, 'seatsUsed', op.used) && enough(stored.item, 'seatsFree', free);
              },
              // ADD: a missing counter counts from zero.
              apply: () => {
                const stored = this.records.get(key)!;
                const item = { ...stored.item };
                item.seatsHeld = (counter(item, 'seatsHeld') ?? 0) + op.held;
                item.seatsUsed = (counter(item, 'seatsUsed') ?? 0) + op.used;
                item.seatsFree = (counter(item, 'seatsFree') ?? 0) + free;
                this.records.set(key, { ...stored, item });
              },
            },
          ];
        }
        case 'claim':
          return [
            {
              key: `records:CLAIM#${op.key}`,
              target: 'claim',
              op,
              holds: () => !this.claims.has(op.key),
              apply: () => this.claims.set(op.key, op.owner),
            },
          ];
        case 'release':
          // Only the owner's own claim (or one already gone); without an owner, the name is freed for good.
          return [
            {
              key: `records:CLAIM#${op.key}`,
              target: 'stale',
              op,
              holds: () => !op.owner || !this.claims.has(op.key) || this.claims.get(op.key) === op.owner,
              apply: () => this.claims.delete(op.key),
            },
          ];
      }
    });
  }

  /** Append-only: an event is written once at its sequence number. */
  auditStep(event: AuditEvent): Step {
    return {
      key: `audit:${event.record}#${event.seq}`,
      target: 'stale',
      holds: () => !(this.audit.get(event.record) ?? []).some((e) => e.seq === event.seq),
      apply: () => this.appendAudit(event),
    };
  }

  appendAudit(event: AuditEvent) {
    const events = this.audit.get(event.record) ?? [];
    events.push(copy(event));
    events.sort((a, b) => a.seq - b.seq);
    this.audit.set(event.record, events);
  }

  private stored(ledger: string): StoredItem[] {
    return [...this.records.values()].filter((stored) => stored.ledger === ledger);
  }

  /** Every item of a ledger, in the order written. */
  all(ledger: string): LedgerItem[] {
    return this.stored(ledger).map((stored) => copy(stored.item));
  }

  /** One item as stored, or undefined. */
  peek(ledger: string, id: string): LedgerItem | undefined {
    const stored = this.records.get(InMemoryLedgers.key(ledger, id));
    return stored ? copy(stored.item) : undefined;
  }

  /** Everything stored, as one comparable value. */
  snapshot() {
    return copy({ records: [...this.records.entries()], claims: [...this.claims.entries()], audit: [...this.audit.entries()] });
  }
}

export class InMemoryRequestStore implements RequestStore {
  readonly requests = new Map<string, ApprovalRequest>();
  readonly tasks = new Map<string, Task>();
  readonly links = new Map<string, ApprovalLink>();
  /** Every change that was written, in order. */
  readonly commits: RequestChange[] = [];
  /** Every write of any kind (commit, saveLink, markNotified), to show that a read changed nothing. */
  writes = 0;
  /** Runs before each commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: ((change: RequestChange) => Promise<void> | void) | null = null;
  /**
   * The records table's stream: gets every stored change of a request (before, after), once the
   * commit holds. What it throws is not the writer's: on AWS the stream delivers the change again.
   */
  stream: ((before: ApprovalRequest | null, after: ApprovalRequest) => Promise<void>) | null = null;

  constructor(readonly ledgers: InMemoryLedgers) {}

  /** Audit events by record (`request#…`, `server-access-grants#…`): the one audit table. */
  get audit(): Map<string, AuditEvent[]> {
    return this.ledgers.audit;
  }

  async load(id: string) {
    const request = this.requests.get(id);
    if (!request) return null;
    const tasks = [...this.tasks.values()].filter((task) => task.requestId === id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const circulations = [...this.circulations.values()].filter((c) => c.requestId === id).map(copy);
    return { request: copy(request), tasks: tasks.map(copy), circulations };
  }

  /** One transaction: the request, its events, tasks, the link it uses and its ledger entries. */
  async commit(change: RequestChange): Promise<void> {
    const hook = this.beforeCommit;
    if (hook) await hook(change);

    const id = change.request.id;
    const before = this.requests.has(id) ? copy(this.requests.get(id)!) : null;
    const steps: Step[] = [
      {
        key: `records:REQUEST#${id}`,
        target: change.expectedVersion === null ? 'request' : 'stale',
        holds: () => (change.expectedVersion === null ? !this.requests.has(id) : this.requests.get(id)?.version === change.expectedVersion),
        apply: () => this.requests.set(id, copy(change.request)),
      },
      ...change.events.map((event) => this.ledgers.auditStep(event)),
      ...change.createTasks.map(
        (task): Step => ({ key: `records:TASK#${task.id}`, target: 'stale', holds: () => !this.tasks.has(task.id), apply: () => this.tasks.set(task.id, copy(task)) }),
      ),
      ...(change.createCirculations ?? []).map(
        (circulation): Step => ({
          key: `records:CIRC#${circulation.requestId}#${circulation.personId}`,
          target: 'stale',
          holds: () => !this.circulations.has(`${circulation.requestId}#${circulation.personId}`),
          apply: () => this.circulations.set(`${circulation.requestId}#${circulation.personId}`, copy(circulation)),
        }),
      ),
      ...change.updateTasks.map(
        (task): Step => ({
          key: `records:TASK#${task.id}`,
          target: 'task',
          holds: () => this.tasks.get(task.id)?.status === 'pending',
          apply: () => this.tasks.set(task.id, copy(task)),
        }),
      ),
      ...(change.useLink
        ? [
            ((useLink): Step => ({
              key: `records:LINK#${useLink.tokenHash}`,
              target: 'link',
              holds: () => {
                const link = this.links.get(useLink.tokenHash);
                return !!link && !link.usedAt;
              },
              apply: () => this.links.set(useLink.tokenHash, { ...this.links.get(useLink.tokenHash)!, usedAt: useLink.at }),
            }))(change.useLink),
          ]
        : []),
      ...this.ledgers.steps(change.ledger),
    ];
    transact(steps);
    this.commits.push(copy(change));
    this.writes++;
    await this.stream?.(before, copy(change.request)).catch(() => undefined);
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

  readonly circulations = new Map<string, Circulation>();

  async circulationsOf(personId: string, unread: boolean, page: PageRequest) {
    const all = [...this.circulations.values()]
      .filter((c) => c.personId === personId && (!unread || !c.readAt))
      .sort((a, b) => (`${b.createdAt}#${b.requestId}` < `${a.createdAt}#${a.requestId}` ? -1 : 1));
    return pageOf(all, page);
  }

  async markCirculationRead(requestId: string, personId: string, at: string) {
    const circulation = this.circulations.get(`${requestId}#${personId}`);
    if (!circulation || circulation.readAt) return false;
    this.circulations.set(`${requestId}#${personId}`, { ...circulation, readAt: at });
    return true;
  }

  async tasksToRemind(onOrBefore: string, page: PageRequest) {
    const all = [...this.tasks.values()]
      .filter((t) => t.status === 'pending' && t.remindOn !== undefined && t.remindOn <= onOrBefore)
      .sort((a, b) => (`${a.remindOn}#${a.id}` < `${b.remindOn}#${b.id}` ? -1 : 1));
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
      ledgers: this.ledgers.snapshot(),
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
  duties: InMemoryDuties;
  cases: InMemoryCases;
  logbooks: InMemoryLogbooks;
  reviews: InMemoryReviews;
  workflow: RecordingWorkflow;
  mailer: RecordingMailer;
  clock: TestClock;
  ids: SequentialIds;
}

export function inMemoryDeps(
  options: { people?: readonly Person[]; forms?: FormCatalog; start?: string; ledgers?: readonly (readonly [string, readonly { id: string }[]])[] } = {},
): TestDeps {
  const ledgers = new InMemoryLedgers(options.ledgers);
  const store = new InMemoryRequestStore(ledgers);
  const duties = new InMemoryDuties(ledgers);
  const logbooks = new InMemoryLogbooks();
  const reviews = new InMemoryReviews(duties, logbooks);
  const directory = new InMemoryDirectory(options.people);
  const cases = new InMemoryCases(duties, () => directory.people.values());
  const workflow = new RecordingWorkflow();
  // As HandOverRequests does on AWS, from the records table's stream.
  store.stream = (before, after) => handOver(workflow, handOverStep(before, after));
  const mailer = new RecordingMailer();
  const clock = new TestClock(options.start);
  const ids = new SequentialIds();
  const deps: Deps = {
    requests: store,
    directory,
    ledgers,
    duties,
    cases,
    logbooks,
    logbookDefinitions: logbookRegistry,
    reviews,
    workflow,
    mailer,
    clock,
    ids,
    forms: options.forms ?? catalog,
    ledgerDefinitions: ledgerRegistry,
    webBaseUrl: WEB_BASE_URL,
  };
  return { deps, store, directory, ledgers, duties, cases, logbooks, reviews, workflow, mailer, clock, ids };
}

/** The context a form's hooks get, with the test clock's time. */
export const formContextOf = (t: TestDeps): FormContext => ({ ledgers: t.ledgers, directory: t.directory, now: t.clock.now() });

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
