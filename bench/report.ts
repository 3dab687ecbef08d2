/** Renders .bench/results.json as docs/performance.md. */
import { BUDGETS, formatLimit, formatValue, KB, type Verdict } from './budgets';
import type { EndpointResult } from './api';
import { BEFORE_ISSUE_6 } from './before';
import type { BenchResults } from './results';

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const x = (value: number) => `${value.toFixed(2)}×`;
const calls = (record: Record<string, number>) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ×${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(', ') || '—';
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** What each call's reads beyond its floor are for (functions/domain/requests.ts, decisions.ts). */
const WHY: Record<string, string> = {
  submit:
    'What the calls beyond the floor are for: the caller\'s profile, the role holders of every stage and everyone\'s absence are taken from what the function process keeps while the directory\'s version is unchanged, and a read of that version serves the process for a second (docs/decisions.md), so it is read on few calls (the GetItem DIRECTORY VERSION figure above); the form\'s lookups are read while the caller is looked up (`prefetch` in route()). The workflow is started from the records table\'s stream (HandOverRequests), not by the submission: 2 round trips one after the other (lookups → write), as the floor makes.',
  decide: 'The caller\'s profile comes from what the process keeps (the directory\'s version read at most once a second) while the task\'s request is read (`prefetch` in route()); the waiting execution is woken from the records table\'s stream (HandOverRequests), not by the decision: the same 2 round trips as the floor.',
  read: 'The request and its history are read at once (`prefetch` in route()), the caller from what the process keeps: one round trip where the floor makes two.',
};

function apiCause(name: string, e: EndpointResult, jwt: number): string {
  const c1 = e.c1;
  const handlerExtra = c1.direct.p50 - c1.floor.p50;
  const gateway = c1.api.p50 - c1.direct.p50;
  const dynamoTrips = Object.entries(e.perRequest.calls)
    .filter(([op]) => !['StartExecution', 'SendTaskSuccess', 'SendTaskFailure', 'SendEmail'].includes(op))
    .reduce((a, [, n]) => a + n, 0);
  const sfnTrips = e.perRequest.roundTrips - dynamoTrips;
  return (
    `**${name}** — p50 ${ms(c1.api.p50)} against a floor of ${ms(c1.floor.p50)} (${x(c1.ratioP50)}). ` +
    `The handler makes ${e.perRequest.roundTrips} calls per request (${calls(e.perRequest.calls)}) where the floor makes ${e.floorPerRequest.roundTrips} (${calls(e.floorPerRequest.calls)})` +
    `${sfnTrips === 1 ? '; one of them goes to Step Functions' : sfnTrips > 1 ? `; ${sfnTrips} of them go to Step Functions` : ''}. ` +
    `Its reads, by the key they read: ${calls(e.perRequest.reads ?? {})}. ` +
    `Invoked in-process (no HTTP, no JWT) the handler takes ${ms(c1.direct.p50)} (${x(c1.directRatioP50)} the floor): ${ms(handlerExtra)} over the floor is the handler's own extra work (the calls above beyond the floor, validation, middy, mapping). ` +
    (gateway > 0.05 * c1.api.p50
      ? `The remaining ${ms(gateway)} is the gateway: HTTP over loopback, building the API Gateway event, and verifying the JWT (${ms(jwt)} p50 on its own).`
      : `Going through the gateway (HTTP over loopback, the API Gateway event, JWT verification — ${ms(jwt)} p50 on its own) adds nothing measurable here (${ms(gateway)}, within the noise of the run): the extra calls are the cause.`) +
    (WHY[name] ? ` ${WHY[name]}` : '')
  );
}

/** One row for each per-bundle budget kind (size, init), the rest as they are. */
function condensed(verdicts: Verdict[]): (Verdict & { shown?: string; verdict?: string })[] {
  const rows: (Verdict & { shown?: string; verdict?: string })[] = [];
  for (const kind of ['size', 'init'] as const) {
    const group = verdicts.filter((v) => v.id.startsWith(`lambda.${kind}.`));
    if (group.length === 0) continue;
    const values = group.map((v) => v.value ?? 0);
    const broken = group.filter((v) => !v.ok).length;
    const min = Math.min(...values);
    const max = Math.max(...values);
    const show = (value: number) => formatValue({ value, unit: group[0].unit });
    rows.push({
      ...group[0],
      id: `lambda.${kind}`,
      what: kind === 'size' ? `bundle size, each of ${group.length} handler bundles (minified)` : `cold initialisation, each of ${group.length} handler bundles (import − empty-module import)`,
      shown: `${show(min)} – ${show(max)}`,
      ok: broken === 0,
      verdict: `**broken** (${broken} of ${group.length})`,
    });
  }
  if (rows.length === 0) return verdicts;
  const firstLambda = verdicts.findIndex((v) => v.id.startsWith('lambda.'));
  const others = verdicts.filter((v) => !/^lambda\.(size|init)\./.test(v.id));
  if (firstLambda < 0) return verdicts;
  const before = others.filter((v) => verdicts.indexOf(v) < firstLambda);
  const after = others.filter((v) => verdicts.indexOf(v) > firstLambda);
  return [...before, ...rows, ...after];
}

const split = (by: Record<string, number> | undefined) =>
  Object.entries(by ?? {})
    .filter(([, units]) => units > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, units]) => `${name} ${units}`)
    .join(', ') || '—';

/** Where the write capacity of a lifecycle goes, from the per-table and per-index split. */
function writeCause(wf: NonNullable<BenchResults['workflow']>): string {
  const by = wf.perLifecycle.wcuBy ?? {};
  const indexes = Object.entries(by).filter(([name]) => !name.endsWith(' table') && !name.endsWith('(total)')).reduce((a, [, units]) => a + units, 0);
  const total = wf.perLifecycle.wcu;
  const share = total > 0 ? Math.round((indexes / total) * 100) : 0;
  return (
    `Of the ${total} WCU, ${indexes} (${share} %) are index writes: the records table's indexes project ALL attributes, and the request item sits in two of them — gsi1 (by requester) and, while the workflow owes it something, gsi2 — so every rewrite of the request item (about ${kb(wf.itemBytes.request)} at the end of the lifecycle, put whole in each transaction) is written three times, and DynamoDB Local counts a transactional write twice in the table and in each index. ` +
    `Tasks are up to ${kb(wf.itemBytes.task)} (in gsi1 while pending), audit events up to ${kb(wf.itemBytes.auditEvent)}.`
  );
}

/** One line per finding, for the reader who stops after the budgets. */
function inShort(results: BenchResults): string[] {
  const lines: string[] = [];
  const api = results.api;
  if (api) {
    const names = ['submit', 'decide', 'read'] as const;
    const over = names.filter((n) => api.endpoints[n].c1.ratioP50 > BUDGETS.apiP50Ratio);
    lines.push(
      over.length > 0
        ? `- **API over its floor.** At concurrency 1, p50 is ${names.map((n) => `${n} ${x(api.endpoints[n].c1.ratioP50)}`).join(', ')} its DynamoDB floor (budget ${BUDGETS.apiP50Ratio}×). ` +
            `The handlers make ${names.map((n) => `${api.endpoints[n].perRequest.roundTrips} (${n})`).join(', ')} calls per request where the floors make 2 — the Step Functions call, the directory's version once a second — and in-process they already take ${names.map((n) => x(api.endpoints[n].c1.directRatioP50)).join(', ')} the floor; ` +
            `the gateway (HTTP, the event, JWT verification at ${ms(api.jwtVerifyP50)}) adds ${names.map((n) => ms(Math.max(0, api.endpoints[n].c1.api.p50 - api.endpoints[n].c1.direct.p50))).join(', ')}. ` +
            `At concurrency 16 (workflow steps held) p50 is ${names.map((n) => `${n} ${x(api.endpoints[n].c16.ratioP50)}`).join(', ')}: sixteen calls share one Node.js process and two cores with DynamoDB Local.`
        : `- **API**: every call within ${BUDGETS.apiP50Ratio}× its DynamoDB floor at concurrency 1.`,
    );
  }
  const wf = results.workflow;
  if (wf) {
    const by = wf.perLifecycle.wcuBy ?? {};
    const indexes = Object.entries(by).filter(([name]) => !name.endsWith(' table') && !name.endsWith('(total)')).reduce((a, [, units]) => a + units, 0);
    lines.push(
      `- **Workflow**: ${wf.stateTransitions.max} state transitions per F1 request (budget ${BUDGETS.stateTransitions}); ${wf.perLifecycle.rcu} RCU and ${wf.perLifecycle.wcu} WCU from submission to the grant, ${indexes} WCU of it index writes (the whole request item is rewritten in every transaction, and again in the two indexes it sits in, which project ALL attributes); ${results.scans ?? '?'} Scan calls in the whole run.`,
    );
  }
  const lambda = results.lambda;
  if (lambda) {
    const largest = lambda.bundles[0];
    const locales = largest.topFolders.find((f) => f.name.includes('zod/v4/locales'));
    const zod = largest.topPackages.find((p) => p.name === 'zod');
    const sizes = lambda.bundles.map((b) => b.bytes);
    const inits = lambda.bundles.map((b) => b.initMs);
    lines.push(
      `- **Lambda bundles**: ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} each (budget 300 KB)${zod ? `, ${kb(zod.bytes)} of it zod${locales ? ` (${kb(locales.bytes)} its locales)` : ''}` : ''}; cold initialisation ${ms(Math.min(...inits))}–${ms(Math.max(...inits))} (budget 150 ms)` +
        (sdkAtImport(largest)
          ? `, of which loading the AWS SDK clients the largest bundle imports takes ${ms(largest.externalsImportMs)} alone.`
          : `; no bundle loads the AWS SDK at import — the first call that needs a client loads it (${ms(Math.max(...lambda.bundles.map((b) => b.externalsImportMs)))} at most, in a fresh process).`),
    );
  }
  if (results.webBuild) {
    lines.push(
      `- **Web**: ${kb(results.webBuild.initialGzipBytes)} of initial JavaScript, gzip (budget 80 KB)${results.webLoad ? `; the F1 form is usable ${x(results.webLoad.ratio)} as late as a blank page from the same server loads (${ms(results.webLoad.formUsableMs)} against ${ms(results.webLoad.blankLoadMs)})` : ''}.`,
    );
  }
  const sc = results.scale;
  if (sc) {
    lines.push(
      `- **Scale**: a ledger page of 50 costs ${x(sc.ledgerRatio.rcu)} the read capacity at ${sc.large.toLocaleString('en')} items as at ${sc.small.toLocaleString('en')} (p50 ${x(sc.ledgerRatio.p50)}); an inbox page ${x(sc.inboxRatio.rcu)} (p50 ${x(sc.inboxRatio.p50)}), though one inbox page of 50 makes up to 51 calls.${sc.large < 100_000 ? ` Large size ${sc.large.toLocaleString('en')}, not 100,000: see section 5.` : ''}`,
    );
  }
  const rs = results.reviewScale;
  if (rs) {
    lines.push(
      `- **Monthly review**: opening a month's reviews at ${rs.largeSites} sites takes ${x(rs.ratio.msPerReview)} the time per review and ${x(rs.ratio.capacityPerReview)} the capacity per review as at ${rs.smallSites} sites (budget ${BUDGETS.reviewScaleRatio}× each).`,
    );
  }
  return lines.length > 0 ? ['In short:', '', ...lines, ''] : [];
}

/** 5b: the monthly review opened for a small and a large organisation (bench/review-scale.ts). */
function reviewScaleSection(results: BenchResults): string[] {
  const rs = results.reviewScale;
  const out = ['### 5b. Scale: the monthly review costs the same per review however many sites', ''];
  if (!rs) return [...out, `Not measured: ${results.errors.reviewScale}`, ''];
  return [
    ...out,
    `\`openMonthlyReviews\` (functions/domain/reviews.ts) runs in the bench process through the functions' own DynamoDB store and mailer against the local runtime, for an organisation of ${rs.smallSites} sites and then of ${rs.largeSites}. ` +
      `Sites, one server at each (so that L4 and L5 are kept there too) and ${rs.entriesPerSite} logbook entries per site and month (東京本社's demo month, with its slips) were written directly (${rs.writeSeconds} s). ` +
      'The small organisation is opened for several months (a warm-up month first, not counted) and its median per review counts; the large one once. Each run opens every review of its month, assigns its reviewers, writes review, duty and audit events in one transaction, mails the reviewers with each review\'s anomaly count, and marks the reviews notified.',
    '',
    table(
      ['organisation', 'month', 'sites', 'reviews', 'entries', 'time', 'per review', 'RCU per review', 'WCU per review', 'DynamoDB calls per review', 'mails'],
      rs.runs.map((r) => [r.organisation, r.month, r.sites, r.reviews, r.entries.toLocaleString('en'), ms(r.ms), ms(r.msPerReview), r.rcuPerReview, r.wcuPerReview, r.callsPerReview, r.mails]),
    ),
    '',
    table(
      ['ratio large ÷ small, per review', 'value', 'budget'],
      [
        ['time', x(rs.ratio.msPerReview), `≤ ${BUDGETS.reviewScaleRatio}×`],
        ['capacity (RCU + WCU)', x(rs.ratio.capacityPerReview), `≤ ${BUDGETS.reviewScaleRatio}×`],
      ],
    ),
    '',
    'The capacity is exact; the time of the small and the large organisation is taken some seconds apart on a shared machine, so its ratio also carries whatever else ran meanwhile.',
    '',
  ];
}

/** This run beside the run before issue 6 (bench/before.ts), as ratios and ranges. */
function beforeAndAfter(results: BenchResults): string[] {
  const before = BEFORE_ISSUE_6;
  const rows: string[][] = [];
  const api = results.api;
  if (api) {
    for (const name of ['submit', 'decide', 'read'] as const) {
      const now = api.endpoints[name];
      rows.push([`${name}: p50 API ÷ floor, concurrency 1`, x(before.api[name].c1), x(now.c1.ratioP50)]);
      rows.push([`${name}: p50 API ÷ floor, concurrency 16 (workflow alongside, as measured before)`, x(before.api[name].c16), now.c16.alongside ? x(now.c16.alongside.ratioP50) : x(now.c16.ratioP50)]);
      if (now.c16.alongside) rows.push([`${name}: p50 API ÷ floor, concurrency 16, workflow steps held`, '—', x(now.c16.ratioP50)]);
      rows.push([`${name}: calls per request (handler)`, String(before.api[name].callsPerRequest), String(now.perRequest.roundTrips)]);
    }
  }
  const lambda = results.lambda;
  if (lambda) {
    const sizes = lambda.bundles.map((b) => b.bytes);
    const inits = lambda.bundles.map((b) => b.initMs);
    rows.push([
      'bundle size (minified)',
      `${before.bundles.minKb} KB – ${before.bundles.maxKb} KB, ${before.bundles.overSize} of ${before.bundles.count} over 300 KB`,
      `${kb(Math.min(...sizes))} – ${kb(Math.max(...sizes))}, ${sizes.filter((b) => b > BUDGETS.bundleBytes).length} of ${sizes.length} over 300 KB`,
    ]);
    rows.push([
      'cold initialisation (− empty module)',
      `${ms(before.initMs.min)} – ${ms(before.initMs.max)}, ${before.initMs.overBudget} of ${before.bundles.count} over 150 ms`,
      `${ms(Math.min(...inits))} – ${ms(Math.max(...inits))}, ${inits.filter((i) => i > BUDGETS.coldInitMs).length} of ${inits.length} over 150 ms`,
    ]);
  }
  if (rows.length === 0) return [];
  return [
    `### Before and after issue 6`,
    '',
    `The run of ${before.date} (before the changes of issue 6, bench/before.ts) beside this one. Both ran on this 2-core machine with other work on it; the ratios are the comparable figures.`,
    '',
    table(['figure', 'before', 'this run'], rows),
    '',
  ];
}

/** Whether a bundle imports AWS SDK packages at its own import (rather than on first use). */
const sdkAtImport = (bundle: { externals: string[]; externalsAtImport?: string[] }) => (bundle.externalsAtImport ?? bundle.externals).some((name) => name.startsWith('@aws-sdk/'));

export function renderReport(results: BenchResults, verdicts: Verdict[]): string {
  const { meta } = results;
  const out: string[] = [];
  const broken = verdicts.filter((v) => !v.ok);
  out.push(
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from .bench/results.json; edit bench/report.ts, not this file. -->',
    '',
    `Measured on ${meta.date} with Node.js ${meta.node} on ${meta.platform}, ${meta.cpus} × ${meta.cpuModel}; the run took ${meta.durationSeconds.toFixed(0)} s ` +
      `(${Object.entries(meta.sections)
        .map(([name, s]) => `${name} ${s.toFixed(0)} s`)
        .join(', ')}).`,
    '',
    `During the run the machine's 1-minute load average was ${meta.loadAverage.mean} on average and ${meta.loadAverage.max} at most, on ${meta.cpus} cores` +
      (meta.loadAverage.max > meta.cpus
        ? ' — **other work was running on the machine**; ratios taken alternately within the run (API ÷ floor, bundle ÷ empty module) are the figures to read, and the absolute times are inflated.'
        : '.'),
    '',
    '`npm run bench` measures the product on this machine against the local runtime (`infra/local/runtime.ts`: DynamoDB Local, the local Step Functions endpoint, the mail capture and the gateway, all on loopback). ' +
      'Every timed figure is read as a **ratio to a baseline measured in the same process and the same run** — absolute milliseconds depend on the machine and are shown for context only. ' +
      'Results are written to `.bench/results.json`; `npm run bench:check` evaluates the budgets again from those figures and exits non-zero listing each broken one. ' +
      'A budget is **counted** (bytes, calls, state transitions, capacity units: exact, the same on any machine for the same code) or **timed** (a ratio of two times from the same run). CI (`.ci/run`) runs the bench and `npm run bench:check -- --counted`; the timed budgets are read from a run on a quiet machine, since on 2 cores shared with DynamoDB Local the API ratios moved by up to ±40 % between runs of the same code.',
    '',
    '## Budgets',
    '',
    table(
      ['budget', 'kind', 'measured', 'limit', ''],
      condensed(verdicts).map((v) => [v.what, v.kind, v.shown ?? formatValue(v), formatLimit(v), v.ok ? 'holds' : v.missing ? `**not measured**: ${v.missing.split('\n')[0]}` : v.verdict ?? '**broken**']),
    ),
    '',
    'The Lambda budgets apply to every bundle; `npm run bench:check` lists each one that breaks, the table in section 3 shows them all.',
    '',
    broken.length === 0 ? 'Every budget holds.' : `${broken.length} of ${verdicts.length} budgets are broken; the causes found are under each section.`,
    '',
    ...inShort(results),
    ...beforeAndAfter(results),
  );

  // ---- 1 ------------------------------------------------------------------------------------
  out.push('## 1. API latency and throughput', '');
  const api = results.api;
  if (!api) out.push(`Not measured: ${results.errors.api ?? 'the runtime did not start'}`, '');
  else {
    out.push(
      'Each API call goes through the gateway as the web page makes it: HTTP/1.1 keep-alive over loopback, JWT verification, the API Gateway v2 event, the middy handler, the domain and DynamoDB Local. ' +
        'The **floor** is the DynamoDB work the call stands for, issued directly with the AWS SDK (a DocumentClient configured like the functions\' one) against the same DynamoDB Local, with items copied from real requests:',
      '',
      `- submit (POST /api/requests, F1): ${api.endpoints.submit.floorWork}`,
      `- decide (POST /api/tasks/{id}/decision): ${api.endpoints.decide.floorWork}`,
      `- read (GET /api/requests/{id}): ${api.endpoints.read.floorWork}`,
      '',
      `At concurrency 1 the API call and the floor run alternately (${api.counts.c1} of each for submit and decide, ${api.counts.read1} for read; the same handler invoked in-process joins every other round), after ${api.counts.warmup} warm-up calls of each. The API calls are made over loopback HTTP from a worker thread of the bench (\`loadClient\` in bench/lib/http.ts) and timed there: the gateway and the handlers have the main thread's event loop, and a client on it would take its turns from the server it measures. ` +
        'the workflow step a submit or a decision sets off is held while the call is timed and runs once it has answered, and the bench waits for it outside the timed part (the local runtime runs the workflow in the same process, where on AWS it runs in other functions). ' +
        `At concurrency 16 (${api.counts.c16} submits and decisions, ${api.counts.read16} reads) nothing waits between calls. The API and its floor run in blocks of 40 calls, in the order API, floor, floor, API, API, floor, …, so that a drift of the machine falls on both alike and neither always goes first. Submits and decisions are timed twice: first with the workflow's steps held until the timed part is over (\`holdWorkflowSteps\` in infra/local/runtime.ts: the records stream's hand-over, which starts and wakes executions, and every Lambda step of the workflow wait, as behind a concurrency limit) — the API's own work, which the budget is about, since on AWS those steps run in functions of their own; then again with the steps running alongside in the same process, sharing the two cores and DynamoDB Local with the calls (rows "16, workflow alongside", for context). ` +
        'requests/s = timed requests ÷ the time they took (at concurrency 1 the waits between requests are not counted).',
      '',
      table(
        ['call', 'concurrency', 'API p50', 'API p99', 'API req/s', 'floor p50', 'floor p99', 'floor req/s', 'p50 API ÷ floor'],
        (['submit', 'decide', 'read'] as const).flatMap((name) => {
          const e = api.endpoints[name];
          return [
            [name, 1, ms(e.c1.api.p50), ms(e.c1.api.p99), e.c1.api.rps, ms(e.c1.floor.p50), ms(e.c1.floor.p99), e.c1.floor.rps, `**${x(e.c1.ratioP50)}**`],
            [name, 16, ms(e.c16.api.p50), ms(e.c16.api.p99), e.c16.api.rps, ms(e.c16.floor.p50), ms(e.c16.floor.p99), e.c16.floor.rps, `**${x(e.c16.ratioP50)}**`],
            ...(e.c16.alongside
              ? [[name, '16, workflow alongside', ms(e.c16.alongside.api.p50), ms(e.c16.alongside.api.p99), e.c16.alongside.api.rps, ms(e.c16.floor.p50), ms(e.c16.floor.p99), e.c16.floor.rps, x(e.c16.alongside.ratioP50)]]
              : []),
          ];
        }),
      ),
      '',
      '### Where the time goes (concurrency 1)',
      '',
      table(
        ['call', 'floor p50', 'handler in-process p50', 'API p50', 'calls per request (handler)', 'calls per request (floor)', 'RCU / WCU per request (handler)', 'RCU / WCU (floor)'],
        (['submit', 'decide', 'read'] as const).map((name) => {
          const e = api.endpoints[name];
          return [
            name,
            ms(e.c1.floor.p50),
            `${ms(e.c1.direct.p50)} (${x(e.c1.directRatioP50)})`,
            ms(e.c1.api.p50),
            calls(e.perRequest.calls),
            calls(e.floorPerRequest.calls),
            `${e.perRequest.rcu} / ${e.perRequest.wcu}`,
            `${e.floorPerRequest.rcu} / ${e.floorPerRequest.wcu}`,
          ];
        }),
      ),
      '',
      'Mean time of one call, by operation (from the SDK call to its answer, as the metered clients see it):',
      '',
      table(
        ['call', 'handler', 'floor'],
        (['submit', 'decide', 'read'] as const).map((name) => {
          const e = api.endpoints[name];
          const show = (by: Record<string, number> | undefined) => Object.entries(by ?? {}).map(([op, took]) => `${op} ${ms(took)}`).join(', ') || '—';
          return [name, show(e.perRequest.msPerCall), show(e.floorPerRequest.msPerCall)];
        }),
      ),
      '',
      `"Handler in-process" is the same handler module called directly with the event the gateway would build (its calls are charged to it exactly, through AsyncLocalStorage; the workflow it starts is not). ` +
        `JWT verification (HS256 with jose, as the local gateway does before every call) takes ${ms(api.jwtVerifyP50)} p50 on its own.`,
      '',
    );
    const over = (['submit', 'decide', 'read'] as const).filter((name) => api.endpoints[name].c1.ratioP50 > BUDGETS.apiP50Ratio || api.endpoints[name].c16.ratioP50 > BUDGETS.apiP50Ratio);
    if (over.length > 0) {
      out.push(`### Broken: p50 ≤ ${BUDGETS.apiP50Ratio}× the floor`, '');
      for (const name of over) out.push(apiCause(name, api.endpoints[name], api.jwtVerifyP50), '');
      const c16 = over.filter((name) => api.endpoints[name].c16.ratioP50 > BUDGETS.apiP50Ratio);
      if (c16.length > 0) {
        out.push(
          `At concurrency 16 (${c16.map((name) => `${name} ${x(api.endpoints[name].c16.ratioP50)}`).join(', ')}) a further cause adds to these: the local runtime runs the gateway and every handler in one Node.js process — one event loop, on the same two cores as DynamoDB Local — so sixteen calls queue behind each other's CPU work, while the floor's sixteen callers only wait for DynamoDB Local. ` +
            'On AWS every invocation has a Lambda instance of its own; this figure is the local runtime\'s, and an upper bound for the API.',
          '',
        );
      }
    } else out.push(`Every call holds p50 ≤ ${BUDGETS.apiP50Ratio}× its floor.`, '');
  }

  // ---- 2 ------------------------------------------------------------------------------------
  out.push('## 2. Workflow cost', '');
  const wf = results.workflow;
  if (!wf) out.push(`Not measured: ${results.errors.workflow ?? 'the runtime did not start'}`, '');
  else {
    out.push(
      `${wf.lifecycles} F1 requests by 田中, one at a time, each submitted and approved by 佐藤 (拠点管理者), 小林 (拠点責任者) and 山田 (情報システム部インフラ担当) through the API until the execution succeeded and the access grant was in the ledger.`,
      '',
      table(
        ['figure', 'per request', 'budget'],
        [
          ['state transitions (`*StateEntered` in GetExecutionHistory)', `${wf.stateTransitions.max}${wf.stateTransitions.mean !== wf.stateTransitions.max ? ` (mean ${wf.stateTransitions.mean})` : ''}`, `≤ ${BUDGETS.stateTransitions}`],
          ['DynamoDB read capacity units (the functions\' client)', `${wf.perLifecycle.rcu} (${split(wf.perLifecycle.rcuBy)})`, '—'],
          ['DynamoDB write capacity units', `${wf.perLifecycle.wcu} (${split(wf.perLifecycle.wcuBy)})`, '—'],
          ['DynamoDB calls', `${wf.perLifecycle.roundTrips} (${calls(wf.perLifecycle.calls)})`, '—'],
          ['DynamoDB reads, by the key they read', calls(wf.perLifecycle.reads ?? {}), '—'],
          ['Step Functions calls by the functions', calls(wf.perLifecycle.sfnCalls), '—'],
          ['e-mails sent', wf.perLifecycle.mails, '—'],
          ['Scan calls by the functions, whole run', results.scans ?? 'not measured', '= 0'],
        ],
      ),
      '',
      `States entered, in order: ${wf.stateTransitions.states.join(' → ')}.`,
      '',
      'One request, step by step (each step includes the workflow work it set off):',
      '',
      table(
        ['step', 'RCU', 'WCU', 'DynamoDB calls'],
        wf.steps.map((s) => [s.step, s.rcu, s.wcu, calls(s.calls)]),
      ),
      '',
      `${writeCause(wf)} ` +
        'Capacity is what DynamoDB Local reports in `ConsumedCapacity`. It uses DynamoDB\'s unit sizes (4 KB read units, halved for eventually consistent reads; 1 KB write units, doubled in transactions), but it is an emulator: read the figures as estimates of on-demand cost, and their proportions as exact. ' +
        `The Scan count covers every call the functions made during the whole run (${results.functionCalls ? calls(results.functionCalls) : 'not measured'}).`,
      '',
    );
    if (wf.stateTransitions.max > BUDGETS.stateTransitions) out.push(`**Broken**: ${wf.stateTransitions.max} transitions per request, over ${BUDGETS.stateTransitions}.`, '');
  }
  if ((results.scans ?? 0) > 0) out.push(`**Broken**: the functions made ${results.scans} Scan calls; request paths must read by key or index only.`, '');

  // ---- 3 ------------------------------------------------------------------------------------
  out.push('## 3. Lambda bundles and cold start', '');
  const lambda = results.lambda;
  if (!lambda) out.push(`Not measured: ${results.errors.lambda}`, '');
  else {
    const largest = lambda.bundles[0];
    const overSize = lambda.bundles.filter((b) => b.bytes > BUDGETS.bundleBytes);
    const overInit = lambda.bundles.filter((b) => b.initMs > BUDGETS.coldInitMs);
    out.push(
      `Each handler is bundled with esbuild as \`infra/function.ts\` configures \`NodejsFunction\`: ${Object.entries(lambda.esbuildOptions)
        .filter(([k]) => k !== 'banner')
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join(', ')}, and the \`createRequire\` banner. ` +
        `Cold initialisation: a fresh \`node\` process with the functions' environment (NODE_OPTIONS=--enable-source-maps as on Lambda) runs \`const t=performance.now(); await import(bundle); console.log(performance.now()-t)\`, ${lambda.runsPerBundle} times per bundle (3 more times for a bundle still over the budget after those), and the fastest run counts (other work on the machine only ever adds time; medians are in results.json); ` +
        `the baseline is the same process importing an empty module (${ms(lambda.baseline.importMs)}, fastest of ${lambda.baseline.runs}, interleaved with the bundles; a whole baseline process takes ${ms(lambda.baseline.processMs)}, median). ` +
        '"init" = import time − the baseline\'s import time, compared with the 150 ms budget — the one budget stated in milliseconds, so it depends on the machine; it is at least taken as a difference to the baseline in the same run. "ratio" = import time ÷ the baseline\'s; "process ratio" = whole process wall time ÷ the baseline process\'s (medians). ' +
        `"SDK" is a fresh process importing only the bundle's external \`@aws-sdk/*\` packages, which Lambda's runtime provides: "import" when the bundle imports them at the top (part of its cold initialisation), "first call" when it imports them on first use (\`functions/adapters/lazy-client.ts\`; the first invocation that calls the service pays it instead). Node here is ${meta.node}; Lambda runs nodejs22.x on arm64.`,
      '',
      table(
        ['function(s)', 'size', 'gzip', 'import', 'init (− baseline)', 'ratio', 'process ratio', 'SDK', 'size ≤ 300 KB', 'init ≤ 150 ms'],
        lambda.bundles.map((b) => [
          b.functions.join(', '),
          kb(b.bytes),
          kb(b.gzipBytes),
          ms(b.importMs),
          ms(b.initMs),
          `${b.ratio}×`,
          `${b.processRatio}×`,
          b.externals.length === 0 ? '—' : `${ms(b.externalsImportMs)} (${sdkAtImport(b) ? 'import' : 'first call'})`,
          b.bytes <= BUDGETS.bundleBytes ? 'holds' : '**broken**',
          b.initMs <= BUDGETS.coldInitMs ? 'holds' : '**broken**',
        ]),
      ),
      '',
      `What fills the largest bundle (${largest.functions.join(', ')}, ${kb(largest.bytes)}), from esbuild's metafile:`,
      '',
      table(['package or source folder', 'bytes in output'], largest.topPackages.map((p) => [p.name, kb(p.bytes)])),
      '',
      table(['folder', 'bytes in output'], largest.topFolders.map((p) => [p.name, kb(p.bytes)])),
      '',
    );
    if (overSize.length > 0) {
      const zod = largest.topPackages.find((p) => p.name === 'zod');
      const locales = largest.topFolders.find((p) => p.name.includes('zod/v4/locales'));
      const forms = largest.topPackages.find((p) => p.name === 'functions/forms/');
      out.push(
        `**Broken: size.** ${overSize.length} of ${lambda.bundles.length} bundles are over 300 KB (${kb(Math.min(...overSize.map((b) => b.bytes)))}–${kb(Math.max(...overSize.map((b) => b.bytes)))}). ` +
          (zod ? `zod puts ${kb(zod.bytes)} into the largest${locales ? `, ${kb(locales.bytes)} of it the error-message locales of every language (\`zod/v4/locales/*\`): \`import { z } from 'zod'\` brings the whole \`z\` namespace, \`z.locales\` included, and esbuild cannot drop what a namespace object reaches — \`import * as z from 'zod'\` lets it` : ''}. ` : '') +
          (forms ? `The form definitions put ${kb(forms.bytes)} into it: a function that does not file, route, show or advance requests should not import them (\`coreDeps\` or \`deps\` instead of \`formDeps\`, see functions/adapters/core-deps.ts). ` : '') +
          `Over the budget: ${overSize.map((b) => `${b.functions.join(', ')} by ${kb(b.bytes - BUDGETS.bundleBytes)}`).join('; ')}.`,
        '',
      );
    }
    if (overInit.length > 0) {
      const slowest = [...overInit].sort((a, b) => b.initMs - a.initMs)[0];
      const sdk = sdkAtImport(slowest) ? slowest.externalsImportMs : 0;
      out.push(
        `**Broken: cold initialisation.** ${overInit.length} of ${lambda.bundles.length} bundles take over 150 ms to import (${ms(Math.min(...overInit.map((b) => b.initMs)))}–${ms(Math.max(...overInit.map((b) => b.initMs)))} over the baseline): ${overInit.map((b) => `${b.functions.join(', ')} by ${ms(b.initMs - BUDGETS.coldInitMs)}`).join('; ')}. ` +
          (sdk > 0
            ? `The slowest (${slowest.functions.join(', ')}) imports AWS SDK packages at the top (${(slowest.externalsAtImport ?? slowest.externals).join(', ')}), which take ${ms(sdk)} on their own in a fresh process: a module that imports commands from \`@aws-sdk/*\` rather than \`functions/adapters/sdk-commands.ts\` loads the SDK at cold start. `
            : '') +
          `The rest (about ${ms(Math.max(0, slowest.importMs - sdk))} for the slowest) is evaluating the bundle itself: zod building the schemas of what it imports` +
          (lambda.catalogueImportMs !== null && lambda.catalogueImportMs !== undefined
            ? ` (\`functions/forms/catalog.ts\` bundled alone the same way takes ${ms(lambda.catalogueImportMs)} to import in a fresh process).`
            : '.'),
        '',
      );
    }
  }

  // ---- 4 ------------------------------------------------------------------------------------
  out.push('## 4. Web', '');
  const wb = results.webBuild;
  if (!wb) out.push(`Not measured: ${results.errors.webBuild}`, '');
  else {
    out.push(
      'The page is built with the project\'s own Vite config (`web/vite.config.ts`, the same build as `npm run build:web`) into `.bench/web`, so that a `web/dist` in use elsewhere is left alone. ' +
        'Initial JavaScript = the scripts `index.html` loads at once (the module entry and its `modulepreload`s), gzip (zlib default level, as Vite reports it).',
      '',
      table(
        ['file', 'loaded', 'bytes', 'gzip'],
        [
          ...wb.initial.map((f) => [f.file, 'at once', kb(f.bytes), kb(f.gzipBytes)]),
          ...wb.lazy.map((f) => [f.file, 'later (dynamic import)', kb(f.bytes), kb(f.gzipBytes)]),
          ...wb.css.map((f) => [f.file, 'at once (CSS)', kb(f.bytes), kb(f.gzipBytes)]),
        ],
      ),
      '',
      `Initial JavaScript: **${kb(wb.initialGzipBytes)} gzip** (${kb(wb.initialBytes)} raw); budget ≤ 80 KB — ${wb.initialGzipBytes <= BUDGETS.initialJsGzipBytes ? 'holds' : '**broken**'}.`,
      '',
    );
  }
  const wl = results.webLoad;
  if (!wl) out.push(`Time to the first usable form not measured: ${results.errors.webLoad ?? results.errors.webBuild ?? 'no build'}`, '');
  else {
    out.push(
      `Time to the first usable form: Debian's Chromium (headless, playwright-core) opens \`#/forms/server-connection-request\` signed in as 田中 (the token placed in sessionStorage as the local sign-in does), in a fresh browser context each time (empty cache), served by the product's own gateway code with the same handlers and DynamoDB Local. ` +
        'The form is usable when its submit button is enabled and the server list (from the server ledger) has its options; the time is taken in the page, from navigation start. ' +
        `The baseline is a static blank page from the same server, to its load event. ${wl.samples} loads of each, alternately, after one warm-up.`,
      '',
      table(
        ['figure', 'median'],
        [
          ['blank page, navigation start → load event', ms(wl.blankLoadMs)],
          ['F1 form, navigation start → load event', ms(wl.formLoadEventMs)],
          ['F1 form, navigation start → usable', ms(wl.formUsableMs)],
          ['**ratio usable form ÷ blank page**', `**${wl.ratio}×**`],
        ],
      ),
      '',
      `Requests the page made before the form was usable: ${wl.apiCalls.join(', ')}.`,
      '',
    );
  }

  // ---- 5 ------------------------------------------------------------------------------------
  out.push('## 5. Scale: a page costs its size, not the table', '');
  const sc = results.scale;
  if (!sc) out.push(`Not measured: ${results.errors.scale}`, '');
  else {
    out.push(
      `The \`${sc.ledger}\` ledger partition was filled directly with BatchWriteItem to ${sc.small.toLocaleString('en')} and then ${sc.large.toLocaleString('en')} items (grants as ApplyOutcome writes them, with their site, branch and state index keys), ` +
        `and the inbox of ${sc.inboxApprover} grown with copies of real request partitions (request + tasks) whose task waits for them. ` +
        `**Large size: ${sc.large.toLocaleString('en')}** — ${sc.largeReason}. Writing took ${sc.writeSeconds} s in all (${sc.writeItemsPerSecond} items/s for the first ${sc.small.toLocaleString('en')}). ` +
        'Each page is read through the API at concurrency 1; RCU is the read capacity the functions consumed per page.',
      '',
      table(
        ['page', 'ledger items / inbox tasks', 'records table items', 'p50', 'p99', 'RCU per page', 'DynamoDB calls per page', 'items returned'],
        [...sc.ledgerPages, ...sc.inboxPages].map((p) => [p.label, p.size.toLocaleString('en'), p.tableItems.toLocaleString('en'), ms(p.p50), ms(p.p99), p.rcu, p.calls, p.itemsReturned]),
      ),
      '',
      table(
        ['ratio large ÷ small', 'RCU', 'p50', 'budget'],
        [
          ['ledger, first page of 50', x(sc.ledgerRatio.rcu), x(sc.ledgerRatio.p50), `RCU ≤ ${BUDGETS.scaleRcuRatio}×, p50 ≤ ${BUDGETS.scaleP50Ratio}× (≈ 1 within noise)`],
          ['inbox, first page of 50', x(sc.inboxRatio.rcu), x(sc.inboxRatio.p50), `RCU ≤ ${BUDGETS.scaleRcuRatio}×, p50 ≤ ${BUDGETS.scaleP50Ratio}×`],
        ],
      ),
      '',
      'The read capacity is exact and says it plainly; the small and the large size are timed some seconds apart, so the p50 ratio also carries whatever else the machine was doing at either moment (hence the tolerance).',
      '',
      `The cost follows the page size instead: RCU per first page at ${sc.large.toLocaleString('en')} items — ${Object.entries(sc.pageSizeRcu)
        .map(([limit, rcu]) => `limit ${limit}: ${rcu}`)
        .join(', ')}. ` +
        'An inbox page reads the inbox index once and then each distinct request on the page (one Query per request, one after the other), so its cost grows with the page size — up to 51 calls for a page of 50 — and not with the inbox or the table.',
      '',
    );
  }
  out.push(...reviewScaleSection(results));

  out.push(
    '## What each figure means',
    '',
    '- **p50 / p99**: nearest-rank percentiles of the time from sending a request to reading the last byte of its response (API) or from the first SDK call to the last (floor), in ms.',
    '- **req/s**: completed requests ÷ the time they took; at concurrency 16, wall time of the run.',
    '- **p50 API ÷ floor**: how much the product adds over the DynamoDB work a call cannot avoid, on the same DynamoDB Local in the same run — the budget is 1.5×.',
    '- **RCU / WCU**: capacity units DynamoDB Local reports in `ConsumedCapacity`, asked for by a middleware that bench code adds to the functions\' own DynamoDB client (`functions/adapters/aws-clients.ts`); it asks with ReturnConsumedCapacity=INDEXES, which gives the TOTAL figures and how they split over each table and index.',
    '- **state transitions**: `*StateEntered` events in the execution history of the local Step Functions endpoint (Step Functions Standard bills per transition).',
    '- **init (− baseline)**: ms a handler bundle adds to a fresh Node process, over importing an empty module.',
    '- **ratio usable form ÷ blank page**: how much longer the F1 form takes to become usable than the same server takes to deliver a page with nothing in it.',
    '- **large ÷ small**: the same page read when the table is large and when it is small; ≈ 1 means the page does not pay for the table.',
    '',
  );
  const errors = Object.entries(results.errors);
  if (errors.length > 0) {
    out.push('## Sections that failed', '', ...errors.map(([name, error]) => `- **${name}**: ${String(error).split('\n')[0]}`), '');
  }
  return out.join('\n');
}
