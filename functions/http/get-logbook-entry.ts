import { deps } from '../adapters/deps';
import { getLogbookEntry } from '../domain/logbooks';
import { json, route } from './http';

/** GET /api/logbooks/{logbook}/{siteId}/{month}/{entryId} — one entry with its history (the original and every change). */
export const handler = route({}, async ({ caller, params }) =>
  json(200, await getLogbookEntry(deps, caller, params.logbook, params.siteId, params.month, params.entryId)),
);
