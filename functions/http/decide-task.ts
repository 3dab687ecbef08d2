import { coreDeps as deps } from '../adapters/core-deps';
import { decideTask, readTaskRequest } from '../domain/decisions';
import { json, route } from './http';
import { DecisionBody } from './schemas';

/** POST /api/tasks/{id}/decision — approve, reject or send back from the inbox. */
export const handler = route(
  // The task's request is read while the caller is looked up: the decision then needs one write.
  { body: DecisionBody, prefetch: ({ params }) => readTaskRequest(deps, params.id) },
  async ({ caller, params, body, prefetched }) => json(200, await decideTask(deps, caller, params.id, body, prefetched)),
);
