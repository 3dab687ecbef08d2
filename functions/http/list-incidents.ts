import { deps } from '../adapters/deps';
import { listIncidents } from '../domain/incidents';
import { IncidentListQuery } from './case-schemas';
import { json, pageOf, route } from './http';

/** GET /api/cases/incidents?scope=mine|all — my reports, or every incident for IT infrastructure; newest first. */
export const handler = route({ query: IncidentListQuery }, async ({ caller, query }) => json(200, await listIncidents(deps, caller, query.scope, pageOf(query))));
