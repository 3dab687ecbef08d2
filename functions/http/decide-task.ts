import { deps } from '../adapters/deps';
import { decideTask } from '../domain/decisions';
import { json, route } from './http';
import { DecisionBody } from './schemas';

/** POST /api/tasks/{id}/decision — approve, reject or send back from the inbox. */
export const handler = route({ body: DecisionBody }, async ({ caller, params, body }) => json(200, await decideTask(deps, caller, params.id, body)));
