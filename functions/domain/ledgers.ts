import type { z } from 'zod';
import type { ChainHead } from './audit';
import type { Text } from './text';

/** Every ledger item has an id; site-bound items also say where they are (for filtering and routing). */
export interface LedgerItem {
  id: string;
  siteId?: string;
  branchId?: string;
  [key: string]: unknown;
}

export type ColumnType = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'enum' | 'list';

/** A column as the page shows it and the CSV carries it; `key` is a dot path (`name.ja`). */
export interface LedgerColumn {
  key: string;
  label: Text;
  type: ColumnType;
  enumLabels?: Record<string, Text>;
}

/** A ledger (台帳) the regulations require: what an item is, how it is shown, exported and indexed. */
export interface LedgerDefinition<T extends LedgerItem = LedgerItem> {
  name: string;
  title: Text;
  description: Text;
  articles: string[];
  /** Validates an item as a whole (direct edits, CSV import). */
  item: z.ZodType<T>;
  columns: LedgerColumn[];
  /** Attributes that only transactions move (seat counters); a direct edit never overwrites them. */
  counters?: (keyof T & string)[];
  /** An extra "by state" index (gsi2) for reads a schedule or a rule needs: partition and sort values. */
  stateKey?(item: T): { partition: string; sort: string } | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface LedgerQuery extends PageRequest {
  siteId?: string;
  branchId?: string;
  /** Words to find in the item's text (case-insensitive). */
  q?: string;
}

/** An item with the head of its audit chain, as an update needs it. */
export interface Versioned<T extends LedgerItem = LedgerItem> {
  item: T;
  head: ChainHead;
}

/** Reads ledgers by key or by index; the adapter answers from DynamoDB. */
export interface LedgerReader {
  get(ledger: string, id: string): Promise<LedgerItem | null>;
  getVersioned(ledger: string, id: string): Promise<Versioned | null>;
  list(ledger: string, query: LedgerQuery): Promise<Page<LedgerItem>>;
  /** Items of a ledger by its state index (see `stateKey`), e.g. the user ids of one person. */
  byState(ledger: string, partition: string, page: PageRequest & { sortBefore?: string }): Promise<Page<LedgerItem>>;
}

/**
 * A change to a ledger, written in the same transaction as the request change that causes it.
 * - `create`: a new item (refused if the id exists).
 * - `update`: the item as it was read (with its chain head) and as it becomes; refused if it changed meanwhile.
 * - `seats`: moves a licence's seat counters; refused if a counter would fall below zero, so two
 *   requests can never take the last seat twice.
 * - `claim`: a unique name (one person one ID, one login per system); refused if claimed already.
 */
export type LedgerOp =
  | { kind: 'create'; ledger: string; item: LedgerItem; summary: Text }
  | { kind: 'update'; ledger: string; before: Versioned; after: LedgerItem; summary: Text; /** Counter moves made with the update (a counter may not fall below zero). */ adjust?: Record<string, number> }
  | { kind: 'seats'; licenceId: string; held: number; used: number; field?: string }
  | { kind: 'claim'; key: string; owner: string; field: string; message: Text }
  | { kind: 'release'; key: string; owner?: string };

export const seatChange = (licenceId: string, held: number, used: number, field?: string): LedgerOp => ({ kind: 'seats', licenceId, held, used, field });
