import { coreDeps as deps } from '../adapters/core-deps';
import { listMyTasks } from '../domain/decisions';
import { json, pageOf, route } from './http';
import { PageQuery } from './schemas';

/** GET /api/tasks — the caller's pending approval tasks, oldest first. */
export const handler = route({ query: PageQuery }, async ({ caller, query }) => json(200, await listMyTasks(deps, caller, pageOf(query))));
