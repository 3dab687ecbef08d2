import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LINK_LIFETIME_DAYS, hashLinkToken, isWellFormedLinkToken, linkExpiry, newLinkToken } from '../../../functions/domain/link-token';

describe('link tokens', () => {
  it('are 43 URL-safe characters', () => {
    for (let i = 0; i < 50; i++) expect(newLinkToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are distinct every time', () => {
    const tokens = new Set(Array.from({ length: 500 }, newLinkToken));
    expect(tokens.size).toBe(500);
  });

  it('are well formed by their own rule', () => {
    expect(isWellFormedLinkToken(newLinkToken())).toBe(true);
  });

  it('hash to the hex sha256 of the token', () => {
    const token = newLinkToken();
    expect(hashLinkToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('hash the same way twice and differently per token', () => {
    const [a, b] = [newLinkToken(), newLinkToken()];
    expect(hashLinkToken(a)).toBe(hashLinkToken(a));
    expect(hashLinkToken(a)).not.toBe(hashLinkToken(b));
  });

  it('never hash to the token itself', () => {
    const token = newLinkToken();
    expect(hashLinkToken(token)).not.toContain(token);
  });

  it.each([
    ['empty', ''],
    ['one short', 'a'.repeat(42)],
    ['one long', 'a'.repeat(44)],
    ['with padding', `${'a'.repeat(42)}=`],
    ['with a slash', `${'a'.repeat(42)}/`],
    ['with a plus', `${'a'.repeat(42)}+`],
    ['with a dot', `${'a'.repeat(42)}.`],
    ['with a space', `${'a'.repeat(42)} `],
    ['with a newline', `${'a'.repeat(43)}\n`],
    ['non-ASCII', `${'a'.repeat(42)}あ`],
    ['a path', `../${'a'.repeat(40)}`],
  ])('refuses a token that is %s', (_what, token) => {
    expect(isWellFormedLinkToken(token)).toBe(false);
  });

  it('accepts 43 characters of letters, digits, - and _', () => {
    expect(isWellFormedLinkToken(`${'A'.repeat(20)}${'z'.repeat(20)}0-_`)).toBe(true);
  });
});

describe('linkExpiry', () => {
  it('is 7 days later, to the millisecond', () => {
    expect(LINK_LIFETIME_DAYS).toBe(7);
    expect(linkExpiry(new Date('2026-11-25T01:02:03.456Z'))).toBe('2026-12-02T01:02:03.456Z');
  });

  it('counts days of 24 hours across a month and a year end', () => {
    expect(linkExpiry(new Date('2026-12-28T23:30:00.000Z'))).toBe('2027-01-04T23:30:00.000Z');
    expect(linkExpiry(new Date('2028-02-25T00:00:00.000Z'))).toBe('2028-03-03T00:00:00.000Z');
  });
});
