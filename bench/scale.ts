/**
 * 5. Scale: one page of a ledger, and one page of the inbox, must cost the same however large the
 * table is. A ledger partition is filled directly (BatchWriteItem) to a small and a large size; the
 * same page is read through the API at both sizes; latency and the read capacity the functions
 * consumed are compared. The inbox is grown the same way with copies of real request partitions.
 */
import { addUsage, newUsage, quiet, type Usage } from './lib/meter';
import { call } from './lib/http';
import type { Product } from './lib/product';
import { batchWrite, partition, renamed, syntheticRequestId } from './lib/product';
import { ledgerItemRecord } from '../functions/adapters/dynamo-ledger-ops';
import { encodeCursor } from '../functions/adapters/keys';
import { median, percentile, round } from './lib/stats';

export interface PageCost {
  /** What was read. */
  label: string;
  /** Items in the ledger partition (or tasks in the inbox) at the time. */
  size: number;
  /** Items in the records table at the time (about). */
  tableItems: number;
  n: number;
  p50: number;
  p99: number;
  /** Read capacity the functions consumed per page. */
  rcu: number;
  /** DynamoDB calls per page. */
  calls: number;
  itemsReturned: number;
}

export interface ScaleResult {
  ledger: string;
  small: number;
  large: number;
  /** Why the large size is what it is (time bound on this machine). */
  largeReason: string;
  writeItemsPerSecond: number;
  writeSeconds: number;
  ledgerPages: PageCost[];
  inboxPages: PageCost[];
  /** large ÷ small for the first page of 50. */
  ledgerRatio: { p50: number; rcu: number };
  inboxRatio: { p50: number; rcu: number };
  /** Page size 10 / 50 / 100 at the large size: the cost follows the page. */
  pageSizeRcu: Record<string, number>;
  inboxApprover: string;
}

const LEDGER = 'server-access-grants';

function grant(index: number) {
  const id = `G-BENCH-${String(index).padStart(7, '0')}`;
  const item = {
    id,
    serverId: 'srv-core-db',
    serverName: { ja: '基幹DBサーバ', en: 'Core DB server' },
    userId: 'u-tanaka',
    userName: { ja: '田中 太郎', en: 'Taro Tanaka' },
    protocol: 'odbc',
    startDate: '2026-12-01',
    endDate: '2030-03-31',
    status: 'active',
    requestId: `R-20000101-${String(index).padStart(6, '0')}`,
    grantedAt: '2026-11-25T10:00:00.000Z',
    siteId: 'site-tokyo',
    branchId: 'br-east',
  };
  return ledgerItemRecord(LEDGER, item as never, { seq: 1, hash: 'a'.repeat(64) });
}

/** Reads one page `n` times at concurrency 1; the functions' calls and capacity are charged per read. */
async function pageCost(product: Product, label: string, size: number, tableItems: number, path: string, token: string, n: number): Promise<PageCost> {
  const samples: number[] = [];
  let returned = 0;
  await quiet();
  const usage: Usage = newUsage();
  for (let i = 0; i < n; i++) {
    const window = product.functionsDynamo.window();
    const reply = await call(product.url, 'GET', path, { token });
    addUsage(usage, window.close());
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    returned = reply.body.items.length;
    samples.push(reply.ms);
  }
  const calls = Object.values(usage.calls).reduce((a, b) => a + b, 0);
  return {
    label,
    size,
    tableItems,
    n,
    p50: round(median(samples), 3),
    p99: round(percentile(samples, 99), 3),
    rcu: round(usage.rcu / n, 2),
    calls: round(calls / n, 2),
    itemsReturned: returned,
  };
}

export async function measureScale(
  product: Product,
  options: { small: number; large?: number; largeReason?: string; maxWriteSeconds: number; inboxClones: number; samples: number; log: (m: string) => void },
): Promise<ScaleResult> {
  const { tables } = product;
  const reader = await product.token('u-tanaka');
  const approver = 'u-kobayashi';
  const approverToken = await product.token(approver);
  let tableItems = (await countTable(product)) ;

  // ---- small -------------------------------------------------------------------------------
  options.log(`scale: writing ${options.small} ${LEDGER} items`);
  let started = performance.now();
  await batchWrite(product, tables.records, Array.from({ length: options.small }, (_, i) => grant(i)));
  const smallSeconds = (performance.now() - started) / 1000;
  const rate = options.small / smallSeconds;
  tableItems += options.small;
  let large = options.large ?? 100_000;
  let largeReason = options.large ? (options.largeReason ?? 'as set') : '100,000 as asked';
  if (!options.large && (100_000 - options.small) / rate > options.maxWriteSeconds) {
    large = 20_000;
    largeReason = `100,000 would take about ${Math.round((100_000 - options.small) / rate)} s to write into DynamoDB Local here (${Math.round(rate)} items/s), over the bench's ${options.maxWriteSeconds} s bound; 20,000 instead (BENCH_LEDGER_ITEMS=100000 runs the full size)`;
  }

  const ledgerPages: PageCost[] = [];
  const inboxPages: PageCost[] = [];
  const grantsPath = (limit: number, cursor?: string) => `/api/ledgers/${LEDGER}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
  const middle = (size: number) => encodeCursor({ pk: `LEDGER#${LEDGER}`, sk: `ITEM#G-BENCH-${String(Math.floor(size / 2)).padStart(7, '0')}` })!;
  const inboxSize = async () => {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await product.db.send(new QueryCommand({ TableName: tables.records, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `INBOX#${approver}` }, Select: 'COUNT', ExclusiveStartKey: start }));
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  };

  const measureAt = async (size: number, inbox: number) => {
    ledgerPages.push(await pageCost(product, 'first page of 50', size, tableItems, grantsPath(50), reader, options.samples));
    ledgerPages.push(await pageCost(product, 'page of 50 from the middle', size, tableItems, grantsPath(50, middle(size)), reader, options.samples));
    inboxPages.push(await pageCost(product, `inbox of ${approver}, first page of 50`, inbox, tableItems, '/api/tasks?limit=50', approverToken, Math.max(10, Math.floor(options.samples / 2))));
  };
  // Warm both paths (Node's and DynamoDB Local's JIT) before the first timed read, so that the small
  // size is not measured colder than the large one.
  for (let i = 0; i < 20; i++) {
    await call(product.url, 'GET', grantsPath(50), { token: reader });
    await call(product.url, 'GET', grantsPath(50, middle(options.small)), { token: reader });
    if (i % 4 === 0) await call(product.url, 'GET', '/api/tasks?limit=50', { token: approverToken });
  }
  options.log(`scale: reading pages at ${options.small} items`);
  const inboxSmall = await inboxSize();
  await measureAt(options.small, inboxSmall);

  // ---- large -------------------------------------------------------------------------------
  options.log(`scale: writing ${large - options.small} more items (to ${large}) and ${options.inboxClones} inbox copies`);
  started = performance.now();
  // Loaded as an import would load them: the records stream's function is not handed 99,000 ledger items to filter out.
  await product.runtime.passOverStreams(() => batchWrite(product, tables.records, Array.from({ length: large - options.small }, (_, i) => grant(options.small + i))));
  // Grow the inbox with copies of real request partitions whose task waits for the approver.
  const sources: Record<string, any>[][] = [];
  {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const page = await product.db.send(new QueryCommand({ TableName: tables.records, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `INBOX#${approver}` }, Limit: 20 }));
    for (const task of page.Items ?? []) sources.push(await partition(product, String(task.requestId)));
  }
  const copies: Record<string, unknown>[] = [];
  for (let i = 0; i < options.inboxClones && sources.length > 0; i++) {
    const source = sources[i % sources.length];
    const from = String(source.find((item) => item.entity === 'request')!.id);
    copies.push(...source.map((item) => renamed(item, from, syntheticRequestId('I', i))));
  }
  // Copies of requests already under way, not submissions: no workflow is started for them.
  await product.runtime.passOverStreams(() => batchWrite(product, tables.records, copies));
  const writeSeconds = smallSeconds + (performance.now() - started) / 1000;
  tableItems += large - options.small + copies.length;
  const inboxLarge = await inboxSize();
  // Let DynamoDB Local finish what the bulk write left behind (its JVM collects garbage, compiles) before timing.
  await quiet();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  options.log(`scale: reading pages at ${large} items`);
  await measureAt(large, inboxLarge);

  const pageSizeRcu: Record<string, number> = {};
  for (const limit of [10, 50, 100]) {
    const cost = await pageCost(product, `first page of ${limit}`, large, tableItems, grantsPath(limit), reader, 10);
    pageSizeRcu[String(limit)] = cost.rcu;
  }

  const ratio = (pages: PageCost[], label: string, smallSize: number, largeSize: number) => {
    const a = pages.find((p) => p.label === label && p.size === smallSize)!;
    const b = pages.find((p) => p.label === label && p.size === largeSize)!;
    return { p50: round(b.p50 / a.p50), rcu: round(b.rcu / a.rcu) };
  };
  return {
    ledger: LEDGER,
    small: options.small,
    large,
    largeReason,
    writeItemsPerSecond: Math.round(rate),
    writeSeconds: round(writeSeconds, 1),
    ledgerPages,
    inboxPages,
    ledgerRatio: ratio(ledgerPages, 'first page of 50', options.small, large),
    inboxRatio: ratio(inboxPages, `inbox of ${approver}, first page of 50`, inboxSmall, inboxLarge),
    pageSizeRcu,
    inboxApprover: approver,
  };
}

/** Items in the records table, as DynamoDB Local reports them (DescribeTable). */
async function countTable(product: Product): Promise<number> {
  const { DescribeTableCommand, DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({});
  try {
    return (await client.send(new DescribeTableCommand({ TableName: product.tables.records }))).Table?.ItemCount ?? 0;
  } finally {
    client.destroy();
  }
}
