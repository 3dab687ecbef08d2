/**
 * The HTTP API, one entry per route. The CDK API construct creates one Lambda function per entry
 * and the local gateway dispatches to the same handler modules, so the two never disagree about
 * which code answers which path.
 */
export interface RouteSpec {
  /** HTTP method as API Gateway spells it in a route key. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path in API Gateway syntax, with `{name}` path parameters. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** A short, stable name used for the Lambda function's logical id. */
  name: string;
  /** Routes without a JWT (the OpenAPI document). */
  public?: boolean;
}

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/openapi.json', entry: 'functions/http/get-openapi.ts', name: 'GetOpenApi', public: true },
  { method: 'GET', path: '/api/me', entry: 'functions/http/get-me.ts', name: 'GetMe' },
  { method: 'GET', path: '/api/me/absence', entry: 'functions/http/absence.ts', name: 'GetAbsence' },
  { method: 'PUT', path: '/api/me/absence', entry: 'functions/http/absence.ts', name: 'SetAbsence' },
  { method: 'DELETE', path: '/api/me/absence', entry: 'functions/http/absence.ts', name: 'ClearAbsence' },
  { method: 'GET', path: '/api/forms', entry: 'functions/http/list-forms.ts', name: 'ListForms' },
  { method: 'GET', path: '/api/forms/{id}/context', entry: 'functions/http/get-form-context.ts', name: 'GetFormContext' },
  { method: 'POST', path: '/api/forms/{id}/route-preview', entry: 'functions/http/preview-route.ts', name: 'PreviewRoute' },
  { method: 'POST', path: '/api/requests', entry: 'functions/http/submit-request.ts', name: 'SubmitRequest' },
  { method: 'GET', path: '/api/requests', entry: 'functions/http/list-requests.ts', name: 'ListRequests' },
  { method: 'GET', path: '/api/requests/{id}', entry: 'functions/http/get-request.ts', name: 'GetRequest' },
  { method: 'POST', path: '/api/requests/{id}/withdraw', entry: 'functions/http/withdraw-request.ts', name: 'WithdrawRequest' },
  { method: 'POST', path: '/api/requests/{id}/resubmit', entry: 'functions/http/resubmit-request.ts', name: 'ResubmitRequest' },
  { method: 'GET', path: '/api/tasks', entry: 'functions/http/list-tasks.ts', name: 'ListTasks' },
  { method: 'GET', path: '/api/tasks/{id}', entry: 'functions/http/get-task.ts', name: 'GetTask' },
  { method: 'POST', path: '/api/tasks/{id}/decision', entry: 'functions/http/decide-task.ts', name: 'DecideTask' },
  { method: 'POST', path: '/api/tasks/bulk-approval', entry: 'functions/http/approve-tasks.ts', name: 'ApproveTasks' },
  { method: 'GET', path: '/api/circulations', entry: 'functions/http/list-circulations.ts', name: 'ListCirculations' },
  { method: 'POST', path: '/api/circulations/{requestId}/read', entry: 'functions/http/mark-circulation-read.ts', name: 'MarkCirculationRead' },
  { method: 'GET', path: '/api/links/{token}', entry: 'functions/http/open-link.ts', name: 'OpenLink' },
  { method: 'POST', path: '/api/links/{token}/decision', entry: 'functions/http/decide-by-link.ts', name: 'DecideByLink' },
  { method: 'GET', path: '/api/ledgers', entry: 'functions/http/list-ledgers.ts', name: 'ListLedgers' },
  { method: 'POST', path: '/api/configuration-changes/{id}/complete', entry: 'functions/http/complete-configuration-change.ts', name: 'CompleteConfigurationChange' },
  { method: 'GET', path: '/api/ledgers/{name}', entry: 'functions/http/list-ledger.ts', name: 'ListLedger' },
  { method: 'POST', path: '/api/ledgers/{name}', entry: 'functions/http/save-ledger-item.ts', name: 'CreateLedgerItem' },
  { method: 'POST', path: '/api/ledgers/{name}/import', entry: 'functions/http/import-ledger.ts', name: 'ImportLedger' },
  { method: 'GET', path: '/api/ledgers/{name}/{id}', entry: 'functions/http/get-ledger-item.ts', name: 'GetLedgerItem' },
  { method: 'PUT', path: '/api/ledgers/{name}/{id}', entry: 'functions/http/save-ledger-item.ts', name: 'UpdateLedgerItem' },
  { method: 'GET', path: '/api/admin/organisation', entry: 'functions/http/get-organisation.ts', name: 'GetOrganisation' },
  { method: 'GET', path: '/api/admin/organisation/{file}', entry: 'functions/http/export-organisation.ts', name: 'ExportOrganisation' },
  { method: 'POST', path: '/api/admin/organisation/import', entry: 'functions/http/import-organisation.ts', name: 'ImportOrganisation' },
  { method: 'POST', path: '/api/admin/people', entry: 'functions/http/save-organisation-person.ts', name: 'CreatePerson' },
  { method: 'GET', path: '/api/admin/people/{id}', entry: 'functions/http/get-organisation-person.ts', name: 'GetPersonAdmin' },
  { method: 'PUT', path: '/api/admin/people/{id}', entry: 'functions/http/save-organisation-person.ts', name: 'UpdatePerson' },
  { method: 'POST', path: '/api/admin/places/{kind}', entry: 'functions/http/save-organisation-place.ts', name: 'CreatePlace' },
  { method: 'PUT', path: '/api/admin/places/{kind}/{id}', entry: 'functions/http/save-organisation-place.ts', name: 'UpdatePlace' },
  { method: 'GET', path: '/api/cases', entry: 'functions/http/get-case-catalog.ts', name: 'GetCaseCatalog' },
  { method: 'POST', path: '/api/cases/incidents', entry: 'functions/http/report-incident.ts', name: 'ReportIncident' },
  { method: 'GET', path: '/api/cases/incidents', entry: 'functions/http/list-incidents.ts', name: 'ListIncidents' },
  { method: 'GET', path: '/api/cases/incidents/{id}', entry: 'functions/http/get-incident.ts', name: 'GetIncident' },
  { method: 'POST', path: '/api/cases/incidents/{id}/phases', entry: 'functions/http/record-incident-phase.ts', name: 'RecordIncidentPhase' },
  { method: 'POST', path: '/api/cases/media-checkouts', entry: 'functions/http/check-out-media.ts', name: 'CheckOutMedia' },
  { method: 'GET', path: '/api/cases/media-checkouts', entry: 'functions/http/list-media-checkouts.ts', name: 'ListMediaCheckouts' },
  { method: 'GET', path: '/api/cases/media-checkouts/{id}', entry: 'functions/http/get-media-checkout.ts', name: 'GetMediaCheckout' },
  { method: 'POST', path: '/api/cases/media-checkouts/{id}/return', entry: 'functions/http/return-media.ts', name: 'ReturnMedia' },
  { method: 'GET', path: '/api/logbooks', entry: 'functions/http/list-logbooks.ts', name: 'ListLogbooks' },
  { method: 'GET', path: '/api/logbooks/{logbook}/{siteId}/{month}', entry: 'functions/http/get-logbook-month.ts', name: 'GetLogbookMonth' },
  { method: 'POST', path: '/api/logbooks/{logbook}/{siteId}/{month}', entry: 'functions/http/add-logbook-entry.ts', name: 'AddLogbookEntry' },
  { method: 'GET', path: '/api/logbooks/{logbook}/{siteId}/{month}/{entryId}', entry: 'functions/http/get-logbook-entry.ts', name: 'GetLogbookEntry' },
  { method: 'PUT', path: '/api/logbooks/{logbook}/{siteId}/{month}/{entryId}', entry: 'functions/http/update-logbook-entry.ts', name: 'UpdateLogbookEntry' },
  { method: 'GET', path: '/api/duties', entry: 'functions/http/list-duties.ts', name: 'ListDuties' },
  { method: 'GET', path: '/api/duties/{id}', entry: 'functions/http/get-duty.ts', name: 'GetDuty' },
  { method: 'POST', path: '/api/duties/{id}/complete', entry: 'functions/http/confirm-duty.ts', name: 'ConfirmDuty' },
  { method: 'GET', path: '/api/reviews', entry: 'functions/http/list-reviews.ts', name: 'ListReviews' },
  { method: 'GET', path: '/api/reviews.csv', entry: 'functions/http/export-reviews.ts', name: 'ExportReviews' },
  { method: 'GET', path: '/api/reviews/{month}/{logbook}/{siteId}', entry: 'functions/http/get-review.ts', name: 'GetReview' },
  { method: 'POST', path: '/api/reviews/{month}/{logbook}/{siteId}/complete', entry: 'functions/http/complete-review.ts', name: 'CompleteReview' },
];

/** Functions that the approval state machine invokes, by the placeholder name used in the ASL file. */
export const workflowFunctions = {
  AdvanceFunctionArn: { entry: 'functions/workflow/advance.ts', name: 'Advance' },
  NotifyApproversFunctionArn: { entry: 'functions/workflow/notify-approvers.ts', name: 'NotifyApprovers' },
  ApplyOutcomeFunctionArn: { entry: 'functions/workflow/apply-outcome.ts', name: 'ApplyOutcome' },
} as const;

/**
 * Functions fed by a table's stream (a Lambda event source mapping on AWS; locally the runtime polls
 * DynamoDB Local's stream the same way). `filter` is the event source's filter pattern: records that
 * do not match never reach the function.
 */
export const streamFunctions = [
  {
    name: 'HandOverRequests',
    entry: 'functions/workflow/hand-over-requests.ts',
    /** The TableSpec id of the table whose stream feeds it. */
    table: 'Records',
    filter: { dynamodb: { NewImage: { entity: { S: ['request'] } } } },
    batchSize: 100,
    /** Delivering a failed batch again: how often, before reconciliation is left to it. */
    retryAttempts: 10,
    description: { ja: '保存された申請の変更を承認ワークフローに渡す（開始・再開・停止）', en: 'Hand stored request changes to the approval workflow (start, wake, stop)' },
  },
] as const;

/** Functions that the monthly review state machine (monthly-review.asl.json) invokes, by placeholder. */
export const monthlyReviewFunctions = {
  OpenMonthlyReviewsFunctionArn: { entry: 'functions/workflow/open-monthly-reviews.ts', name: 'OpenMonthlyReviews' },
  AwaitReviewFunctionArn: { entry: 'functions/workflow/await-review.ts', name: 'AwaitReview' },
} as const;

/**
 * Schedules that start a state machine (rather than invoke a function): the execution's input is
 * `{}`, or the options given when the schedule is fired by hand (`--month 2026-10`).
 */
export const scheduledWorkflows = [
  {
    name: 'monthly-review',
    /** The state machine, by the name of its ASL file in infra/statemachines. */
    stateMachine: 'monthly-review',
    /** 09:00 Asia/Tokyo on the 1st of every month: the previous month is reviewed. */
    cron: 'cron(0 9 1 * ? *)',
    description: { ja: '記録簿の月次点検を開始する（前月分、A4(3)・A9・A13(1)・A14(3)）', en: 'Open the monthly logbook reviews of the previous month (A4(3), A9, A13(1), A14(3))' },
  },
] as const;

/** Functions that schedules invoke. */
export const scheduledFunctions = [
  {
    name: 'ExpireServerAccessGrants',
    entry: 'functions/schedule/expire-server-access-grants.ts',
    /** EventBridge Scheduler cron syntax, evaluated in Asia/Tokyo. */
    cron: 'cron(5 0 * * ? *)',
    description: { ja: '期限切れのサーバ接続許可を失効させる (S5-4)', en: 'Expire server access grants past their end date (S5-4)' },
  },
  {
    name: 'ReconcileWorkflows',
    entry: 'functions/schedule/reconcile-workflows.ts',
    cron: 'cron(0/15 * * * ? *)',
    description: { ja: '止まった承認ワークフローを再開する（Step Functions 障害の後など）', en: 'Set stalled approval workflows going again (e.g. after a Step Functions outage)' },
  },
  {
    name: 'RemindOpenTasks',
    entry: 'functions/schedule/remind-open-tasks.ts',
    cron: 'cron(0 9 ? * MON-FRI *)',
    description: { ja: '承認待ちの督促と上申（営業日で数える）', en: 'Remind approvers of waiting tasks and escalate overdue ones (working days)' },
  },
  {
    name: 'RemindDuties',
    entry: 'functions/schedule/remind-duties.ts',
    cron: 'cron(10 9 ? * MON-FRI *)',
    description: { ja: '期限のある業務（月次点検・パスワード変更など）の督促と上申', en: 'Remind and escalate dated duties (monthly reviews, password changes …)' },
  },
  {
    name: 'OpenRecurringDuties',
    entry: 'functions/schedule/open-recurring-duties.ts',
    cron: 'cron(0 6 * * ? *)',
    description: {
      ja: 'パスワード変更・利用停止IDの削除・利用状況の分析・内部監査の業務を台帳から開始する (A16-5, A17-2, S11, S17-6, S21, S30, S39)',
      en: 'Open password changes, suspended-ID deletions, usage analyses and internal audits from the ledgers (A16-5, A17-2, S11, S17-6, S21, S30, S39)',
    },
  },
] as const;

/** Every product function, each entry once per function (a route table row, a workflow step, a stream or a schedule). */
export const productFunctions: readonly { name: string; entry: string }[] = [
  ...routes,
  ...Object.values(workflowFunctions),
  ...Object.values(monthlyReviewFunctions),
  ...streamFunctions,
  ...scheduledFunctions,
];
