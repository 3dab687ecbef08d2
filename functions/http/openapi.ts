import * as z from 'zod';
import { catalog } from '../forms/catalog';
import { CompleteConfigurationChangeBody } from '../forms/configuration-change-completion';
import { AddLogbookEntryBody, UpdateLogbookEntryBody } from './logbook-schemas';
import { IncidentPhaseInput, IncidentReportInput } from '../domain/incidents';
import { MediaCheckoutInput, MediaReturnInput } from '../domain/media-checkouts';
import { CompleteReviewBody } from './review-schemas';
import { routes } from './routes';
import { ImportOrganisationBody, SavePersonBody, SavePlaceBody } from './organisation-admin-schemas';
import { AbsenceBody, BulkApprovalBody, DecisionBody, ImportLedgerBody, PreviewRouteBody, ResubmitRequestBody, SaveLedgerItemBody, SubmitRequestBody, WithdrawRequestBody, ConfirmDutyBody } from './schemas';

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
  CreatePerson: SavePersonBody,
  UpdatePerson: SavePersonBody,
  CreatePlace: SavePlaceBody,
  UpdatePlace: SavePlaceBody,
  ImportOrganisation: ImportOrganisationBody,
  ReportIncident: IncidentReportInput,
  RecordIncidentPhase: IncidentPhaseInput,
  CheckOutMedia: MediaCheckoutInput,
  ReturnMedia: MediaReturnInput,
  AddLogbookEntry: AddLogbookEntryBody,
  UpdateLogbookEntry: UpdateLogbookEntryBody,
  ConfirmDuty: ConfirmDutyBody,
  CompleteReview: CompleteReviewBody,
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
  GetOrganisation: 'People, sites, branches, departments and roles (IT infrastructure only)',
  ExportOrganisation: 'people.csv or places.csv in the columns the import reads (IT infrastructure only)',
  ImportOrganisation: 'Import people or places from CSV, with a row-by-row report (IT infrastructure only)',
  CreatePerson: 'Register a person with their roles; dryRun shows what it would do (IT infrastructure only)',
  GetPersonAdmin: 'A person with the history of their record (IT infrastructure only)',
  UpdatePerson: 'Change a person or their roles; open stages they can no longer decide go to the new holders (IT infrastructure only)',
  CreatePlace: 'Register a site, branch or department (IT infrastructure only)',
  UpdatePlace: 'Rename a site, branch or department (IT infrastructure only)',
  ApproveTasks: '一括承認: approve several of my tasks, each decided and audited on its own',
  CompleteConfigurationChange: 'Mark an approved configuration change done (revises the configuration ledger)',
  GetCaseCatalog: 'The cases (C1 障害報告, C2 持ち出し) with their articles and phases, sites and departments, and what I may do',
  ReportIncident: 'Report an incident (anyone); IT infrastructure, and the privacy manager on a personal-information risk, are e-mailed',
  ListIncidents: 'My incident reports (scope=mine), or every incident for IT infrastructure (scope=all)',
  GetIncident: 'An incident with its phases, timeline and history; for IT infrastructure, whom the next notice reaches',
  RecordIncidentPhase: 'Record the next phase of an incident at the version shown (IT infrastructure); notices go out with it',
  CheckOutMedia: 'Record taking out a laptop or portable medium; its return is reminded when late',
  ListMediaCheckouts: 'My checkouts (scope=mine); every one (all) or those still out (out) for general affairs and IT infrastructure',
  GetMediaCheckout: 'A checkout with its history and its return duty',
  ReturnMedia: 'Record the return of a checkout (general affairs); completes its return duty',
  ListLogbooks: 'The logbooks (記録簿 L1–L5) with their fields, my site, and what is open there this month',
  GetLogbookMonth: "A site's month of one logbook ({logbook}: L1–L5 or its slug), and whether its review closed it",
  AddLogbookEntry: 'Record a logbook entry (dated in the month, not in the future)',
  GetLogbookEntry: 'A logbook entry with its history (the original and every change)',
  UpdateLogbookEntry: 'Complete (施錠, 退室 …) or correct a logbook entry at the version shown; a correction needs a reason',
  ListDuties: 'The calendar of a month: duties due, for whom, and what is overdue',
  GetDuty: 'One duty with its history',
  ConfirmDuty: 'Confirm a duty done (a password changed, an ID deleted, an analysis carried out)',
  ListReviews: '月次点検の状況: every site × logbook of a month (default: the previous one) with its review status (security manager, system administrator, IT infrastructure)',
  ExportReviews: 'The month view of the reviews as CSV (UTF-8 with BOM)',
  GetReview: 'A monthly review with the month\'s entries and their anomalies (its reviewer and the auditors; changes nothing)',
  CompleteReview: 'Complete a review: 異常なし, or each anomaly with its cause and action (A9); closes the month of that logbook at that site',
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
      responses: { [spec.name === 'SubmitRequest' || spec.name === 'CreateLedgerItem' || spec.name === 'ReportIncident' || spec.name === 'CheckOutMedia' || spec.name === 'AddLogbookEntry' || spec.name === 'CreatePerson' || spec.name === 'CreatePlace' ? '201' : '200']: { description: 'OK', content: { 'application/json': {} } }, ...errorResponses },
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
