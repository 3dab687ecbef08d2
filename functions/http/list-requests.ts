import { coreDeps as deps } from '../adapters/core-deps';
import { listMyRequests } from '../domain/requests';
import { json, pageOf, route } from './http';
import { RequestListQuery } from './schemas';

/** GET /api/requests?scope=mine — the caller's requests, newest first. */
export const handler = route({ query: RequestListQuery }, async ({ caller, query }) => json(200, await listMyRequests(deps, caller, pageOf(query))));
