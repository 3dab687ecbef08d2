import type { Deps } from '../domain/ports';
import { ledgerRegistry } from '../ledgers/registry';
import { dynamo, ses, sfn } from './aws-clients';
import { randomIds, systemClock } from './clock-and-ids';
import { config } from './config';
import { CachedDirectory } from './cached-directory';
import { DynamoLedgers } from './dynamo-ledgers';
import { DynamoRequestStore } from './dynamo-request-store';
import { SesMailer } from './ses-mailer';
import { StepFunctionsWorkflow } from './sfn-workflow';

/*
 * Composition roots by what a function needs. esbuild puts into a function's bundle everything its
 * modules import; when one root imported every store and the whole form catalogue, every function
 * carried all of them (bundle size and cold start), whatever it used. So:
 * - `coreDeps` (here): requests, tasks, links, circulations, the directory and the ledgers;
 * - `formDeps` (form-deps.ts): the same and the form catalogue, which is most of a bundle;
 * - `deps` (deps.ts): every store (logbooks, duties, reviews, cases …) but not the form catalogue.
 */

const tables = { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE };

/** The ports of requests, decisions and ledgers, wired to AWS once per process. */
export const core = {
  requests: new DynamoRequestStore(dynamo, tables),
  directory: new CachedDirectory(dynamo, tables.records),
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
 *
 * @param root names the root and says where the missing ports are; it ends the error's message.
 */
export function partialDeps(wired: Partial<Deps>, root: string): Deps {
  return new Proxy(wired, {
    get(target, name) {
      if (name in target) return target[name as keyof Deps];
      if (typeof name === 'symbol' || name === 'then' || name === 'toJSON') return undefined;
      throw new Error(`${name} is not wired in ${root}`);
    },
  }) as Deps;
}

/** Requests, tasks, links, circulations, the directory and the ledgers — no form catalogue. */
export const coreDeps: Deps = partialDeps(core, 'coreDeps (functions/adapters/core-deps.ts): import formDeps (form-deps.ts) or deps (deps.ts) in this function');
