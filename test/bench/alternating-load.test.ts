import { describe, expect, it } from 'vitest';
import { alternatingLoad } from '../../bench/lib/stats';

describe('alternatingLoad', () => {
  it('runs the two sides in blocks a b, b a, a b, …, each call once', async () => {
    const order: string[] = [];
    const side = (name: string) => async (i: number) => (order.push(`${name}${i}`), 1);
    const result = await alternatingLoad({ count: 6, concurrency: 1, blocks: 3, a: side('a'), b: side('b') });
    expect(order).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'b3', 'a2', 'a3', 'a4', 'a5', 'b4', 'b5']);
    expect(result.a.samples).toHaveLength(6);
    expect(result.b.samples).toHaveLength(6);
  });
});
