import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, RuntimeProcess, Session, Site } from './support';
import { auditOf, dynamoClient, newSite, partition, session, signIn, startRuntimeProcess, stopAll, taskOf, until, validF1 } from './support';

/**
 * (a′) Only the Step Functions endpoint stops (the runtime process closes it; DynamoDB stays). A
 * decision and a submission are made meanwhile. docs/api.md: "503 unavailable — a backing service
 * did not answer; Retry-After says when to try again; nothing was half-written". Then the runtime
 * restarts on the same data and the approvals must continue, nothing recorded twice.
 */

const tag = `sf${Date.now().toString(36)}`;
let site: Site;
let runtime: RuntimeProcess;
const url = () => runtime.info.url;
const people: Record<string, Session> = {};
let waiting = { id: '', task: '' };
let decision: Answer;
let decidedAfterDecision = 0;
let submission: Answer;
let storedAfterSubmission: Record<string, unknown>[] = [];

const db = () => dynamoClient(runtime.info.dynamoEndpoint);
const decidedOf = async (requestId: string) => (await auditOf(db(), runtime.info.tables, requestId)).filter((e) => e.action === 'decided');
const markedRequests = async () => (await partition(db(), runtime.info.tables.records, 'REQUESTER#u-tanaka', 'gsi1')).filter((item) => String((item.data as { purpose?: string })?.purpose ?? '').includes(`${tag} 停止中`));

beforeAll(async () => {
  site = await newSite('stepfunctions-down');
  runtime = await startRuntimeProcess(site, 300_000);
  for (const id of ['u-tanaka', 'u-sato', 'u-kobayashi', 'u-yamada']) people[id.slice(2)] = session(url, id, (await signIn(url(), id)).token);
  const filed = await people.tanaka.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1(`障害試験 ${tag}`) });
  expect(filed.status).toBe(201);
  const task = await taskOf(people.sato, filed.body.id);
  waiting = { id: filed.body.id, task: task.id };
  await until(async () => (await partition(db(), runtime.info.tables.records, `REQUEST#${waiting.id}`)).some((item) => item.entity === 'task' && item.notifiedAt), 'the workflow to rest');
  expect(await runtime.command('stop-sfn')).toBe('true');
}, 180_000);

afterAll(async () => {
  await stopAll();
  console.log(`[faults] Step Functions down: decision ${decision?.status} (${decidedAfterDecision} recorded), submission ${submission?.status} (${storedAfterSubmission.length} stored)`);
  site?.dispose();
});

describe('the Step Functions endpoint stopped under a running runtime', () => {
  it('a decision meanwhile is recorded exactly once, and trying again is refused (409)', async () => {
    decision = await people.sato.call('POST', `/api/tasks/${waiting.task}/decision`, { decision: 'approve', comment: '停止中の承認' });
    expect([200, 503]).toContain(decision.status);
    decidedAfterDecision = (await decidedOf(waiting.id)).length;
    expect(decidedAfterDecision).toBe(1);
    const again = await people.sato.call('POST', `/api/tasks/${waiting.task}/decision`, { decision: 'approve', comment: '再送' });
    expect(again.status).toBe(409);
    expect(await decidedOf(waiting.id)).toHaveLength(1);
  });

  // D5: the decision was committed, then waking the workflow failed and the caller was told 503 — "try again" — though a retry
  // could only get 409. Now the recorded decision is answered 200; reconciliation (or start-up) wakes the workflow.
  it('D5 a decision answered 503 has written nothing (docs/api.md: 503 means nothing was half-written)', () => {
    expect(decision.status === 503 && decidedAfterDecision > 0, `answered ${decision.status} with ${decidedAfterDecision} decision recorded`).toBe(false);
  });

  it('a submission meanwhile answers 503 with Retry-After (or 201), never 500', async () => {
    submission = await people.tanaka.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1(`${tag} 停止中の申請`) });
    expect([201, 503]).toContain(submission.status);
    if (submission.status === 503) expect(submission.headers.get('retry-after')).toMatch(/^\d+$/);
    storedAfterSubmission = await markedRequests();
  });

  // D5: the request was stored in review before StartExecution failed; the caller was told 503, and trying again filed a second
  // request. Now the stored request is answered 201; reconciliation (or start-up) starts its workflow.
  it('D5 a submission answered 503 has stored nothing, so that trying again does not file it twice', async () => {
    expect(submission.status === 503 && storedAfterSubmission.length > 0, `answered ${submission.status} with ${storedAfterSubmission.length} request stored`).toBe(false);
  });

  it('after a restart on the same data both approvals continue, and nothing was recorded twice', async () => {
    await runtime.stop();
    runtime = await startRuntimeProcess(site, 240_000);
    expect(runtime.info.resumed).toBeGreaterThanOrEqual(1);
    // The decided request moves on to 小林.
    const next = await taskOf(people.kobayashi, waiting.id, 30_000);
    expect(next.stage).toBe(1);
    expect((await people.kobayashi.call('POST', `/api/tasks/${next.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const last = await taskOf(people.yamada, waiting.id, 30_000);
    expect((await people.yamada.call('POST', `/api/tasks/${last.id}/decision`, { decision: 'approve' })).status).toBe(200);
    await until(async () => {
      const { body } = await people.tanaka.call('GET', `/api/requests/${waiting.id}`);
      return body?.status === 'approved' && body.history.some((e: { action: string }) => e.action === 'effects_applied');
    }, 'the approval to complete', 60_000);
    const actions = (await auditOf(db(), runtime.info.tables, waiting.id)).map((e) => String(e.action));
    expect(actions.filter((a) => a === 'decided')).toHaveLength(3);
    expect(actions.filter((a) => a === 'stage_opened')).toHaveLength(3);
    expect(actions.filter((a) => a === 'effects_applied')).toHaveLength(1);
    // A request stored by the submission that answered 503 gets its workflow now: 佐藤 has its task.
    for (const stored of await markedRequests()) await taskOf(people.sato, String(stored.id), 30_000);
  });
});
