import { formDeps as deps } from '../adapters/form-deps';
import { previewRoute } from '../domain/requests';
import { json, route } from './http';
import { PreviewRouteBody } from './schemas';

/** POST /api/forms/{id}/route-preview — whom this data would go to, before submitting. */
export const handler = route({ body: PreviewRouteBody }, async ({ caller, params, body }) => json(200, await previewRoute(deps, caller, params.id, body.data)));
