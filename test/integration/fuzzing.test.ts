import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashLinkToken } from '../../functions/domain/link-token';
import { languageOf } from '../../functions/domain/text';
import { parseFormData } from '../../functions/domain/validation';
import { catalog } from '../../functions/forms/catalog';
import { CompleteConfigurationChangeBody } from '../../functions/forms/configuration-change-completion';
import { routes } from '../../functions/http/routes';
import * as schemas from '../../functions/http/schemas';
import * as organisationSchemas from '../../functions/http/organisation-admin-schemas';
import { PersonInput, PlaceInput } from '../../functions/domain/organisation-admin';
import { IncidentPhaseInput, IncidentReportInput } from '../../functions/domain/incidents';
import { MediaCheckoutInput, MediaReturnInput } from '../../functions/domain/media-checkouts';
import { ledgerRegistry } from '../../functions/ledgers/registry';
import { AddLogbookEntryBody, UpdateLogbookEntryBody } from '../../functions/http/logbook-schemas';
import { CompleteReviewBody } from '../../functions/http/review-schemas';
import { dateIssues, parseFields } from '../../functions/domain/logbooks';
import { logbookRegistry } from '../../functions/logbooks/registry';
import { demoLedgers, demoPeople } from '../../infra/local/seed-data';
import type { Session } from './support';
import { eventually, fileF1, linkTokenFor, recordsUnder, runtime, signIn, taskFor } from './support';

/**
 * Property-based fuzzing of every route of functions/http/routes.ts, in the shared integration
 * runtime. For every route: junk path parameters (`../`, `%00`, very long, unicode), junk query
 * strings, arbitrary JSON bodies, mutations of a valid body derived from the zod schemas (for
 * POST /api/requests: of valid F1…F15 data, field by field), and malformed JSON. Each answer must
 * be below 500 and, when 4xx, in the documented error shape; nothing may be written (checked through
 * the API and, more strongly, in DynamoDB directly).
 *
 * Fixed seed (FUZZ_SEED), bounded runs (FUZZ_RUNS per property) and a time limit per property, so
 * the file stays under a minute. The defects the fuzzing found (D1–D4, D8 in docs/reliability.md) are
 * fixed: their inputs are part of the properties again, and each keeps a test of its own below, so that each
 * property keeps testing the rest.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
/** A safety valve on a busy machine: a property stops (as passed) after this long. */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 12_000);

const FUZZER = 'u-kimura'; // 木村 直子 (個人情報保護管理者): no form routes to her role, no other test files a request as her
const tag = `fzq${Date.now().toString(36)}`;

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

// ---------------------------------------------------------------------------------------------
// Talking to the API

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function send(session: Session | null, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(session ? { authorization: `Bearer ${session.token}` } : {}), 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // CSV export, or a body that is not JSON (reported by the checks below)
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const acceptLanguages = [undefined, 'en', 'en-US,en;q=0.9', 'ja', 'ja-JP,ja;q=0.9,en;q=0.8', 'fr-FR', '*', 'EN', ',en', 'en;q=0', 'xx-\u00e9'] as const;
const acceptLanguage = fc.constantFrom(...acceptLanguages);
const headersFor = (language: string | undefined): Record<string, string> => (language === undefined ? {} : { 'accept-language': language });

/** Never a 5xx; a 4xx in the documented shape, with `message` in the caller's language. */
function expectDocumented(answer: Answer, language: string | undefined, where: string) {
  const detail = `${where} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 400)}`;
  if (answer.status >= 500) throw new Error(`5xx: ${detail}`);
  if (answer.status < 400) return;
  if (answer.status === 401) {
    expect(answer.body, detail).toEqual({ message: 'Unauthorized' });
    return;
  }
  const lang = languageOf(language);
  const error = answer.body?.error;
  expect(error, detail).toBeTypeOf('object');
  expect(Object.keys(error).filter((key) => !['code', 'message', 'messages', 'issues'].includes(key)), detail).toEqual([]);
  expect(error.code, detail).toBeTypeOf('string');
  expect(error.messages, detail).toEqual({ ja: expect.any(String), en: expect.any(String) });
  expect(error.message, detail).toBe(error.messages[lang]);
  if (error.code === 'validation_failed') expect(error.issues?.length, detail).toBeGreaterThan(0);
  if (error.issues !== undefined) {
    expect(error.code, detail).toBe('validation_failed');
    for (const issue of error.issues) {
      expect(issue, detail).toEqual({ path: expect.any(String), message: expect.any(String), messages: { ja: expect.any(String), en: expect.any(String) } });
      expect(issue.message, detail).toBe(issue.messages[lang]);
    }
  }
}

function expectStatus(answer: Answer, allowed: number[], where: string) {
  expect(allowed, `${where} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`).toContain(answer.status);
}

const fill = (template: string, params: Record<string, string>, raw = false) =>
  template.replace(/\{(\w+)\}/g, (_m, name: string) => (raw ? params[name] : encodeURIComponent(params[name])));

// ---------------------------------------------------------------------------------------------
// Running properties, with figures for docs/reliability.md

const stats: { name: string; runs: number; skips: number; ms: number; interrupted: boolean }[] = [];

async function property<T>(name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, runs = RUNS) {
  const started = Date.now();
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed: SEED,
    numRuns: runs,
    plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)],
  });
  stats.push({ name, runs: details.numRuns, skips: details.numSkips, ms: Date.now() - started, interrupted: details.interrupted });
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name} failed`);
}

// ---------------------------------------------------------------------------------------------
// Junk

const specialSegments = [
  '..', '../', '../../etc/passwd', '..\\..\\windows', '%00', '\u0000', 'a\u0000b', '%2e%2e%2f', '%252e%252e', '\u202e', '\ufeff', ' ', '  x  ', '\t', '\n',
  '#', '?', '&', '/', '\\', '__proto__', 'constructor', 'prototype', 'null', 'undefined', 'NaN', '-1', '0', '1e308', 'R-20261125-7KQ2MX',
  'R-20261125-7KQ2MX.1.0.u-sato', 'R-00000000-000000.9999.99.u-sato', 'servers.csv', '.csv', 'nothing.csv', 'LEDGER#servers', 'ITEM#srv-core-db', 'srv-core-db#',
  "' OR '1'='1", '<script>alert(1)</script>', '${jndi:ldap://x}', '{{7*7}}', 'ｓｅｒｖｅｒｓ', 'SERVERS', '𠮷野家', '🙂', 'e\u0301', 'é', 'Ω', 'İ',
];

/**
 * A path segment (encoded when sent). Long ones stay under Node's 16 KB request-line limit once
 * encoded. `.` and `..` are left out: no client can send them as a segment (URLs resolve them).
 */
const pathJunk: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }) },
    { weight: 3, arbitrary: fc.constantFrom(...specialSegments) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '%', '.', '/'), fc.integer({ min: 200, max: 1_100 })).map(([c, n]) => c.repeat(n)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('あ', '𠮷'), fc.integer({ min: 100, max: 500 })).map(([c, n]) => c.repeat(n)) },
  )
  .filter((segment) => segment !== '.' && segment !== '..');

const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', 'あ', '𠮷', '\u0000', ' ', '"'), fc.integer({ min: 2_001, max: 40_000 }))
  .map(([c, n]) => c.repeat(n));

const unicodeString = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary-ascii', maxLength: 60 }));

/** [[[[…]]]] or {"a":{"a":…}} hundreds to thousands of levels deep. */
const deepNest = fc.tuple(fc.integer({ min: 20, max: 2_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepNest },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: unicodeString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', [], {}, [null], JSON.parse('{"__proto__":1}')) },
);

const DELETE = Symbol('delete');

interface FieldSpec {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** Values a field of this kind must refuse (or, for free text, might accept: the caller filters). */
function fieldMutation(spec: FieldSpec): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constant(DELETE), junkValue, unicodeString, deepNest];
  if (spec.type === 'string' || spec.enum) {
    const max = spec.maxLength ?? 200;
    options.push(
      fc.tuple(fc.constantFrom('x', 'あ', '𠮷'), fc.integer({ min: max + 1, max: max + 50 })).map(([c, n]) => c.repeat(n)),
      hugeString,
      fc.constantFrom(0, 1, true, null, ['x'], { ja: 'x' }),
    );
  }
  if (spec.format === 'date') options.push(fc.constantFrom('2026-13-01', '2026-02-30', '2026-2-1', '２０２６-１２-０１', '2026-12-01T00:00:00Z', '0000-00-00', '2026/12/01', '20261201', '2026-12-01\u0000', ' 2026-12-01'));
  if (spec.enum) options.push(fc.constantFrom(...spec.enum.map((v) => `${String(v)} `), ...spec.enum.map((v) => String(v).toUpperCase()), 'other\u0000', ''));
  if (spec.type === 'number' || spec.type === 'integer') {
    options.push(fc.constantFrom(spec.minimum === undefined ? -1e308 : spec.minimum - 1, spec.maximum === undefined ? 1e308 : spec.maximum + 1, 1.5, '16', '', null, true, Number.MAX_SAFE_INTEGER * 4));
  }
  if (spec.type === 'boolean') options.push(fc.constantFrom('true', 1, 0, null, 'false', false));
  if (spec.type === 'array') options.push(fc.constantFrom([], 'dep-sales', [1], [null], Array.from({ length: 50 }, () => 'dep-sales'), [['dep-sales']]));
  return fc.oneof(...options);
}

/** One to three fields of a valid object changed (deleted, wrong type, too long, unicode, nested junk), maybe an unknown one added. */
function mutationsOf(base: Record<string, unknown>, specs: Record<string, FieldSpec>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(specs);
  const change = fc.constantFrom(...keys).chain((key) => fieldMutation(specs[key]).map((value) => [key, value] as const));
  const unknownField = fc.option(
    fc.tuple(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'id', 'status', 'version', 'requester', 'pk', 'gsi1pk')), junkValue),
    { nil: undefined },
  );
  return fc.tuple(fc.array(change, { minLength: 1, maxLength: 3 }), unknownField).map(([changes, extra]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(base));
    for (const [key, value] of changes) {
      if (value === DELETE) delete copy[key];
      else copy[key] = value;
    }
    if (extra && !(extra[0] in specs)) Object.defineProperty(copy, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
    return copy;
  });
}

/** Field specs of a zod object schema, from the JSON Schema zod derives. */
function specsOf(schema: z.ZodType): Record<string, FieldSpec> {
  type Json = { properties?: Record<string, FieldSpec>; $ref?: string; $defs?: Record<string, Json> };
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  // A schema with a `.meta({ id })` comes back as a reference into $defs.
  const root = json.$ref ? json.$defs?.[json.$ref.replace('#/$defs/', '')] : json;
  return root?.properties ?? {};
}

/** Strings that JSON.parse refuses (the gateway passes any non-empty body to the handler). */
function malformedJson(valid: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(valid);
  return fc
    .oneof(
      fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => text.slice(0, n)),
      fc.tuple(fc.integer({ min: 0, max: text.length }), fc.constantFrom('{', '}', '"', ',', ':', '\\', "'", 'NaN', 'undefined', '\u0000')).map(([at, c]) => text.slice(0, at) + c + text.slice(at)),
      fc.constantFrom(`\ufeff${text}`, `${text}garbage`, `${text}}`, text.replaceAll('"', "'"), `{${text}`, '{"formId": ', '[', 'nul', 'tru', '{,}', '{"a":1,}', '[1,]', '01', '.5', '+1', '"\\x41"', '/* c */{}', '{"a":NaN}', '{"a":Infinity}', ' ', '\n', '\u0000', '{"a":"\\ud800\\"}', '['.repeat(100_000)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
    )
    .filter((candidate) => {
      try {
        JSON.parse(candidate);
        return false;
      } catch {
        return candidate.length > 0;
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Inputs that once hit defects (D1, D4), and what they answer now

/** A path parameter over this many UTF-8 bytes names nothing: every route answers 404 (route() in http.ts). */
const MAX_PATH_PARAMETER_BYTES = 512;
const pathTooLong = (id: string) => Buffer.byteLength(id, 'utf8') > MAX_PATH_PARAMETER_BYTES;
/** Not valid percent-encoding: the gateway answers 400 in API Gateway's own shape, before any function. */
const undecodable = (raw: string) => {
  try {
    decodeURIComponent(raw);
    return false;
  } catch {
    return true;
  }
};

// ---------------------------------------------------------------------------------------------
// Valid data, one per form, to mutate field by field

const daysFromToday = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

const validData: Record<string, Record<string, unknown>> = {
  'server-connection-request': { serverId: 'srv-core-db', protocol: 'odbc', purpose: '月次売上集計のため基幹DBへODBCで接続する。', startDate: '2026-12-01', endDate: '2027-03-31', note: '備考' },
  'server-connection-end': { grantId: 'G-20261125-7KQ2MX', endDate: daysFromToday(30), reason: '担当替えのため。' },
  'new-introduction-ringi': { assetType: 'client', name: '営業部 受注入力端末', vendor: 'Lenovo', model: 'ThinkPad L14 Gen 5', specification: 'Core i5 / メモリ 16GB', quantity: 2, estimatedCost: 360000, annualPlanRef: '2027年度 年間運営計画 4.1', maintenanceContract: '引取修理保守 3年', purpose: '受注入力担当の増員に伴う端末の追加。' },
  'client-usage-request': { kind: 'terminal', label: '営業部 受注入力端末', model: 'ThinkPad L14 Gen 5', serialNumber: 'TK-FUZZ-1', cpu: 'Core i5', memoryGb: 16, storageGb: 512, os: 'Windows 11 Pro', purpose: '受注入力担当の増員。' },
  'client-end-notice': { clientId: 'pc-tokyo-001', reason: '端末の更新により返却します。', endDate: daysFromToday(30) },
  'server-product-request': { serverId: 'srv-app', productId: 'prd-tomcat', version: '10.1.33', purpose: '脆弱性対応のため更新する。' },
  'client-product-request': { clientId: 'pc-tokyo-001', productId: 'prd-odbc-driver', version: '19.3', purpose: '受注データの集計に使います。' },
  'product-uninstall-notice': { installationId: 'cp-tokyo-001-excel', reason: '担当業務の変更により不要になりました。' },
  'application-use-registration': { clientId: 'pc-tokyo-001', productId: 'prd-excel', usage: '集計表の作成' },
  'licence-violation-report': { kind: 'pc-move', registrationId: 'LR-20261125-7KQ2MX', description: 'PCを移動しました。', newClientId: 'pc-tokyo-002' },
  'configuration-change-request': { target: 'server', targetId: 'srv-app', summary: 'Tomcat を更新する。', newConfiguration: 'Tomcat 10.1.33', testPlan: '回帰テストを2日間実施する。', fallback: '旧版に切り戻す。', trainingNeeded: true, trainingPlan: '操作説明会を開く。', affectedDepartments: ['dep-sales'], plannedOn: daysFromToday(14), securityChecked: true },
  'user-id-issue-request': { personId: 'u-tanaka', system: 'dev-db', loginId: 'tanaka.fz', accessRights: '参照のみ', reason: '検証作業のため。' },
  'user-id-deletion-request': { userIdEntry: 'UID-x', action: 'suspend', scheduledDeletionOn: daysFromToday(30), reason: '休職のため。' },
  'privileged-id-request': { personId: 'u-tanaka', system: 'dev-db', loginId: 'tanaka_adm', privilege: 'DBA権限', reason: '保守作業のため。' },
  'client-pc-connection-request': { clientId: 'pc-tokyo-002', loginAndAccessLog: true, antivirus: true, screenPosition: true, screensaver: true, theftPrevention: true, note: '覗き見防止フィルタ装着済み' },
};

/** A valid item of every ledger (from the seed where it has one), to mutate field by field. */
function validItem(ledger: string): Record<string, unknown> {
  const seeded = demoLedgers.find(([name]) => name === ledger)?.[1][0] as Record<string, unknown> | undefined;
  const handwritten: Record<string, Record<string, unknown>> = {
    'licence-registrations': { id: 'x', userId: 'u-tanaka', clientId: 'pc-tokyo-001', productId: 'prd-excel', licenceId: 'lic-excel', usage: '集計', status: 'active', revision: 1, registeredAt: '2026-01-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
    'server-access-grants': { id: 'x', serverId: 'srv-core-db', serverName: { ja: '基幹DBサーバ', en: 'Core database server' }, userId: 'u-tanaka', userName: { ja: '田中 太郎', en: 'Taro Tanaka' }, protocol: 'odbc', startDate: '2026-01-01', endDate: '2099-03-31', status: 'active', requestId: 'R-TEST', grantedAt: '2026-01-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
    'configuration-changes': { id: 'x', target: 'server', targetId: 'srv-app', summary: '更新', newConfiguration: 'Tomcat 10.1.33', testPlan: '試験', fallback: '切り戻し', trainingNeeded: false, affectedDepartments: ['dep-sales'], plannedOn: '2026-12-01', status: 'approved', approvedAt: '2026-11-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  };
  return { ...(seeded ?? handwritten[ledger]), id: `${tag}-${ledger}` };
}

const ledgerNames = [...ledgerRegistry.keys()];

/** The body schema of every route that takes a body; the other routes take none. */
const bodySchemas: Record<string, z.ZodType> = {
  'PUT /api/me/absence': schemas.AbsenceBody,
  'POST /api/forms/{id}/route-preview': schemas.PreviewRouteBody,
  'POST /api/requests': schemas.SubmitRequestBody,
  'POST /api/requests/{id}/withdraw': schemas.WithdrawRequestBody,
  'POST /api/requests/{id}/resubmit': schemas.ResubmitRequestBody,
  'POST /api/tasks/{id}/decision': schemas.DecisionBody,
  'POST /api/tasks/bulk-approval': schemas.BulkApprovalBody,
  'POST /api/links/{token}/decision': schemas.DecisionBody,
  'POST /api/configuration-changes/{id}/complete': CompleteConfigurationChangeBody,
  'POST /api/ledgers/{name}': schemas.SaveLedgerItemBody,
  'POST /api/ledgers/{name}/import': schemas.ImportLedgerBody,
  'PUT /api/ledgers/{name}/{id}': schemas.SaveLedgerItemBody,
  'POST /api/admin/organisation/import': organisationSchemas.ImportOrganisationBody,
  'POST /api/admin/people': organisationSchemas.SavePersonBody,
  'PUT /api/admin/people/{id}': organisationSchemas.SavePersonBody,
  'POST /api/admin/places/{kind}': organisationSchemas.SavePlaceBody,
  'PUT /api/admin/places/{kind}/{id}': organisationSchemas.SavePlaceBody,
  'POST /api/cases/incidents': IncidentReportInput,
  'POST /api/cases/incidents/{id}/phases': IncidentPhaseInput,
  'POST /api/cases/media-checkouts': MediaCheckoutInput,
  'POST /api/cases/media-checkouts/{id}/return': MediaReturnInput,
  'POST /api/logbooks/{logbook}/{siteId}/{month}': AddLogbookEntryBody,
  'PUT /api/logbooks/{logbook}/{siteId}/{month}/{entryId}': UpdateLogbookEntryBody,
  'POST /api/duties/{id}/complete': schemas.ConfirmDutyBody,
  'POST /api/reviews/{month}/{logbook}/{siteId}/complete': CompleteReviewBody,
};
const withoutBody = ['DELETE /api/me/absence', 'POST /api/circulations/{requestId}/read'];
/** Whether a ledger body would pass the ledger's schema (then it might be written, so it is not sent). */
const itemIsValid = (ledger: string, item: unknown) => ledgerRegistry.get(ledger)?.item.safeParse(item).success ?? false;

// ---------------------------------------------------------------------------------------------
// What must not change

let fuzzer: Session;
let sato: Session;
let yamada: Session;
let fixture: { id: string };
let satoTask: { id: string };
let satoLink: string;
const target = `${tag}-target`;
const targetItem = { id: target, name: { ja: 'ファズ対象サーバ', en: 'Fuzz target' }, kind: 'other', hostname: 'fuzz01', os: 'Linux', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active' };

async function audit(record: string) {
  const result = await db.send(new QueryCommand({ TableName: runtime.tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': record } }));
  return result.Items ?? [];
}

/** Every ledger item whose id carries this run's tag: only the PUT target may exist. */
async function taggedLedgerItems() {
  const found: string[] = [];
  for (const ledger of ledgerNames) {
    const result = await db.send(
      new QueryCommand({
        TableName: runtime.tables.records,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `LEDGER#${ledger}`, ':prefix': `ITEM#${tag}` },
      }),
    );
    found.push(...(result.Items ?? []).map((item) => `${ledger}/${String(item.id)}`));
  }
  return found.sort();
}

/** Audit events written since the fuzzing began by the people it acts as (the workflow's own have no actor). */
async function auditEventsByFuzzingActors(since: string) {
  const events: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: runtime.tables.audit,
        FilterExpression: '#at >= :start AND #actor.#id IN (:a, :b, :c)',
        ExpressionAttributeNames: { '#at': 'at', '#actor': 'actor', '#id': 'id' },
        ExpressionAttributeValues: { ':start': since, ':a': FUZZER, ':b': 'u-sato', ':c': 'u-yamada' },
        ExclusiveStartKey: startKey,
      }),
    );
    events.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return events.map((event) => `${String(event.pk)}#${String(event.seq)} ${String(event.action)}`);
}

async function snapshot() {
  const keysOf = (items: Record<string, unknown>[]) => items.map((item) => `${String(item.pk)}|${String(item.sk)}`).sort();
  const link = await db.send(new GetCommand({ TableName: runtime.tables.records, Key: { pk: `LINK#${hashLinkToken(satoLink)}`, sk: 'LINK' } }));
  const targetRecord = await db.send(new GetCommand({ TableName: runtime.tables.records, Key: { pk: 'LEDGER#servers', sk: `ITEM#${target}` } }));
  const list = async (session: Session, path: string) => ((await send(session, 'GET', path)).body.items as { id: string }[]).map((item) => item.id).sort();
  return {
    dynamo: {
      fuzzerRequests: await recordsUnder('gsi1', `REQUESTER#${FUZZER}`),
      fuzzerInbox: await recordsUnder('gsi1', `INBOX#${FUZZER}`),
      fuzzerProfile: await recordsUnder(null, `PERSON#${FUZZER}`),
      yamadaRequests: keysOf(await recordsUnder('gsi1', 'REQUESTER#u-yamada')),
      satoRequests: keysOf(await recordsUnder('gsi1', 'REQUESTER#u-sato')),
      fixture: await recordsUnder(null, `REQUEST#${fixture.id}`),
      fixtureAudit: await audit(`request#${fixture.id}`),
      link: link.Item ?? null,
      target: targetRecord.Item ?? null,
      targetAudit: await audit(`servers#${target}`),
      tagged: await taggedLedgerItems(),
    },
    api: {
      fuzzerRequests: await list(fuzzer, '/api/requests?limit=100'),
      fuzzerTasks: await list(fuzzer, '/api/tasks?limit=100'),
      fixture: (await send(fuzzer, 'GET', `/api/requests/${fixture.id}`)).body,
      taggedByLedger: Object.fromEntries(
        await Promise.all(ledgerNames.map(async (name) => [name, (await list(fuzzer, `/api/ledgers/${name}?limit=100&q=${tag}`)).length] as const)),
      ),
      target: (await send(fuzzer, 'GET', `/api/ledgers/servers/${target}`)).body,
    },
  };
}

let before: Awaited<ReturnType<typeof snapshot>> & { since: string };

/** Taken before each test, so that one finding does not cascade into the next tests. */
async function takeSnapshot() {
  const since = new Date().toISOString();
  before = { ...(await snapshot()), since };
}

async function expectNothingWritten() {
  const after = await snapshot();
  expect(after.dynamo).toEqual(before.dynamo);
  expect(after.api).toEqual(before.api);
  expect(await auditEventsByFuzzingActors(before.since)).toEqual([]);
}

/**
 * The body as the handlers see it: `route()` parses `parseBody(event) ?? {}`, so the JSON body
 * `null` counts as no body at all (defect D8). Filters that keep valid bodies out use this view.
 */
/** What route() validates: no body at all is `{}`; the JSON `null` is a body, and not an object. */
const asParsed = (body: unknown) => (body === undefined ? {} : body);

beforeAll(async () => {
  [fuzzer, sato, yamada] = await Promise.all([signIn(FUZZER), signIn('u-sato'), signIn('u-yamada')]);
  // A request of the fuzzer, waiting at 佐藤 (stage 1): the real target of the request, task and link routes.
  fixture = await fileF1(fuzzer, { purpose: `ファズ試験の対象 ${tag}` });
  satoTask = await taskFor(sato, fixture.id);
  satoLink = await linkTokenFor('sato@example.co.jp', fixture.id);
  // The workflow is at rest once the task is marked notified (the last thing NotifyApprovers writes).
  await eventually(async () => (await recordsUnder(null, `REQUEST#${fixture.id}`)).some((item) => item.entity === 'task' && item.notifiedAt), 'the task to be marked notified');
  const created = await send(yamada, 'POST', '/api/ledgers/servers', JSON.stringify({ item: targetItem, reason: 'ファズ試験の対象' }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await takeSnapshot();
  expect(before.dynamo.fixture.length).toBeGreaterThanOrEqual(2);
  expect(before.dynamo.tagged).toEqual([`servers/${target}`]);
});

afterAll(async () => {
  // Leave nothing waiting in 佐藤's inbox for the files that run after this one.
  if (fixture) await send(fuzzer, 'POST', `/api/requests/${fixture.id}/withdraw`, JSON.stringify({ comment: 'ファズ試験の後片付け' }));
  console.log(`[fuzzing] seed ${SEED}, ${RUNS} runs per property\n${stats.map((s) => `  ${s.name}: ${s.runs} runs, ${s.skips} skipped, ${s.ms} ms${s.interrupted ? ' (time limit)' : ''}`).join('\n')}`);
  console.log(`[fuzzing] total ${stats.reduce((sum, s) => sum + s.runs, 0)} cases in ${stats.length} properties`);
});

// ---------------------------------------------------------------------------------------------

/** The routes each property below covers; a route added to routes.ts must be added here. */
const covered = new Set<string>();
const cover = (...keys: string[]) => keys.forEach((key) => covered.add(key));

describe('fuzzing every route (fast-check, fixed seed)', () => {
  beforeEach(takeSnapshot);

  it('has a fuzzing plan for every route of routes.ts', () => {
    cover(
      'GET /api/openapi.json', 'GET /api/me', 'GET /api/me/absence', 'PUT /api/me/absence', 'DELETE /api/me/absence', 'GET /api/forms', 'GET /api/forms/{id}/context', 'POST /api/forms/{id}/route-preview', 'POST /api/requests',
      'GET /api/requests', 'GET /api/requests/{id}', 'POST /api/requests/{id}/withdraw', 'POST /api/requests/{id}/resubmit', 'GET /api/tasks',
      'GET /api/tasks/{id}', 'POST /api/tasks/{id}/decision', 'POST /api/tasks/bulk-approval', 'GET /api/circulations', 'POST /api/circulations/{requestId}/read',
      'GET /api/links/{token}', 'POST /api/links/{token}/decision',
      'GET /api/ledgers', 'POST /api/configuration-changes/{id}/complete', 'GET /api/ledgers/{name}', 'POST /api/ledgers/{name}', 'POST /api/ledgers/{name}/import',
      'GET /api/ledgers/{name}/{id}', 'PUT /api/ledgers/{name}/{id}',
      'GET /api/admin/organisation', 'GET /api/admin/organisation/{file}', 'POST /api/admin/organisation/import', 'POST /api/admin/people', 'GET /api/admin/people/{id}',
      'PUT /api/admin/people/{id}', 'POST /api/admin/places/{kind}', 'PUT /api/admin/places/{kind}/{id}',
      'GET /api/cases', 'POST /api/cases/incidents', 'GET /api/cases/incidents', 'GET /api/cases/incidents/{id}', 'POST /api/cases/incidents/{id}/phases',
      'POST /api/cases/media-checkouts', 'GET /api/cases/media-checkouts', 'GET /api/cases/media-checkouts/{id}', 'POST /api/cases/media-checkouts/{id}/return',
      'GET /api/logbooks', 'GET /api/logbooks/{logbook}/{siteId}/{month}', 'POST /api/logbooks/{logbook}/{siteId}/{month}',
      'GET /api/logbooks/{logbook}/{siteId}/{month}/{entryId}', 'PUT /api/logbooks/{logbook}/{siteId}/{month}/{entryId}',
      'GET /api/duties', 'GET /api/duties/{id}', 'POST /api/duties/{id}/complete',
      'GET /api/reviews', 'GET /api/reviews.csv', 'GET /api/reviews/{month}/{logbook}/{siteId}', 'POST /api/reviews/{month}/{logbook}/{siteId}/complete',
    );
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((key) => !covered.has(key)), 'routes without a fuzzing plan').toEqual([]);
    const unclassified = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`).filter((key) => !(key in bodySchemas) && !withoutBody.includes(key));
    expect(unclassified, 'routes whose body schema is not listed').toEqual([]);
  });

  it('POST /api/requests: mutated F1…F15 data, field by field, is refused with 400 and its issues, and nothing is stored', async () => {
    for (const [formId, entry] of catalog) {
      const base = validData[formId];
      expect(base, `valid data for ${formId}`).toBeDefined();
      expect(parseFormData(entry.form, entry.labels, base).ok, `the base data of ${formId} is valid`).toBe(true);
      const specs = (entry.jsonSchema.properties ?? {}) as Record<string, FieldSpec>;
      const invalid = mutationsOf(base, specs).filter((data) => !parseFormData(entry.form, entry.labels, data).ok);
      await property(`submit ${entry.form.code} data mutations`, fc.tuple(invalid, acceptLanguage), async ([data, language]) => {
        const answer = await send(fuzzer, 'POST', '/api/requests', JSON.stringify({ formId, data }), headersFor(language));
        expectDocumented(answer, language, `${entry.form.code} ${JSON.stringify(data).slice(0, 200)}`);
        expectStatus(answer, [400], entry.form.code);
        expect(answer.body.error.code).toBe('validation_failed');
        expect(answer.body.error.issues.every((issue: { path: string }) => issue.path === 'data' || issue.path.startsWith('data.'))).toBe(true);
      }, Math.max(10, Math.round(RUNS * 0.6)));
    }
    await expectNothingWritten();
  });

  it('POST /api/requests: arbitrary bodies and body-level mutations are refused (400/404), never stored', async () => {
    const base = { formId: 'server-connection-request', data: validData['server-connection-request'] };
    const bodies = fc.oneof(junkValue, mutationsOf(base, specsOf(schemas.SubmitRequestBody))).filter((body) => {
      const parsed = schemas.SubmitRequestBody.safeParse(asParsed(body));
      if (!parsed.success) return true;
      const entry = catalog.get(parsed.data.formId);
      return !entry || !parseFormData(entry.form, entry.labels, parsed.data.data).ok;
    });
    await property('submit arbitrary bodies', fc.tuple(bodies, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'POST', '/api/requests', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `submit ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404], 'submit');
    });
    await expectNothingWritten();
  });

  it('every body route answers malformed JSON with 400 malformed_json, before anything else', async () => {
    const bodyRoutes = routes.filter((r) => `${r.method} ${r.path}` in bodySchemas);
    const params = { id: fixture.id, token: satoLink, name: 'servers' };
    for (const spec of bodyRoutes) {
      const as = spec.path.includes('/ledgers/') || spec.path.includes('configuration-changes') ? yamada : fuzzer;
      const path = fill(spec.path, spec.path.includes('/tasks/{id}') ? { ...params, id: satoTask.id } : spec.path.includes('/ledgers/{name}/{id}') ? { ...params, id: target } : params);
      await property(`malformed JSON ${spec.method} ${spec.path}`, fc.tuple(malformedJson({ formId: 'server-connection-request', data: { a: 1 } }), acceptLanguage), async ([raw, language]) => {
        const answer = await send(as, spec.method, path, raw, headersFor(language));
        expectDocumented(answer, language, `${spec.method} ${path} ${JSON.stringify(raw.slice(0, 80))}`);
        expectStatus(answer, [400], `${spec.method} ${spec.path}`);
        expect(answer.body.error.code).toBe('malformed_json');
      }, Math.max(5, Math.round(RUNS / 3)));
    }
    await expectNothingWritten();
  });

  it('GET routes: junk path parameters (../, %00, very long, unicode) and junk query strings never answer 5xx', async () => {
    const junkQuery = fc.dictionary(
      fc.oneof(fc.constantFrom('limit', 'cursor', 'scope', 'siteId', 'branchId', 'q'), fc.string({ maxLength: 10 })),
      fc.oneof(
        fc.constantFrom('0', '-1', '101', '1.5', 'abc', '1e2', '0x10', '', ' 5', '5 ', 'Infinity', 'NaN', '9'.repeat(400), 'mine', 'all', 'MINE', 'theirs', '%00', 'null', '[]', '{}'),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.string({ unit: 'binary-ascii', maxLength: 30 }),
        fc.base64String({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
        fc.integer({ min: 2_001, max: 2_100 }).map((n) => 'c'.repeat(n)),
      ),
      { maxKeys: 3 },
    );
    const getRoutes = routes.filter((r) => r.method === 'GET');
    for (const spec of getRoutes) {
      const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const real: Record<string, string[]> = {
        id: spec.path.startsWith('/api/forms') ? [...catalog.keys()] : spec.path.startsWith('/api/tasks') ? [satoTask.id] : spec.path.startsWith('/api/ledgers') ? [target, 'srv-core-db'] : [fixture.id],
        token: [satoLink],
        name: [...ledgerNames, ...ledgerNames.map((n) => `${n}.csv`)],
      };
      const param = (name: string) => fc.oneof({ weight: 3, arbitrary: pathJunk }, { weight: 1, arbitrary: fc.constantFrom(...(real[name] ?? [fixture.id])) });
      const input = fc.record({
        params: fc.record(Object.fromEntries(names.map((name) => [name, param(name)]))) as fc.Arbitrary<Record<string, string>>,
        query: junkQuery,
        language: acceptLanguage,
        anonymous: fc.boolean(),
      });
      const ledgerItemRoute = spec.path === '/api/ledgers/{name}/{id}';
      await property(`${spec.method} ${spec.path} junk`, input, async ({ params, query, language, anonymous }) => {
        const search = new URLSearchParams(query).toString();
        const path = `${fill(spec.path, params)}${search ? `?${search}` : ''}`;
        const answer = await send(anonymous && !spec.public ? null : fuzzer, 'GET', path, undefined, headersFor(language));
        expectDocumented(answer, language, `GET ${path.slice(0, 200)}`);
        if (anonymous && !spec.public) expect(answer.status).toBe(401);
        else if (Object.values(params).some(pathTooLong)) expect(answer.status, path.slice(0, 200)).toBe(404);
      });
    }
    await expectNothingWritten();
  });

  it('GET routes: raw percent-encoded path segments are decoded safely', async () => {
    const raw = fc
      .string({ unit: fc.constantFrom('%', '0', '2', '5', 'A', 'C', 'F', 'e', 'a', '_', '-', '~', '8', '9', '.'), minLength: 1, maxLength: 24 })
      .filter((s) => undecodable(s) || !['.', '..'].includes(decodeURIComponent(s)));
    await property('GET raw percent-encoded segments', fc.tuple(fc.constantFrom('/api/requests/{id}', '/api/tasks/{id}', '/api/links/{token}', '/api/forms/{id}/context', '/api/ledgers/{name}', '/api/ledgers/servers/{id}'), raw), async ([template, segment]) => {
      const path = fill(template, { id: segment, token: segment, name: segment }, true);
      const answer = await send(fuzzer, 'GET', path);
      if (undecodable(segment)) {
        expect(answer.status, `GET ${path}`).toBe(400);
        expect(answer.body).toEqual({ message: 'Bad Request' });
      } else expectDocumented(answer, undefined, `GET ${path}`);
    });
  });

  it('POST /api/forms/{id}/route-preview: junk form ids and bodies, and mutated data of every form, answer 200 or 4xx and store nothing', async () => {
    const previewLookups = new Map([...catalog].map(([id, entry]) => [id, entry.form.route.filter((s) => s.when?.ledger).map((s) => s.when!.field)]));
    const input = fc.record({
      formId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...catalog.keys()) }, { weight: 1, arbitrary: pathJunk }),
      body: fc.oneof(
        junkValue,
        fc.constantFrom(...catalog.keys()).chain((id) => mutationsOf(validData[id], (catalog.get(id)!.jsonSchema.properties ?? {}) as Record<string, FieldSpec>).map((data) => ({ data }))),
        mutationsOf({ data: validData['server-product-request'] }, specsOf(schemas.PreviewRouteBody)),
      ),
      language: acceptLanguage,
    });
    // Route conditions look values up in a ledger (D2: an over-long one once answered 500); some data aims at them.
    const lookups = fc.constantFrom(...[...previewLookups].filter(([, fields]) => fields.length > 0)).chain(([formId, fields]) =>
      fc.record({ formId: fc.constant(formId), body: fc.record({ data: fc.record(Object.fromEntries(fields.map((field) => [field, fc.oneof(pathJunk, hugeString)]))) }), language: acceptLanguage }),
    );
    await property('route-preview', fc.oneof(input, lookups), async ({ formId, body, language }) => {
      const answer = await send(fuzzer, 'POST', `/api/forms/${encodeURIComponent(formId)}/route-preview`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `preview ${formId} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [200, 400, 404], 'preview');
    }, RUNS * 2);
    await expectNothingWritten();
  });

  it('POST /api/requests/{id}/withdraw and /resubmit: junk ids and bodies; the fuzzer\'s own request is never changed', async () => {
    const invalidWithdraw = fc.oneof(junkValue, mutationsOf({ comment: '取り下げます' }, specsOf(schemas.WithdrawRequestBody))).filter((b) => !schemas.WithdrawRequestBody.safeParse(asParsed(b)).success);
    await property('withdraw own request, invalid bodies', fc.tuple(invalidWithdraw, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/requests/${fixture.id}/withdraw`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `withdraw ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400], 'withdraw');
    });
    await property('withdraw junk ids', fc.tuple(pathJunk.filter((id) => id !== fixture.id), fc.oneof(junkValue, fc.constant({})), acceptLanguage), async ([id, body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/requests/${encodeURIComponent(id)}/withdraw`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `withdraw ${id.slice(0, 100)}`);
      expectStatus(answer, [400, 404], 'withdraw junk');
    });
    // In review, a resubmission is refused whatever its body (409), or earlier for the body (400).
    const resubmitBodies = fc.oneof(junkValue, mutationsOf({ data: validData['server-connection-request'] }, specsOf(schemas.ResubmitRequestBody)), mutationsOf(validData['server-connection-request'], (catalog.get('server-connection-request')!.jsonSchema.properties ?? {}) as Record<string, FieldSpec>).map((data) => ({ data })), fc.constant({ data: validData['server-connection-request'] }));
    await property('resubmit', fc.tuple(fc.oneof(fc.constant(fixture.id), pathJunk), resubmitBodies, acceptLanguage), async ([id, body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/requests/${encodeURIComponent(id)}/resubmit`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `resubmit ${id.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404, 409], 'resubmit');
    });
    await expectNothingWritten();
  });

  it('POST /api/tasks/{id}/decision, /api/tasks/bulk-approval, /api/links/{token}/decision and /api/circulations/{requestId}/read: junk ids, tokens and bodies decide nothing', async () => {
    const decisionBodies = fc.oneof(junkValue, mutationsOf({ decision: 'reject', comment: '理由' }, specsOf(schemas.DecisionBody)), fc.constantFrom({ decision: 'approve' }, { decision: 'reject', comment: '却下' }, { decision: 'send_back', comment: '差し戻し' }));
    const invalidDecision = decisionBodies.filter((b) => !schemas.DecisionBody.safeParse(asParsed(b)).success);
    // The requester, whatever the body: 400 or 403 (own request); junk task ids: 400 or 404.
    await property('decide as the requester or on junk tasks', fc.tuple(fc.oneof(fc.constant(satoTask.id), pathJunk), decisionBodies, acceptLanguage), async ([id, body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/tasks/${encodeURIComponent(id)}/decision`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `decide ${id.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 403, 404], 'decide');
    });
    // The approver, with bodies the schema refuses: always 400.
    await property('decide as the approver, invalid bodies', fc.tuple(invalidDecision, acceptLanguage), async ([body, language]) => {
      const task = await send(sato, 'POST', `/api/tasks/${satoTask.id}/decision`, JSON.stringify(body), headersFor(language));
      expectDocumented(task, language, `decide ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(task, [400], 'decide invalid');
      const link = await send(sato, 'POST', `/api/links/${satoLink}/decision`, JSON.stringify(body), headersFor(language));
      expectDocumented(link, language, `link decide ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(link, [400], 'link decide invalid');
    });
    // Junk tokens (including well-formed unknown ones), as the approver and as someone else.
    const tokens = fc.oneof(pathJunk, fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 }), fc.constant(satoLink.slice(0, 42)), fc.constant(`${satoLink}A`));
    await property('decide by junk links', fc.tuple(tokens, decisionBodies, fc.boolean(), acceptLanguage), async ([token, body, asApprover, language]) => {
      const answer = await send(asApprover ? sato : fuzzer, 'POST', `/api/links/${encodeURIComponent(token)}/decision`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `link ${token.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404], 'link decide junk');
    });
    // Someone else's link under the fuzzer's session: 400 or 403.
    await property('decide by someone else\'s link', fc.tuple(decisionBodies, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/links/${satoLink}/decision`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `foreign link ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 403], 'foreign link');
    });
    // 回覧: the fuzzer received none, so marking any request read is 404, whatever the body.
    await property('mark circulations read', fc.tuple(fc.oneof(fc.constant(fixture.id), pathJunk), fc.option(junkValue, { nil: undefined }), acceptLanguage), async ([id, body, language]) => {
      const answer = await send(fuzzer, 'POST', `/api/circulations/${encodeURIComponent(id)}/read`, body === undefined ? undefined : JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `circulation read ${id.slice(0, 60)}`);
      expectStatus(answer, [404], 'circulation read');
    });
    // 一括承認 by the fuzzer (approver of nothing): a 200 lists only refusals, or the body is refused.
    const bulkBodies = fc.oneof(
      junkValue,
      mutationsOf({ taskIds: [satoTask.id], comment: '一括' }, specsOf(schemas.BulkApprovalBody)),
      fc.record({ taskIds: fc.array(fc.oneof(pathJunk, fc.constant(satoTask.id), fc.constant(`${fixture.id}.1.1.u-kobayashi`)), { minLength: 1, maxLength: 50 }), comment: fc.option(unicodeString, { nil: undefined }) }),
    );
    await property('bulk approval', fc.tuple(bulkBodies, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'POST', '/api/tasks/bulk-approval', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `bulk ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [200, 400], 'bulk');
      if (answer.status === 200) {
        expect(answer.body.approved).toBe(0);
        for (const result of answer.body.results) {
          expect(result.ok).toBe(false);
          expect([400, 403, 404, 409, 410]).toContain(result.status);
          expect(result.messages).toEqual({ ja: expect.any(String), en: expect.any(String) });
        }
      }
    });
    const invalidBulk = bulkBodies.filter((b) => !schemas.BulkApprovalBody.safeParse(asParsed(b)).success);
    await property('bulk approval as the approver, invalid bodies', fc.tuple(invalidBulk, acceptLanguage), async ([body, language]) => {
      const answer = await send(sato, 'POST', '/api/tasks/bulk-approval', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `bulk ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400], 'bulk invalid');
    });
    await expectNothingWritten();
  });

  it('PUT and DELETE /api/me/absence: refused absences and nothing to clear change nothing', async () => {
    const people = new Set(demoPeople.map((p) => p.id));
    const base = { from: daysFromToday(30), to: daysFromToday(31), delegateId: 'u-sato' };
    // An absence that passes the schema, names a real delegate other than the caller and ends in order would be stored: never sent.
    const wouldStore = (body: unknown) => {
      const parsed = schemas.AbsenceBody.safeParse(asParsed(body));
      return parsed.success && people.has(parsed.data.delegateId) && parsed.data.delegateId !== FUZZER && parsed.data.to >= parsed.data.from && parsed.data.to >= daysFromToday(0);
    };
    const bodies = fc.oneof(junkValue, mutationsOf(base, specsOf(schemas.AbsenceBody)), fc.record({ from: fc.constantFrom(base.from, '2020-01-01'), to: fc.constantFrom(base.to, '2020-01-02', daysFromToday(29)), delegateId: fc.oneof(fc.constantFrom(FUZZER, 'u-nobody', ''), pathJunk) }));
    await property('set absence, refused', fc.tuple(bodies.filter((b) => !wouldStore(b)), acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'PUT', '/api/me/absence', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `absence ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400], 'absence');
    });
    await property('clear absence, none set', fc.tuple(fc.option(junkValue, { nil: undefined }), acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'DELETE', '/api/me/absence', body === undefined ? undefined : JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `clear absence ${JSON.stringify(body)?.slice(0, 100)}`);
      expectStatus(answer, [404], 'clear absence');
    }, Math.max(5, Math.round(RUNS / 3)));
    await expectNothingWritten();
  });

  it('ledger writes as u-yamada (情報システム部インフラ担当): mutated items of every ledger, junk CSV and junk ids write nothing', async () => {
    // Create: an item of each ledger with one to three fields broken (the ledger's schema refuses it).
    const createInput = fc.constantFrom(...ledgerNames).chain((ledger) =>
      fc.record({
        ledger: fc.constant(ledger),
        item: mutationsOf(validItem(ledger), specsOf(ledgerRegistry.get(ledger)!.item)),
        reason: fc.option(fc.oneof(unicodeString, hugeString), { nil: undefined }),
        language: acceptLanguage,
      }),
    );
    await property('create ledger items (as itInfra)', createInput.filter(({ ledger, item }) => !itemIsValid(ledger, item)), async ({ ledger, item, reason, language }) => {
      const answer = await send(yamada, 'POST', `/api/ledgers/${ledger}`, JSON.stringify({ item, ...(reason === undefined ? {} : { reason }) }), headersFor(language));
      expectDocumented(answer, language, `create ${ledger} ${JSON.stringify(item).slice(0, 200)}`);
      expectStatus(answer, [400, 409], `create ${ledger}`);
    }, RUNS * 2);
    // Junk ledger names and junk bodies, as IT infrastructure and as the fuzzer.
    const saveBodies = fc.oneof(junkValue, mutationsOf({ item: targetItem, version: 1, reason: '理由' }, specsOf(schemas.SaveLedgerItemBody)));
    await property('create with junk names and bodies', fc.tuple(fc.oneof(pathJunk, fc.constantFrom(...ledgerNames)), saveBodies, fc.boolean(), acceptLanguage).filter(([name, body, asItInfra]) => {
      const item = (body as { item?: Record<string, unknown> })?.item;
      if (!asItInfra || !ledgerNames.includes(name)) return true;
      return !(item && typeof item === 'object' && itemIsValid(name, item));
    }), async ([name, body, asItInfra, language]) => {
      const answer = await send(asItInfra ? yamada : fuzzer, 'POST', `/api/ledgers/${encodeURIComponent(name)}`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `create ${name.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, asItInfra ? [400, 404, 409] : [400, 403, 404], 'create junk');
    });
    // Update the target: a broken item at its version, or a valid item at a wrong version.
    const updateInput = fc.oneof(
      mutationsOf(targetItem, specsOf(ledgerRegistry.get('servers')!.item))
        .filter((item) => !itemIsValid('servers', item))
        .map((item) => ({ item, version: 1 as unknown })),
      // Version 1 is the stored one: that edit would be written, so it is never sent.
      fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), junkValue).filter((v) => v !== 1).map((version) => ({ item: { ...targetItem, os: 'Fuzz OS' } as Record<string, unknown>, version })),
    );
    await property('update the target (as itInfra)', fc.tuple(updateInput, acceptLanguage), async ([body, language]) => {
      const answer = await send(yamada, 'PUT', `/api/ledgers/servers/${target}`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `update ${JSON.stringify(body).slice(0, 200)}`);
      expectStatus(answer, [400, 404, 409], 'update');
    });
    await property('update junk names and ids', fc.tuple(fc.oneof(pathJunk, fc.constantFrom(...ledgerNames)), fc.oneof(pathJunk, fc.constant(target)), saveBodies, fc.boolean(), acceptLanguage).filter(([name, id, body, asItInfra]) => {
      if (!asItInfra || !ledgerNames.includes(name)) return true;
      const item = (body as { item?: Record<string, unknown> })?.item;
      return !(item && typeof item === 'object' && itemIsValid(name, item));
    }), async ([name, id, body, asItInfra, language]) => {
      const answer = await send(asItInfra ? yamada : fuzzer, 'PUT', `/api/ledgers/${encodeURIComponent(name)}/${encodeURIComponent(id)}`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `update ${name.slice(0, 40)}/${id.slice(0, 40)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, asItInfra ? [400, 404, 409] : [400, 403, 404], 'update junk');
    });
    // Import: junk CSV, the right header with junk rows, or a good row beside a bad one (imports nothing).
    const header = ledgerRegistry.get('servers')!.columns.map((c) => c.label.ja).join(',');
    const goodRow = `${tag}-imported,取込サーバ,Imported,app,imp01,Linux,site-tokyo,br-east,u-ito,active,,,,`;
    const junkRow = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('"', '""', '\r', '\n', ',', 'mainframe', '=1+1', '@SUM(A1)')), { minLength: 1, maxLength: 20 }).map((cells) => `${tag}-row,${cells.join(',')}`);
    const csv = fc.oneof(
      fc.oneof(unicodeString, hugeString.map((s) => s.slice(0, 200_000)), fc.constantFrom('', '\ufeff', '"', '\r\n\r\n', header)),
      fc.array(junkRow, { minLength: 1, maxLength: 10 }).map((rows) => [header, ...rows].join('\r\n')),
      junkRow.map((row) => [header, goodRow, `${tag}-bad,悪いサーバ,Bad,mainframe,b01,Linux,site-tokyo,br-east,u-ito,active,,,,`, row].join('\r\n')),
    );
    const importBody = fc.oneof(
      fc.record({ csv, validRowsOnly: fc.constantFrom(undefined, false), dryRun: fc.constantFrom(undefined, true, false) }).map((b) => JSON.parse(JSON.stringify(b)) as Record<string, unknown>),
      fc.record({ csv: fc.constantFrom('', '\ufeff', '"', 'a,b'), validRowsOnly: junkValue, dryRun: junkValue }),
      junkValue,
    );
    await property('import (as itInfra and not)', fc.tuple(fc.oneof(fc.constant('servers'), fc.constantFrom(...ledgerNames), pathJunk), importBody, fc.boolean(), acceptLanguage), async ([name, body, asItInfra, language]) => {
      const answer = await send(asItInfra ? yamada : fuzzer, 'POST', `/api/ledgers/${encodeURIComponent(name)}/import`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `import ${name.slice(0, 40)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, asItInfra ? [200, 400, 404] : [400, 403, 404], 'import');
      if (answer.status === 200) {
        expect(answer.body.applied === false || answer.body.imported === 0).toBe(true);
        expect(answer.body.imported).toBe(0);
      }
    }, RUNS * 2);
    // Completing configuration changes that do not exist.
    const completeBodies = fc.oneof(junkValue, mutationsOf({ note: '完了' }, specsOf(CompleteConfigurationChangeBody)), fc.constant({}));
    await property('complete junk configuration changes', fc.tuple(pathJunk, completeBodies, fc.boolean(), acceptLanguage), async ([id, body, asItInfra, language]) => {
      const answer = await send(asItInfra ? yamada : fuzzer, 'POST', `/api/configuration-changes/${encodeURIComponent(id)}/complete`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `complete ${id.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 200)}`);
      // An id that names nothing is 404 for anyone; otherwise only IT infrastructure gets past 403.
      expectStatus(answer, pathTooLong(id) ? [404] : asItInfra ? [400, 404] : [400, 403], 'complete');
    });
    await expectNothingWritten();
  });

  it('organisation writes as u-yamada (情報システム部インフラ担当): invalid people, places and CSV, previews and stale versions write nothing', async () => {
    const organisation = async () => {
      const keysOf = (items: Record<string, unknown>[]) => items.map((item) => `${String(item.pk)}|${String(item.sk)}|${String(item.version ?? '')}`).sort();
      return {
        people: keysOf(await recordsUnder('gsi1', 'PEOPLE')),
        places: await Promise.all(['branch', 'site', 'department'].map(async (kind) => keysOf(await recordsUnder('gsi1', `PLACES#${kind}`)))),
        sato: await recordsUnder(null, 'PERSON#u-sato'),
      };
    };
    const stored = await organisation();
    const basePerson = { id: `${tag}-person`, name: { ja: 'ファズ 太郎', en: 'Taro Fuzz' }, email: `${tag}@example.co.jp`, siteId: 'site-tokyo', departmentId: 'dep-sales', roles: [{ role: 'siteManager', scope: { kind: 'site', id: 'site-tokyo' } }] };
    const personBodies = fc.oneof(
      junkValue,
      mutationsOf(basePerson, specsOf(PersonInput)).map((person) => ({ person, dryRun: true })),
      mutationsOf({ person: basePerson, dryRun: true }, specsOf(organisationSchemas.SavePersonBody)),
    );
    // A body that might register someone is sent only as a preview (dryRun), which answers 200 and writes nothing.
    const mightWrite = (body: unknown) => {
      const parsed = organisationSchemas.SavePersonBody.safeParse(asParsed(body));
      return parsed.success && parsed.data.dryRun !== true && PersonInput.safeParse(parsed.data.person).success;
    };
    await property('register people (as itInfra)', fc.tuple(personBodies.filter((b) => !mightWrite(b)), acceptLanguage), async ([body, language]) => {
      const answer = await send(yamada, 'POST', '/api/admin/people', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `register ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [200, 400, 409], 'register');
      if (answer.status === 200) expect(answer.body.applied).toBe(false);
    }, RUNS * 2);
    // Changing 佐藤 at a version she is not at, or with junk: never written.
    const sato = { id: 'u-sato', name: { ja: '佐藤 花子', en: 'Hanako Sato' }, email: 'sato@example.co.jp', siteId: 'site-tokyo', departmentId: 'dep-general', roles: [] };
    const staleBodies = fc.oneof(
      junkValue,
      mutationsOf(sato, specsOf(PersonInput)).map((person) => ({ person, version: 999 })),
      // Never a version she could be at (seeded at 0, and no test changes her).
      fc.oneof(fc.integer({ min: 100_000, max: 1_000_000 }), junkValue.filter((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 99_999)).map((version) => ({ person: sato, version })),
    );
    await property('change a person at a stale version (as itInfra)', fc.tuple(fc.oneof(fc.constant('u-sato'), pathJunk), staleBodies, acceptLanguage), async ([id, body, language]) => {
      const answer = await send(yamada, 'PUT', `/api/admin/people/${encodeURIComponent(id)}`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `change ${id.slice(0, 40)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404, 409], 'change person');
    });
    await property('read junk people (as itInfra)', fc.tuple(pathJunk, acceptLanguage), async ([id, language]) => {
      const answer = await send(yamada, 'GET', `/api/admin/people/${encodeURIComponent(id)}`, undefined, headersFor(language));
      expectDocumented(answer, language, `read ${id.slice(0, 60)}`);
      expectStatus(answer, [200, 404], 'read person');
    });
    // Places: registering an id that exists (or a broken one), and changes at a stale version.
    const placeBodies = fc.oneof(junkValue, mutationsOf({ place: { id: 'dep-sales', name: { ja: '営業部', en: 'Sales' } } }, specsOf(organisationSchemas.SavePlaceBody)), mutationsOf({ id: 'dep-sales', name: { ja: '営業部', en: 'Sales' } }, specsOf(PlaceInput)).map((place) => ({ place })));
    // Only an id that exists in that kind is sent in a body that would pass (a taken id is refused).
    const existing: Record<string, string> = { department: 'dep-sales', site: 'site-tokyo', branch: 'br-east' };
    const newPlace = ([kind, body]: [string, unknown]) => {
      const parsed = PlaceInput.safeParse((asParsed(body) as { place?: unknown } | null)?.place);
      return parsed.success && Object.hasOwn(existing, kind) && parsed.data.id !== existing[kind];
    };
    const placeInput = fc.tuple(fc.oneof(fc.constantFrom('department', 'site', 'branch'), pathJunk), placeBodies).filter((input) => !newPlace(input));
    await property('register places (as itInfra)', fc.tuple(placeInput, acceptLanguage), async ([[kind, body], language]) => {
      const answer = await send(yamada, 'POST', `/api/admin/places/${encodeURIComponent(kind)}`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `register place ${kind.slice(0, 40)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404], 'register place');
    });
    await property('change places at a stale version (as itInfra)', fc.tuple(fc.oneof(fc.constantFrom('department', 'site'), pathJunk), placeBodies.map((b) => (b && typeof b === 'object' && !Array.isArray(b) ? { ...b, version: 999 } : b)), acceptLanguage), async ([kind, body, language]) => {
      const answer = await send(yamada, 'PUT', `/api/admin/places/${encodeURIComponent(kind)}/dep-sales`, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `change place ${kind.slice(0, 40)} ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 404, 409], 'change place');
    });
    // CSV: junk files and junk rows, checked only (dryRun) or refused for their rows.
    const peopleHeader = '社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割';
    const junkCells = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('"', '""', '\r', '\n', ',', ';', '@', 'siteManager@', 'itInfra', '拠点管理者@site-tokyo', '=1+1')), { minLength: 1, maxLength: 9 });
    const csvText = fc.oneof(
      fc.oneof(unicodeString, hugeString.map((s) => s.slice(0, 200_000)), fc.constantFrom('', '\ufeff', '"', peopleHeader, '種別,ID,名称,名称（英語）,支社ID')),
      fc.array(junkCells, { minLength: 1, maxLength: 8 }).map((rows) => [peopleHeader, ...rows.map((cells) => cells.join(','))].join('\r\n')),
    );
    const importBodies = fc.oneof(
      fc.record({ file: fc.constantFrom('people', 'places'), csv: csvText, dryRun: fc.constant(true) }),
      fc.record({ file: fc.oneof(fc.constantFrom('people', 'places', 'ledger'), fc.string({ maxLength: 10 })), csv: fc.constantFrom('', 'a,b'), validRowsOnly: junkValue, dryRun: junkValue }),
      junkValue,
    );
    await property('import the organisation (as itInfra)', fc.tuple(importBodies, acceptLanguage), async ([body, language]) => {
      const answer = await send(yamada, 'POST', '/api/admin/organisation/import', JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `import ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [200, 400], 'import organisation');
      if (answer.status === 200) expect(answer.body.imported).toBe(0);
    }, RUNS * 2);
    expect(await organisation()).toEqual(stored);
    await expectNothingWritten();
  });

  it('case routes (C1, C2): junk and mutated bodies are refused with 400, unknown cases with 404, and nothing is stored', async () => {
    const ago = new Date(Date.now() - 3600_000).toISOString();
    // The phase body is a union by `phase`: the fields of one of its shapes are mutated.
    const phaseSpecs: Record<string, FieldSpec> = {
      phase: { type: 'string', enum: ['notified', 'recovered', 'recovery-notified', 'timeline-reported', 'cause-recorded', 'closed'] },
      version: { type: 'integer', minimum: 1 },
      recoveredAt: { type: 'string' },
      action: { type: 'string', maxLength: 4000 },
    };
    const plans = [
      {
        path: '/api/cases/incidents',
        schema: IncidentReportInput,
        bodies: mutationsOf(
          { kind: 'server', title: 'ファズ', description: '状況', siteId: 'site-tokyo', systems: [{ ledger: 'servers', id: 'srv-core-db' }], affectedDepartments: ['dep-sales'], startedAt: ago, personalInfoRisk: false },
          specsOf(IncidentReportInput),
        ),
      },
      { path: '/api/cases/incidents/INC-20261125-AAAAAA/phases', schema: IncidentPhaseInput, bodies: mutationsOf({ phase: 'recovered', version: 2, recoveredAt: ago, action: '再起動' }, phaseSpecs) },
      {
        path: '/api/cases/media-checkouts',
        schema: MediaCheckoutInput,
        bodies: mutationsOf({ mediaKind: 'usb', name: `USB ${tag}`, purpose: 'ファズ', destination: '本社', expectedReturnOn: daysFromToday(3) }, specsOf(MediaCheckoutInput)),
      },
      { path: '/api/cases/media-checkouts/MC-20261125-AAAAAA/return', schema: MediaReturnInput, bodies: mutationsOf({ version: 1, note: '確認' }, specsOf(MediaReturnInput)) },
    ];
    // Cases other test files filed as the same person before this one ran are not the fuzzer's doing.
    const casesOfFuzzer = () => Promise.all(['incident', 'media-checkout'].map((kind) => recordsUnder('gsi1', `CASES#${kind}#person#${FUZZER}`)));
    const casesBefore = await casesOfFuzzer();
    for (const plan of plans) {
      const invalid = fc.oneof(junkValue, plan.bodies).filter((body) => !plan.schema.safeParse(asParsed(body)).success);
      await property(`${plan.path} invalid bodies`, fc.tuple(invalid, acceptLanguage), async ([body, language]) => {
        const answer = await send(fuzzer, 'POST', plan.path, JSON.stringify(body), headersFor(language));
        expectDocumented(answer, language, `${plan.path} ${JSON.stringify(body)?.slice(0, 200)}`);
        expectStatus(answer, [400], plan.path);
      });
    }
    // A valid step on a case that is not there (or a junk id): 404, before who may act is asked.
    await property('case steps on junk ids', fc.tuple(pathJunk, fc.boolean(), acceptLanguage), async ([id, incident, language]) => {
      const path = incident ? `/api/cases/incidents/${encodeURIComponent(id)}/phases` : `/api/cases/media-checkouts/${encodeURIComponent(id)}/return`;
      const body = incident ? { phase: 'notified', version: 1 } : { version: 1 };
      const answer = await send(fuzzer, 'POST', path, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `${path.slice(0, 100)}`);
      expectStatus(answer, [404], 'case step junk id');
    });
    expect(await casesOfFuzzer()).toEqual(casesBefore);
    await expectNothingWritten();
  });

  it('logbook routes: mutated entries, junk places and ids, stale and junk changes are refused (400/403/404/409), and nothing is recorded', async () => {
    const today = daysFromToday(0);
    const month = today.slice(0, 7);
    const l3 = logbookRegistry.get('L3')!;
    const base = { visitorName: 'ファズ 一郎', company: 'ファズ商事', purpose: '打合せ', guestCard: 'G-99', escortId: FUZZER, entryAt: '10:00', cardReturned: false };
    expect(parseFields(l3, base).ok).toBe(true);
    const record = (logbook: string, site: string, m: string) => `/api/logbooks/${encodeURIComponent(logbook)}/${encodeURIComponent(site)}/${encodeURIComponent(m)}`;
    // Field by field: only what the logbook refuses is sent (a valid entry would be recorded).
    const invalidFields = mutationsOf(base, specsOf(l3.fields)).filter((fields) => !parseFields(l3, fields).ok);
    await property('record L3 entries with mutated fields', fc.tuple(invalidFields, acceptLanguage), async ([fields, language]) => {
      const answer = await send(fuzzer, 'POST', record('L3', 'site-tokyo', month), JSON.stringify({ date: today, fields }), headersFor(language));
      expectDocumented(answer, language, `record L3 ${JSON.stringify(fields).slice(0, 200)}`);
      expectStatus(answer, [400], 'record L3 fields');
      expect(answer.body.error.issues.every((issue: { path: string }) => issue.path.startsWith('fields'))).toBe(true);
    });
    const bodies = fc.oneof(junkValue, mutationsOf({ date: today, fields: base }, specsOf(AddLogbookEntryBody))).filter((body) => {
      const parsed = AddLogbookEntryBody.safeParse(asParsed(body));
      return !parsed.success || !parseFields(l3, parsed.data.fields).ok || dateIssues(parsed.data.date, month, today).length > 0;
    });
    await property('record arbitrary logbook bodies', fc.tuple(bodies, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'POST', record('visitor-reception', 'site-tokyo', month), JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `record ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400], 'record body');
    });
    const places = fc
      .tuple(fc.oneof(fc.constantFrom('L3', 'visitor-reception', 'L9'), pathJunk), fc.oneof(fc.constantFrom('site-tokyo', 'site-sendai', 'site-nowhere'), pathJunk), fc.oneof(fc.constantFrom(month, '2026-13', '26-11', `${month}-01`), pathJunk), acceptLanguage)
      .filter(([logbook, site, m]) => !(['L3', 'visitor-reception'].includes(logbook) && site === 'site-tokyo' && m === month));
    await property('record into junk logbooks, sites and months', places, async ([logbook, site, m, language]) => {
      const answer = await send(fuzzer, 'POST', record(logbook, site, m), JSON.stringify({ date: today, fields: base }), headersFor(language));
      expectDocumented(answer, language, `record ${logbook.slice(0, 40)} ${site.slice(0, 40)} ${m.slice(0, 40)}`);
      expectStatus(answer, [400, 403, 404], 'record junk place');
    });

    // An entry of someone else (the security manager, who keeps every site's logbooks), for the changes below.
    const yamaguchi = await signIn('u-yamaguchi');
    const created = await yamaguchi.call('POST', record('L3', 'site-tokyo', month), { date: today, fields: { ...base, escortId: 'u-yamaguchi' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const entry = created.body.entry as { id: string; version: number; fields: Record<string, unknown> };
    const entryPath = `${record('L3', 'site-tokyo', month)}/${entry.id}`;
    // Anything but a valid change at the current version: junk, invalid fields, or a version it is not at.
    const changes = fc
      .oneof(junkValue, mutationsOf({ version: entry.version, fields: { ...entry.fields, exitAt: '11:00', cardReturned: true }, reason: '確認' }, specsOf(UpdateLogbookEntryBody)))
      .filter((body) => {
        const parsed = UpdateLogbookEntryBody.safeParse(asParsed(body));
        return !parsed.success || parsed.data.version !== entry.version || !parseFields(l3, parsed.data.fields).ok;
      });
    await property('change an entry with junk, invalid or stale bodies', fc.tuple(changes, acceptLanguage), async ([body, language]) => {
      const answer = await send(fuzzer, 'PUT', entryPath, JSON.stringify(body), headersFor(language));
      expectDocumented(answer, language, `change ${JSON.stringify(body)?.slice(0, 200)}`);
      expectStatus(answer, [400, 403, 409], 'change entry');
    });
    await property('change and read junk entry ids', fc.tuple(pathJunk, fc.boolean(), acceptLanguage), async ([id, read, language]) => {
      const path = `${record('L3', 'site-tokyo', month)}/${encodeURIComponent(id)}`;
      const answer = read ? await send(fuzzer, 'GET', path, undefined, headersFor(language)) : await send(fuzzer, 'PUT', path, JSON.stringify({ version: 1, fields: base }), headersFor(language));
      expectDocumented(answer, language, `${read ? 'GET' : 'PUT'} ${path.slice(0, 120)}`);
      expectStatus(answer, [404], 'junk entry id');
    });
    const after = await yamaguchi.call('GET', entryPath);
    expect(after.body.entry).toMatchObject({ version: entry.version, fields: entry.fields });
    expect((await recordsUnder(null, `LOGBOOK#L3#site-tokyo#${month}`)).filter((item) => (item.recordedBy as { id?: string } | undefined)?.id === FUZZER)).toEqual([]);
    await expectNothingWritten();
  });

  it('states what the gateway answers outside the handlers: too large a body (413), too long a URL (431)', async () => {
    const large = await send(fuzzer, 'POST', '/api/requests', JSON.stringify({ formId: 'server-connection-request', data: { purpose: 'x'.repeat(1024 * 1024) } }));
    expect(large.status).toBe(413);
    const long = await send(fuzzer, 'GET', `/api/requests/${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    await expectNothingWritten();
  });
});

/**
 * Defects the fuzzing found, now fixed (docs/reliability.md). Each test states the documented
 * behaviour with the input that once broke it.
 */
describe('defects found by fuzzing stay fixed', () => {
  beforeAll(takeSnapshot);

  // D1: keys over DynamoDB's limits once reached DynamoDB (ValidationException → 500 internal).
  it('D1 GET /api/ledgers/{name}/{id} with a 1100-character id answers 404, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/ledgers/servers/${'x'.repeat(1100)}`);
    expect(answer.status).toBe(404);
  });

  it('D1 GET /api/ledgers/{name}/{id} with 400 Japanese characters (1200 bytes) answers 404, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/ledgers/servers/${encodeURIComponent('あ'.repeat(400))}`);
    expect(answer.status).toBe(404);
  });

  it('D1 POST /api/ledgers/{name} with an over-long item id answers 400 (the id is at most 128 characters), not 500', async () => {
    const answer = await send(yamada, 'POST', '/api/ledgers/servers', JSON.stringify({ item: { ...targetItem, id: 'x'.repeat(1100) } }));
    expect(answer.status).toBe(400);
  });

  it('D1 PUT /api/ledgers/{name}/{id} with an over-long id answers 400 or 404, not 500', async () => {
    const id = 'x'.repeat(1100);
    const answer = await send(yamada, 'PUT', `/api/ledgers/servers/${id}`, JSON.stringify({ item: { ...targetItem, id }, version: 1 }));
    expect([400, 404]).toContain(answer.status);
  });

  it('D1 POST /api/ledgers/{name}/import with an over-long id in a row reports the row rejected, not 500', async () => {
    const header = ledgerRegistry.get('servers')!.columns.map((c) => c.label.ja).join(',');
    const answer = await send(yamada, 'POST', '/api/ledgers/servers/import', JSON.stringify({ csv: `${header}\r\n${'x'.repeat(1100)},名,Name,app,h,Linux,site-tokyo,br-east,u-ito,active,,,,`, dryRun: true }));
    expect(answer.status).toBe(200);
  });

  it('D1 POST /api/configuration-changes/{id}/complete with an over-long id answers 404, not 500', async () => {
    const answer = await send(yamada, 'POST', `/api/configuration-changes/${'x'.repeat(1100)}/complete`, '{}');
    expect(answer.status).toBe(404);
  });

  it('D2 POST /api/forms/server-product-request/route-preview with an over-long productId answers 200 or 400, not 500', async () => {
    const answer = await send(fuzzer, 'POST', '/api/forms/server-product-request/route-preview', JSON.stringify({ data: { productId: 'x'.repeat(1100) } }));
    expect([200, 400]).toContain(answer.status);
  });

  // D3: a cursor that named the right partition but was not a key DynamoDB gave out once reached DynamoDB.
  const cursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
  it('D3 GET /api/requests?cursor= a forged cursor of the caller\'s own partition answers 400, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/requests?cursor=${cursor({ gsi1pk: `REQUESTER#${FUZZER}` })}`);
    expect(answer.status).toBe(400);
  });

  it('D3 GET /api/tasks?cursor= a forged cursor of the caller\'s inbox answers 400, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/tasks?cursor=${cursor({ gsi1pk: `INBOX#${FUZZER}`, gsi1sk: 7 })}`);
    expect(answer.status).toBe(400);
  });

  it('D3 GET /api/ledgers/servers?cursor= a forged cursor of the ledger partition answers 400, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/ledgers/servers?cursor=${cursor({ pk: 'LEDGER#servers', sk: 'ITEM#srv-app', extra: 'x' })}`);
    expect(answer.status).toBe(400);
  });

  it('D3 GET /api/circulations?cursor= a forged cursor of the caller\'s circulations answers 400, not 500', async () => {
    const answer = await send(fuzzer, 'GET', `/api/circulations?cursor=${cursor({ gsi1pk: `CIRC#${FUZZER}` })}`);
    expect(answer.status).toBe(400);
  });

  // D4 (local runtime only): the gateway decoded path parameters with decodeURIComponent, which throws.
  it('D4 the local gateway answers a path segment that is not valid percent-encoding with 4xx, not 500', async () => {
    const answer = await send(fuzzer, 'GET', '/api/requests/%E0%A4%A');
    expect(answer.status).toBeLessThan(500);
  });

  // D8: `route()` parsed `parseBody(event) ?? {}`: the JSON body `null` was taken for no body, where `5` or `[]` is refused.
  it('D8 POST /api/requests/{id}/withdraw with the JSON body null answers 400 (the body must be an object), not a withdrawal', async () => {
    const takahashi = await signIn('u-takahashi'); // 仙台: none of the sessions watched above
    const own = await fileF1(takahashi, { purpose: `null 本文の試験 ${tag}` });
    const answer = await send(takahashi, 'POST', `/api/requests/${own.id}/withdraw`, 'null');
    if (answer.status === 400) await send(takahashi, 'POST', `/api/requests/${own.id}/withdraw`, '{}'); // once fixed: clean up
    expect(answer.status).toBe(400);
  });

  it('nothing was written by the defect reproductions either', async () => {
    await expectNothingWritten();
  });
});
