import { deps } from '../adapters/deps';
import { logbookMonth } from '../domain/logbooks';
import { json, route } from './http';

/** GET /api/logbooks/{logbook}/{siteId}/{month} — a site's month of one logbook, and whether it is closed. */
export const handler = route({}, async ({ caller, params }) => json(200, await logbookMonth(deps, caller, params.logbook, params.siteId, params.month)));
