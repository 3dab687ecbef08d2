import { deps } from '../adapters/deps';
import { addLogbookEntry } from '../domain/logbooks';
import { json, route } from './http';
import { AddLogbookEntryBody } from './logbook-schemas';

/** POST /api/logbooks/{logbook}/{siteId}/{month} — record an entry (開錠, 入室, 受付 …). */
export const handler = route({ body: AddLogbookEntryBody }, async ({ caller, params, body }) =>
  json(201, await addLogbookEntry(deps, caller, params.logbook, params.siteId, params.month, body)),
);
