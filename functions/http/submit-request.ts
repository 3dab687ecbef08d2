import { formDeps as deps } from '../adapters/form-deps';
import { submitRequest } from '../domain/requests';
import { json, route } from './http';
import { SubmitRequestBody } from './schemas';

/** POST /api/requests — files a request; 400 with field issues and nothing stored when the data is invalid. */
export const handler = route({ body: SubmitRequestBody }, async ({ caller, body }) => json(201, await submitRequest(deps, caller, body)));
