/**
 * 5b. Scale of the monthly review (月次点検, A4(3), A9, A13(1), A14(3)): opening the reviews of a
 * month must cost the same per review whether the company has 10 sites or 200. Sites, one server at
 * each (so that L4 and L5 are kept there too) and a month of logbook entries per site are written
 * directly; `openMonthlyReviews` then runs in this process through the functions' own DynamoDB store
 * and mailer (the runtime's composition root), and its time and capacity are divided by the reviews
 * it opened.
 */
import { ledgerItemRecord } from '../functions/adapters/dynamo-ledger-ops';
import { placeRecord } from '../functions/adapters/dynamo-directory';
import { logbookEntryStorage } from '../functions/adapters/dynamo-logbooks';
import { japanDate } from '../functions/domain/dates';
import { previousMonth } from '../functions/domain/logbooks';
import { demoChanges, demoLogbookLines } from '../infra/local/seed-logbooks';
import { addUsage, newUsage, quiet } from './lib/meter';
import type { Product } from './lib/product';
import { batchWrite } from './lib/product';
import { median, round } from './lib/stats';

export interface ReviewRun {
  /** 'small' or 'large'. */
  organisation: string;
  month: string;
  sites: number;
  /** Reviews opened by the run (sites × the logbooks kept at each). */
  reviews: number;
  /** Logbook entries of the month, all sites. */
  entries: number;
  ms: number;
  msPerReview: number;
  rcuPerReview: number;
  wcuPerReview: number;
  /** RCU + WCU per review. */
  capacityPerReview: number;
  callsPerReview: number;
  mails: number;
}

export interface ReviewScaleResult {
  smallSites: number;
  largeSites: number;
  /** Entries written per site and month (the demo month of 東京本社, every logbook). */
  entriesPerSite: number;
  writeSeconds: number;
  /** Every timed run; the small organisation is opened several times (its runs are short) and its median counts. */
  runs: ReviewRun[];
  /** large ÷ small, per review. */
  ratio: { msPerReview: number; capacityPerReview: number };
}

const TEMPLATE_SITE = 'site-tokyo';
const benchSite = (n: number) => `site-bench-${String(n).padStart(3, '0')}`;

function siteItems(n: number): Record<string, unknown>[] {
  const id = benchSite(n);
  return [placeRecord('site', { id, branchId: 'br-east', name: { ja: `計測拠点 ${n}`, en: `Bench site ${n}` } } as never)];
}

/** One server per site: L4 (server room) and L5 (access-log review) are kept only where servers stand. */
function serverItem(siteId: string): Record<string, unknown> {
  const id = `srv-bench-${siteId}`;
  const server = { id, name: { ja: `計測サーバ ${siteId}`, en: `Bench server ${siteId}` }, kind: 'other', hostname: id, os: 'Linux', siteId, branchId: 'br-east', owner: 'u-yamada', status: 'active' };
  return ledgerItemRecord('servers', server as never, { seq: 1, hash: 'a'.repeat(64) });
}

/** The month's entries of 東京本社's demo logbooks, kept the same way at `siteId` (with their slips, so the reviews find anomalies). */
function entryItems(siteId: string, month: string): Record<string, unknown>[] {
  return demoLogbookLines(month)
    .filter((line) => line.siteId === TEMPLATE_SITE)
    .map((line, index) => {
      const changes = demoChanges({ ...line, siteId }, index);
      return logbookEntryStorage(changes[changes.length - 1].next);
    });
}

export async function measureReviewScale(product: Product, options: { small: number; large: number; smallRuns: number; log: (m: string) => void }): Promise<ReviewScaleResult> {
  // The runtime's own composition root: the same module instances (and metered client) its handlers use.
  const { deps } = await import('../functions/adapters/deps');
  const { openMonthlyReviews } = await import('../functions/domain/reviews');
  const { records } = product.tables;
  const existingSites = (await deps.logbooks.sites()).map((site) => site.id);
  if (existingSites.length >= options.small) throw new Error(`the directory has ${existingSites.length} sites already, not fewer than the small organisation's ${options.small}`);

  // Months nobody else touches: the runtime seeds and reviews the previous month only.
  const months: string[] = [];
  for (let month = previousMonth(japanDate(new Date()).slice(0, 7)), i = 0; i < options.smallRuns + 3; i++) months.push((month = previousMonth(month)));
  const [largeMonth, ...earlier] = months;
  const smallMonths = earlier.slice(0, options.smallRuns);
  const warmMonth = earlier[options.smallRuns];

  let writeSeconds = 0;
  const grow = async (to: number, entryMonths: string[]) => {
    const started = performance.now();
    const have = (await deps.logbooks.sites()).map((site) => site.id);
    const added = Array.from({ length: to - have.length }, (_, i) => have.length + i + 1);
    const all = [...have, ...added.map(benchSite)];
    const items = [...added.flatMap(siteItems), ...all.filter((id) => !have.includes(id) || existingSites.includes(id)).map(serverItem)];
    items.push(...all.flatMap((siteId) => entryMonths.flatMap((month) => entryItems(siteId, month))));
    await batchWrite(product, records, items);
    writeSeconds += (performance.now() - started) / 1000;
    return all;
  };

  const runs: ReviewRun[] = [];
  const open = async (organisation: string, month: string, sites: number, timed: boolean) => {
    await quiet();
    const window = product.functionsDynamo.window();
    const mails = product.functionsSes.window();
    const started = performance.now();
    const result = await openMonthlyReviews(deps, { month });
    const ms = performance.now() - started;
    const usage = addUsage(newUsage(), window.close());
    const mailCalls = Object.values(mails.close().calls).reduce((a, b) => a + b, 0);
    const reviews = result.opened.length;
    if (reviews < sites * 3) throw new Error(`opening ${month} at ${sites} sites opened ${reviews} reviews`);
    if (!timed) return;
    const calls = Object.values(usage.calls).reduce((a, b) => a + b, 0);
    const entries = sites * entryItems(TEMPLATE_SITE, month).length;
    runs.push({
      organisation,
      month,
      sites,
      reviews,
      entries,
      ms: round(ms, 1),
      msPerReview: round(ms / reviews, 3),
      rcuPerReview: round(usage.rcu / reviews, 2),
      wcuPerReview: round(usage.wcu / reviews, 2),
      capacityPerReview: round((usage.rcu + usage.wcu) / reviews, 2),
      callsPerReview: round(calls / reviews, 2),
      mails: mailCalls,
    });
  };

  options.log(`review scale: ${options.small} sites, entries for ${[warmMonth, ...smallMonths].join(', ')}`);
  await grow(options.small, [warmMonth, ...smallMonths, largeMonth]);
  // Warms Node's and DynamoDB Local's JIT on the same path, so that the small organisation is not measured colder.
  await open('warm-up', warmMonth, options.small, false);
  for (const month of smallMonths) await open('small', month, options.small, true);

  options.log(`review scale: growing to ${options.large} sites`);
  await grow(options.large, [largeMonth]);
  await quiet();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  options.log(`review scale: opening ${largeMonth} at ${options.large} sites`);
  await open('large', largeMonth, options.large, true);

  const small = runs.filter((run) => run.organisation === 'small');
  const large = runs.find((run) => run.organisation === 'large')!;
  const smallMs = median(small.map((run) => run.msPerReview));
  const smallCapacity = median(small.map((run) => run.capacityPerReview));
  return {
    smallSites: options.small,
    largeSites: options.large,
    entriesPerSite: entryItems(TEMPLATE_SITE, largeMonth).length,
    writeSeconds: round(writeSeconds, 1),
    runs,
    ratio: { msPerReview: round(large.msPerReview / smallMs), capacityPerReview: round(large.capacityPerReview / smallCapacity) },
  };
}
