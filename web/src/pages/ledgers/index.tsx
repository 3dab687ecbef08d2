/**
 * The ledger pages, loaded on first use as their own chunk (App.tsx imports this module with a
 * dynamic import), so the request and approval pages do not carry them.
 */
import type { Person } from '../../types';
import type { Route } from '../../router';
import { LedgerIndexPage } from './LedgerIndex';
import { LedgerListPage } from './LedgerList';
import { LedgerItemPage, LedgerNewPage } from './LedgerItem';
import { LedgerImportPage } from './LedgerImport';

export type LedgerRoute = Extract<Route, { name: 'ledgers' | 'ledger' | 'ledgerItem' | 'ledgerNew' | 'ledgerImport' }>;

export function LedgerRoutes({ route, me }: { route: LedgerRoute; me: Person }) {
  switch (route.name) {
    case 'ledgers':
      return <LedgerIndexPage />;
    case 'ledger':
      return <LedgerListPage key={route.ledger} name={route.ledger} me={me} />;
    case 'ledgerItem':
      return <LedgerItemPage key={`${route.ledger}/${route.id}`} name={route.ledger} id={route.id} me={me} />;
    case 'ledgerNew':
      return <LedgerNewPage key={route.ledger} name={route.ledger} me={me} />;
    case 'ledgerImport':
      return <LedgerImportPage key={route.ledger} name={route.ledger} me={me} />;
  }
}
