import { deps } from '../adapters/deps';
import { dutyDetail } from '../domain/duty-calendar';
import { json, route } from './http';

/** GET /api/duties/{id} — one duty with its history. */
export const handler = route({}, async ({ caller, params }) => json(200, await dutyDetail(deps, caller, params.id)));
