import { formDeps as deps } from '../adapters/form-deps';
import { formFacts } from '../domain/requests';
import { json, route } from './http';

/** GET /api/forms/{id}/context — facts shown on the form before it is filled in. */
export const handler = route({}, async ({ params }) => json(200, await formFacts(deps, params.id)));
