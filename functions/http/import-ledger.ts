import { coreDeps as deps } from '../adapters/core-deps';
import { importLedgerCsv } from '../domain/ledger-admin';
import { json, route } from './http';
import { ImportLedgerBody } from './schemas';

/** POST /api/ledgers/{name}/import — loads a ledger from CSV with a row-by-row report (IT infrastructure only). */
export const handler = route({ body: ImportLedgerBody }, async ({ caller, params, body }) => json(200, await importLedgerCsv(deps, caller, params.name, body)));
