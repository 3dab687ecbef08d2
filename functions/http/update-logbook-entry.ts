import { deps } from '../adapters/deps';
import { updateLogbookEntry } from '../domain/logbooks';
import { json, route } from './http';
import { UpdateLogbookEntryBody } from './logbook-schemas';

/** PUT /api/logbooks/{logbook}/{siteId}/{month}/{entryId} — complete (施錠, 退室 …) or correct an entry at the version shown. */
export const handler = route({ body: UpdateLogbookEntryBody }, async ({ caller, params, body }) =>
  json(200, await updateLogbookEntry(deps, caller, params.logbook, params.siteId, params.month, params.entryId, body)),
);
