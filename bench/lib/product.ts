import '../../infra/local/polyfills';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../../infra/local/runtime';
import { startLocalRuntime } from '../../infra/local/runtime';
import { expectCall } from './http';
import type { Meter } from './meter';
import { meter } from './meter';

/** The local product under measurement, its metered clients, and a client of the bench's own. */
export interface Product {
  runtime: LocalRuntime;
  url: string;
  tables: { records: string; audit: string };
  /** The functions' own DynamoDB client (functions/adapters/aws-clients.ts), metered. */
  functionsDynamo: Meter;
  functionsSfn: Meter;
  functionsSes: Meter;
  /**
   * The bench's own DocumentClient, configured like the functions' one (same SDK, same options, same
   * ReturnConsumedCapacity): the floor and the bench's bookkeeping use it, so neither counts as the
   * functions' work.
   */
  db: DynamoDBDocumentClient;
  dbMeter: Meter;
  /** An SFN client of the bench's own, for GetExecutionHistory and friends. */
  sfn: SFNClient;
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startProduct(): Promise<Product> {
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  // The same module instances the runtime loaded: its handlers import these clients.
  const clients = await import('../../functions/adapters/aws-clients');
  const functionsDynamo = meter(clients.dynamo, 'functions-dynamodb', { capacity: true });
  const functionsSfn = meter(clients.sfn, 'functions-sfn', { capacity: false });
  const functionsSes = meter(clients.ses, 'functions-ses', { capacity: false });

  // The runtime has set AWS_ENDPOINT_URL_DYNAMODB, the region and the credentials: same configuration as the functions'.
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const dbMeter = meter(db, 'bench-dynamodb', { capacity: true });
  const sfn = new SFNClient({});
  const tokens = new Map<string, string>();
  return {
    runtime,
    url: runtime.url,
    tables: runtime.tables,
    functionsDynamo,
    functionsSfn,
    functionsSes,
    db,
    dbMeter,
    sfn,
    async token(userId) {
      let token = tokens.get(userId);
      if (!token) {
        token = (await expectCall(200, runtime.url, 'POST', '/_local/login', { body: { userId } })).body.token as string;
        tokens.set(userId, token);
      }
      return token;
    },
    async stop() {
      db.destroy();
      sfn.destroy();
      await runtime.stop();
    },
  };
}

/** Every item of a request's partition (request + tasks), read directly. */
export async function partition(product: Product, requestId: string): Promise<Record<string, any>[]> {
  const result = await product.db.send(
    new QueryCommand({
      TableName: product.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `REQUEST#${requestId}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** The request's audit events, read directly. */
export async function auditChain(product: Product, requestId: string): Promise<Record<string, any>[]> {
  const result = await product.db.send(
    new QueryCommand({
      TableName: product.tables.audit,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `request#${requestId}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/**
 * Waits until stage `stage` of round 1 is open and every pending task of it has been e-mailed (the
 * last thing NotifyApprovers does before the execution sleeps); returns those tasks.
 */
export async function stageNotified(product: Product, requestId: string, stage: number, timeoutMs = 30_000): Promise<Record<string, any>[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const items = await partition(product, requestId);
    const tasks = items.filter((item) => item.entity === 'task' && item.round === 1 && item.stage === stage && item.status === 'pending');
    if (tasks.length > 0 && tasks.every((task) => task.notifiedAt)) return tasks;
    if (performance.now() > deadline) throw new Error(`stage ${stage} of ${requestId} was not opened and notified within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 4));
  }
}

/** Writes items with BatchWriteItem (25 a call, `parallel` calls at a time), retrying unprocessed items. */
export async function batchWrite(product: Product, table: string, items: Record<string, unknown>[], parallel = 8): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < batches.length) {
        let pending = batches[next++].map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
          const result = await product.db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
          if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
        }
      }
    }),
  );
}

/** A deep copy of `value` with every occurrence of `from` in its strings replaced by `to`. */
export function renamed<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
}

/** A request id of the product's shape (R-YYYYMMDD-XXXXXX) that no real request can have (year 2000). */
export const syntheticRequestId = (prefix: string, index: number) => `R-20000101-${prefix}${index.toString(36).toUpperCase().padStart(5, '0')}`;
