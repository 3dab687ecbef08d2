import { catalog } from '../forms/catalog';
import { ledgerRegistry } from '../ledgers/registry';
import type { Deps } from '../domain/ports';
import { dynamo, ses, sfn } from './aws-clients';
import { randomIds, systemClock } from './clock-and-ids';
import { config } from './config';
import { DynamoDirectory } from './dynamo-directory';
import { DynamoLedgers } from './dynamo-ledgers';
import { DynamoRequestStore } from './dynamo-request-store';
import { SesMailer } from './ses-mailer';
import { StepFunctionsWorkflow } from './sfn-workflow';

const tables = { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE };

export const directory = new DynamoDirectory(dynamo, tables.records);
export const ledgers = new DynamoLedgers(dynamo, tables);

/** The composition root: the domain's ports wired to AWS, once per process. */
export const deps: Deps = {
  requests: new DynamoRequestStore(dynamo, tables),
  directory,
  ledgers,
  workflow: new StepFunctionsWorkflow(sfn, config.APPROVAL_STATE_MACHINE_ARN),
  mailer: new SesMailer(ses, config.MAIL_FROM),
  clock: systemClock,
  ids: randomIds,
  forms: catalog,
  ledgerDefinitions: ledgerRegistry,
  webBaseUrl: config.WEB_BASE_URL,
};
