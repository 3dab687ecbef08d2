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
];

/** Functions that the approval state machine invokes, by the placeholder name used in the ASL file. */
export const workflowFunctions = {
  AdvanceFunctionArn: { entry: 'functions/workflow/advance.ts', name: 'Advance' },
  NotifyApproversFunctionArn: { entry: 'functions/workflow/notify-approvers.ts', name: 'NotifyApprovers' },
  ApplyOutcomeFunctionArn: { entry: 'functions/workflow/apply-outcome.ts', name: 'ApplyOutcome' },
} as const;

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
    name: 'RemindOpenTasks',
    entry: 'functions/schedule/remind-open-tasks.ts',
    cron: 'cron(0 9 ? * MON-FRI *)',
    description: { ja: '承認待ちの督促と上申（営業日で数える）', en: 'Remind approvers of waiting tasks and escalate overdue ones (working days)' },
  },
] as const;
