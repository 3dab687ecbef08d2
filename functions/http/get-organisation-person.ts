import { organisation } from '../adapters/organisation-deps';
import { getPersonAdmin } from '../domain/organisation-admin';
import { json, route } from './http';

/** GET /api/admin/people/{id} — one person with the history of their record (IT infrastructure only). */
export const handler = route({}, async ({ caller, params }) => json(200, await getPersonAdmin(organisation, caller, params.id)));
