import { coreDeps as deps } from '../adapters/core-deps';
import { exportLedgerCsv, listLedger } from '../domain/ledger-admin';
import { csvFile, json, pageOf, route } from './http';
import { LedgerQuery } from './schemas';

/** GET /api/ledgers/{name} — one page (by site, branch or words); `{name}.csv` — the whole ledger as CSV. */
export const handler = route({ query: LedgerQuery }, async ({ params, query }) => {
  if (params.name.endsWith('.csv')) {
    return csvFile(await exportLedgerCsv(deps, params.name.slice(0, -'.csv'.length)));
  }
  return json(200, await listLedger(deps, params.name, { ...pageOf(query), siteId: query.siteId, branchId: query.branchId, q: query.q }));
});
