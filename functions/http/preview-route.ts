import { z } from 'zod';
import { deps } from '../adapters/deps';
import { previewRoute } from '../domain/requests';
import { json, route } from './http';

const Body = z.object({ data: z.record(z.string(), z.unknown()) }).strict();

/** POST /api/forms/{id}/route-preview — whom this data would go to, before submitting. */
export const handler = route({ body: Body }, async ({ caller, params, body }) => json(200, await previewRoute(deps, caller, params.id, body.data)));
