import { describe, expect, it } from 'vitest';
import type { AuditDraft, AuditEvent } from '../../../functions/domain/audit';
import { GENESIS_HASH, canonicalJson, chainEvent, emptyChain, hashEvent, verifyChain } from '../../../functions/domain/audit';

const draft = (n: number, extra: Partial<AuditDraft> = {}): AuditDraft => ({
  record: 'request#R-20261125-AAAAAA',
  at: `2026-11-25T0${n}:00:00.000Z`,
  actor: { id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' } },
  action: `action-${n}`,
  summary: { ja: `出来事 ${n}`, en: `Event ${n}` },
  before: null,
  after: { step: n, nested: { b: 2, a: 1 } },
  ...extra,
});

function chainOf(count: number): AuditEvent[] {
  let head = emptyChain();
  const events: AuditEvent[] = [];
  for (let n = 1; n <= count; n++) {
    const placed = chainEvent(head, draft(n));
    events.push(placed.event);
    head = placed.head;
  }
  return events;
}

describe('canonicalJson', () => {
  it('gives the same text whatever order the keys were built in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: { z: 1, y: 2 }, a: 0 })).toBe('{"a":0,"b":{"y":2,"z":1}}');
  });

  it('keeps the order of array elements', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('writes scalars and null as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('日本語 "quoted"')).toBe(JSON.stringify('日本語 "quoted"'));
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
  });
});

describe('hashEvent', () => {
  it('is a hex sha256 that depends on the previous hash, the sequence number and the content', () => {
    const base = hashEvent(GENESIS_HASH, 1, draft(1));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, 1, draft(1))).toBe(base);
    expect(hashEvent('1'.repeat(64), 1, draft(1))).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, 2, draft(1))).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, 1, draft(2))).not.toBe(base);
  });

  it('does not depend on the order of the draft keys', () => {
    const reordered = Object.fromEntries(Object.entries(draft(1)).reverse()) as unknown as AuditDraft;
    expect(hashEvent(GENESIS_HASH, 1, reordered)).toBe(hashEvent(GENESIS_HASH, 1, draft(1)));
  });
});

describe('chainEvent', () => {
  it('places the first event after the genesis hash at sequence 1', () => {
    const { event, head } = chainEvent(emptyChain(), draft(1));
    expect(event.seq).toBe(1);
    expect(event.prevHash).toBe(GENESIS_HASH);
    expect(event.hash).toBe(hashEvent(GENESIS_HASH, 1, draft(1)));
    expect(head).toEqual({ seq: 1, hash: event.hash });
  });

  it('links each event to the one before', () => {
    const events = chainOf(4);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
  });

  it('starts every chain from a genesis hash of 64 zeros', () => {
    expect(emptyChain()).toEqual({ seq: 0, hash: '0'.repeat(64) });
  });
});

describe('verifyChain', () => {
  it('accepts a chain built by chainEvent', () => {
    expect(verifyChain(chainOf(5))).toBeNull();
  });

  it('accepts an empty chain', () => {
    expect(verifyChain([])).toBeNull();
  });

  it('accepts a chain whose events came back with their keys in another order', () => {
    const shuffled = chainOf(3).map((event) => Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEvent);
    expect(verifyChain(shuffled)).toBeNull();
  });

  it('reports the event whose content was altered', () => {
    const events = chainOf(4);
    events[2] = { ...events[2], summary: { ja: '改ざん', en: 'tampered' } };
    expect(verifyChain(events)).toEqual({ seq: 3, reason: 'hash' });
  });

  it('reports an altered actor deep inside an event', () => {
    const events = chainOf(3);
    events[1] = { ...events[1], after: { step: 2, nested: { b: 2, a: 99 } } };
    expect(verifyChain(events)).toEqual({ seq: 2, reason: 'hash' });
  });

  it('reports the event whose hash was altered', () => {
    const events = chainOf(4);
    events[1] = { ...events[1], hash: 'f'.repeat(64) };
    expect(verifyChain(events)).toEqual({ seq: 2, reason: 'hash' });
  });

  it('reports a rewritten event whose hash was recomputed, at the next link', () => {
    const events = chainOf(4);
    const forged = { ...draft(2), summary: { ja: '改ざん', en: 'forged' } };
    events[1] = { ...forged, seq: 2, prevHash: events[0].hash, hash: hashEvent(events[0].hash, 2, forged) };
    expect(verifyChain(events)).toEqual({ seq: 3, reason: 'prev-hash' });
  });

  it('reports the event whose previous hash was altered', () => {
    const events = chainOf(4);
    events[3] = { ...events[3], prevHash: GENESIS_HASH };
    expect(verifyChain(events)).toEqual({ seq: 4, reason: 'prev-hash' });
  });

  it('reports an altered sequence number', () => {
    const events = chainOf(4);
    events[2] = { ...events[2], seq: 7 };
    expect(verifyChain(events)).toEqual({ seq: 7, reason: 'sequence' });
  });

  it('reports a missing event as a gap in the sequence', () => {
    const events = chainOf(4);
    events.splice(1, 1);
    expect(verifyChain(events)).toEqual({ seq: 3, reason: 'sequence' });
  });

  it('reports the first broken link when several are broken', () => {
    const events = chainOf(5);
    events[1] = { ...events[1], action: 'tampered' };
    events[3] = { ...events[3], action: 'tampered too' };
    expect(verifyChain(events)).toEqual({ seq: 2, reason: 'hash' });
  });

  it('refuses a chain that does not start at sequence 1', () => {
    expect(verifyChain(chainOf(3).slice(1))).toEqual({ seq: 2, reason: 'sequence' });
  });
});
