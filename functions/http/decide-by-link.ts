import { coreDeps as deps } from '../adapters/core-deps';
import { decideByLink } from '../domain/decisions';
import { json, route } from './http';
import { DecisionBody } from './schemas';

/** POST /api/links/{token}/decision — decides through an e-mailed link, using it up. */
export const handler = route({ body: DecisionBody }, async ({ caller, params, body }) => json(200, await decideByLink(deps, caller, params.token, body)));
