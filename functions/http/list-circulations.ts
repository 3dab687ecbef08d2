import { coreDeps as deps } from '../adapters/core-deps';
import { listCirculations } from '../domain/circulations';
import { json, pageOf, route } from './http';
import { CirculationQuery } from './schemas';

/** GET /api/circulations?unread=true — the 回覧 the caller received. */
export const handler = route({ query: CirculationQuery }, async ({ caller, query }) => json(200, await listCirculations(deps, caller, query.unread === 'true', pageOf(query))));
