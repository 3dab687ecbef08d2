import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { ensureTables, freePort, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import type { StreamEventSource } from '../../infra/local/stream-event-source';
import { startStreamEventSource } from '../../infra/local/stream-event-source';
import { recordsTable } from '../../infra/tables';

/**
 * The local event source mapping against a DynamoDB Local of its own (on disk, so that it can be
 * restarted on the same data): what reaches the function, in which order, and what is delivered again.
 */
const REGION = 'ap-northeast-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let dataDir: string;
let port: number;
let dynamo: DynamoDbLocal;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const tableName = 'stream-source-test';
const sources: StreamEventSource[] = [];

const put = (pk: string, entity: string) => client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: 'REQUEST' }, entity: { S: entity } } }));
const keysOf = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.dynamodb!.NewImage!.pk.S!);
const until = async (what: string, check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function source(invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>, retryAttempts = 3) {
  const started = await startStreamEventSource({
    dynamodb: client,
    streams,
    tableName,
    region: REGION,
    filter: { dynamodb: { NewImage: { entity: { S: ['request'] } } } },
    batchSize: 100,
    retryAttempts,
    invoke,
    idleMs: 20,
  });
  sources.push(started);
  return started;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kitei-stream-'));
  port = await freePort();
  dynamo = await startDynamoDbLocal({ port, dataDir });
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
  streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
  await ensureTables(client, [recordsTable], () => tableName);
}, 60_000);

afterAll(async () => {
  for (const s of sources) await s.stop();
  client?.destroy();
  streams?.destroy();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stream event source', () => {
  it('hands the function only what was written after it started, in order, and only what its filter lets through', async () => {
    await put('before-start', 'request');
    const seen: string[] = [];
    const s = await source(async (event) => void seen.push(...keysOf(event)));
    for (let i = 0; i < 5; i++) {
      await put(`r${i}`, 'request');
      await put(`t${i}`, 'task');
    }
    await until('five records', () => seen.length >= 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    await s.stop();
  });

  it('delivers a batch again from the first record the function reports as failed, never the ones before it', async () => {
    const deliveries: string[][] = [];
    let failOnce = true;
    const s = await source(async (event) => {
      deliveries.push(keysOf(event));
      const failed = event.Records.find((r) => r.dynamodb!.NewImage!.pk.S === 'b1');
      if (failed && failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: failed.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });
    await put('b0', 'request');
    await put('b1', 'request');
    await put('b2', 'request');
    await until('b2 delivered after the failure', () => deliveries.flat().filter((k) => k === 'b1').length >= 2 && deliveries.flat().includes('b2'));
    const after = deliveries.flat();
    expect(after.filter((k) => k === 'b0')).toHaveLength(1);
    expect(after.filter((k) => k === 'b1')).toHaveLength(2);
    await s.stop();
  });

  it('gives a record up after its retries, and goes on with the next', async () => {
    const attempts: Record<string, number> = {};
    const s = await source(async (event) => {
      for (const key of keysOf(event)) attempts[key] = (attempts[key] ?? 0) + 1;
      const poisoned = event.Records.find((r) => r.dynamodb!.NewImage!.pk.S === 'poison');
      if (poisoned) throw new Error('the function failed');
    }, 2);
    await put('poison', 'request');
    await until('the retries of the failing record', () => attempts.poison === 3, 20_000);
    await put('after-poison', 'request');
    await until('the next record', () => attempts['after-poison'] === 1);
    expect(attempts.poison).toBe(3); // the first delivery and 2 retries
    await s.stop();
  });

  it('passes over what a bulk load writes, after delivering what was written before it', async () => {
    const seen: string[] = [];
    const s = await source(async (event) => void seen.push(...keysOf(event)));
    await put('before-load', 'request');
    await s.passOver(async () => {
      for (let i = 0; i < 20; i++) await put(`loaded${i}`, 'request');
    });
    await put('after-load', 'request');
    await until('the record after the load', () => seen.includes('after-load'));
    expect(seen).toEqual(['before-load', 'after-load']);
    await s.stop();
  });

  it('reads on from the last record seen after DynamoDB Local restarts on the same data', async () => {
    const seen: string[] = [];
    await source(async (event) => void seen.push(...keysOf(event)));
    await put('before-restart', 'request');
    await until('the record before the restart', () => seen.includes('before-restart'));
    await dynamo.stop();
    dynamo = await startDynamoDbLocal({ port, dataDir });
    // The same clients reach the restarted process on the same port.
    await put('after-restart', 'request');
    await until('the record after the restart', () => seen.includes('after-restart'), 30_000);
    expect(seen.filter((k) => k === 'before-restart')).toHaveLength(1);
  }, 90_000);
});
