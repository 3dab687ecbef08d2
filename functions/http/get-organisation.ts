import { organisation } from '../adapters/organisation-deps';
import { getOrganisation } from '../domain/organisation-admin';
import { json, route } from './http';

/** GET /api/admin/organisation — people, sites, branches, departments and roles (IT infrastructure only). */
export const handler = route({}, async ({ caller }) => json(200, await getOrganisation(organisation, caller)));
