import { coreDeps as deps } from '../adapters/core-deps';
import { badRequest } from '../domain/errors';
import { saveLedgerItem } from '../domain/ledger-admin';
import { json, route } from './http';
import { SaveLedgerItemBody } from './schemas';

/** POST /api/ledgers/{name} (create) and PUT /api/ledgers/{name}/{id} (edit) — IT infrastructure only, audited. */
export const handler = route({ body: SaveLedgerItemBody }, async ({ caller, params, body }) => {
  if (params.id !== undefined && body.item.id !== params.id) {
    throw badRequest({ ja: 'URL の ID と項目の ID が一致しません。', en: 'The id in the path and in the item differ.' });
  }
  const saved = await saveLedgerItem(deps, caller, params.name, body);
  return json(params.id === undefined ? 201 : 200, saved);
});
