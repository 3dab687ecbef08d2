import { ledgerRegistry } from '../ledgers/registry';
import type { Deps } from '../domain/ports';
import { dynamo, ses, sfn } from './aws-clients';
import { randomIds, systemClock } from './clock-and-ids';
import { config } from './config';
import { partialDeps } from './core-deps';
import { DynamoCases } from './dynamo-cases';
import { CachedDirectory } from './cached-directory';
import { DynamoDuties } from './dynamo-duties';
import { DynamoLedgers } from './dynamo-ledgers';
import { DynamoLogbooks } from './dynamo-logbooks';
import { logbookRegistry } from '../logbooks/registry';
import { DynamoRequestStore } from './dynamo-request-store';
import { DynamoReviews } from './dynamo-reviews';
import { SesMailer } from './ses-mailer';
import { StepFunctionsWorkflow } from './sfn-workflow';

const tables = { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE };

export const directory = new CachedDirectory(dynamo, tables.records);
export const ledgers = new DynamoLedgers(dynamo, tables);

/**
 * The composition root: the domain's ports wired to AWS, once per process. The form catalogue is not
 * here: it is most of a bundle, and only the functions that file, route, show or advance requests
 * need it — they import formDeps (form-deps.ts). Reading `deps.forms` throws, saying so.
 */
export const deps: Deps = partialDeps({
  requests: new DynamoRequestStore(dynamo, tables),
  directory,
  ledgers,
  logbooks: new DynamoLogbooks(dynamo, tables, logbookRegistry),
  logbookDefinitions: logbookRegistry,
  duties: new DynamoDuties(dynamo, tables),
  reviews: new DynamoReviews(dynamo, tables),
  cases: new DynamoCases(dynamo, tables),
  workflow: new StepFunctionsWorkflow(sfn, config.APPROVAL_STATE_MACHINE_ARN),
  mailer: new SesMailer(ses, config.MAIL_FROM),
  clock: systemClock,
  ids: randomIds,
  ledgerDefinitions: ledgerRegistry,
  webBaseUrl: config.WEB_BASE_URL,
}, 'deps (functions/adapters/deps.ts), which has no form catalogue: import formDeps from functions/adapters/form-deps.ts');
