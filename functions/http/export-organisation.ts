import { organisation } from '../adapters/deps';
import { notFound } from '../domain/errors';
import { exportOrganisationCsv } from '../domain/organisation-admin';
import { route } from './http';

const files = { 'people.csv': 'people', 'places.csv': 'places' } as const;

/** GET /api/admin/organisation/{file} — people.csv or places.csv, the columns the import reads (IT infrastructure only). */
export const handler = route({}, async ({ caller, params }) => {
  const file = Object.hasOwn(files, params.file) ? files[params.file as keyof typeof files] : null;
  if (!file) throw notFound({ ja: `${params.file} というファイルはありません（people.csv か places.csv）。`, en: `There is no file ${params.file} (people.csv or places.csv).` });
  const { filename, csv } = await exportOrganisationCsv(organisation, caller, file);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
    body: csv,
  };
});
