import { formDeps as deps } from '../adapters/form-deps';
import { readAheadForSubmission, submitRequest } from '../domain/requests';
import { json, route } from './http';
import { SubmitRequestBody } from './schemas';

/** POST /api/requests — files a request; 400 with field issues and nothing stored when the data is invalid. */
export const handler = route(
  // The form's ledger lookups are read while the caller is looked up: one round trip less.
  { body: SubmitRequestBody, prefetch: ({ body }) => readAheadForSubmission(deps, body) },
  async ({ caller, body, prefetched }) => json(201, await submitRequest(deps, caller, body, prefetched)),
);
