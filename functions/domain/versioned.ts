import type { AuditDraft, AuditEvent, ChainHead } from './audit';
import { chainEvent, emptyChain } from './audit';

/**
 * A record that carries its own version and the head of its audit chain: logbook entries, reviews,
 * duties and cases. Every change to one is written together with its audit events, and only if the
 * record is still at the version it was read at.
 */
export interface VersionedRecord {
  version: number;
  audit: ChainHead;
}

/** A change to one versioned record: the record as it will be, and what happened, in its chain. */
export interface RecordChange<T extends VersionedRecord> {
  next: T;
  /** null: the record must not exist yet (a creation). */
  expectedVersion: number | null;
  events: AuditEvent[];
}

/**
 * Builds a change from a record's old state and its new content, placing the drafts after the old
 * chain head. `record` names the audit chain, e.g. `logbook-entry#L1.site-tokyo.2026-10.8KQ2`.
 */
export function recordChange<T extends VersionedRecord>(
  previous: T | null,
  next: Omit<T, 'version' | 'audit'>,
  record: string,
  drafts: Omit<AuditDraft, 'record'>[],
): RecordChange<T> {
  let head = previous?.audit ?? emptyChain();
  const events = drafts.map((draft) => {
    const placed = chainEvent(head, { record, ...draft });
    head = placed.head;
    return placed.event;
  });
  return { next: { ...next, version: (previous?.version ?? 0) + 1, audit: head } as T, expectedVersion: previous?.version ?? null, events };
}

/** What changed between two states, for an audit event: see `changedFields` in approval.ts. */
export { changedFields } from './approval';
