import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../functions/adapters/audit-verifier';
import { hashLinkToken } from '../../functions/domain/link-token';
import { routes } from '../../functions/http/routes';
import { ledgerRegistry } from '../../functions/ledgers/registry';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import type { Answer, RuntimeProcess, Session, Site } from './support';
import { auditOf, dynamoClient, dynamoPid, linkTokens, listening, newSite, partition, request, session, signIn, startRuntimeProcess, stopAll, taskOf, until, validF1 } from './support';

/**
 * (b) DynamoDB unreachable. A runtime (in its own process) serves; then its DynamoDB Local (the java
 * child listening on the chosen port) is killed. Every route must answer 503 with Retry-After and
 * the documented error shape — never a 500 — within a bound, although the SDK retries. DynamoDB
 * Local is then started again on the same data: nothing may have been half-written, and the API
 * must answer again without a restart.
 */

const BOUND_MS = 15_000;
const tag = `dd${Date.now().toString(36)}`;
const daysFromToday = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

let site: Site;
let runtime: RuntimeProcess;
let restarted: DynamoDbLocal | undefined;
const url = () => runtime.info.url;
const people: Record<string, Session> = {};
const fixture = { request: '', task: '', link: '', stuck: '', stuckToken: '' };
const ids = { server: `${tag}-srv`, changeTarget: `${tag}-cc-srv`, change: `${tag}-cc`, created: `${tag}-new`, imported: `${tag}-imp` };
const server = (id: string) => ({ id, name: { ja: `障害試験サーバ ${id}`, en: `Fault server ${id}` }, kind: 'other', hostname: id, os: 'Linux', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active' });
const answers: { route: string; status: number; ms: number }[] = [];

async function waitingAtSato(purpose: string) {
  const filed = await people.tanaka.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1(purpose) });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const id = filed.body.id as string;
  const task = await taskOf(people.sato, id);
  const [link] = await until(async () => ((await linkTokens(url(), 'sato@example.co.jp', id)).length ? linkTokens(url(), 'sato@example.co.jp', id) : undefined), 'the mail to 佐藤');
  return { id, task: task.id, link };
}

/** What the calls below could write, read directly from DynamoDB. */
async function snapshot() {
  const db = dynamoClient(runtime.info.dynamoEndpoint);
  const { records } = runtime.info.tables;
  const item = async (pk: string, sk: string) => (await db.send(new GetCommand({ TableName: records, Key: { pk, sk } }))).Item ?? null;
  const ledger = async (name: string, id: string) => ({ item: await item(`LEDGER#${name}`, `ITEM#${id}`), audit: await partition(db, runtime.info.tables.audit, `${name}#${id}`) });
  return {
    tanakaRequests: await partition(db, records, 'REQUESTER#u-tanaka', 'gsi1'),
    request: await partition(db, records, `REQUEST#${fixture.request}`),
    requestAudit: await auditOf(db, runtime.info.tables, fixture.request),
    stuck: await partition(db, records, `REQUEST#${fixture.stuck}`),
    link: await item(`LINK#${hashLinkToken(fixture.link)}`, 'LINK'),
    absence: await item('PERSON#u-sato', 'ABSENCE'),
    server: await ledger('servers', ids.server),
    change: await ledger('configuration-changes', ids.change),
    changeTarget: await ledger('servers', ids.changeTarget),
    created: await ledger('servers', ids.created),
    imported: await ledger('servers', ids.imported),
    importedPerson: await item(`PERSON#${tag}-imp-u`, 'PROFILE'),
  };
}

let before: Awaited<ReturnType<typeof snapshot>>;

/** A call each route would answer with success if DynamoDB were there. */
function callFor(key: string): { as: Session | null; method: string; path: string; body?: unknown; guessed?: boolean } {
  const { tanaka, sato, yamada } = people;
  const today = daysFromToday(0);
  const month = today.slice(0, 7);
  const lastMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
  const entryId = `E-${today.replaceAll('-', '')}-FAULT1`;
  const cabinet = { cabinet: '総務部 書庫A', purpose: '停止中の記録', openedAt: '09:00' };
  const table: Record<string, { as: Session | null; path: string; body?: unknown }> = {
    'GET /api/openapi.json': { as: null, path: '/api/openapi.json' },
    'GET /api/me': { as: tanaka, path: '/api/me' },
    'GET /api/me/absence': { as: sato, path: '/api/me/absence' },
    'PUT /api/me/absence': { as: sato, path: '/api/me/absence', body: { from: daysFromToday(40), to: daysFromToday(41), delegateId: 'u-ito' } },
    'DELETE /api/me/absence': { as: sato, path: '/api/me/absence' },
    'GET /api/forms': { as: tanaka, path: '/api/forms' },
    'GET /api/forms/{id}/context': { as: tanaka, path: '/api/forms/privileged-id-request/context' },
    'POST /api/forms/{id}/route-preview': { as: tanaka, path: '/api/forms/server-connection-request/route-preview', body: { data: validF1('経路の確認') } },
    'POST /api/requests': { as: tanaka, path: '/api/requests', body: { formId: 'server-connection-request', data: validF1(`停止中の申請 ${tag}`) } },
    'GET /api/requests': { as: tanaka, path: '/api/requests' },
    'GET /api/requests/{id}': { as: tanaka, path: `/api/requests/${fixture.request}` },
    'POST /api/requests/{id}/withdraw': { as: tanaka, path: `/api/requests/${fixture.request}/withdraw`, body: { comment: '停止中の引戻し' } },
    'POST /api/requests/{id}/resubmit': { as: tanaka, path: `/api/requests/${fixture.request}/resubmit`, body: { data: validF1('停止中の再申請') } },
    'GET /api/tasks': { as: sato, path: '/api/tasks' },
    'GET /api/tasks/{id}': { as: sato, path: `/api/tasks/${fixture.task}` },
    'POST /api/tasks/{id}/decision': { as: sato, path: `/api/tasks/${fixture.task}/decision`, body: { decision: 'approve' } },
    'POST /api/tasks/bulk-approval': { as: sato, path: '/api/tasks/bulk-approval', body: { taskIds: [fixture.task] } },
    'GET /api/circulations': { as: tanaka, path: '/api/circulations' },
    'POST /api/circulations/{requestId}/read': { as: tanaka, path: `/api/circulations/${fixture.request}/read` },
    'GET /api/links/{token}': { as: sato, path: `/api/links/${fixture.link}` },
    'POST /api/links/{token}/decision': { as: sato, path: `/api/links/${fixture.link}/decision`, body: { decision: 'approve' } },
    'GET /api/ledgers': { as: tanaka, path: '/api/ledgers' },
    'POST /api/configuration-changes/{id}/complete': { as: yamada, path: `/api/configuration-changes/${ids.change}/complete`, body: { note: '停止中' } },
    'GET /api/ledgers/{name}': { as: tanaka, path: '/api/ledgers/servers' },
    'POST /api/ledgers/{name}': { as: yamada, path: '/api/ledgers/servers', body: { item: server(ids.created) } },
    'POST /api/ledgers/{name}/import': { as: yamada, path: '/api/ledgers/servers/import', body: { csv: `${ledgerRegistry.get('servers')!.columns.map((c) => c.label.ja).join(',')}\r\n${ids.imported},取込,Imported,other,h,Linux,site-tokyo,br-east,u-yamada,active,,,,` } },
    'GET /api/ledgers/{name}/{id}': { as: tanaka, path: `/api/ledgers/servers/${ids.server}` },
    'PUT /api/ledgers/{name}/{id}': { as: yamada, path: `/api/ledgers/servers/${ids.server}`, body: { item: { ...server(ids.server), os: '停止中の編集' }, version: 1 } },
    // The newer routes: a month, logbook and site that exist, bodies their schemas accept; each needs DynamoDB first.
    'GET /api/logbooks/{logbook}/{siteId}/{month}': { as: tanaka, path: `/api/logbooks/L1/site-tokyo/${month}` },
    'POST /api/logbooks/{logbook}/{siteId}/{month}': { as: tanaka, path: `/api/logbooks/L1/site-tokyo/${month}`, body: { date: today, fields: cabinet } },
    'GET /api/logbooks/{logbook}/{siteId}/{month}/{entryId}': { as: tanaka, path: `/api/logbooks/L1/site-tokyo/${month}/${entryId}` },
    'PUT /api/logbooks/{logbook}/{siteId}/{month}/{entryId}': { as: tanaka, path: `/api/logbooks/L1/site-tokyo/${month}/${entryId}`, body: { version: 1, fields: { ...cabinet, lockedAt: '09:30' } } },
    'GET /api/reviews/{month}/{logbook}/{siteId}': { as: yamada, path: `/api/reviews/${lastMonth}/L1/site-tokyo` },
    'POST /api/reviews/{month}/{logbook}/{siteId}/complete': { as: yamada, path: `/api/reviews/${lastMonth}/L1/site-tokyo/complete`, body: { conclusion: 'no-anomaly' } },
    'POST /api/duties/{id}/complete': { as: yamada, path: `/api/duties/review.${lastMonth}.L1.site-tokyo/complete`, body: { version: 1 } },
    'GET /api/admin/organisation/{file}': { as: yamada, path: '/api/admin/organisation/people' },
    'POST /api/admin/organisation/import': {
      as: yamada,
      path: '/api/admin/organisation/import',
      body: { file: 'people', csv: ['社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割', `${tag}-imp-u,取込 試験,Imported Test,${tag}-imp@example.co.jp,site-tokyo,dep-it,`].join('\r\n'), validRowsOnly: true },
    },
    'POST /api/admin/people': { as: yamada, path: '/api/admin/people', body: { person: { id: `${tag}-u`, name: { ja: '障害 試験', en: 'Fault Test' }, email: `${tag}@example.co.jp`, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [] }, dryRun: true } },
    'PUT /api/admin/people/{id}': { as: yamada, path: '/api/admin/people/u-tanaka', body: { person: { id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' }, siteId: 'site-tokyo', departmentId: 'dep-sales', roles: [] }, version: 1, dryRun: true } },
    'POST /api/admin/places/{kind}': { as: yamada, path: '/api/admin/places/site', body: { place: { id: `site-${tag}`, name: { ja: '障害試験拠点', en: 'Fault site' }, branchId: 'br-east' } } },
    'PUT /api/admin/places/{kind}/{id}': { as: yamada, path: '/api/admin/places/site/site-tokyo', body: { place: { id: 'site-tokyo', name: { ja: '東京本社', en: 'Tokyo Head Office' }, branchId: 'br-east' }, version: 1 } },
  };
  const method = key.split(' ')[0];
  const known = table[key];
  if (known) return { method, ...known };
  // A route added since: its parameters from the fixtures, an empty body.
  const path = key.split(' ')[1].replace(/\{(\w+)\}/g, (_m, name: string) => ({ token: fixture.link, name: 'servers' })[name] ?? fixture.request);
  return { as: tanaka, method, path, body: method === 'GET' ? undefined : {}, guessed: true };
}

beforeAll(async () => {
  site = await newSite('dynamodb-down');
  runtime = await startRuntimeProcess(site, 420_000);
  for (const id of ['u-tanaka', 'u-sato', 'u-yamada', 'u-kobayashi']) {
    const signed = await signIn(url(), id);
    people[id.slice(2)] = session(url, id, signed.token);
  }
  const waiting = await waitingAtSato(`障害試験 ${tag}`);
  Object.assign(fixture, { request: waiting.id, task: waiting.task, link: waiting.link });
  const stuck = await waitingAtSato(`障害試験（ワークフロー） ${tag}`);
  fixture.stuck = stuck.id;
  const db = dynamoClient(runtime.info.dynamoEndpoint);
  fixture.stuckToken = await until(async () => {
    const item = (await db.send(new GetCommand({ TableName: runtime.info.tables.records, Key: { pk: `REQUEST#${stuck.id}`, sk: 'REQUEST' } }))).Item as { stages: { taskToken?: string }[] };
    return item.stages[0]?.taskToken;
  }, 'the stage\'s task token');
  for (const id of [ids.server, ids.changeTarget]) expect((await people.yamada.call('POST', '/api/ledgers/servers', { item: server(id) })).status).toBe(201);
  const change = {
    id: ids.change, target: 'server', targetId: ids.changeTarget, summary: '障害試験', newConfiguration: 'CPU 4コア', testPlan: '試験', fallback: '切り戻し',
    trainingNeeded: false, affectedDepartments: ['dep-it'], plannedOn: daysFromToday(7), status: 'approved', approvedAt: new Date().toISOString(), siteId: 'site-tokyo', branchId: 'br-east',
  };
  expect((await people.yamada.call('POST', '/api/ledgers/configuration-changes', { item: change })).status).toBe(201);
  // At rest: both requests' tasks are marked notified.
  await until(async () => {
    const items = [...(await partition(db, runtime.info.tables.records, `REQUEST#${fixture.request}`)), ...(await partition(db, runtime.info.tables.records, `REQUEST#${fixture.stuck}`))];
    return items.filter((item) => item.entity === 'task').every((task) => task.notifiedAt);
  }, 'the workflows to rest');
  before = await snapshot();

  // DynamoDB Local goes away: SIGKILL of the java process the runtime started on its port.
  const pid = dynamoPid(runtime.child.pid!, site.dynamoPort);
  process.kill(pid, 'SIGKILL');
  await until(async () => !(await listening(site.dynamoPort)), 'DynamoDB Local to stop listening', 15_000);
  // A function process uses its last read of the directory's version for up to a second
  // (functions/adapters/cached-directory.ts); past that, every route needs DynamoDB.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
}, 240_000);

afterAll(async () => {
  await restarted?.stop().catch(() => undefined);
  await stopAll();
  if (answers.length) console.log(`[faults] DynamoDB down: ${answers.length} routes; ${JSON.stringify(answers)}`);
  site?.dispose();
});

function expectUnavailable(answer: Answer, where: string) {
  const detail = `${where} → ${answer.status} in ${answer.ms} ms ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  expect(answer.status, detail).toBe(503);
  expect(answer.headers.get('retry-after'), detail).toMatch(/^\d+$/);
  expect(answer.body, detail).toEqual({
    error: { code: 'unavailable', message: answer.body.error.messages.ja, messages: { ja: expect.any(String), en: expect.any(String) } },
  });
  expect(answer.ms, detail).toBeLessThan(BOUND_MS);
}

describe('DynamoDB Local killed under a running runtime', () => {
  for (const spec of routes) {
    const key = `${spec.method} ${spec.path}`;
    it(`${key} answers ${spec.public ? '200 (no DynamoDB needed)' : `503 with Retry-After within ${BOUND_MS / 1000} s, never 500`}`, async () => {
      const call = callFor(key);
      const answer = call.as ? await call.as.call(call.method, call.path, call.body, BOUND_MS * 2) : await request(url(), null, call.method, call.path, call.body, BOUND_MS * 2);
      answers.push({ route: key, status: answer.status, ms: answer.ms });
      if (spec.public) expect(answer.status).toBe(200);
      // A route without a call in the table gets an empty body, which its schema may refuse before
      // anything is read: that 400 is right too (nothing needed DynamoDB). Add the route to the table.
      else if (call.guessed && answer.status === 400) {
        expect(answer.body.error.code, `${key}: add a valid call for it to callFor`).toBe('validation_failed');
        console.log(`[faults] ${key}: no call in the table; its empty body was refused (400) before any read`);
      } else expectUnavailable(answer, key);
    });
  }

  it('a workflow step that meets the outage is retried (Service.Unavailable), and its execution keeps running', async () => {
    // Stands for a decision recorded just before the outage: its SendTaskSuccess wakes the execution, whose Advance then meets no DynamoDB.
    const sfn = new SFNClient({ endpoint: runtime.info.sfnEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: fixture.stuckToken, output: JSON.stringify({ requestId: fixture.stuck, round: 1, stage: 0 }) }));
    const stateMachineArn = 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:approval';
    const execution = await until(async () => {
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      return (executions ?? []).find((e) => e.name?.startsWith(fixture.stuck));
    }, 'the woken execution', 30_000);
    // Two failed attempts of Advance, each named Service.Unavailable (what the ASL retries), and no end.
    const failures = await until(async () => {
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }));
      const failed = (events ?? []).filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error);
      return failed.length >= 2 ? failed : undefined;
    }, 'two attempts of the step to fail', 60_000);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    console.log(`[faults] the execution woken during the outage: ${described.status}, failed attempts ${JSON.stringify(failures)}`);
    expect(failures.every((error) => error === 'Service.Unavailable')).toBe(true);
    expect(described.status).toBe('RUNNING');
    sfn.destroy();
  });

  it('after DynamoDB Local restarts on the same data: nothing was half-written, every audit chain verifies', async () => {
    restarted = await startDynamoDbLocal({ port: site.dynamoPort, dataDir: join(site.dataDir, 'dynamodb') });
    // The request whose workflow step was being retried may move on now (that is the point of the retry): compared apart.
    const { stuck, ...after } = await snapshot();
    const { stuck: stuckBefore, ...rest } = before;
    const others = (items: Record<string, unknown>[]) => items.filter((item) => item.id !== fixture.stuck);
    expect({ ...after, tanakaRequests: others(after.tanakaRequests) }).toEqual({ ...rest, tanakaRequests: others(rest.tanakaRequests) });
    expect(stuck.filter((item) => item.entity === 'task').map((task) => task.status)).toEqual(stuckBefore.filter((item) => item.entity === 'task').map((task) => task.status));
    const broken = (await verifyAuditLog(dynamoClient(runtime.info.dynamoEndpoint), runtime.info.tables)).filter((report) => report.broken);
    expect(broken).toEqual([]);
  });

  it('the API answers again without a restart, and the approval that waited continues', async () => {
    const decided = await until(async () => {
      const answer = await people.sato.call('POST', `/api/links/${fixture.link}/decision`, { decision: 'approve', comment: '復旧後に承認' });
      return answer.status === 503 ? undefined : answer;
    }, 'the API to answer again', 30_000);
    expect(decided.status).toBe(200);
    const next = await taskOf(people.kobayashi, fixture.request, 30_000);
    expect(next.stage).toBe(1);
    const filed = await people.tanaka.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1(`復旧後の申請 ${tag}`) });
    expect(filed.status).toBe(201);
    const decidedEvents = (await auditOf(dynamoClient(runtime.info.dynamoEndpoint), runtime.info.tables, fixture.request)).filter((e) => e.action === 'decided');
    expect(decidedEvents).toHaveLength(1);
  });

  // D6: the execution once failed at its first attempt during the outage; it now retries Service.Unavailable.
  it('D6 a request whose workflow step met the outage continues once DynamoDB is back, without a restart', async () => {
    const task = await taskOf(people.sato, fixture.stuck);
    expect((await people.sato.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve', comment: '復旧後に承認' })).status).toBe(200);
    await taskOf(people.kobayashi, fixture.stuck, 20_000);
  });

  it('that request continues once the runtime restarts on the same data (the workflow is started again at start-up)', async () => {
    await restarted?.stop();
    restarted = undefined;
    await runtime.stop();
    runtime = await startRuntimeProcess(site, 240_000);
    expect(runtime.info.resumed).toBeGreaterThanOrEqual(1);
    const next = await taskOf(people.kobayashi, fixture.stuck, 30_000);
    expect(next.stage).toBe(1);
    const decidedEvents = (await auditOf(dynamoClient(runtime.info.dynamoEndpoint), runtime.info.tables, fixture.stuck)).filter((e) => e.action === 'decided');
    expect(decidedEvents).toHaveLength(1);
  });
});
