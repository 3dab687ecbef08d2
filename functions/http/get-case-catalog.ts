import { deps } from '../adapters/deps';
import { caseCatalog } from '../domain/case-catalog';
import { json, route } from './http';

/** GET /api/cases — the cases (C1, C2) with their articles, the sites and departments, and what the caller may do. */
export const handler = route({}, async ({ caller }) => json(200, await caseCatalog(deps, caller)));
