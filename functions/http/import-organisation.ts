import { organisation } from '../adapters/organisation-deps';
import { coreDeps } from '../adapters/core-deps';
import { importOrganisationCsv } from '../domain/organisation-admin';
import { json, route } from './http';
import { ImportOrganisationBody } from './organisation-admin-schemas';

/** POST /api/admin/organisation/import — people or places from CSV, with a row-by-row report (IT infrastructure only). */
export const handler = route({ body: ImportOrganisationBody }, async ({ caller, body }) => json(200, await importOrganisationCsv(coreDeps, organisation, caller, body)));
