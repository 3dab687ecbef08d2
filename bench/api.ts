/**
 * 1. API latency and throughput: submit, decide and read through the gateway (HTTP, JWT, handler,
 * DynamoDB Local), against the floor — the DynamoDB work each one stands for, issued directly with
 * the SDK against the same DynamoDB Local. Diagnostics say where the difference goes: the same
 * handler invoked in-process (no HTTP, no JWT), the calls each request makes, and JWT verification.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalAuth } from '../infra/local/local-auth';
import type { LoadClient } from './lib/http';
import { loadClient } from './lib/http';
import { addUsage, newUsage, quiet, scope, totalCalls, type Usage } from './lib/meter';
import type { Product } from './lib/product';
import { auditChain, batchWrite, partition, renamed, stageNotified } from './lib/product';
import type { LatencySummary } from './lib/stats';
import { alternatingLoad, median, round, runLoad, summarise } from './lib/stats';

const ROOT = join(import.meta.dirname, '..');

export interface PerRequest {
  calls: Record<string, number>;
  /** Reads by the prefix of the key they read (`GetItem PERSON#`, `Query gsi1 ROLE#`). */
  reads: Record<string, number>;
  roundTrips: number;
  /** Mean time of one call, by operation name, in ms. */
  msPerCall?: Record<string, number>;
  rcu: number;
  wcu: number;
}

export interface EndpointResult {
  /** What the floor issues, directly with the SDK. */
  floorWork: string;
  c1: { api: LatencySummary; floor: LatencySummary; direct: LatencySummary; ratioP50: number; directRatioP50: number };
  /**
   * `api` is timed with the workflow's steps held (runtime.holdWorkflowSteps) — the API's own work, the
   * budgeted figure; `alongside` again with the workflow running in the same process beside the calls.
   */
  c16: { api: LatencySummary; floor: LatencySummary; ratioP50: number; alongside?: { api: LatencySummary; ratioP50: number } };
  /** Per request, charged exactly to in-process invocations of the handler (not to the workflow it starts). */
  perRequest: PerRequest;
  floorPerRequest: PerRequest;
}

export interface ApiResult {
  counts: { c1: number; c16: number; read1: number; read16: number; warmup: number };
  endpoints: { submit: EndpointResult; decide: EndpointResult; read: EndpointResult };
  /** p50 of one JWT verification (HS256, jose) as the local gateway does it before every API call, in ms. */
  jwtVerifyP50: number;
  /** Requests filed by this section (ids), for later sections. */
  requestIds: string[];
}

/**
 * The floor's copies of request items are not requests of the product: under their own entity
 * (as long as `request`, so that each write costs the same) the records stream's filter keeps them
 * from HandOverRequests, which would start an approval workflow for each.
 */
const FLOOR_ENTITY = 'floored';
const asFloorItem = <T extends Record<string, unknown>>(item: T): T => (item.entity === 'request' ? { ...item, entity: FLOOR_ENTITY } : item);

const F1 = (i: number) => ({
  formId: 'server-connection-request',
  data: {
    serverId: 'srv-core-db',
    protocol: 'odbc',
    purpose: `月次売上集計のため基幹DBへODBCで接続する（ベンチマーク ${i}）。`,
    startDate: '2026-12-01',
    endDate: '2027-03-31',
  },
});

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number; body?: string }>;
const handlers = new Map<string, Handler>();
async function handlerOf(entry: string): Promise<Handler> {
  let found = handlers.get(entry);
  if (!found) {
    found = ((await import(pathToFileURL(join(ROOT, entry)).href)) as { handler: Handler }).handler;
    handlers.set(entry, found);
  }
  return found;
}

/** The API Gateway v2 event the local gateway builds, with the claims its JWT authorizer passes. */
function eventOf(method: string, routeKey: string, path: string, userId: string, params: Record<string, string> | undefined, body?: unknown) {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', accept: 'application/json', host: 'localhost' },
    pathParameters: params,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { jwt: { claims: { username: userId, client_id: 'local-web', token_use: 'access' }, scopes: null } },
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** Runs an in-process handler invocation, charging its SDK calls to `usage`; returns its latency. */
async function direct(usage: Usage, entry: string, event: unknown, expected: number): Promise<{ ms: number; body: any }> {
  const handler = await handlerOf(entry);
  const mine = newUsage();
  const started = performance.now();
  const result = await scope.run(mine, () => handler(event, { functionName: 'bench', getRemainingTimeInMillis: () => 30_000 }));
  const ms = performance.now() - started;
  if (result.statusCode !== expected) throw new Error(`${entry}: expected ${expected}, got ${result.statusCode}: ${result.body?.slice(0, 300)}`);
  addUsage(usage, mine);
  return { ms, body: result.body ? JSON.parse(result.body) : null };
}

const perRequest = (usage: Usage, n: number): PerRequest => ({
  calls: Object.fromEntries(Object.entries(usage.calls).map(([op, count]) => [op, round(count / n, 2)])),
  reads: Object.fromEntries(Object.entries(usage.targets).map(([target, count]) => [target, round(count / n, 2)])),
  roundTrips: round(totalCalls(usage) / n, 2),
  msPerCall: Object.fromEntries(Object.entries(usage.ms).map(([op, ms]) => [op, round(ms / (usage.calls[op] || 1), 2)])),
  rcu: round(usage.rcu / n, 2),
  wcu: round(usage.wcu / n, 2),
});

type ApiOptions = { c1: number; c16: number; read1: number; read16: number; warmup: number; log: (m: string) => void };

export async function measureApi(product: Product, options: ApiOptions): Promise<ApiResult> {
  // The timed API calls are made from a thread of their own (loadClient): the server has this one.
  const client = await loadClient();
  try {
    return await measureWith(product, options, client);
  } finally {
    await client.close();
  }
}

async function measureWith(product: Product, options: ApiOptions, client: LoadClient): Promise<ApiResult> {
  const { url, tables, db } = product;
  const log = options.log;
  const tanaka = await product.token('u-tanaka');
  const sato = await product.token('u-sato');
  const submitHttp = async (i: number) => {
    const reply = await client.expectCall(201, url, 'POST', '/api/requests', { token: tanaka, body: F1(i), keep: ['id'] });
    return { ms: reply.ms, id: reply.body.id as string };
  };
  const directUsage = { submit: newUsage(), decide: newUsage(), read: newUsage() };
  const submitDirect = async (i: number, usage: Usage = directUsage.submit) => {
    const r = await direct(usage, 'functions/http/submit-request.ts', eventOf('POST', 'POST /api/requests', '/api/requests', 'u-tanaka', undefined, F1(i)), 201);
    return { ms: r.ms, id: r.body.id as string };
  };

  // ---- templates for the floor, from a real request -------------------------------------------
  const warm: string[] = [];
  for (let i = 0; i < options.warmup; i++) {
    warm.push((await submitHttp(i)).id);
    warm.push((await submitDirect(i, newUsage())).id);
  }
  for (const id of warm) await stageNotified(product, id, 0);
  await quiet();
  const template = await partition(product, warm[0]);
  const templateRequest = template.find((item) => item.entity === 'request')!;
  const templateAudit = (await auditChain(product, warm[0])).find((event) => event.action === 'submitted')!;
  const templateId = warm[0];

  // Floor of submit: the server lookup (consistent GetItem, as the form's check does) and one
  // TransactWriteItems of the request item and its first audit event, as the store writes them.
  const floorUsage = { submit: newUsage(), decide: newUsage(), read: newUsage() };
  const warmUsage = newUsage();
  let floorSerial = 0;
  const floorSubmit = async (usage: Usage = warmUsage) => scope.run(usage, async () => {
    const id = `R-FLOORS-${String(floorSerial++).padStart(6, '0')}`;
    const request = asFloorItem(renamed(templateRequest, templateId, id));
    const event = renamed(templateAudit, templateId, id);
    const started = performance.now();
    await db.send(new GetCommand({ TableName: tables.records, Key: { pk: 'LEDGER#servers', sk: 'ITEM#srv-core-db' }, ConsistentRead: true }));
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.records, Item: request, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tables.audit, Item: event, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return performance.now() - started;
  });
  for (let i = 0; i < options.warmup; i++) await floorSubmit();

  // ---- submit ------------------------------------------------------------------------------
  /**
   * Runs one timed call with the workflow's steps held until it has answered: the step it sets off
   * (Advance, NotifyApprovers) runs after the clock stops, as on AWS it runs in other functions,
   * instead of taking the one process's event loop while the answer is on its way.
   */
  const held = async <T>(call: () => Promise<T>): Promise<T> => {
    const release = product.runtime.holdWorkflowSteps();
    try {
      return await call();
    } finally {
      release();
    }
  };

  log(`api: submit at concurrency 1 (${options.c1} through HTTP and the floor alternately)`);
  const submit1 = { api: [] as number[], direct: [] as number[], floor: [] as number[] };
  const c1Ids: string[] = [];
  const c1DirectIds: string[] = [];
  for (let i = 0; i < options.c1; i++) {
    const viaHttp = await held(() => submitHttp(1000 + i));
    submit1.api.push(viaHttp.ms);
    c1Ids.push(viaHttp.id);
    await stageNotified(product, viaHttp.id, 0);
    await quiet(10);
    // The in-process diagnostic on every other round: it explains the figures, it is not one.
    if (i % 2 === 0) {
      const inProcess = await held(() => submitDirect(2000 + i));
      submit1.direct.push(inProcess.ms);
      c1DirectIds.push(inProcess.id);
      await stageNotified(product, inProcess.id, 0);
      await quiet(10);
    }
    submit1.floor.push(await floorSubmit(floorUsage.submit));
  }

  // At concurrency 16 twice: with the workflow's steps held until the timed part is over (what the
  // API itself costs: on AWS the steps run in other functions), then with them running alongside.
  const submitOp = (ids: string[], first: number) => async (i: number) => {
    const r = await submitHttp(first + i);
    ids.push(r.id);
    return r.ms;
  };
  const settled = async (ids: string[], stage: number) => {
    for (const id of ids) await stageNotified(product, id, stage, 60_000);
    await quiet(50, 60_000);
  };
  log(`api: submit at concurrency 16 (${options.c16} requests, workflow steps held, alternating with the floor)`);
  const c16HeldIds: string[] = [];
  const submitAndFloor16 = await held(() => alternatingLoad({ count: options.c16, concurrency: 16, blocks: 4, a: submitOp(c16HeldIds, 3000), b: () => floorSubmit() }));
  await settled(c16HeldIds, 0);
  log(`api: submit at concurrency 16 (${options.c16} requests, workflow alongside)`);
  const c16Ids: string[] = [];
  const submit16Alongside = await runLoad({ count: options.c16, concurrency: 16, op: submitOp(c16Ids, 4000) });
  await settled(c16Ids, 0);
  const [submit16, floorSubmit16] = [submitAndFloor16.a, submitAndFloor16.b];

  // ---- decide ------------------------------------------------------------------------------
  // Floor of decide: a consistent Query of the request partition (request + tasks) and one
  // TransactWriteItems of the request, the decided task and the audit event, with the store's conditions.
  const pendingTemplate = await partition(product, c1Ids[0]);
  const satoTask = async (id: string) => (await partition(product, id)).find((t) => t.entity === 'task' && t.approverId === 'u-sato' && t.status === 'pending')!.id as string;
  const decideDirect = async (requestId: string, usage: Usage = directUsage.decide, knownTask?: string) => {
    const taskId = knownTask ?? (await satoTask(requestId));
    const path = `/api/tasks/${taskId}/decision`;
    return (await direct(usage, 'functions/http/decide-task.ts', eventOf('POST', 'POST /api/tasks/{id}/decision', path, 'u-sato', { id: taskId }, { decision: 'approve', comment: '業務上必要と認めます。' }), 200)).ms;
  };
  // The task id is looked up before the clock starts: timing wraps only the API call.
  const decideHttp = async (taskId: string) =>
    (await client.expectCall(200, url, 'POST', `/api/tasks/${taskId}/decision`, { token: sato, body: { decision: 'approve', comment: '業務上必要と認めます。' }, keep: [] })).ms;
  const timedDecideHttp = async (requestId: string) => decideHttp(await satoTask(requestId));
  for (const id of warm.slice(0, options.warmup)) {
    await timedDecideHttp(id);
    await stageNotified(product, id, 1);
  }
  for (const id of warm.slice(options.warmup)) {
    await decideDirect(id, newUsage());
    await stageNotified(product, id, 1);
  }
  await quiet();
  const decidedItems = await partition(product, warm[0]);
  const pendingRequest = pendingTemplate.find((item) => item.entity === 'request')!;
  const decidedTask = decidedItems.find((item) => item.entity === 'task' && item.approverId === 'u-sato')!;
  const decidedEvent = (await auditChain(product, warm[0])).find((event) => event.action === 'decided')!;
  const floorDecideCount = options.warmup + options.c1 + options.c16 * 2;
  const clones: string[] = [];
  const cloneItems: Record<string, unknown>[] = [];
  for (let i = 0; i < floorDecideCount; i++) {
    const id = `R-FLOORD-${String(i).padStart(6, '0')}`;
    clones.push(id);
    cloneItems.push(...pendingTemplate.map((item) => asFloorItem(renamed(item, c1Ids[0], id))));
  }
  await batchWrite(product, tables.records, cloneItems);
  let cloneNext = 0;
  const floorDecide = async (usage: Usage = warmUsage) => scope.run(usage, async () => {
    const id = clones[cloneNext++];
    const started = performance.now();
    const found = await db.send(
      new QueryCommand({ TableName: tables.records, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REQUEST#${id}` }, ConsistentRead: true }),
    );
    const request = (found.Items ?? []).find((item) => item.entity === FLOOR_ENTITY)!;
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tables.records,
              // The request as it stood at the decision (the pending template, one version on): the real
              // decision writes an item of that size, not of the size it grows to later.
              Item: { ...asFloorItem(renamed(pendingRequest, c1Ids[0], id)), version: Number(request.version) + 1 },
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': request.version },
            },
          },
          {
            Put: {
              TableName: tables.records,
              Item: renamed(decidedTask, warm[0], id),
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pending': 'pending' },
            },
          },
          { Put: { TableName: tables.audit, Item: renamed(decidedEvent, warm[0], id), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return performance.now() - started;
  });
  for (let i = 0; i < options.warmup; i++) await floorDecide();

  log(`api: decide at concurrency 1 (${options.c1} decisions through HTTP and the floor alternately)`);
  const decide1 = { api: [] as number[], direct: [] as number[], floor: [] as number[] };
  for (let i = 0; i < options.c1; i++) {
    const taskId = await satoTask(c1Ids[i]);
    decide1.api.push(await held(() => decideHttp(taskId)));
    await stageNotified(product, c1Ids[i], 1);
    await quiet(10);
    if (i % 2 === 0) {
      const directTask = await satoTask(c1DirectIds[i / 2]);
      decide1.direct.push(await held(() => decideDirect(c1DirectIds[i / 2], directUsage.decide, directTask)));
      await stageNotified(product, c1DirectIds[i / 2], 1);
      await quiet(10);
    }
    decide1.floor.push(await floorDecide(floorUsage.decide));
  }
  // Task ids are found before the run, so the timed part is the decision alone.
  log(`api: decide at concurrency 16 (${options.c16} decisions, workflow steps held, alternating with the floor)`);
  const heldTasks = await Promise.all(c16HeldIds.map(satoTask));
  const decideAndFloor16 = await held(() => alternatingLoad({ count: options.c16, concurrency: 16, blocks: 4, a: (i) => decideHttp(heldTasks[i]), b: () => floorDecide() }));
  await settled(c16HeldIds, 1);
  log(`api: decide at concurrency 16 (${options.c16} decisions, workflow alongside)`);
  const alongsideTasks = await Promise.all(c16Ids.map(satoTask));
  const decide16Alongside = await runLoad({ count: options.c16, concurrency: 16, op: (i) => decideHttp(alongsideTasks[i]) });
  await settled(c16Ids, 1);
  const [decide16, floorDecide16] = [decideAndFloor16.a, decideAndFloor16.b];

  // ---- read --------------------------------------------------------------------------------
  // Floor of read: a consistent Query of the request partition and one of its audit chain.
  const readable = [...c1Ids, ...c16HeldIds, ...c16Ids];
  const floorRead = async (i: number, usage: Usage = warmUsage) => scope.run(usage, async () => {
    const id = readable[i % readable.length];
    const started = performance.now();
    await db.send(new QueryCommand({ TableName: tables.records, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REQUEST#${id}` }, ConsistentRead: true }));
    await db.send(new QueryCommand({ TableName: tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `request#${id}` }, ConsistentRead: true }));
    return performance.now() - started;
  });
  // Every request read answers its whole detail (history included) once, untimed; the timed calls
  // bring back only its id from the load client's thread.
  for (const id of readable) {
    const whole = await client.call(url, 'GET', `/api/requests/${id}`, { token: tanaka });
    if (whole.status !== 200 || whole.body.history.length < 4) throw new Error(`read ${id}: ${whole.status}`);
  }
  const readHttp = async (i: number) => {
    const id = readable[i % readable.length];
    const reply = await client.call(url, 'GET', `/api/requests/${id}`, { token: tanaka, keep: ['id'] });
    if (reply.status !== 200 || reply.body.id !== id) throw new Error(`read: ${reply.status}`);
    return reply.ms;
  };
  const readDirect = async (i: number, usage: Usage = directUsage.read) => {
    const id = readable[i % readable.length];
    return (await direct(usage, 'functions/http/get-request.ts', eventOf('GET', 'GET /api/requests/{id}', `/api/requests/${id}`, 'u-tanaka', { id }), 200)).ms;
  };
  for (let i = 0; i < options.warmup; i++) (await readHttp(i), await readDirect(i, newUsage()), await floorRead(i));
  log(`api: read at concurrency 1 (${options.read1} reads each) and 16 (${options.read16})`);
  const read1 = { api: [] as number[], direct: [] as number[], floor: [] as number[] };
  for (let i = 0; i < options.read1; i++) {
    read1.api.push(await readHttp(i));
    if (i % 2 === 0) read1.direct.push(await readDirect(i));
    read1.floor.push(await floorRead(i, floorUsage.read));
  }
  const readAndFloor16 = await alternatingLoad({ count: options.read16, concurrency: 16, blocks: options.read16 / 40, a: readHttp, b: (i) => floorRead(i) });
  const [read16, floorRead16] = [readAndFloor16.a, readAndFloor16.b];

  // ---- JWT ---------------------------------------------------------------------------------
  const auth = createLocalAuth({ issuer: 'http://bench/_local' });
  const token = await auth.issue('u-tanaka');
  const jwt: number[] = [];
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    await auth.verify(`Bearer ${token}`);
    jwt.push(performance.now() - started);
  }

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const endpoint = (
    floorWork: string,
    one: { api: number[]; direct: number[]; floor: number[] },
    sixteen: { api: { samples: number[]; elapsedMs: number }; floor: { samples: number[]; elapsedMs: number }; alongside?: { samples: number[]; elapsedMs: number } },
    usage: Usage,
    floorUsage: Usage,
  ): EndpointResult => {
    const api = summarise(one.api, sum(one.api));
    const floor = summarise(one.floor, sum(one.floor));
    const inProcess = summarise(one.direct, sum(one.direct));
    const api16 = summarise(sixteen.api.samples, sixteen.api.elapsedMs);
    const floor16 = summarise(sixteen.floor.samples, sixteen.floor.elapsedMs);
    return {
      floorWork,
      c1: { api, floor, direct: inProcess, ratioP50: round(api.p50 / floor.p50), directRatioP50: round(inProcess.p50 / floor.p50) },
      c16: {
        api: api16,
        floor: floor16,
        ratioP50: round(api16.p50 / floor16.p50),
        ...(sixteen.alongside ? { alongside: { api: summarise(sixteen.alongside.samples, sixteen.alongside.elapsedMs), ratioP50: round(summarise(sixteen.alongside.samples, sixteen.alongside.elapsedMs).p50 / floor16.p50) } } : {}),
      },
      perRequest: perRequest(usage, one.direct.length),
      floorPerRequest: perRequest(floorUsage, one.floor.length),
    };
  };

  return {
    counts: options,
    endpoints: {
      submit: endpoint('GetItem (server, consistent) → TransactWriteItems (request + audit event)', submit1, { api: submit16, floor: floorSubmit16, alongside: submit16Alongside }, directUsage.submit, floorUsage.submit),
      decide: endpoint('Query (request partition, consistent) → TransactWriteItems (request + task + audit event)', decide1, { api: decide16, floor: floorDecide16, alongside: decide16Alongside }, directUsage.decide, floorUsage.decide),
      read: endpoint('Query (request partition, consistent) → Query (audit chain, consistent)', read1, { api: read16, floor: floorRead16 }, directUsage.read, floorUsage.read),
    },
    jwtVerifyP50: round(median(jwt), 3),
    requestIds: [...c1Ids, ...c1DirectIds, ...c16HeldIds, ...c16Ids],
  };
}
