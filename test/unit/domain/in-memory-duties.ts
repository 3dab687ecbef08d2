import type { LedgerEntry } from '../../../functions/domain/approval';
import type { AuditEvent } from '../../../functions/domain/audit';
import type { Duty, DutyStore } from '../../../functions/domain/duties';
import { StaleWriteError } from '../../../functions/domain/errors';
import type { Page, PageRequest } from '../../../functions/domain/ledgers';
import type { RecordChange } from '../../../functions/domain/versioned';
import type { InMemoryLedgers, Step } from './in-memory-deps';
import { transact } from './in-memory-deps';

/**
 * Duties in memory, with the same refusals as the DynamoDB store (creation of an existing duty, stale
 * version). Given the ledgers, a commit may carry ledger entries, written in the same transaction.
 */
export class InMemoryDuties implements DutyStore {
  readonly duties = new Map<string, Duty>();
  readonly events = new Map<string, AuditEvent[]>();

  constructor(private readonly ledgers?: InMemoryLedgers) {}

  async get(id: string): Promise<Duty | null> {
    return structuredClone(this.duties.get(id) ?? null);
  }

  /** Checks every change first, then applies them all: all or nothing, as a transaction. */
  check(changes: readonly RecordChange<Duty>[]): void {
    for (const change of changes) {
      const current = this.duties.get(change.next.id);
      if (change.expectedVersion === null ? current : current?.version !== change.expectedVersion) throw new StaleWriteError();
    }
  }

  apply(changes: readonly RecordChange<Duty>[]): void {
    for (const change of changes) {
      this.duties.set(change.next.id, structuredClone(change.next));
      const record = `duty#${change.next.id}`;
      this.events.set(record, [...(this.events.get(record) ?? []), ...change.events]);
    }
  }

  async commit(changes: readonly RecordChange<Duty>[], ledger: readonly LedgerEntry[] = []): Promise<void> {
    if (ledger.length === 0) {
      this.check(changes);
      this.apply(changes);
      return;
    }
    if (!this.ledgers) throw new Error('InMemoryDuties was made without ledgers: it cannot write ledger entries');
    transact([...this.steps(changes), ...this.ledgers.steps(ledger)]);
  }

  /** The transaction items of duty changes, as `dutyTransactItems` builds them. */
  steps(changes: readonly RecordChange<Duty>[]): Step[] {
    return changes.map((change) => ({
      key: `records:DUTY#${change.next.id}`,
      target: 'stale',
      holds: () => {
        const current = this.duties.get(change.next.id);
        return change.expectedVersion === null ? !current : current?.version === change.expectedVersion;
      },
      apply: () => this.apply([change]),
    }));
  }

  private page(items: Duty[], page: PageRequest): Page<Duty> {
    const start = page.cursor ? Number(page.cursor) : 0;
    const slice = items.slice(start, start + page.limit);
    const next = start + page.limit < items.length ? String(start + page.limit) : undefined;
    return { items: structuredClone(slice), ...(next ? { nextCursor: next } : {}) };
  }

  private sorted(filter: (duty: Duty) => boolean, sortKey: (duty: Duty) => string): Duty[] {
    return [...this.duties.values()].filter(filter).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  }

  async toRemind(onOrBefore: string, page: PageRequest) {
    return this.page(this.sorted((d) => d.status === 'open' && Boolean(d.remindOn) && d.remindOn! <= onOrBefore, (d) => `${d.remindOn}#${d.id}`), page);
  }

  async dueIn(month: string, page: PageRequest) {
    return this.page(this.sorted((d) => d.dueOn.startsWith(`${month}-`), (d) => `${d.dueOn}#${d.id}`), page);
  }

  async openDueBefore(date: string, page: PageRequest) {
    return this.page(this.sorted((d) => d.status === 'open' && d.dueOn < date, (d) => `${d.dueOn}#${d.id}`), page);
  }

  async history(id: string): Promise<AuditEvent[]> {
    return structuredClone(this.events.get(`duty#${id}`) ?? []);
  }
}
