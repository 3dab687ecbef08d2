import { coreDeps as deps } from '../adapters/core-deps';
import { CompleteConfigurationChangeBody, completeConfigurationChange } from '../forms/configuration-change-completion';
import { json, route } from './http';

/** POST /api/configuration-changes/{id}/complete — IT infrastructure records a change as done (S19-4). */
export const handler = route({ body: CompleteConfigurationChangeBody }, async ({ caller, params, body }) =>
  json(200, await completeConfigurationChange(deps, caller, params.id, body)),
);
