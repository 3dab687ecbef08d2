import { describe, expect, it } from 'vitest';
import { streamFunctions } from '../../../functions/http/routes';
import { assertSupportedPattern, matchesPattern } from '../../../infra/local/event-pattern';

const record = (entity: string | undefined, eventName = 'MODIFY') => ({
  eventName,
  dynamodb: { Keys: { pk: { S: 'X' } }, ...(entity === undefined ? {} : { NewImage: { entity: { S: entity }, pk: { S: 'X' } } }) },
});

describe('matchesPattern', () => {
  const [handOver] = streamFunctions;

  it('lets a request item through the hand-over filter, and nothing else', () => {
    expect(matchesPattern(handOver.filter, record('request'))).toBe(true);
    expect(matchesPattern(handOver.filter, record('request', 'INSERT'))).toBe(true);
    expect(matchesPattern(handOver.filter, record('task'))).toBe(false);
    expect(matchesPattern(handOver.filter, record('ledger-item'))).toBe(false);
  });

  it('keeps out a removal, which has no new image', () => {
    expect(matchesPattern(handOver.filter, record(undefined, 'REMOVE'))).toBe(false);
  });

  it('reads a list of values as any of them, and every field as required', () => {
    const pattern = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['request'] } } } };
    expect(matchesPattern(pattern, record('request', 'INSERT'))).toBe(true);
    expect(matchesPattern(pattern, record('request', 'REMOVE'))).toBe(false);
  });

  it('knows prefix and exists', () => {
    expect(matchesPattern({ dynamodb: { Keys: { pk: { S: [{ prefix: 'X' }] } } } }, record('task'))).toBe(true);
    expect(matchesPattern({ dynamodb: { Keys: { pk: { S: [{ prefix: 'Y' }] } } } }, record('task'))).toBe(false);
    expect(matchesPattern({ dynamodb: { OldImage: [{ exists: false }] } }, record('task'))).toBe(true);
    expect(matchesPattern({ dynamodb: { NewImage: [{ exists: true }] } }, record(undefined, 'REMOVE'))).toBe(false);
  });

  it('refuses at start-up a rule it does not know, rather than filtering by it wrongly', () => {
    expect(() => assertSupportedPattern({ dynamodb: { Keys: { pk: { S: [{ suffix: 'X' } as never] } } } })).toThrow(/Unsupported filter rule at dynamodb.Keys.pk.S/);
    expect(() => assertSupportedPattern(handOver.filter)).not.toThrow();
  });
});
