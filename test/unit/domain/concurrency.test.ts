import { describe, expect, it } from 'vitest';
import { mapWithLimit } from '../../../functions/domain/concurrency';

describe('mapWithLimit', () => {
  it('keeps the order of the items and never has more calls in flight than the limit', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3, 0, 6, 7, 8, 9], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60, 70, 80, 90]);
    expect(most).toBe(3);
  });

  it('answers an empty list without calling anything', async () => {
    expect(await mapWithLimit([], 8, async () => { throw new Error('called'); })).toEqual([]);
  });

  it('rejects with the first failure', async () => {
    await expect(mapWithLimit([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two'); return n; })).rejects.toThrow('two');
  });
});
