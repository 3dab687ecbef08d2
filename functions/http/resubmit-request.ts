import { formDeps as deps } from '../adapters/form-deps';
import { resubmitRequest } from '../domain/requests';
import { json, route } from './http';
import { ResubmitRequestBody } from './schemas';

/** POST /api/requests/{id}/resubmit — 再申請 of a sent-back request. */
export const handler = route({ body: ResubmitRequestBody }, async ({ caller, params, body }) =>
  json(200, await resubmitRequest(deps, caller, params.id, body.data)),
);
