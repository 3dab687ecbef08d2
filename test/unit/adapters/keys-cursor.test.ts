import { describe, expect, it } from 'vitest';
import { InvalidCursorError, decodeCursor, encodeCursor, keyFits } from '../../../functions/adapters/keys';

const cursorOf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const inbox = { name: 'gsi1pk', value: 'INBOX#u-sato' };
const ledger = { name: 'pk', value: 'LEDGER#servers' };

describe('decodeCursor', () => {
  it('gives back a key DynamoDB gave out, for the table and for an index', () => {
    const tableKey = { pk: 'LEDGER#servers', sk: 'ITEM#srv-app' };
    expect(decodeCursor(encodeCursor(tableKey), ledger)).toEqual(tableKey);
    const indexKey = { gsi1pk: 'INBOX#u-sato', gsi1sk: '2026-11-25T01:00:00.000Z#R-1.1.0.u-sato', pk: 'REQUEST#R-1', sk: 'TASK#0001#00#u-sato' };
    expect(decodeCursor(encodeCursor(indexKey), inbox)).toEqual(indexKey);
  });

  it('reads no cursor as the first page', () => {
    expect(decodeCursor(undefined, ledger)).toBeUndefined();
    expect(decodeCursor('', ledger)).toBeUndefined();
  });

  it.each([
    ['another partition', { pk: 'LEDGER#clients', sk: 'ITEM#x' }, ledger],
    ['the partition alone', { gsi1pk: 'INBOX#u-sato' }, inbox],
    ['an index key without the table key', { gsi1pk: 'INBOX#u-sato', gsi1sk: 'a' }, inbox],
    ['a number where a key string goes', { gsi1pk: 'INBOX#u-sato', gsi1sk: 7, pk: 'REQUEST#R-1', sk: 'TASK#1' }, inbox],
    ['an attribute that is no key', { pk: 'LEDGER#servers', sk: 'ITEM#srv-app', extra: 'x' }, ledger],
    ['an empty sort key', { pk: 'LEDGER#servers', sk: '' }, ledger],
    ['a sort key over 1,024 bytes', { pk: 'LEDGER#servers', sk: `ITEM#${'x'.repeat(1100)}` }, ledger],
    ['a list', ['LEDGER#servers'], ledger],
    ['null', null, ledger],
  ])('refuses a cursor with %s', (_what, key, partition) => {
    expect(() => decodeCursor(cursorOf(key), partition)).toThrow(InvalidCursorError);
  });

  it('refuses what is not base64 of JSON', () => {
    expect(() => decodeCursor('%%%not-base64', ledger)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursorOf('{"pk":'), ledger)).toThrow(InvalidCursorError);
  });
});

describe('keyFits', () => {
  it('holds for keys within DynamoDB\'s limits, counted in UTF-8 bytes', () => {
    expect(keyFits({ pk: 'LEDGER#servers', sk: `ITEM#${'x'.repeat(1019)}` })).toBe(true);
    expect(keyFits({ pk: 'LEDGER#servers', sk: `ITEM#${'x'.repeat(1020)}` })).toBe(false);
    expect(keyFits({ pk: 'LEDGER#servers', sk: `ITEM#${'あ'.repeat(339)}` })).toBe(true);
    expect(keyFits({ pk: 'LEDGER#servers', sk: `ITEM#${'あ'.repeat(340)}` })).toBe(false);
    expect(keyFits({ pk: `P#${'x'.repeat(2047)}`, sk: 'S' })).toBe(false);
  });
});
