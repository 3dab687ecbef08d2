/**
 * The test doubles of the form unit tests: ledgers held in memory and seeded from plain lists
 * (mostly the demo data of infra/local/seed-data.ts), the demo organisation as the directory, a
 * requester as the platform passes one, and a form context around them. One set for every form, so
 * that a form's tests differ from another's only in what they seed and what they expect.
 */
import type { LedgerEntry, Requester } from '../../../functions/domain/approval';
import type { AuditEvent, ChainHead } from '../../../functions/domain/audit';
import type { FieldIssue } from '../../../functions/domain/errors';
import { StaleWriteError } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem, Page, PageRequest, Versioned } from '../../../functions/domain/ledgers';
import type { Directory } from '../../../functions/domain/organisation';
import type { LedgerStore } from '../../../functions/domain/ports';
import { parseFormData } from '../../../functions/domain/validation';
import { catalog } from '../../../functions/forms/catalog';
import { ledgerRegistry } from '../../../functions/ledgers/registry';
import { demoPeople } from '../../../infra/local/seed-data';

export interface FakeLedgerOptions {
  /** The chain head every seeded item is read with, as an update's `before` carries it (default seq 1, `h1`). */
  head?: ChainHead;
  /** Items per byState page; by default the page's own limit. One a page makes a form read every page. */
  pageSize?: number;
  /** Collects `<partition>@<cursor>` for every byState page read, to show how a form pages. */
  pagesRead?: string[];
}

/**
 * Ledgers in memory: items by ledger and id, each with a chain head; the state index the ledger
 * definitions declare, paged with offset cursors; commits refused when stale, as the real store
 * refuses them. Reads hand out copies, so that a form cannot change the seed by accident.
 */
export class FakeLedgers implements LedgerStore {
  readonly items = new Map<string, Versioned>();
  readonly events = new Map<string, AuditEvent[]>();
  commits = 0;

  constructor(
    seed: Record<string, LedgerItem[]> = {},
    private readonly options: FakeLedgerOptions = {},
  ) {
    const head = options.head ?? { seq: 1, hash: 'h1' };
    for (const [ledger, items] of Object.entries(seed)) for (const item of items) this.items.set(`${ledger}#${item.id}`, { item: structuredClone(item), head });
  }

  private of(ledger: string): LedgerItem[] {
    return [...this.items.entries()].filter(([key]) => key.startsWith(`${ledger}#`)).map(([, versioned]) => structuredClone(versioned.item));
  }

  async get(ledger: string, id: string) {
    return structuredClone(this.items.get(`${ledger}#${id}`)?.item ?? null);
  }

  async getVersioned(ledger: string, id: string) {
    return structuredClone(this.items.get(`${ledger}#${id}`) ?? null);
  }

  async list(ledger: string, page: PageRequest): Promise<Page<LedgerItem>> {
    return { items: this.of(ledger).slice(0, page.limit) };
  }

  async byState(ledger: string, partition: string, page: PageRequest): Promise<Page<LedgerItem>> {
    this.options.pagesRead?.push(`${partition}@${page.cursor ?? 0}`);
    const stateKey = ledgerRegistry.get(ledger)?.stateKey;
    const all = this.of(ledger).filter((item) => stateKey?.(item)?.partition === partition);
    const start = Number(page.cursor ?? 0);
    const next = start + (this.options.pageSize ?? page.limit);
    return { items: all.slice(start, next), ...(next < all.length ? { nextCursor: String(next) } : {}) };
  }

  async history(ledger: string, id: string) {
    return structuredClone(this.events.get(`${ledger}#${id}`) ?? []);
  }

  async commit(entries: readonly LedgerEntry[]) {
    for (const { op } of entries) {
      if (op.kind === 'update' && this.items.get(`${op.ledger}#${op.after.id}`)?.head.seq !== op.before.head.seq) throw new StaleWriteError();
      if (op.kind === 'create' && this.items.has(`${op.ledger}#${op.item.id}`)) throw new StaleWriteError();
    }
    this.commits++;
    for (const { op, event } of entries) {
      if ((op.kind !== 'update' && op.kind !== 'create') || !event) continue;
      const item = op.kind === 'update' ? op.after : op.item;
      this.items.set(`${op.ledger}#${item.id}`, { item: structuredClone(item), head: { seq: event.seq, hash: event.hash } });
      this.events.set(event.record, [...(this.events.get(event.record) ?? []), event]);
    }
  }
}

/** The demo organisation: its people, and who holds which role where. */
export const demoDirectory: Directory = {
  person: async (id) => demoPeople.find((p) => p.id === id) ?? null,
  holders: async (role, scopeId) => demoPeople.filter((p) => p.roles.some((r) => r.role === role && r.scope.id === scopeId)).map((p) => ({ id: p.id, name: p.name })),
};

/** A demo person as the platform passes a requester: who, and where in the organisation at filing. */
export function requesterOf(id: string): Requester {
  const person = demoPeople.find((p) => p.id === id)!;
  return { id: person.id, name: person.name, siteId: person.siteId, branchId: person.branchId, departmentId: person.departmentId };
}

/** 2026-11-25, 12:00 in Tokyo: the day the form tests file on. */
export const testNow = new Date('2026-11-25T03:00:00.000Z');

/** A form context over seeded ledgers (or ready ones, for options) and the demo directory. */
export function formContext({ ledgers = {}, requester, now = testNow }: { ledgers?: Record<string, LedgerItem[]> | FakeLedgers; requester?: Requester; now?: Date } = {}): FormContext {
  return { ledgers: ledgers instanceof FakeLedgers ? ledgers : new FakeLedgers(ledgers), directory: demoDirectory, now, ...(requester ? { requester } : {}) };
}

/** A form from the catalogue with its parser, and the issues of data it refuses. */
export function formUnderTest(id: string) {
  const entry = catalog.get(id)!;
  const parse = (input: unknown) => parseFormData(entry.form, entry.labels, input);
  /** Every issue of data the form refuses; the test fails if the form accepts it. */
  const issuesOf = (input: unknown): FieldIssue[] => {
    const result = parse(input);
    if (result.ok) throw new Error('expected the data to be refused');
    return result.issues;
  };
  /** The issue on one path of refused data. */
  const issueAt = (input: unknown, path: string): FieldIssue => {
    const found = issuesOf(input).find((issue) => issue.path === path);
    if (!found) throw new Error(`no issue at ${path}: ${JSON.stringify(issuesOf(input))}`);
    return found;
  };
  return { entry, parse, issuesOf, issueAt };
}
