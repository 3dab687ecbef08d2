import { coreDeps as deps } from '../adapters/core-deps';
import { getLedgerItem } from '../domain/ledger-admin';
import { json, route } from './http';

/** GET /api/ledgers/{name}/{id} — one item with every change it went through. */
export const handler = route({}, async ({ params }) => json(200, await getLedgerItem(deps, params.name, params.id)));
