import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freePort } from '../../infra/local/dynamodb-local';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface RuntimeInfo {
  url: string;
  dynamoEndpoint: string;
  tables: { records: string; audit: string };
  resumed: number;
  sfnEndpoint: string;
}

/** Ports and a data folder kept across the runtimes of one scenario. */
export interface Site {
  port: number;
  dynamoPort: number;
  dataDir: string;
  dispose(): void;
}

export async function newSite(name: string): Promise<Site> {
  const dataDir = mkdtempSync(join(tmpdir(), `kitei-fault-${name}-`));
  return { port: await freePort(), dynamoPort: await freePort(), dataDir, dispose: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A runtime in its own process group (test/faults/runtime-process.ts), so that a crash takes DynamoDB Local with it. */
export interface RuntimeProcess {
  info: RuntimeInfo;
  child: ChildProcess;
  output(): string;
  /** Sends a line to the runner and waits for its `DONE <command> …` answer. */
  command(command: string): Promise<string>;
  /** SIGTERM: the runner stops every service in order, as Ctrl-C does for `npm start`. */
  stop(): Promise<void>;
  /** SIGKILL of the whole process group, DynamoDB Local included: a crash. */
  kill(): Promise<void>;
}

const running = new Set<RuntimeProcess>();

export async function startRuntimeProcess(site: Site, maxLifetimeMs = 240_000): Promise<RuntimeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/faults/runtime-process.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FAULT_RUNTIME: JSON.stringify({ port: site.port, dynamoPort: site.dynamoPort, dataDir: site.dataDir, maxLifetimeMs }), POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  let output = '';
  const listeners = new Set<(line: string) => void>();
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const listener of listeners) listener(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const waitFor = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolveLine, reject) => {
      const timer = setTimeout(() => reject(new Error(`No "${prefix}" from the runtime process within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
      const listener = (line: string) => {
        if (!line.startsWith(prefix)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolveLine(line.slice(prefix.length).trim());
      };
      listeners.add(listener);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`The runtime process exited (${code}) before "${prefix}":\n${output.slice(-4000)}`));
      });
    });
  const ready = await waitFor('READY', 90_000).catch(async (error) => {
    killGroup(child);
    throw error;
  });
  const handle: RuntimeProcess = {
    info: JSON.parse(ready) as RuntimeInfo,
    child,
    output: () => output,
    async command(command) {
      const answer = waitFor(`DONE ${command}`, 10_000);
      child.stdin!.write(`${command}\n`);
      return answer;
    },
    async stop() {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child), 20_000);
      await exited;
      clearTimeout(timer);
      killGroup(child); // anything left in the group (DynamoDB Local) goes too
    },
    async kill() {
      running.delete(handle);
      killGroup(child);
      await exited;
      // DynamoDB Local is in the group; wait until its port is free.
      await until(async () => !(await listening(site.dynamoPort)), 'DynamoDB Local to be gone', 15_000);
    },
  };
  running.add(handle);
  return handle;
}

function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Stops every runtime process this test process started (in afterAll / on failure). */
export async function stopAll() {
  for (const handle of [...running]) await handle.kill().catch(() => undefined);
}

export async function listening(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck(true);
    });
    socket.once('error', () => resolveCheck(false));
  });
}

export async function until<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The process id of the DynamoDB Local (java) child of a process, listening on the given port. */
export function dynamoPid(parentPid: number, port: number): number {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parentPid)], { encoding: 'utf8' }).split('\n');
  const line = lines.find((l) => l.includes('DynamoDBLocal') && l.includes(`-port ${port}`));
  if (!line) throw new Error(`No DynamoDB Local on port ${port} under process ${parentPid}:\n${lines.join('\n')}`);
  return Number(line.trim().split(/\s+/)[0]);
}

// ---------------------------------------------------------------------------------------------
// The API, as the web page uses it

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

export interface Session {
  userId: string;
  token: string;
  call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Answer>;
}

export async function request(url: string, token: string | null, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers, ms: Date.now() - started };
}

/** Signs in on a runtime; the token stays valid on the next runtime of the same data folder (the key is kept there). */
export async function signIn(url: string, userId: string): Promise<Session> {
  const { status, body } = await request(url, null, 'POST', '/_local/login', { userId });
  if (status !== 200) throw new Error(`Sign-in of ${userId} failed: ${status} ${JSON.stringify(body)}`);
  return session(() => url, userId, (body as { token: string }).token);
}

/** A session whose base URL may change (a new runtime on the same port keeps it). */
export function session(url: () => string, userId: string, token: string): Session {
  return { userId, token, call: (method, path, body, timeoutMs) => request(url(), token, method, path, body, timeoutMs) };
}

export async function taskOf(s: Session, requestId: string, timeoutMs = 30_000) {
  return until(async () => {
    const { status, body } = await s.call('GET', '/api/tasks?limit=100');
    return status === 200 ? (body.items as { id: string; requestId: string; stage: number; round: number }[]).find((t) => t.requestId === requestId) : undefined;
  }, `a task of ${requestId} for ${s.userId}`, timeoutMs);
}

export async function linkTokens(url: string, email: string, requestId: string): Promise<string[]> {
  const { body } = await request(url, null, 'GET', '/_local/mail');
  return (body.items as { to: string[]; subject: string; text: string }[])
    .filter((m) => m.to.includes(email) && m.subject.includes(requestId) && m.subject.includes('承認依頼'))
    .map((m) => /#\/links\/([A-Za-z0-9_-]{43})/.exec(m.text)?.[1] ?? '')
    .filter(Boolean);
}

export const validF1 = (purpose: string) => ({ serverId: 'srv-core-db', protocol: 'odbc', purpose, startDate: '2026-12-01', endDate: '2027-03-31' });

// ---------------------------------------------------------------------------------------------
// DynamoDB, read directly

export function dynamoClient(endpoint: string) {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 }));
}

export async function partition(db: DynamoDBDocumentClient, table: string, pk: string, index?: 'gsi1') {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        ...(index ? { IndexName: index, KeyConditionExpression: 'gsi1pk = :pk' } : { KeyConditionExpression: 'pk = :pk' }),
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The audit events of a request, oldest first. */
export async function auditOf(db: DynamoDBDocumentClient, tables: { audit: string }, requestId: string) {
  return (await partition(db, tables.audit, `request#${requestId}`)).sort((a, b) => Number(a.seq) - Number(b.seq));
}
