import { coreDeps as deps } from '../adapters/core-deps';
import { withdrawRequest } from '../domain/requests';
import { json, route } from './http';
import { WithdrawRequestBody } from './schemas';

/** POST /api/requests/{id}/withdraw — 引戻し by the requester. */
export const handler = route({ body: WithdrawRequestBody }, async ({ caller, params, body }) =>
  json(200, await withdrawRequest(deps, caller, params.id, body.comment ?? '')),
);
