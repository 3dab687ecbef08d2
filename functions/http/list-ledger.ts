import { coreDeps as deps } from '../adapters/core-deps';
import { exportLedgerCsv, listLedger } from '../domain/ledger-admin';
import { json, pageOf, route } from './http';
import { LedgerQuery } from './schemas';

/** GET /api/ledgers/{name} — one page (by site, branch or words); `{name}.csv` — the whole ledger as CSV. */
export const handler = route({ query: LedgerQuery }, async ({ params, query }) => {
  if (params.name.endsWith('.csv')) {
    const { filename, csv } = await exportLedgerCsv(deps, params.name.slice(0, -'.csv'.length));
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
      body: csv,
    };
  }
  return json(200, await listLedger(deps, params.name, { ...pageOf(query), siteId: query.siteId, branchId: query.branchId, q: query.q }));
});
