/**
 * Logbook entries in memory, with the same refusals as functions/adapters/dynamo-logbooks.ts: a
 * creation of an entry that exists or a change at another version is a StaleWriteError, and a write
 * to a month whose review is completed is the 409 of `monthClosed` — checked before anything is
 * written, so a refused change leaves everything as it was.
 */
import type { AuditEvent } from '../../../functions/domain/audit';
import { StaleWriteError } from '../../../functions/domain/errors';
import type { LogbookEntry, LogbookId, LogbookRegistry } from '../../../functions/domain/logbooks';
import { logbookEntryRecord, monthClosed, sortEntries } from '../../../functions/domain/logbooks';
import type { Person, PersonRef, Place } from '../../../functions/domain/organisation';
import type { LogbookStore } from '../../../functions/domain/ports';
import type { RecordChange } from '../../../functions/domain/versioned';
import { logbookRegistry } from '../../../functions/logbooks/registry';
import { demoPeople, sites } from '../../../infra/local/seed-data';

export type ReviewStatus = 'open' | 'completed';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryLogbooks implements LogbookStore {
  /** Entries by `logbook#site#month#id`. */
  readonly stored = new Map<string, LogbookEntry>();
  /** Audit events by record (`logbook-entry#…`), oldest first. */
  readonly events = new Map<string, AuditEvent[]>();
  /** Review items by `month#logbook#site`: what closes a month. */
  readonly reviews = new Map<string, ReviewStatus>();
  /** Every change written, in order. */
  readonly commits: RecordChange<LogbookEntry>[] = [];
  /** Runs before a commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: ((change: RecordChange<LogbookEntry>) => Promise<void> | void) | null = null;

  constructor(
    readonly definitions: LogbookRegistry = logbookRegistry,
    readonly places: readonly Place[] = sites,
    readonly people: readonly Person[] = demoPeople,
  ) {}

  static key = (logbook: string, siteId: string, month: string, id: string) => `${logbook}#${siteId}#${month}#${id}`;

  /** Sets the status of a month's review, as the reviews do (`completed` closes the month). */
  setReview(month: string, logbook: LogbookId, siteId: string, status: ReviewStatus) {
    this.reviews.set(`${month}#${logbook}#${siteId}`, status);
  }

  async entries(logbook: LogbookId, siteId: string, month: string): Promise<LogbookEntry[]> {
    const prefix = `${logbook}#${siteId}#${month}#`;
    const found = [...this.stored.entries()].filter(([key]) => key.startsWith(prefix)).map(([, entry]) => copy(entry));
    return sortEntries(this.definitions.get(logbook), found);
  }

  async get(logbook: LogbookId, siteId: string, month: string, id: string): Promise<LogbookEntry | null> {
    const entry = this.stored.get(InMemoryLogbooks.key(logbook, siteId, month, id));
    return entry ? copy(entry) : null;
  }

  async commit(change: RecordChange<LogbookEntry>): Promise<void> {
    const hook = this.beforeCommit;
    if (hook) await hook(change);
    const { next } = change;
    const key = InMemoryLogbooks.key(next.logbook, next.siteId, next.month, next.id);
    const current = this.stored.get(key);
    const record = logbookEntryRecord(next);
    const chain = this.events.get(record) ?? [];
    // In the adapter's transaction order: the entry at its version, its events, the month still open.
    if (change.expectedVersion === null ? current : current?.version !== change.expectedVersion) throw new StaleWriteError();
    if (change.events.some((event) => chain.some((e) => e.seq === event.seq))) throw new StaleWriteError();
    if (this.reviews.get(`${next.month}#${next.logbook}#${next.siteId}`) === 'completed') {
      throw monthClosed(this.definitions.get(next.logbook) ?? { title: { ja: '記録簿', en: 'logbook' } }, next.month);
    }
    this.stored.set(key, copy(next));
    this.events.set(record, [...chain, ...copy(change.events)].sort((a, b) => a.seq - b.seq));
    this.commits.push(copy(change));
  }

  async history(entry: LogbookEntry): Promise<AuditEvent[]> {
    return copy(this.events.get(logbookEntryRecord(entry)) ?? []);
  }

  async closed(logbook: LogbookId, siteId: string, month: string): Promise<boolean> {
    return this.reviews.get(`${month}#${logbook}#${siteId}`) === 'completed';
  }

  async sites(): Promise<Place[]> {
    return this.places.map((site) => ({ id: site.id, name: copy(site.name) }));
  }

  async peopleAt(siteId: string): Promise<PersonRef[]> {
    return this.people
      .filter((person) => person.siteId === siteId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((person) => ({ id: person.id, name: copy(person.name) }));
  }

  /** Everything stored, as one comparable value. */
  snapshot() {
    return copy({ stored: [...this.stored.entries()], events: [...this.events.entries()] });
  }
}
