/**
 * `npm run bench`: measures the product on this machine against the local runtime and writes
 * .bench/results.json and docs/performance.md. Bounded: about three minutes on two cores, loopback only.
 *
 * Environment: BENCH_LEDGER_ITEMS (large ledger size; default 100,000 when it can be written within
 * the time bound here, else 20,000), BENCH_QUICK=1 (fewer samples, for trying the bench itself).
 */
import '../infra/local/polyfills';
import { cpus, loadavg, platform, release } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatLimit, formatValue } from './budgets';
import { measureApi } from './api';
import { closeAgent } from './lib/http';
import { quiet } from './lib/meter';
import type { Product } from './lib/product';
import { startProduct } from './lib/product';
import { buildBundles, measureLambda } from './lambda';
import { renderReport } from './report';
import type { BenchResults } from './results';
import { measureReviewScale } from './review-scale';
import { measureScale } from './scale';
import { buildWeb, measureWebLoad } from './web';
import { measureWorkflow } from './workflow';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const quick = process.env.BENCH_QUICK === '1';
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const log = (message: string) => console.log(`[bench ${elapsed().toFixed(0).padStart(3)} s] ${message}`);

const results: BenchResults = {
  meta: {
    date: new Date().toISOString(),
    node: process.versions.node,
    platform: `${platform()} ${release()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    durationSeconds: 0,
    sections: {},
    loadAverage: { mean: 0, max: 0 },
  },
  errors: {},
};

async function section<T>(name: keyof BenchResults['errors'], run: () => Promise<T>): Promise<T | undefined> {
  const start = performance.now();
  try {
    return await run();
  } catch (error) {
    results.errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    results.meta.sections[name] = (results.meta.sections[name] ?? 0) + (performance.now() - start) / 1000;
  }
}

const loads: number[] = [loadavg()[0]];
setInterval(() => loads.push(loadavg()[0]), 2_000).unref();

mkdirSync(OUT, { recursive: true });
// The runtime starts alone: DynamoDB Local's JVM has 30 s to answer, and builds beside it on two
// busy cores can starve it. One more try when it does not come up (a loaded machine).
log('starting the local runtime');
let product = await section('runtime', startProduct);
if (!product) {
  log('starting the local runtime again');
  delete results.errors.runtime;
  product = await section('runtime', startProduct);
}
log(product ? `runtime at ${product.url}; building the Lambda bundles and the web page` : 'runtime did not start; building the Lambda bundles and the web page');
// Building does not depend on timing, so the two builds run together (the runtime is idle meanwhile).
const [built, webBuild] = await Promise.all([section('lambda', () => buildBundles(join(OUT, 'lambda'))), section('webBuild', () => buildWeb(join(OUT, 'web')))]);
results.webBuild = webBuild;

// Cold starts first, while the runtime is idle: fresh processes must not share the cores with it.
if (built) results.lambda = await section('lambda', () => measureLambda(built, join(OUT, 'lambda'), { runs: quick ? 1 : 2, log }));

async function withProduct(p: Product) {
  results.workflow = await section('workflow', () => measureWorkflow(p, { lifecycles: quick ? 1 : 3, log }));
  await quiet(50, 60_000).catch(() => undefined);
  results.api = await section('api', () =>
    measureApi(p, quick ? { c1: 15, c16: 48, read1: 30, read16: 80, warmup: 3, log } : { c1: 80, c16: 160, read1: 160, read16: 640, warmup: 10, log }),
  );
  await quiet(50, 60_000).catch(() => undefined);
  if (webBuild) results.webLoad = await section('webLoad', () => measureWebLoad(webBuild.outDir, { samples: quick ? 2 : 5, log }));
  await quiet(50, 60_000).catch(() => undefined);
  const large = process.env.BENCH_LEDGER_ITEMS ? Number(process.env.BENCH_LEDGER_ITEMS) : undefined;
  results.scale = await section('scale', () =>
    measureScale(p, {
      small: 1_000,
      large: large ?? (quick ? 5_000 : undefined),
      largeReason: large ? 'set by BENCH_LEDGER_ITEMS' : 'BENCH_QUICK=1: a short run of the bench itself, not a measurement',
      maxWriteSeconds: 120,
      inboxClones: quick ? 200 : 600,
      samples: quick ? 15 : 30,
      log,
    }),
  );
  await quiet(50, 60_000).catch(() => undefined);
  results.reviewScale = await section('reviewScale', () => measureReviewScale(p, { small: 10, large: quick ? 60 : 200, smallRuns: 3, log }));
  results.scans = p.functionsDynamo.total.calls.Scan ?? 0;
  results.functionCalls = p.functionsDynamo.total.calls;
}

if (product) {
  try {
    await withProduct(product);
  } finally {
    await product.stop().catch(() => undefined);
  }
} else {
  for (const name of ['workflow', 'api', 'webLoad', 'scale', 'reviewScale'] as const) results.errors[name] ??= 'the local runtime did not start';
}
closeAgent();

results.meta.durationSeconds = elapsed();
results.meta.loadAverage = { mean: Number((loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)), max: Number(Math.max(...loads).toFixed(2)) };
const verdicts = evaluate(results);
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'docs/performance.md'), renderReport(results, verdicts));
log(`wrote .bench/results.json and docs/performance.md in ${elapsed().toFixed(0)} s`);
for (const v of verdicts) console.log(`  ${v.ok ? 'holds ' : v.missing ? 'MISSING' : 'BROKEN'}  ${v.what}: ${formatValue(v)} (${formatLimit(v)})`);
const failed = Object.keys(results.errors);
if (failed.length > 0) {
  console.error(`Sections that failed: ${failed.join(', ')} (see .bench/results.json)`);
  process.exitCode = 1;
}
// DynamoDB Local and the gateway are stopped; leftover handles (SDK sockets, timers) must not keep the process.
setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
