import { deps } from '../adapters/deps';
import { listLogbooks } from '../domain/logbooks';
import { json, route } from './http';

/** GET /api/logbooks — the five logbooks with their fields, the caller's site and what is open there this month. */
export const handler = route({}, async ({ caller }) => json(200, await listLogbooks(deps, caller)));
