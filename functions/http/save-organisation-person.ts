import { organisation } from '../adapters/organisation-deps';
import { coreDeps } from '../adapters/core-deps';
import { savePerson } from '../domain/organisation-admin';
import { json, route } from './http';
import { SavePersonBody } from './organisation-admin-schemas';

/**
 * POST /api/admin/people (register) and PUT /api/admin/people/{id} (change) — IT infrastructure only,
 * audited; `dryRun` answers what the change would do to open stages without writing.
 */
export const handler = route({ body: SavePersonBody }, async ({ caller, params, body }) => {
  const saved = await savePerson(coreDeps, organisation, caller, body, params.id);
  return json(params.id === undefined && saved.applied ? 201 : 200, saved);
});
