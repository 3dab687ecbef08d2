import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, RuntimeProcess, Session, Site } from './support';
import { dynamoPid, newSite, session, signIn, startRuntimeProcess, stopAll, until } from './support';

/**
 * (b′) DynamoDB that does not answer (the java process stopped with SIGSTOP: connections are
 * accepted, nothing comes back), rather than one that refuses connections. The documented contract
 * is the same — 503 with Retry-After — and a caller must not wait for ever. The process is resumed
 * (SIGCONT) afterwards, and the API must answer again.
 */

const BOUND_MS = 15_000;
const CLIENT_GIVES_UP_MS = 25_000;

let site: Site;
let runtime: RuntimeProcess;
let tanaka: Session;
let pid = 0;
let frozen: Answer | { status: 0; ms: number; error: string };

beforeAll(async () => {
  site = await newSite('dynamodb-unresponsive');
  runtime = await startRuntimeProcess(site, 240_000);
  const url = () => runtime.info.url;
  tanaka = session(url, 'u-tanaka', (await signIn(url(), 'u-tanaka')).token);
  expect((await tanaka.call('GET', '/api/me')).status).toBe(200);
  pid = dynamoPid(runtime.child.pid!, site.dynamoPort);
  process.kill(pid, 'SIGSTOP');
  const started = Date.now();
  frozen = await tanaka.call('GET', '/api/me', undefined, CLIENT_GIVES_UP_MS).catch((error: Error) => ({ status: 0 as const, ms: Date.now() - started, error: String(error) }));
}, 180_000);

afterAll(async () => {
  if (pid) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  console.log(`[faults] DynamoDB unresponsive: GET /api/me → ${frozen?.status || 'no answer'} after ${frozen?.ms} ms`);
  await stopAll();
  site?.dispose();
});

describe('DynamoDB Local frozen (SIGSTOP) under a running runtime', () => {
  // D7: the SDK clients had no connection or request timeout: a call waited for as long as DynamoDB
  // did. They now give up on an attempt after 2.5 s (three attempts, functions/adapters/aws-clients.ts).
  it(`D7 GET /api/me answers 503 with Retry-After within ${BOUND_MS / 1000} s while DynamoDB does not answer`, () => {
    expect(frozen.status).toBe(503);
    expect(frozen.ms).toBeLessThan(BOUND_MS);
  });

  it('answers again once DynamoDB resumes, without a restart', async () => {
    process.kill(pid, 'SIGCONT');
    const answer = await until(async () => {
      const result = await tanaka.call('GET', '/api/me', undefined, 20_000).catch(() => undefined);
      return result?.status === 200 ? result : undefined;
    }, 'the API to answer again', 60_000);
    expect(answer.status).toBe(200);
  });
});
