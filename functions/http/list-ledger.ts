import { ledgers } from '../adapters/deps';
import { notFound } from '../domain/errors';
import { isLedgerName, ledgerDefinitions } from '../domain/ledgers';
import { json, pageOf, route } from './http';
import { PageQuery } from './schemas';

/** GET /api/ledgers/{name} — one page of a ledger, with its column labels. */
export const handler = route({ query: PageQuery }, async ({ params, query }) => {
  const name = params.name;
  if (!isLedgerName(name)) throw notFound({ ja: `台帳「${name}」はありません。`, en: `There is no ledger "${name}".` });
  const definition = ledgerDefinitions[name];
  const page = await ledgers.list(name, pageOf(query));
  return json(200, { name, title: definition.title, articles: definition.articles, columns: definition.columns, ...page });
});
