import { formDeps as deps } from '../adapters/form-deps';
import { getRequest, readRequestWithHistory } from '../domain/requests';
import { json, route } from './http';

/** GET /api/requests/{id} — status, stages and history. */
export const handler = route(
  // The request and its history are read while the caller is looked up: one round trip instead of two.
  { prefetch: ({ params }) => readRequestWithHistory(deps, params.id) },
  async ({ caller, params, prefetched }) => json(200, await getRequest(deps, caller, params.id, prefetched)),
);
