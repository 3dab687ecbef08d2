import { deps } from '../adapters/deps';
import { getIncident } from '../domain/incidents';
import { json, route } from './http';

/** GET /api/cases/incidents/{id} — an incident with its phases, timeline and history. */
export const handler = route({}, async ({ caller, params }) => json(200, await getIncident(deps, caller, params.id)));
