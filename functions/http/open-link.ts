import { formDeps as deps } from '../adapters/form-deps';
import { openLink } from '../domain/decisions';
import { json, route } from './http';

/** GET /api/links/{token} — the task behind an e-mailed link; changes nothing. */
export const handler = route({}, async ({ caller, params }) => json(200, await openLink(deps, caller, params.token)));
