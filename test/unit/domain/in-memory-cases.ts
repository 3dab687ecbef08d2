import type { AuditEvent } from '../../../functions/domain/audit';
import type { CaseStore, DepartmentMember } from '../../../functions/domain/cases';
import type { Duty } from '../../../functions/domain/duties';
import { ConditionFailedError, StaleWriteError } from '../../../functions/domain/errors';
import type { Incident } from '../../../functions/domain/incidents';
import type { Page, PageRequest } from '../../../functions/domain/ledgers';
import type { MediaCheckout } from '../../../functions/domain/media-checkouts';
import type { Person, Place } from '../../../functions/domain/organisation';
import type { RecordChange, VersionedRecord } from '../../../functions/domain/versioned';
import { departments, sites } from '../../../infra/local/seed-data';
import type { InMemoryDuties } from './in-memory-duties';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * Incidents and checkouts in memory, with the refusals of functions/adapters/dynamo-cases.ts: a
 * creation of an existing case or a change on a moved-on version is StaleWriteError, a client from
 * the ledger that is out already is ConditionFailedError('claim'), and a checkout's duty changes are
 * written with it or not at all.
 */
export class InMemoryCases implements CaseStore {
  readonly incidentsById = new Map<string, Incident>();
  readonly checkoutsById = new Map<string, MediaCheckout>();
  /** Clients out, by client id, with the checkout holding each. */
  readonly locks = new Map<string, string>();
  readonly events = new Map<string, AuditEvent[]>();
  /** Runs before each commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: (() => Promise<void> | void) | null = null;

  constructor(
    private readonly duties: InMemoryDuties,
    private readonly people: () => Iterable<Person>,
    private readonly placesByKind: Record<'site' | 'department', Place[]> = { site: sites, department: departments },
  ) {}

  private static holds<T extends VersionedRecord & { id: string }>(records: Map<string, T>, change: RecordChange<T>): boolean {
    const current = records.get(change.next.id);
    return change.expectedVersion === null ? !current : current?.version === change.expectedVersion;
  }

  private append(events: readonly AuditEvent[]) {
    for (const event of events) {
      const chain = this.events.get(event.record) ?? [];
      if (chain.some((e) => e.seq === event.seq)) throw new StaleWriteError();
      this.events.set(event.record, [...chain, copy(event)]);
    }
  }

  private page<T>(items: T[], page: PageRequest): Page<T> {
    const start = page.cursor ? Number(page.cursor) : 0;
    const slice = items.slice(start, start + page.limit);
    const next = start + page.limit < items.length ? String(start + page.limit) : undefined;
    return { items: copy(slice), ...(next ? { nextCursor: next } : {}) };
  }

  async incident(id: string) {
    return copy(this.incidentsById.get(id) ?? null);
  }

  async commitIncident(change: RecordChange<Incident>) {
    if (this.beforeCommit) await this.beforeCommit();
    if (!InMemoryCases.holds(this.incidentsById, change)) throw new StaleWriteError();
    this.incidentsById.set(change.next.id, copy(change.next));
    this.append(change.events);
  }

  private newestFirst<T extends { id: string }>(items: T[], at: (item: T) => string): T[] {
    return items.sort((a, b) => (`${at(b)}#${b.id}` < `${at(a)}#${a.id}` ? -1 : 1));
  }

  async incidentsReportedBy(personId: string, page: PageRequest) {
    return this.page(this.newestFirst([...this.incidentsById.values()].filter((i) => i.reporter.id === personId), (i) => i.reportedAt), page);
  }

  async incidents(page: PageRequest) {
    return this.page(this.newestFirst([...this.incidentsById.values()], (i) => i.reportedAt), page);
  }

  async checkout(id: string) {
    return copy(this.checkoutsById.get(id) ?? null);
  }

  async commitCheckout(change: RecordChange<MediaCheckout>, duties: readonly RecordChange<Duty>[]) {
    if (this.beforeCommit) await this.beforeCommit();
    if (!InMemoryCases.holds(this.checkoutsById, change)) throw new StaleWriteError();
    const clientId = change.next.item.clientId;
    if (clientId && change.expectedVersion === null && this.locks.has(clientId)) throw new ConditionFailedError('claim');
    this.duties.check(duties);
    this.checkoutsById.set(change.next.id, copy(change.next));
    if (clientId && change.expectedVersion === null) this.locks.set(clientId, change.next.id);
    if (clientId && change.next.status === 'returned') this.locks.delete(clientId);
    this.append(change.events);
    this.duties.apply(duties);
  }

  async checkoutsOf(personId: string, page: PageRequest) {
    return this.page(this.newestFirst([...this.checkoutsById.values()].filter((c) => c.borrower.id === personId), (c) => c.checkedOutAt), page);
  }

  async checkouts(page: PageRequest) {
    return this.page(this.newestFirst([...this.checkoutsById.values()], (c) => c.checkedOutAt), page);
  }

  async outstandingCheckouts(page: PageRequest) {
    const out = [...this.checkoutsById.values()].filter((c) => c.status === 'out');
    return this.page(out.sort((a, b) => (`${a.expectedReturnOn}#${a.id}` < `${b.expectedReturnOn}#${b.id}` ? -1 : 1)), page);
  }

  async history(record: string) {
    return copy(this.events.get(record) ?? []);
  }

  async places(kind: 'site' | 'department') {
    return this.placesByKind[kind].map((place) => ({ id: place.id, name: copy(place.name) }));
  }

  async departmentMembers(departmentIds: readonly string[]): Promise<DepartmentMember[]> {
    return [...this.people()]
      .filter((person) => departmentIds.includes(person.departmentId))
      .map((person) => ({ id: person.id, name: copy(person.name), departmentId: person.departmentId }));
  }
}
