import { coreDeps } from '../adapters/core-deps';
import { organisation } from '../adapters/organisation-deps';
import { savePlace } from '../domain/organisation-admin';
import { json, route } from './http';
import { SavePlaceBody } from './organisation-admin-schemas';

/** POST /api/admin/places/{kind} (register) and PUT /api/admin/places/{kind}/{id} (rename) — IT infrastructure only, audited. */
export const handler = route({ body: SavePlaceBody }, async ({ caller, params, body }) => {
  const saved = await savePlace(coreDeps, organisation, caller, params.kind, body, params.id);
  return json(params.id === undefined && !saved.unchanged ? 201 : 200, saved);
});
