/** Small statistics over latency samples (milliseconds). */

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const mean = (samples: readonly number[]) => (samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length);

export const round = (value: number, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

export interface LatencySummary {
  /** Timed requests. */
  n: number;
  p50: number;
  p99: number;
  /** Requests per second over the timed part of the run. */
  rps: number;
}

export function summarise(samples: readonly number[], elapsedMs: number): LatencySummary {
  return { n: samples.length, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3), rps: round((samples.length / elapsedMs) * 1000, 1) };
}

/**
 * Runs `count` operations with `concurrency` workers. Each operation returns its own latency (ms).
 * With `between` (only meaningful at concurrency 1) each worker awaits it after an operation, outside
 * the timed part: the elapsed time then counts only the operations themselves.
 */
export async function runLoad(options: {
  count: number;
  concurrency: number;
  op: (index: number) => Promise<number>;
  between?: (index: number) => Promise<void>;
}): Promise<{ samples: number[]; elapsedMs: number }> {
  const samples: number[] = [];
  let next = 0;
  let busy = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (;;) {
        const index = next++;
        if (index >= options.count) return;
        const ms = await options.op(index);
        samples.push(ms);
        busy += ms;
        if (options.between) await options.between(index);
      }
    }),
  );
  const wall = performance.now() - started;
  return { samples, elapsedMs: options.between ? busy : wall };
}

/**
 * Runs `a` and `b` at the same concurrency in blocks, `count` calls of each in all, in the order
 * a b, b a, a b, … so that a drift of the machine during the run (DynamoDB Local's JIT and garbage
 * collection, other work) falls on both alike, and neither always goes first. Each side's elapsed
 * time is the sum of its blocks.
 */
export async function alternatingLoad(options: {
  count: number;
  concurrency: number;
  blocks: number;
  a: (index: number) => Promise<number>;
  b: (index: number) => Promise<number>;
}): Promise<{ a: { samples: number[]; elapsedMs: number }; b: { samples: number[]; elapsedMs: number } }> {
  const a = { samples: [] as number[], elapsedMs: 0 };
  const b = { samples: [] as number[], elapsedMs: 0 };
  const size = Math.ceil(options.count / options.blocks);
  for (let first = 0, block = 0; first < options.count; first += size, block++) {
    const count = Math.min(size, options.count - first);
    const pair = [[a, options.a], [b, options.b]] as const;
    for (const [side, op] of block % 2 === 0 ? pair : [pair[1], pair[0]]) {
      const block = await runLoad({ count, concurrency: options.concurrency, op: (i) => op(first + i) });
      side.samples.push(...block.samples);
      side.elapsedMs += block.elapsedMs;
    }
  }
  return { a, b };
}
