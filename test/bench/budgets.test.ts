import { describe, expect, it } from 'vitest';
import { BUDGETS, evaluate } from '../../bench/budgets';
import { renderReport } from '../../bench/report';
import type { BenchResults } from '../../bench/results';
import { percentile, runLoad, summarise } from '../../bench/lib/stats';

const latency = (p50: number) => ({ n: 10, p50, p99: p50 * 2, rps: 1000 / p50 });
const endpoint = (api: number, floor: number) => ({
  floorWork: 'GetItem → TransactWriteItems',
  c1: { api: latency(api), floor: latency(floor), direct: latency(api * 0.9), ratioP50: api / floor, directRatioP50: (api * 0.9) / floor },
  c16: { api: latency(api * 4), floor: latency(floor * 4), ratioP50: api / floor },
  perRequest: { calls: { GetItem: 2, TransactWriteItems: 1, StartExecution: 1 }, reads: { 'GetItem PERSON# PROFILE': 1, 'GetItem LEDGER# ITEM#': 1 }, roundTrips: 4, rcu: 1, wcu: 4 },
  floorPerRequest: { calls: { GetItem: 1, TransactWriteItems: 1 }, reads: { 'GetItem LEDGER# ITEM#': 1 }, roundTrips: 2, rcu: 1, wcu: 4 },
});

function fixture(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    meta: { date: '2026-11-25T00:00:00.000Z', node: '20.20.2', platform: 'linux', cpus: 2, cpuModel: 'test', durationSeconds: 100, sections: { api: 10 }, loadAverage: { mean: 1, max: 1.5 } },
    api: {
      counts: { c1: 10, c16: 32, read1: 10, read16: 32, warmup: 2 },
      endpoints: { submit: endpoint(12, 10), decide: endpoint(30, 10), read: endpoint(5, 4) },
      jwtVerifyP50: 0.1,
      requestIds: [],
    },
    workflow: {
      lifecycles: 1,
      stateTransitions: { mean: 13, max: 13, states: ['Advance', 'Route', 'Done'] },
      historyEvents: {},
      perLifecycle: { rcu: 20, wcu: 200, rcuBy: { 'records table': 20 }, wcuBy: { 'records table': 80, 'records gsi1': 80, 'audit table': 40 }, calls: { Query: 10 }, reads: { 'Query REQUEST#': 10 }, roundTrips: 10, sfnCalls: { StartExecution: 1 }, mails: 5 },
      steps: [{ step: 'submit', rcu: 1, wcu: 2, calls: { Query: 1 } }],
      itemBytes: { request: 2800, task: 500, auditEvent: 800 },
    },
    scans: 0,
    functionCalls: { Query: 10 },
    lambda: {
      bundles: [
        {
          functions: ['Big', 'Bigger'],
          entry: 'functions/http/big.ts',
          bytes: 400 * 1024,
          gzipBytes: 90_000,
          topPackages: [{ name: 'zod', bytes: 300_000 }],
          topFolders: [{ name: 'node_modules/zod/v4/locales/', bytes: 200_000 }],
          topFiles: [],
          importMs: 250,
          importMedianMs: 260,
          externals: ['@aws-sdk/client-dynamodb'],
          externalsImportMs: 180,
          initMs: 245,
          ratio: 50,
          processRatio: 4,
        },
        {
          functions: ['Small'],
          entry: 'functions/http/small.ts',
          bytes: 100 * 1024,
          gzipBytes: 30_000,
          topPackages: [{ name: 'zod', bytes: 50_000 }],
          topFolders: [{ name: 'node_modules/zod/v4/core/', bytes: 50_000 }],
          topFiles: [],
          importMs: 60,
          importMedianMs: 70,
          externals: ['@aws-sdk/client-dynamodb'],
          externalsImportMs: 40,
          initMs: 55,
          ratio: 12,
          processRatio: 2,
        },
      ],
      baseline: { importMs: 5, processMs: 40, runs: 4 },
      catalogueImportMs: 60,
      runsPerBundle: 2,
      esbuildOptions: { minify: true },
    },
    webBuild: { outDir: '.bench/web', initial: [{ file: 'assets/index.js', bytes: 100_000, gzipBytes: 35_000 }], initialGzipBytes: 35_000, initialBytes: 100_000, lazy: [], css: [] },
    webLoad: { samples: 2, formUsableMs: 600, blankLoadMs: 50, ratio: 12, formLoadEventMs: 250, apiCalls: ['GET /api/me'] },
    scale: {
      ledger: 'server-access-grants',
      small: 1000,
      large: 20000,
      largeReason: 'test',
      writeItemsPerSecond: 1000,
      writeSeconds: 20,
      ledgerPages: [],
      inboxPages: [],
      ledgerRatio: { p50: 1.05, rcu: 1 },
      inboxRatio: { p50: 1.2, rcu: 1 },
      pageSizeRcu: { 10: 2, 50: 6.5, 100: 12 },
      inboxApprover: 'u-kobayashi',
    },
    reviewScale: {
      smallSites: 10,
      largeSites: 200,
      entriesPerSite: 33,
      writeSeconds: 5,
      runs: [
        { organisation: 'small', month: '2026-07', sites: 10, reviews: 44, entries: 330, ms: 900, msPerReview: 20.5, rcuPerReview: 6, wcuPerReview: 20, capacityPerReview: 26, callsPerReview: 8, mails: 3 },
        { organisation: 'large', month: '2026-09', sites: 200, reviews: 1000, entries: 6600, ms: 21_000, msPerReview: 21, rcuPerReview: 6, wcuPerReview: 20, capacityPerReview: 26, callsPerReview: 8, mails: 3 },
      ],
      ratio: { msPerReview: 1.02, capacityPerReview: 1 },
    },
    errors: {},
    ...overrides,
  };
}

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(summarise([10, 20, 30], 60)).toMatchObject({ n: 3, p50: 20, rps: 50 });
  });

  it('runs a bounded load at the asked concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const { samples } = await runLoad({
      count: 20,
      concurrency: 4,
      op: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return 1;
      },
    });
    expect(samples).toHaveLength(20);
    expect(most).toBe(4);
  });
});

describe('bench budgets', () => {
  it('breaks exactly the budgets whose figures are over', () => {
    const broken = evaluate(fixture()).filter((v) => !v.ok).map((v) => v.id);
    expect(broken).toEqual(['api.decide.c1', 'api.decide.c16', 'lambda.size.Big', 'lambda.init.Big']);
  });

  it('counts a Scan as broken, and a section that failed as not measured', () => {
    const verdicts = evaluate(fixture({ scans: 1, scale: undefined, errors: { scale: 'Error: boom' } }));
    expect(verdicts.find((v) => v.id === 'dynamodb.scans')?.ok).toBe(false);
    const scale = verdicts.filter((v) => v.id.startsWith('scale.') && !v.id.startsWith('scale.review.'));
    expect(scale.every((v) => !v.ok && v.missing === 'Error: boom')).toBe(true);
    expect(verdicts.filter((v) => v.id.startsWith('scale.review.')).every((v) => v.ok)).toBe(true);
  });

  it('breaks the monthly review budget when a review costs more in a large organisation, and counts its failed section as not measured', () => {
    const results = fixture();
    results.reviewScale!.ratio = { msPerReview: 1.6, capacityPerReview: 1.5 };
    const verdicts = evaluate(results);
    expect(verdicts.filter((v) => v.id.startsWith('scale.review.')).map((v) => [v.id, v.ok])).toEqual([
      ['scale.review.time', false],
      ['scale.review.capacity', true],
    ]);
    const failed = evaluate(fixture({ reviewScale: undefined, errors: { reviewScale: 'Error: gone' } })).filter((v) => v.id.startsWith('scale.review.'));
    expect(failed.every((v) => !v.ok && v.missing === 'Error: gone')).toBe(true);
  });

  it('holds at the limits themselves', () => {
    const results = fixture();
    results.api!.endpoints.decide = endpoint(15, 10);
    results.workflow!.stateTransitions.max = BUDGETS.stateTransitions;
    results.lambda!.bundles[0].bytes = BUDGETS.bundleBytes;
    results.lambda!.bundles[0].initMs = BUDGETS.coldInitMs;
    expect(evaluate(results).filter((v) => !v.ok)).toEqual([]);
  });

  it('renders the report with one row per Lambda budget kind and the causes of what broke', () => {
    const results = fixture();
    const markdown = renderReport(results, evaluate(results));
    expect(markdown).toContain('| bundle size, each of 2 handler bundles (minified) | counted | 100.0 KB – 400.0 KB | ≤ 300 KB | **broken** (1 of 2) |');
    expect(markdown).toContain('**decide** — p50 30.0 ms against a floor of 10.0 ms (3.00×)');
    expect(markdown).toContain('zod/v4/locales');
    expect(markdown).toContain('### 5b. Scale: the monthly review costs the same per review however many sites');
    expect(markdown).toContain('| time | 1.02× | ≤ 1.5× |');
    expect(markdown).toContain('Of the 200 WCU, 80 (40 %) are index writes');
  });

  it('tells an SDK loaded at import from one loaded by the first call, and says by how much each bundle is over', () => {
    const results = fixture();
    results.lambda!.bundles[0].externalsAtImport = ['@aws-sdk/client-dynamodb'];
    results.lambda!.bundles[1].externalsAtImport = [];
    const markdown = renderReport(results, evaluate(results));
    expect(markdown).toContain('| 180.0 ms (import) |');
    expect(markdown).toContain('| 40.0 ms (first call) |');
    expect(markdown).toContain('Over the budget: Big, Bigger by 100.0 KB.');
    expect(markdown).toContain('Big, Bigger by 95.0 ms');
    expect(markdown).toContain('imports AWS SDK packages at the top (@aws-sdk/client-dynamodb)');
  });
});

describe('kinds of budget', () => {
  it('counts bytes, calls, transitions and capacity, and times the API, cold starts and page latencies', () => {
    const kinds = Object.fromEntries(evaluate(fixture()).map((v) => [v.id.replace(/^(lambda\.(size|init))\..*/, '$1'), v.kind]));
    expect(kinds).toMatchObject({
      'api.submit.c1': 'timed',
      'api.read.c16': 'timed',
      'lambda.init': 'timed',
      'scale.ledger.p50': 'timed',
      'scale.review.time': 'timed',
      'lambda.size': 'counted',
      'workflow.transitions': 'counted',
      'dynamodb.scans': 'counted',
      'web.initialJs': 'counted',
      'scale.ledger.rcu': 'counted',
      'scale.inbox.rcu': 'counted',
      'scale.review.capacity': 'counted',
    });
  });
});
