import { formDeps as deps } from '../adapters/form-deps';
import { getTask } from '../domain/decisions';
import { json, route } from './http';

/** GET /api/tasks/{id} — one of the caller's tasks with its request. */
export const handler = route({}, async ({ caller, params }) => json(200, await getTask(deps, caller, params.id)));
