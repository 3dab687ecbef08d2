/**
 * The budgets, evaluated from the figures in .bench/results.json. `npm run bench` writes the verdicts
 * into docs/performance.md; `npm run bench:check` evaluates them again from the figures (never from a
 * stored verdict) and fails on each one that is broken.
 */
import type { BenchResults } from './results';

export const KB = 1024;

export const BUDGETS = {
  apiP50Ratio: 1.5,
  stateTransitions: 15,
  scans: 0,
  bundleBytes: 300 * KB,
  coldInitMs: 150,
  initialJsGzipBytes: 80 * KB,
  /** "≈ 1": the read capacity of a page must not grow with the table at all; latency within noise. */
  scaleRcuRatio: 1.1,
  scaleP50Ratio: 1.5,
  /** Opening a month's reviews: per review, a large organisation ÷ a small one (linear: no site costs more as the company grows). */
  reviewScaleRatio: 1.5,
} as const;

/**
 * `counted`: bytes, calls, transitions and capacity units — exact, the same on any machine for the same
 * code. `timed`: a ratio of two times taken in the same run, which still moves with what else the
 * machine is doing (on 2 cores shared with DynamoDB Local, the API ratios moved by up to ±40 % between
 * runs of the same code).
 */
export type BudgetKind = 'counted' | 'timed';

export interface Verdict {
  id: string;
  what: string;
  kind: BudgetKind;
  value: number | null;
  limit: number;
  unit: string;
  ok: boolean;
  /** Set when the figure could not be measured (the section failed). */
  missing?: string;
}

/** The budgets on times (the rest count bytes, calls and capacity). */
const TIMED = /^(api\.|lambda\.init\.?|scale\.(ledger|inbox)\.p50|scale\.review\.time)/;

export function evaluate(results: BenchResults): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (id: string, what: string, value: number | null | undefined, limit: number, unit: string, cmp: 'le' | 'eq' = 'le', missing?: string) => {
    const measured = value === undefined || value === null || Number.isNaN(value) ? null : value;
    verdicts.push({
      id,
      what,
      kind: TIMED.test(id) ? 'timed' : 'counted',
      value: measured,
      limit,
      unit,
      ok: measured !== null && (cmp === 'eq' ? measured === limit : measured <= limit),
      ...(measured === null ? { missing: missing ?? 'not measured' } : {}),
    });
  };

  const api = results.api;
  for (const name of ['submit', 'decide', 'read'] as const) {
    add(`api.${name}.c1`, `${name}: p50 of the API ÷ p50 of its DynamoDB floor, concurrency 1`, api?.endpoints[name].c1.ratioP50, BUDGETS.apiP50Ratio, '×', 'le', results.errors.api);
    add(`api.${name}.c16`, `${name}: p50 of the API ÷ p50 of its DynamoDB floor, concurrency 16`, api?.endpoints[name].c16.ratioP50, BUDGETS.apiP50Ratio, '×', 'le', results.errors.api);
  }

  const workflow = results.workflow;
  add('workflow.transitions', 'state transitions per F1 request (3 stages)', workflow?.stateTransitions.max, BUDGETS.stateTransitions, 'transitions', 'le', results.errors.workflow);
  add('dynamodb.scans', 'Scan calls by the functions during the whole run', results.scans ?? null, BUDGETS.scans, 'calls', 'eq', results.errors.api ?? results.errors.workflow);

  const lambda = results.lambda;
  if (lambda) {
    for (const bundle of lambda.bundles) {
      const name = bundle.functions.join(', ');
      add(`lambda.size.${bundle.functions[0]}`, `bundle size of ${name} (minified)`, bundle.bytes, BUDGETS.bundleBytes, 'bytes');
      add(`lambda.init.${bundle.functions[0]}`, `cold initialisation of ${name} (import time − empty-module import time)`, bundle.initMs, BUDGETS.coldInitMs, 'ms');
    }
  } else {
    add('lambda.size', 'bundle size of every handler', null, BUDGETS.bundleBytes, 'bytes', 'le', results.errors.lambda);
    add('lambda.init', 'cold initialisation of every handler', null, BUDGETS.coldInitMs, 'ms', 'le', results.errors.lambda);
  }

  add('web.initialJs', 'initial JavaScript of the web page (gzip)', results.webBuild?.initialGzipBytes, BUDGETS.initialJsGzipBytes, 'bytes', 'le', results.errors.webBuild);

  const scale = results.scale;
  add('scale.ledger.rcu', `ledger page of 50: read capacity at ${scale?.large ?? 'large'} ÷ at ${scale?.small ?? 'small'} items`, scale?.ledgerRatio.rcu, BUDGETS.scaleRcuRatio, '×', 'le', results.errors.scale);
  add('scale.ledger.p50', `ledger page of 50: p50 at ${scale?.large ?? 'large'} ÷ at ${scale?.small ?? 'small'} items`, scale?.ledgerRatio.p50, BUDGETS.scaleP50Ratio, '×', 'le', results.errors.scale);
  add('scale.inbox.rcu', 'inbox page of 50: read capacity, large inbox and table ÷ small', scale?.inboxRatio.rcu, BUDGETS.scaleRcuRatio, '×', 'le', results.errors.scale);
  add('scale.inbox.p50', 'inbox page of 50: p50, large inbox and table ÷ small', scale?.inboxRatio.p50, BUDGETS.scaleP50Ratio, '×', 'le', results.errors.scale);
  const reviews = results.reviewScale;
  const sizes = `${reviews?.largeSites ?? 'large'} ÷ ${reviews?.smallSites ?? 'small'} sites`;
  add('scale.review.time', `monthly review opened: time per review, ${sizes}`, reviews?.ratio.msPerReview, BUDGETS.reviewScaleRatio, '×', 'le', results.errors.reviewScale);
  add('scale.review.capacity', `monthly review opened: capacity (RCU + WCU) per review, ${sizes}`, reviews?.ratio.capacityPerReview, BUDGETS.reviewScaleRatio, '×', 'le', results.errors.reviewScale);
  return verdicts;
}

export function formatValue(verdict: Pick<Verdict, 'value' | 'unit'>): string {
  if (verdict.value === null) return 'not measured';
  if (verdict.unit === 'bytes') return `${(verdict.value / KB).toFixed(1)} KB`;
  if (verdict.unit === '×') return `${verdict.value.toFixed(2)}×`;
  return `${verdict.value} ${verdict.unit}`;
}

export function formatLimit(verdict: Pick<Verdict, 'limit' | 'unit'>): string {
  if (verdict.unit === 'bytes') return `≤ ${(verdict.limit / KB).toFixed(0)} KB`;
  if (verdict.unit === '×') return `≤ ${verdict.limit}×`;
  if (verdict.unit === 'calls') return `= ${verdict.limit}`;
  return `≤ ${verdict.limit} ${verdict.unit}`;
}
