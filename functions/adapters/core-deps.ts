import type { Deps } from '../domain/ports';
import { ledgerRegistry } from '../ledgers/registry';
import { dynamo, ses, sfn } from './aws-clients';
import { randomIds, systemClock } from './clock-and-ids';
import { config } from './config';
import { DynamoDirectory } from './dynamo-directory';
import { DynamoLedgers } from './dynamo-ledgers';
import { DynamoRequestStore } from './dynamo-request-store';
import { SesMailer } from './ses-mailer';
import { StepFunctionsWorkflow } from './sfn-workflow';

/*
 * Lighter composition roots than deps.ts, for the functions that need only some ports.
 *
 * esbuild puts into a function's bundle everything its modules import, and deps.ts imports every
 * store and the whole form catalogue: each function then carried all of them (size and cold start),
 * whatever it used. A function that needs only requests, tasks, the directory and ledgers imports
 * `coreDeps` here; one that also needs the forms imports `formDeps` (form-deps.ts); deps.ts stays the
 * root that has everything.
 */

const tables = { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE };

/** The ports of requests, decisions and ledgers, wired to AWS once per process. */
export const core = {
  requests: new DynamoRequestStore(dynamo, tables),
  directory: new DynamoDirectory(dynamo, tables.records),
  ledgers: new DynamoLedgers(dynamo, tables),
  ledgerDefinitions: ledgerRegistry,
  workflow: new StepFunctionsWorkflow(sfn, config.APPROVAL_STATE_MACHINE_ARN),
  mailer: new SesMailer(ses, config.MAIL_FROM),
  clock: systemClock,
  ids: randomIds,
  webBaseUrl: config.WEB_BASE_URL,
} satisfies Partial<Deps>;

/**
 * `Deps` with only the given ports: reading any other one throws at once, naming the root that has
 * it, rather than letting a function run on without it. (Integration tests call every route, so a
 * function on too light a root fails there.)
 */
export function partialDeps(wired: Partial<Deps>, root: string): Deps {
  return new Proxy(wired, {
    get(target, name) {
      if (name in target) return target[name as keyof Deps];
      if (typeof name === 'symbol' || name === 'then' || name === 'toJSON') return undefined;
      throw new Error(`${name} is not wired in ${root}: import deps from functions/adapters/deps.ts in this function`);
    },
  }) as Deps;
}

/** Requests, tasks, links, circulations, the directory and the ledgers — no form catalogue. */
export const coreDeps: Deps = partialDeps(core, 'coreDeps (functions/adapters/core-deps.ts)');
