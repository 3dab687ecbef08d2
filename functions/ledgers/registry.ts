import type { LedgerDefinition } from '../domain/ledgers';
import { clients } from './clients';
import { configurationChanges } from './configuration-changes';
import { clientProducts, serverProducts } from './installations';
import { licenceRegistrations } from './licence-registrations';
import { licences } from './licences';
import { products } from './products';
import { serverAccessGrants } from './server-access-grants';
import { servers } from './servers';
import { privilegedIds, userIds } from './user-ids';

/** Every ledger, in the order the page lists them. */
export const ledgerList: readonly LedgerDefinition[] = [
  servers,
  clients,
  products,
  licences,
  serverProducts,
  clientProducts,
  licenceRegistrations,
  serverAccessGrants,
  userIds,
  privilegedIds,
  configurationChanges,
] as unknown as LedgerDefinition[];

export const ledgerRegistry: ReadonlyMap<string, LedgerDefinition> = new Map(ledgerList.map((ledger) => [ledger.name, ledger]));
