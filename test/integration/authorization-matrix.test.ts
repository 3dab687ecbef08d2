import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLinkToken } from '../../functions/domain/link-token';
import type { RoleId } from '../../functions/domain/roles';
import { roleIds } from '../../functions/domain/roles';
import type { DutyDraft } from '../../functions/domain/duties';
import { openDuty } from '../../functions/domain/duties';
import { dutyStorage } from '../../functions/adapters/dynamo-duties';
import { auditRecord } from '../../functions/adapters/dynamo-ledger-ops';
import { routes } from '../../functions/http/routes';
import { ledgerRegistry } from '../../functions/ledgers/registry';
import { demoPeople } from '../../infra/local/seed-data';
import type { Session } from './support';
import { eventually, fileF1, linkTokenFor, recordsUnder, requestStatus, runtime, signIn, taskFor } from './support';

/**
 * Every route × every role: one demo user per role (infra/local/seed-data.ts), the requester of the
 * fixture requests, no token, and four forged tokens. The expected status of each cell is written
 * below as a table (`expected`); the cells are generated from routes.ts, so a route without a row
 * fails the first test. Every refused cell (and every GET) must leave the records it touches
 * exactly as they were, read directly from DynamoDB.
 */

const tag = `mx${Date.now().toString(36)}`;
const REQUESTER = 'u-tanaka';
const daysFromToday = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

// ---------------------------------------------------------------------------------------------
// Who calls

interface Principal {
  key: string;
  userId: string | null;
  roles: RoleId[];
  /** The bearer token sent; null for none. */
  token: string | null;
  /** For forged tokens: the user the token claims to be. */
  claims?: string;
}

/** One demo user per role: the first holder; for `employee`, the first person holding no other role (not the requester). */
function holderOf(role: RoleId) {
  const person = demoPeople.find((p) => p.id !== REQUESTER && (role === 'employee' ? p.roles.every((r) => r.role === 'employee') : p.roles.some((r) => r.role === role)));
  if (!person) throw new Error(`No demo user holds ${role}`);
  return person;
}

const principals: Principal[] = [];
const sessions = new Map<string, Session>();

async function forgedTokens(): Promise<Principal[]> {
  const claims = { username: 'u-yamada', client_id: 'local-web', token_use: 'access', scope: 'openid email profile' };
  const issuer = `${new URL(runtime.url).origin.replace('127.0.0.1', 'localhost')}/_local`;
  const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u-yamada').setIssuer(issuer).setIssuedAt().setExpirationTime('1h').sign(randomBytes(32));
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const real = sessions.get(REQUESTER)!.token.split('.');
  const payload = JSON.parse(Buffer.from(real[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  const tampered = [real[0], b64({ ...payload, username: 'u-yamada', sub: 'u-yamada' }), real[2]].join('.');
  const none = [b64({ alg: 'none', typ: 'JWT' }), b64({ ...payload, username: 'u-yamada', sub: 'u-yamada' }), ''].join('.');
  return [
    { key: 'forged:other-key', userId: null, roles: [], token: otherKey, claims: 'u-yamada' },
    { key: 'forged:tampered-claims', userId: null, roles: [], token: tampered, claims: 'u-yamada' },
    { key: 'forged:alg-none', userId: null, roles: [], token: none, claims: 'u-yamada' },
    { key: 'forged:garbage', userId: null, roles: [], token: 'forged.token.here', claims: 'u-yamada' },
  ];
}

const has = (p: Principal, role: RoleId) => p.roles.includes(role);

// ---------------------------------------------------------------------------------------------
// Fixtures: requests of 田中 (東京本社) waiting at 佐藤 (拠点管理者), ledger items of their own

interface Fixture {
  id: string;
  taskId: string;
  link: string;
  approvers: string[];
}

async function waitingRequest(note: string): Promise<Fixture> {
  const tanaka = sessions.get(REQUESTER)!;
  const sato = sessions.get('u-sato')!;
  const filed = (await fileF1(tanaka, { purpose: `権限表の試験 ${tag} ${note}` })) as unknown as { id: string; stages: { approvers: { id: string }[] }[] };
  const task = await taskFor(sato, filed.id);
  const link = await linkTokenFor('sato@example.co.jp', filed.id);
  // At rest once the task is marked notified (the last thing the workflow writes before it waits).
  await eventually(async () => (await recordsUnder(null, `REQUEST#${filed.id}`)).some((item) => item.entity === 'task' && item.notifiedAt), `${filed.id} to wait for 佐藤`);
  return { id: filed.id, taskId: task.id, link, approvers: filed.stages.flatMap((s) => s.approvers.map((a) => a.id)) };
}

const fixtures: Record<'read' | 'withdraw' | 'resubmit' | 'decide' | 'link' | 'bulk', Fixture> = {} as never;
const ids = {
  putTarget: `${tag}-put`,
  changeTarget: `${tag}-cc-srv`,
  change: `${tag}-cc`,
};
const server = (id: string) => ({ id, name: { ja: `権限表サーバ ${id}`, en: `Matrix server ${id}` }, kind: 'other', hostname: id, os: 'Linux', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active' });
const serversHeader = () => ledgerRegistry.get('servers')!.columns.map((c) => c.label.ja).join(',');

// ---------------------------------------------------------------------------------------------
// What must not change

type Watch = { partition: string } | { gsi1: string } | { key: { pk: string; sk: string } } | { audit: string };

async function read(watch: Watch) {
  if ('key' in watch) return (await db.send(new GetCommand({ TableName: runtime.tables.records, Key: watch.key }))).Item ?? null;
  if ('audit' in watch) {
    const result = await db.send(new QueryCommand({ TableName: runtime.tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': watch.audit } }));
    return result.Items ?? [];
  }
  if ('gsi1' in watch) return (await recordsUnder('gsi1', watch.gsi1)).map((item) => `${String(item.pk)}|${String(item.sk)}`).sort();
  return recordsUnder(null, watch.partition);
}

const stateOf = (watches: Watch[]) => Promise.all(watches.map(read));

const requestWatch = (fixture: Fixture): Watch[] => [
  { partition: `REQUEST#${fixture.id}` },
  { audit: `request#${fixture.id}` },
  { key: { pk: `LINK#${hashLinkToken(fixture.link)}`, sk: 'LINK' } },
];
const ledgerWatch = (ledger: string, id: string): Watch[] => [{ key: { pk: `LEDGER#${ledger}`, sk: `ITEM#${id}` } }, { audit: `${ledger}#${id}` }];

// ---------------------------------------------------------------------------------------------
// The expected table: what each signed-in principal gets. No token or a forged one gets 401 on
// every route but the public one, before any function runs.

interface Cell {
  path: string;
  body?: unknown;
  /** Records this call must not change when refused (GETs: never). */
  watch: Watch[];
  /** The status a signed-in principal gets. */
  expect: number;
  /** For 200 answers that carry per-item results (一括承認): the status of the one item. */
  itemStatus?: number;
  /** Clean-up after a successful call. */
  after?: (answer: Answer) => Promise<void>;
}

type Plan = (p: Principal) => Cell | Promise<Cell>;

const isReaderOfRequest = (p: Principal, fixture: Fixture) => p.userId === REQUESTER || fixture.approvers.includes(p.userId ?? '') || has(p, 'itInfra');
const isApproverOfTask = (p: Principal) => p.userId === 'u-sato';

const expected: Record<string, Plan> = {
  'GET /api/duties': () => ({ path: '/api/duties', watch: [], expect: 200 }),
  'GET /api/duties/{id}': async (p) => {
    const id = await dutyFixture();
    return { path: `/api/duties/${id}`, watch: [{ key: { pk: `DUTY#${id}`, sk: 'DUTY' } }, { audit: `duty#${id}` }], expect: seesTanakasDuty(p) ? 200 : 404 };
  },
  // A confirmation against a version the duty never had: 409 for whoever sees it, 404 for the rest; it stays open.
  'POST /api/duties/{id}/complete': async (p) => {
    const id = await dutyFixture();
    return { path: `/api/duties/${id}/complete`, body: { version: 99 }, watch: [{ key: { pk: `DUTY#${id}`, sk: 'DUTY' } }, { audit: `duty#${id}` }], expect: seesTanakasDuty(p) ? 409 : 404 };
  },
  'GET /api/openapi.json': () => ({ path: '/api/openapi.json', watch: [], expect: 200 }),
  'GET /api/me': () => ({ path: '/api/me', watch: [], expect: 200 }),
  'GET /api/me/absence': () => ({ path: '/api/me/absence', watch: [], expect: 200 }),
  // Anyone may set their own absence; a future one changes no routing today. Cleared by the DELETE row.
  'PUT /api/me/absence': (p) => ({
    path: '/api/me/absence',
    body: { from: daysFromToday(40), to: daysFromToday(41), delegateId: p.userId === 'u-ito' ? 'u-yamada' : 'u-ito' },
    watch: [{ key: { pk: `PERSON#${p.claims ?? p.userId}`, sk: 'ABSENCE' } }],
    expect: 200,
  }),
  // Anyone may clear their own absence (set here first, so that this row does not depend on the PUT row).
  'DELETE /api/me/absence': async (p) => {
    if (p.userId) expect((await call(p, 'PUT', '/api/me/absence', { from: daysFromToday(40), to: daysFromToday(41), delegateId: p.userId === 'u-ito' ? 'u-yamada' : 'u-ito' })).status).toBe(200);
    return { path: '/api/me/absence', watch: [{ key: { pk: `PERSON#${p.claims ?? p.userId}`, sk: 'ABSENCE' } }], expect: 200 };
  },
  'GET /api/forms': () => ({ path: '/api/forms', watch: [], expect: 200 }),
  'GET /api/forms/{id}/context': () => ({ path: '/api/forms/privileged-id-request/context', watch: [], expect: 200 }),
  'POST /api/forms/{id}/route-preview': (p) => ({
    path: '/api/forms/server-connection-request/route-preview',
    body: { data: { serverId: 'srv-core-db' } },
    watch: [{ gsi1: `REQUESTER#${p.claims ?? p.userId}` }],
    expect: 200,
  }),
  // Anyone signed in may file; the request is withdrawn at once.
  'POST /api/requests': (p) => ({
    path: '/api/requests',
    body: { formId: 'server-connection-request', data: { serverId: 'srv-dev-db', protocol: 'ssh', purpose: `権限表の試験 ${tag}`, startDate: '2026-12-01', endDate: '2026-12-31' } },
    watch: [{ gsi1: `REQUESTER#${p.claims ?? p.userId}` }],
    expect: 201,
    after: async (answer) => {
      const withdrawn = await sessions.get(p.userId!)!.call('POST', `/api/requests/${answer.body.id}/withdraw`, { comment: '権限表の試験の後片付け' });
      expect(withdrawn.status).toBe(200);
    },
  }),
  'GET /api/requests': (p) => ({ path: '/api/requests?scope=mine', watch: [{ gsi1: `REQUESTER#${p.claims ?? p.userId}` }], expect: 200 }),
  // Reading a request: its requester, its approvers, IT infrastructure.
  'GET /api/requests/{id}': (p) => ({ path: `/api/requests/${fixtures.read.id}`, watch: requestWatch(fixtures.read), expect: isReaderOfRequest(p, fixtures.read) ? 200 : 403 }),
  'POST /api/requests/{id}/withdraw': (p) => ({ path: `/api/requests/${fixtures.withdraw.id}/withdraw`, body: {}, watch: requestWatch(fixtures.withdraw), expect: p.userId === REQUESTER ? 200 : 403 }),
  'POST /api/requests/{id}/resubmit': (p) => ({
    path: `/api/requests/${fixtures.resubmit.id}/resubmit`,
    body: { data: { serverId: 'srv-core-db', protocol: 'odbc', purpose: `権限表の試験（再申請） ${tag}`, startDate: '2026-12-01', endDate: '2027-03-31' } },
    watch: requestWatch(fixtures.resubmit),
    expect: p.userId === REQUESTER ? 200 : 403,
    // The new round's workflow starts from the stream after the answer: wait until it rests on 佐藤.
    after: async () => {
      await eventually(
        async () => (await recordsUnder(null, `REQUEST#${fixtures.resubmit.id}`)).some((item) => item.entity === 'task' && item.round === 2 && item.notifiedAt),
        `${fixtures.resubmit.id} to wait for 佐藤 again`,
      );
    },
  }),
  'GET /api/tasks': (p) => ({ path: '/api/tasks', watch: [{ gsi1: `INBOX#${p.claims ?? p.userId}` }], expect: 200 }),
  // A task: only its approver, never the requester.
  'GET /api/tasks/{id}': (p) => ({ path: `/api/tasks/${fixtures.read.taskId}`, watch: requestWatch(fixtures.read), expect: isApproverOfTask(p) ? 200 : 403 }),
  'POST /api/tasks/{id}/decision': (p) => ({
    path: `/api/tasks/${fixtures.decide.taskId}/decision`,
    body: { decision: 'approve', comment: `権限表 ${p.key}` },
    watch: requestWatch(fixtures.decide),
    expect: isApproverOfTask(p) ? 200 : 403,
  }),
  // 一括承認 answers 200 with a result per task: approved for its approver, 403 for anyone else.
  'POST /api/tasks/bulk-approval': (p) => ({
    path: '/api/tasks/bulk-approval',
    body: { taskIds: [fixtures.bulk.taskId], comment: `権限表 ${p.key}` },
    watch: requestWatch(fixtures.bulk),
    expect: 200,
    itemStatus: isApproverOfTask(p) ? 200 : 403,
  }),
  'GET /api/circulations': () => ({ path: '/api/circulations', watch: [], expect: 200 }),
  // Nobody received a circulation of this F1 request (F1 circulates to no one): 404 for all.
  'POST /api/circulations/{requestId}/read': () => ({ path: `/api/circulations/${fixtures.read.id}/read`, watch: requestWatch(fixtures.read), expect: 404 }),
  'GET /api/links/{token}': (p) => ({ path: `/api/links/${fixtures.read.link}`, watch: requestWatch(fixtures.read), expect: isApproverOfTask(p) ? 200 : 403 }),
  'POST /api/links/{token}/decision': (p) => ({
    path: `/api/links/${fixtures.link.link}/decision`,
    body: { decision: 'approve', comment: `権限表 ${p.key}` },
    watch: requestWatch(fixtures.link),
    expect: isApproverOfTask(p) ? 200 : 403,
  }),
  'GET /api/ledgers': () => ({ path: '/api/ledgers', watch: [], expect: 200 }),
  'GET /api/ledgers/{name}': () => ({ path: '/api/ledgers/servers?limit=5', watch: [], expect: 200 }),
  'GET /api/ledgers/{name}/{id}': () => ({ path: `/api/ledgers/servers/${ids.putTarget}`, watch: ledgerWatch('servers', ids.putTarget), expect: 200 }),
  // Ledger writes and imports: IT infrastructure only.
  'POST /api/configuration-changes/{id}/complete': (p) => ({
    path: `/api/configuration-changes/${ids.change}/complete`,
    body: { note: `権限表 ${p.key}` },
    watch: [...ledgerWatch('configuration-changes', ids.change), ...ledgerWatch('servers', ids.changeTarget)],
    expect: has(p, 'itInfra') ? 200 : 403,
  }),
  'POST /api/ledgers/{name}': (p) => {
    const id = `${tag}-new-${p.key.replace(/[^a-z0-9-]/gi, '-')}`;
    return { path: '/api/ledgers/servers', body: { item: server(id), reason: '権限表の試験' }, watch: ledgerWatch('servers', id), expect: has(p, 'itInfra') ? 201 : 403 };
  },
  'POST /api/ledgers/{name}/import': (p) => {
    const id = `${tag}-imp-${p.key.replace(/[^a-z0-9-]/gi, '-')}`;
    return {
      path: '/api/ledgers/servers/import',
      body: { csv: `${serversHeader()}\r\n${id},取込サーバ,Imported,other,${id},Linux,site-tokyo,br-east,u-yamada,active,,,,` },
      watch: ledgerWatch('servers', id),
      expect: has(p, 'itInfra') ? 200 : 403,
    };
  },
  'PUT /api/ledgers/{name}/{id}': async (p) => {
    const version = (await sessions.get('u-yamada')!.call('GET', `/api/ledgers/servers/${ids.putTarget}`)).body.version as number;
    return {
      path: `/api/ledgers/servers/${ids.putTarget}`,
      body: { item: { ...server(ids.putTarget), os: `edited by ${p.key}` }, version, reason: '権限表の試験' },
      watch: ledgerWatch('servers', ids.putTarget),
      expect: has(p, 'itInfra') ? 200 : 403,
    };
  },
  // Cases (C1, C2): anyone reports an incident or records their own checkout; IT infrastructure records the
  // phases of an incident; 総務 records a return. An incident is read by its reporter, IT infrastructure and
  // those its notices reached (a server incident's report: the system administrator); a checkout by its
  // borrower, 総務 and IT infrastructure.
  'GET /api/cases': () => ({ path: '/api/cases', watch: [], expect: 200 }),
  'POST /api/cases/incidents': (p) => ({
    path: '/api/cases/incidents',
    body: caseIncidentBody(`権限表 ${p.key}`),
    watch: [{ gsi1: `CASES#incident#person#${p.claims ?? p.userId}` }],
    expect: 201,
  }),
  'GET /api/cases/incidents': (p) => ({ path: '/api/cases/incidents?scope=mine', watch: [{ gsi1: `CASES#incident#person#${p.claims ?? p.userId}` }], expect: 200 }),
  'GET /api/cases/incidents/{id}': async (p) => {
    const { read } = await caseFixtures();
    return { path: `/api/cases/incidents/${read}`, watch: caseWatch('incident', read), expect: p.userId === REQUESTER || has(p, 'itInfra') || has(p, 'sysAdmin') ? 200 : 403 };
  },
  'POST /api/cases/incidents/{id}/phases': async (p) => {
    const { phase } = await caseFixtures();
    return { path: `/api/cases/incidents/${phase}/phases`, body: { phase: 'notified', version: 1 }, watch: caseWatch('incident', phase), expect: has(p, 'itInfra') ? 200 : 403 };
  },
  'POST /api/cases/media-checkouts': (p) => ({
    path: '/api/cases/media-checkouts',
    body: { mediaKind: 'usb', name: `USB ${tag} ${p.key}`, purpose: '権限表の試験', destination: '本社', expectedReturnOn: daysFromToday(3) },
    watch: [{ gsi1: `CASES#media-checkout#person#${p.claims ?? p.userId}` }],
    expect: 201,
  }),
  'GET /api/cases/media-checkouts': (p) => ({ path: '/api/cases/media-checkouts?scope=mine', watch: [{ gsi1: `CASES#media-checkout#person#${p.claims ?? p.userId}` }], expect: 200 }),
  'GET /api/cases/media-checkouts/{id}': async (p) => {
    const { checkout } = await caseFixtures();
    return { path: `/api/cases/media-checkouts/${checkout}`, watch: caseWatch('media-checkout', checkout), expect: p.userId === REQUESTER || has(p, 'generalAffairs') || has(p, 'itInfra') ? 200 : 403 };
  },
  'POST /api/cases/media-checkouts/{id}/return': async (p) => {
    const { returning } = await caseFixtures();
    return {
      path: `/api/cases/media-checkouts/${returning}/return`,
      body: { version: 1 },
      watch: [...caseWatch('media-checkout', returning), { key: { pk: `DUTY#media-return.${returning}`, sk: 'DUTY' } }],
      expect: has(p, 'generalAffairs') ? 200 : 403,
    };
  },
  // Organisation administration: IT infrastructure only (reads too: the directory holds e-mail addresses and roles).
  'GET /api/admin/organisation': (p) => ({ path: '/api/admin/organisation', watch: [], expect: has(p, 'itInfra') ? 200 : 403 }),
  // A file that does not exist, so that every answer is JSON (the CSV itself is read in organisation-admin.test.ts).
  'GET /api/admin/organisation/{file}': (p) => ({ path: '/api/admin/organisation/unknown.csv', watch: [], expect: has(p, 'itInfra') ? 404 : 403 }),
  'GET /api/admin/people/{id}': (p) => ({ path: '/api/admin/people/u-sato', watch: personWatch('u-sato'), expect: has(p, 'itInfra') ? 200 : 403 }),
  'POST /api/admin/organisation/import': (p) => {
    const id = `${tag}-dimp-${slug(p)}`;
    return {
      path: '/api/admin/organisation/import',
      body: { file: 'places', csv: `種別,ID,名称,名称（英語）,支社ID\r\ndepartment,${id},権限表 取込,Matrix import,` },
      watch: placeWatch('department', id),
      expect: has(p, 'itInfra') ? 200 : 403,
    };
  },
  'POST /api/admin/people': (p) => {
    const id = `u-${tag}-${slug(p)}`;
    return { path: '/api/admin/people', body: { person: matrixPerson(id) }, watch: personWatch(id), expect: has(p, 'itInfra') ? 201 : 403 };
  },
  'PUT /api/admin/people/{id}': async (p) => {
    const version = await organisationTargetVersion('person');
    return {
      path: `/api/admin/people/${organisationIds.person}`,
      body: { person: { ...matrixPerson(organisationIds.person), name: { ja: '権限表 利用者', en: `edited by ${p.key}` } }, version },
      watch: personWatch(organisationIds.person),
      expect: has(p, 'itInfra') ? 200 : 403,
    };
  },
  'POST /api/admin/places/{kind}': (p) => {
    const id = `${tag}-dnew-${slug(p)}`;
    return { path: '/api/admin/places/department', body: { place: { id, name: { ja: '権限表 部署', en: 'Matrix department' } } }, watch: placeWatch('department', id), expect: has(p, 'itInfra') ? 201 : 403 };
  },
  'PUT /api/admin/places/{kind}/{id}': async (p) => {
    const version = await organisationTargetVersion('place');
    return {
      path: `/api/admin/places/department/${organisationIds.place}`,
      body: { place: { id: organisationIds.place, name: { ja: '権限表 部署', en: `edited by ${p.key}` } }, version },
      watch: placeWatch('department', organisationIds.place),
      expect: has(p, 'itInfra') ? 200 : 403,
    };
  },
  // Logbooks (L1 of 東京本社): its people record and read it, and so do IT infrastructure and the security
  // manager for every site; only the recorder or the security manager corrects an entry.
  'GET /api/logbooks': () => ({ path: '/api/logbooks', watch: [], expect: 200 }),
  'GET /api/logbooks/{logbook}/{siteId}/{month}': (p) => ({ path: `/api/logbooks/L1/site-tokyo/${logbookMonth}`, watch: [{ partition: logbookPartition }], expect: keepsTokyoLogbooks(p) ? 200 : 403 }),
  'POST /api/logbooks/{logbook}/{siteId}/{month}': (p) => ({
    path: `/api/logbooks/L1/site-tokyo/${logbookMonth}`,
    body: { date: daysFromToday(0), fields: { cabinet: `権限表 ${p.key}`, purpose: '権限表の試験', openedAt: '09:00', lockedAt: '09:05' } },
    watch: [{ partition: logbookPartition }],
    expect: keepsTokyoLogbooks(p) ? 201 : 403,
  }),
  'GET /api/logbooks/{logbook}/{siteId}/{month}/{entryId}': async (p) => {
    const entry = await logbookFixture();
    return { path: `/api/logbooks/L1/site-tokyo/${logbookMonth}/${entry.id}`, watch: logbookWatch(entry.id), expect: keepsTokyoLogbooks(p) ? 200 : 403 };
  },
  'PUT /api/logbooks/{logbook}/{siteId}/{month}/{entryId}': async (p) => {
    const entry = await logbookFixture();
    const current = (await sessions.get(REQUESTER)!.call('GET', `/api/logbooks/L1/site-tokyo/${logbookMonth}/${entry.id}`)).body.entry;
    return {
      path: `/api/logbooks/L1/site-tokyo/${logbookMonth}/${entry.id}`,
      body: { version: current.version, fields: { ...current.fields, purpose: `訂正 ${p.key}` }, reason: '権限表の試験' },
      watch: logbookWatch(entry.id),
      expect: p.userId === REQUESTER || has(p, 'securityManager') ? 200 : 403,
    };
  },
  // Monthly reviews (L1 of 東京本社, a month opened for this run): the month view for the security
  // manager, the system administrator and IT infrastructure; a review also for its reviewer; only the
  // reviewer (山口, 安全管理責任者) completes it.
  'GET /api/reviews': (p) => ({ path: `/api/reviews?month=${reviewMonth}`, watch: [], expect: seesReviewMonth(p) ? 200 : 403 }),
  'GET /api/reviews.csv': (p) => ({ path: `/api/reviews.csv?month=${reviewMonth}`, watch: [], expect: seesReviewMonth(p) ? 200 : 403 }),
  'GET /api/reviews/{month}/{logbook}/{siteId}': async (p) => {
    await reviewFixture();
    return { path: `/api/reviews/${reviewMonth}/L1/site-tokyo`, watch: reviewWatch, expect: seesReviewMonth(p) || p.userId === 'u-yamaguchi' ? 200 : 403 };
  },
  'POST /api/reviews/{month}/{logbook}/{siteId}/complete': async (p) => {
    await reviewFixture();
    return { path: `/api/reviews/${reviewMonth}/L1/site-tokyo/complete`, body: { conclusion: 'no-anomaly' }, watch: reviewWatch, expect: has(p, 'securityManager') ? 200 : 403 };
  },
};

// The review rows: a month long over that no other test keeps logbooks for, opened on first use.
const reviewMonth = '2026-03';
const seesReviewMonth = (p: Principal) => has(p, 'securityManager') || has(p, 'sysAdmin') || has(p, 'itInfra');
const reviewWatch: Watch[] = [
  { key: { pk: `REVIEW#${reviewMonth}`, sk: 'L1#site-tokyo' } },
  { audit: `review#${reviewMonth}.L1.site-tokyo` },
  { key: { pk: `DUTY#review.${reviewMonth}.L1.site-tokyo`, sk: 'DUTY' } },
];
let reviewOpened: Promise<void> | null = null;
function reviewFixture(): Promise<void> {
  reviewOpened ??= fetch(`${runtime.url}/_local/schedules/monthly-review`, { method: 'POST', body: JSON.stringify({ month: reviewMonth }) }).then(async (response) => {
    expect(response.status, await response.text()).toBe(200);
    // At rest once the workflow waits on it (AwaitReview stores its token on the review).
    await eventually(async () => (await recordsUnder(null, `REVIEW#${reviewMonth}`)).every((item) => item.taskToken), 'the reviews to be awaited');
  });
  return reviewOpened;
}

// The logbook rows: L1 of 東京本社 this month, and an entry of 田中 made for this run on first use.
const logbookMonth = daysFromToday(0).slice(0, 7);
const logbookPartition = `LOGBOOK#L1#site-tokyo#${logbookMonth}`;
const keepsTokyoLogbooks = (p: Principal) => demoPeople.find((person) => person.id === p.userId)?.siteId === 'site-tokyo' || has(p, 'itInfra') || has(p, 'securityManager');
const logbookWatch = (id: string): Watch[] => [
  { key: { pk: logbookPartition, sk: `ENTRY#${daysFromToday(0)}#${id}` } },
  { audit: `logbook-entry#L1.site-tokyo.${logbookMonth}.${id}` },
];
let logbookEntry: Promise<{ id: string }> | null = null;
function logbookFixture(): Promise<{ id: string }> {
  logbookEntry ??= sessions
    .get(REQUESTER)!
    .call('POST', `/api/logbooks/L1/site-tokyo/${logbookMonth}`, { date: daysFromToday(0), fields: { cabinet: `権限表 ${tag}`, purpose: '権限表の試験', openedAt: '08:30' } })
    .then((answer) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.entry as { id: string };
    });
  return logbookEntry;
}

// The duty rows read and try to confirm a password duty of 田中, opened directly in the table for this run.
let dutyCreated: Promise<string> | undefined;
function dutyFixture(): Promise<string> {
  dutyCreated ??= (async () => {
    const id = `password.${tag}.2027-05-20`;
    const draft: DutyDraft = {
      id,
      kind: 'password-change',
      title: { ja: `パスワード変更 ${tag}`, en: `Password change ${tag}` },
      articles: ['A17-2'],
      assignees: [{ id: REQUESTER, name: { ja: '田中 太郎', en: 'Taro Tanaka' } }],
      role: 'sysAdmin',
      scopeId: '*',
      dueOn: '2027-05-20',
      path: `#/duties/${id}`,
      subject: {},
    };
    const change = openDuty(draft, new Date().toISOString(), null);
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: runtime.tables.records, Item: dutyStorage(change.next), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...change.events.map((event) => ({ Put: { TableName: runtime.tables.audit, Item: auditRecord(event) } })),
        ],
      }),
    );
    return id;
  })();
  return dutyCreated;
}
/** Who sees a duty of 田中's: 田中, the holders of its role, and the roles that oversee duties. */
const seesTanakasDuty = (p: Principal) => p.userId === REQUESTER || ['sysAdmin', 'securityManager', 'itInfra', 'generalAffairs'].some((role) => has(p, role as RoleId));

// The case rows read and change cases of 田中 made for this run, created on first use.
const caseIncidentBody = (title: string) => ({
  kind: 'server',
  title,
  description: '権限表の試験',
  siteId: 'site-tokyo',
  systems: [{ ledger: 'servers', id: 'srv-dev-db' }],
  affectedDepartments: ['dep-accounting'],
  startedAt: new Date(Date.now() - 3600_000).toISOString(),
  personalInfoRisk: false,
});
const caseWatch = (kind: string, id: string): Watch[] => [{ key: { pk: `CASE#${id}`, sk: 'CASE' } }, { audit: `${kind}#${id}` }];
let caseTargets: Promise<{ read: string; phase: string; checkout: string; returning: string }> | null = null;

function caseFixtures() {
  const tanaka = sessions.get(REQUESTER)!;
  caseTargets ??= (async () => {
    const created = await Promise.all([
      tanaka.call('POST', '/api/cases/incidents', caseIncidentBody(`権限表 ${tag} 閲覧`)),
      tanaka.call('POST', '/api/cases/incidents', caseIncidentBody(`権限表 ${tag} 段階`)),
      ...['閲覧', '返却'].map((note) => tanaka.call('POST', '/api/cases/media-checkouts', { mediaKind: 'usb', name: `USB ${tag} ${note}`, purpose: '権限表の試験', destination: '本社', expectedReturnOn: daysFromToday(3) })),
    ]);
    for (const answer of created) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const [read, phase, checkout, returning] = created.map((answer) => String(answer.body.id));
    return { read, phase, checkout, returning };
  })();
  return caseTargets;
}

// The organisation rows write only people and departments of this run (tagged), created on first use.
const slug = (p: Principal) => p.key.replace(/[^a-z0-9-]/gi, '-');
const organisationIds = { person: `u-${tag}-target`, place: `${tag}-dept-target` };
const matrixPerson = (id: string) => ({ id, name: { ja: '権限表 利用者', en: 'Matrix person' }, email: `${id}@example.co.jp`, siteId: 'site-tokyo', departmentId: 'dep-sales', roles: [] });
const personWatch = (id: string): Watch[] => [{ partition: `PERSON#${id}` }, { audit: `person#${id}` }];
const placeWatch = (kind: string, id: string): Watch[] => [{ key: { pk: `${kind.toUpperCase()}#${id}`, sk: 'PROFILE' } }, { audit: `${kind}#${id}` }];
let organisationTargets: Promise<void> | null = null;

async function organisationTargetVersion(kind: 'person' | 'place'): Promise<number> {
  const yamada = sessions.get('u-yamada')!;
  organisationTargets ??= (async () => {
    expect((await yamada.call('POST', '/api/admin/people', { person: matrixPerson(organisationIds.person) })).status).toBe(201);
    expect((await yamada.call('POST', '/api/admin/places/department', { place: { id: organisationIds.place, name: { ja: '権限表 部署', en: 'Matrix department' } } })).status).toBe(201);
  })();
  await organisationTargets;
  if (kind === 'person') return (await yamada.call('GET', `/api/admin/people/${organisationIds.person}`)).body.person.version as number;
  const { departments } = (await yamada.call('GET', '/api/admin/organisation')).body as { departments: { id: string; version: number }[] };
  return departments.find((d) => d.id === organisationIds.place)!.version;
}

// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: any;
}

async function call(p: Principal, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(p.token ? { authorization: `Bearer ${p.token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  // A CSV export answers text, not JSON.
  const parsed = () => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return { status: response.status, body: text ? parsed() : null };
}

const results: { route: string; principal: string; status: number; expected: number }[] = [];

beforeAll(async () => {
  const people = [REQUESTER, ...roleIds.map((role) => holderOf(role).id)];
  await Promise.all([...new Set([...people, 'u-sato', 'u-yamada'])].map(async (id) => sessions.set(id, await signIn(id))));
  principals.push({ key: 'requester', userId: REQUESTER, roles: ['employee'], token: sessions.get(REQUESTER)!.token });
  for (const role of roleIds) {
    const person = holderOf(role);
    principals.push({ key: `role:${role}`, userId: person.id, roles: person.roles.map((r) => r.role), token: sessions.get(person.id)!.token });
  }
  principals.push({ key: 'anonymous', userId: null, roles: [], token: null, claims: 'u-yamada' }, ...(await forgedTokens()));

  const [read, withdraw, resubmit, decide, link, bulk] = await Promise.all(['read', 'withdraw', 'resubmit', 'decide', 'link', 'bulk'].map((note) => waitingRequest(note)));
  Object.assign(fixtures, { read, withdraw, resubmit, decide, link, bulk });
  // The resubmit fixture is sent back first (only a sent-back request may be resubmitted).
  const sato = sessions.get('u-sato')!;
  expect((await sato.call('POST', `/api/tasks/${resubmit.taskId}/decision`, { decision: 'send_back', comment: '権限表の試験のため差し戻します' })).status).toBe(200);
  await requestStatus(sessions.get(REQUESTER)!, resubmit.id, 'sent_back');
  // F1 of 田中 goes to 佐藤 → 小林 → 情報システム部インフラ担当 (山田, 伊藤): the table's notion of "its approvers".
  expect(read.approvers.sort()).toEqual(['u-ito', 'u-kobayashi', 'u-sato', 'u-yamada']);

  const yamada = sessions.get('u-yamada')!;
  for (const id of [ids.putTarget, ids.changeTarget]) expect((await yamada.call('POST', '/api/ledgers/servers', { item: server(id) })).status).toBe(201);
  const change = {
    id: ids.change, target: 'server', targetId: ids.changeTarget, summary: '権限表の試験', newConfiguration: 'CPU 4コア', testPlan: '試験', fallback: '切り戻し',
    trainingNeeded: false, affectedDepartments: ['dep-it'], plannedOn: daysFromToday(7), status: 'approved', approvedAt: new Date().toISOString(), siteId: 'site-tokyo', branchId: 'br-east',
  };
  expect((await yamada.call('POST', '/api/ledgers/configuration-changes', { item: change })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  // Leave no absence and nothing waiting in 佐藤's inbox.
  for (const p of principals) if (p.userId) await call(p, 'DELETE', '/api/me/absence');
  const tanaka = sessions.get(REQUESTER);
  for (const fixture of Object.values(fixtures)) if (tanaka && fixture) await tanaka.call('POST', `/api/requests/${fixture.id}/withdraw`, {});
  const cells = results.length;
  const byClass = results.reduce<Record<string, number>>((acc, r) => ((acc[String(r.status)] = (acc[String(r.status)] ?? 0) + 1), acc), {});
  console.log(`[authorization-matrix] ${routes.length} routes × ${principals.length} principals = ${cells} cells; statuses ${JSON.stringify(byClass)}`);
});

describe('authorization matrix: every route × every role, no token and forged tokens', () => {
  it('has a row in the expected table for every route of routes.ts', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((key) => !(key in expected))).toEqual([]);
  });

  for (const spec of routes) {
    const routeKey = `${spec.method} ${spec.path}`;
    it(`${routeKey}`, async () => {
      const plan = expected[routeKey];
      if (!plan) return; // reported by the first test
      // Principals whose call changes state go last, so that the others meet the fixture as it was.
      const cells = await Promise.all(principals.map(async (p) => ({ p, cell: await plan(p) })));
      const writes = (p: Principal, cell: Cell) => Boolean(p.userId) && spec.method !== 'GET' && cell.expect < 300 && (cell.itemStatus ?? 200) < 300;
      const sequence = [...cells.filter(({ p, cell }) => !writes(p, cell)), ...cells.filter(({ p, cell }) => writes(p, cell))];
      const failures: string[] = [];
      for (const { p } of sequence) {
        const cell = await plan(p); // fresh (the PUT row reads the current version)
        const want = spec.public ? cell.expect : p.userId ? cell.expect : 401;
        const before = await stateOf(cell.watch);
        const answer = await call(p, spec.method, cell.path, cell.body);
        results.push({ route: routeKey, principal: p.key, status: answer.status, expected: want });
        const where = `${routeKey} as ${p.key} (${p.userId ?? 'no user'})`;
        if (answer.status !== want) {
          failures.push(`${where}: expected ${want}, got ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 200)}`);
          continue;
        }
        if (want === 401) expect(answer.body, where).toEqual({ message: 'Unauthorized' });
        if (want === 403) expect(answer.body.error.code, where).toBe('forbidden');
        if (want === 404) expect(answer.body.error.code, where).toBe('not_found');
        if (cell.itemStatus !== undefined && p.userId) {
          const status = answer.body.results?.[0]?.status;
          if (status !== cell.itemStatus) failures.push(`${where}: expected the item to answer ${cell.itemStatus}, got ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
        const refused = want >= 400 || (cell.itemStatus !== undefined && cell.itemStatus >= 400);
        if (refused || spec.method === 'GET') {
          const after = await stateOf(cell.watch);
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${where}: a refused call (or a GET) changed ${JSON.stringify(cell.watch)}`);
        } else if (cell.after) {
          await cell.after(answer);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
