import { createHash } from 'node:crypto';
import type { PersonRef } from './organisation';
import type { Text } from './text';

/** The hash that stands before the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain stands: the last event's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const emptyChain = (): ChainHead => ({ seq: 0, hash: GENESIS_HASH });

/** What happened, before it is placed in a chain. */
export interface AuditDraft {
  /** `<entity>#<id>`, e.g. `request#R-20261125-7KQ2MX`. */
  record: string;
  at: string;
  actor: PersonRef | null;
  action: string;
  summary: Text;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditEvent extends AuditDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level, so that the same event always hashes the same way,
 * whatever order its properties were built in or came back from the database.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(prevHash: string, seq: number, draft: AuditDraft): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${canonicalJson(draft)}`).digest('hex');
}

/** Places a draft after the head of its chain. */
export function chainEvent(head: ChainHead, draft: AuditDraft): { event: AuditEvent; head: ChainHead } {
  const seq = head.seq + 1;
  const hash = hashEvent(head.hash, seq, draft);
  return { event: { ...draft, seq, prevHash: head.hash, hash }, head: { seq, hash } };
}

export interface ChainBreak {
  seq: number;
  reason: 'sequence' | 'prev-hash' | 'hash';
}

/** Walks a chain oldest first and reports the first event that does not follow from the one before. */
export function verifyChain(events: readonly AuditEvent[]): ChainBreak | null {
  let head = emptyChain();
  for (const event of events) {
    if (event.seq !== head.seq + 1) return { seq: event.seq, reason: 'sequence' };
    if (event.prevHash !== head.hash) return { seq: event.seq, reason: 'prev-hash' };
    const { seq, prevHash, hash, ...draft } = event;
    if (hashEvent(prevHash, seq, draft) !== hash) return { seq, reason: 'hash' };
    head = { seq, hash };
  }
  return null;
}
