import { coreDeps as deps } from '../adapters/core-deps';
import { listLedgers } from '../domain/ledger-admin';
import { json, route } from './http';

/** GET /api/ledgers — every ledger with its title, articles and columns. */
export const handler = route({}, async () => json(200, listLedgers(deps)));
