import { formDeps as deps } from '../adapters/form-deps';
import { getRequest } from '../domain/requests';
import { json, route } from './http';

/** GET /api/requests/{id} — status, stages and history. */
export const handler = route({}, async ({ caller, params }) => json(200, await getRequest(deps, caller, params.id)));
