import { organisation } from '../adapters/deps';
import { formDeps } from '../adapters/form-deps';
import { importOrganisationCsv } from '../domain/organisation-admin';
import { json, route } from './http';
import { ImportOrganisationBody } from './organisation-admin-schemas';

/** POST /api/admin/organisation/import — people or places from CSV, with a row-by-row report (IT infrastructure only). */
export const handler = route({ body: ImportOrganisationBody }, async ({ caller, body }) => json(200, await importOrganisationCsv(formDeps, organisation, caller, body)));
