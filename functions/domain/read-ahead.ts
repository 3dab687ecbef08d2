import type { LedgerItem, LedgerReader } from './ledgers';

/** Ledger items read ahead of the run that needs them, by `ledger#id`. */
export type ReadAhead = Map<string, Promise<LedgerItem | null>>;

const keyOf = (ledger: string, id: string) => `${ledger}#${id}`;

/** A reader that reads as `ledgers` does and keeps each item it got in `into`. */
export function recordingReader(ledgers: LedgerReader, into: ReadAhead): LedgerReader {
  return {
    get(ledger, id) {
      const reading = ledgers.get(ledger, id);
      into.set(keyOf(ledger, id), reading);
      return reading;
    },
    getVersioned: (ledger, id) => ledgers.getVersioned(ledger, id),
    list: (ledger, query) => ledgers.list(ledger, query),
    byState: (ledger, partition, page) => ledgers.byState(ledger, partition, page),
  };
}

/**
 * A reader that answers each item read ahead once, as the first read of it in this run, and reads
 * as `ledgers` does otherwise. Once only: a later read of the same item (a retry after a conflict)
 * must see it as it is then.
 */
export function servedFrom(ledgers: LedgerReader, ahead: ReadAhead): LedgerReader {
  return {
    get(ledger, id) {
      const key = keyOf(ledger, id);
      const read = ahead.get(key);
      if (!read) return ledgers.get(ledger, id);
      ahead.delete(key);
      // A read ahead that failed is made again, so that its error is met where it would have been.
      return read.catch(() => ledgers.get(ledger, id));
    },
    getVersioned: (ledger, id) => ledgers.getVersioned(ledger, id),
    list: (ledger, query) => ledgers.list(ledger, query),
    byState: (ledger, partition, page) => ledgers.byState(ledger, partition, page),
  };
}
