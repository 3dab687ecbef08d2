import { z } from 'zod';
import { catalog } from '../forms/catalog';
import { CompleteConfigurationChangeBody } from '../forms/configuration-change-completion';
import { routes } from './routes';
import { AbsenceBody, BulkApprovalBody, DecisionBody, ImportLedgerBody, PreviewRouteBody, ResubmitRequestBody, SaveLedgerItemBody, SubmitRequestBody, WithdrawRequestBody } from './schemas';

const bodies: Record<string, z.ZodType> = {
  SubmitRequest: SubmitRequestBody,
  ResubmitRequest: ResubmitRequestBody,
  WithdrawRequest: WithdrawRequestBody,
  DecideTask: DecisionBody,
  DecideByLink: DecisionBody,
  CreateLedgerItem: SaveLedgerItemBody,
  UpdateLedgerItem: SaveLedgerItemBody,
  ImportLedger: ImportLedgerBody,
  CompleteConfigurationChange: CompleteConfigurationChangeBody,
  PreviewRoute: PreviewRouteBody,
  ApproveTasks: BulkApprovalBody,
  SetAbsence: AbsenceBody,
};

const summaries: Record<string, string> = {
  GetOpenApi: 'This document',
  GetMe: 'The signed-in person, their places and roles',
  ListForms: 'Every form with its articles, route and JSON Schema',
  SubmitRequest: 'File a request',
  ListRequests: "The caller's requests",
  GetRequest: 'A request with stages and history',
  WithdrawRequest: 'Withdraw (引戻し) a request',
  ResubmitRequest: 'Resubmit (再申請) a sent-back request',
  ListTasks: "The caller's pending approval tasks",
  GetTask: 'One task with its request',
  DecideTask: 'Approve, reject or send back',
  OpenLink: 'The task behind an e-mailed link (changes nothing)',
  DecideByLink: 'Decide through an e-mailed link',
  ListLedger: 'One page of a ledger (by site, branch or words); {name}.csv exports the whole ledger as CSV',
  ListLedgers: 'Every ledger with its columns',
  CreateLedgerItem: 'Create a ledger item (IT infrastructure only)',
  UpdateLedgerItem: 'Edit a ledger item (IT infrastructure only)',
  GetLedgerItem: 'A ledger item with its history',
  ImportLedger: 'Import a ledger from CSV, with a row-by-row report',
  GetFormContext: 'Facts shown on a form before it is filled in',
  PreviewRoute: 'Whom this data would go to',
  ListCirculations: '回覧 I received (unread=true for the unread ones)',
  MarkCirculationRead: 'Mark a 回覧 read',
  GetAbsence: 'My absence and delegate (代理承認)',
  SetAbsence: 'Set my absence period and delegate',
  ClearAbsence: 'Clear my absence',
  ApproveTasks: '一括承認: approve several of my tasks, each decided and audited on its own',
  CompleteConfigurationChange: 'Mark an approved configuration change done (revises the configuration ledger)',
};

const ErrorShape = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messages: z.object({ ja: z.string(), en: z.string() }),
    issues: z.array(z.object({ path: z.string(), message: z.string(), messages: z.object({ ja: z.string(), en: z.string() }) })).optional(),
  }),
});

const errorResponses = {
  '400': { description: 'Invalid input; nothing was stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Missing or invalid token' },
  '403': { description: 'Not allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '409': { description: 'The state moved on', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '503': { description: 'A backing service did not answer; retry after Retry-After seconds' },
};

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return rest;
};

/** The OpenAPI 3.1 document of the API, generated from the route table and the zod schemas. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const body = bodies[spec.name];
    const parameters = [...spec.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[spec.path] ??= {};
    paths[spec.path][spec.method.toLowerCase()] = {
      operationId: spec.name,
      summary: summaries[spec.name] ?? spec.name,
      ...(spec.public ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
      responses: { [spec.name === 'SubmitRequest' || spec.name === 'CreateLedgerItem' ? '201' : '200']: { description: 'OK', content: { 'application/json': {} } }, ...errorResponses },
    };
  }
  const formSchemas = Object.fromEntries([...catalog.values()].map(({ form, jsonSchema: schema }) => {
    const { $schema: _ignored, ...rest } = schema;
    return [`FormData_${form.code}`, { ...rest, description: `${form.code} ${form.title.ja} / ${form.title.en}` }];
  }));
  return {
    openapi: '3.1.0',
    info: { title: '規程ワークフロー API / Regulation Workflow API', version: '1' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchema(ErrorShape), ...formSchemas },
    },
    paths,
  };
}
