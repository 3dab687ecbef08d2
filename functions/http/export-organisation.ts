import { organisation } from '../adapters/organisation-deps';
import { exportOrganisationCsv } from '../domain/organisation-admin';
import { csvFile, route } from './http';

/** GET /api/admin/organisation/{file} — people.csv or places.csv, the columns the import reads (IT infrastructure only). */
export const handler = route({}, async ({ caller, params }) => {
  return csvFile(await exportOrganisationCsv(organisation, caller, params.file));
});
