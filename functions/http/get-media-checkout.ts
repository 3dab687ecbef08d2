import { deps } from '../adapters/deps';
import { getCheckout } from '../domain/media-checkouts';
import { json, route } from './http';

/** GET /api/cases/media-checkouts/{id} — a checkout with its history and its return duty. */
export const handler = route({}, async ({ caller, params }) => json(200, await getCheckout(deps, caller, params.id)));
