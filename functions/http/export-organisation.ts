import { organisation } from '../adapters/organisation-deps';
import { exportOrganisationCsv } from '../domain/organisation-admin';
import { route } from './http';

/** GET /api/admin/organisation/{file} — people.csv or places.csv, the columns the import reads (IT infrastructure only). */
export const handler = route({}, async ({ caller, params }) => {
  const { filename, csv } = await exportOrganisationCsv(organisation, caller, params.file);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
    body: csv,
  };
});
