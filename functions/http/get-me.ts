import { core } from '../adapters/core-deps';
import { roles } from '../domain/roles';
import { json, route } from './http';

/** GET /api/me — the signed-in person with their site, branch, department and roles. */
export const handler = route({}, async ({ caller }) => {
  const places = await core.directory.placesOf(caller);
  return json(200, {
    id: caller.id,
    name: caller.name,
    email: caller.email,
    ...places,
    roles: caller.roles.map((assignment) => ({ ...assignment, label: roles[assignment.role].label })),
  });
});
