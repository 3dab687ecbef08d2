/**
 * What the forms' checks and approvals share: the shape of a field issue, typed ledger reads, and
 * the lookups several forms make in the same way. The words stay with each form: every form cites
 * its own articles, so a shared lookup reports what it found and the form says it.
 */
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { LedgerReader, Versioned } from '../domain/ledgers';
import type { Client } from '../ledgers/clients';
import type { ConfigurationChange } from '../ledgers/configuration-changes';
import type { ClientProduct, ServerProduct } from '../ledgers/installations';
import type { LicenceRegistration } from '../ledgers/licence-registrations';
import type { Licence } from '../ledgers/licences';
import type { Product } from '../ledgers/products';
import type { ServerAccessGrant } from '../ledgers/server-access-grants';
import type { Server } from '../ledgers/servers';
import type { PrivilegedId, UserId } from '../ledgers/user-ids';

/** An issue on one field of the form's data: `field` is its key (`clientId`), the path `data.<field>`. */
export const issue = (field: string, ja: string, en: string): FieldIssue => ({ path: `data.${field}`, messages: { ja, en } });

/** Leaves out absent optional values, so that stored items and their history carry no `undefined`. */
export const defined = <T extends Record<string, unknown>>(item: T): T =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;

/** The item of each ledger a form reads, so that a read is typed by the ledger it names. */
export interface LedgerItems {
  servers: Server;
  clients: Client;
  products: Product;
  licences: Licence;
  'server-products': ServerProduct;
  'client-products': ClientProduct;
  'licence-registrations': LicenceRegistration;
  'server-access-grants': ServerAccessGrant;
  'user-ids': UserId;
  'privileged-ids': PrivilegedId;
  'configuration-changes': ConfigurationChange;
}

export type LedgerName = keyof LedgerItems;

/** A ledger item by id, or null when the ledger has none. */
export async function lookUp<L extends LedgerName>(ledgers: LedgerReader, ledger: L, id: string): Promise<LedgerItems[L] | null> {
  return (await ledgers.get(ledger, id)) as LedgerItems[L] | null;
}

/** A ledger item with the head of its audit chain, as an approval's update needs it; null when the ledger has none. */
export async function lookUpVersioned<L extends LedgerName>(ledgers: LedgerReader, ledger: L, id: string): Promise<Versioned<LedgerItems[L]> | null> {
  return (await ledgers.getVersioned(ledger, id)) as Versioned<LedgerItems[L]> | null;
}

/**
 * {@link lookUpVersioned}, but only while the item still has `status`: null once it left the ledger
 * or moved on. What ended meanwhile (a grant that expired, an installation removed with its client,
 * a registration another report ended) is left alone, so that nothing is ended twice and no seat is
 * given back twice.
 */
export async function versionedIfStill<L extends LedgerName>(ledgers: LedgerReader, ledger: L, id: string, status: LedgerItems[L]['status']): Promise<Versioned<LedgerItems[L]> | null> {
  const found = await lookUpVersioned(ledgers, ledger, id);
  return found && found.item.status === status ? found : null;
}

/**
 * Every item of one partition of a ledger's state index (`stateKey` of the ledger definition), read
 * a page at a time as the caller goes on: a caller that stops at what it looked for reads no further.
 */
export async function* stateItems<L extends LedgerName>(ledgers: LedgerReader, ledger: L, partition: string): AsyncGenerator<LedgerItems[L]> {
  let cursor: string | undefined;
  do {
    const page = await ledgers.byState(ledger, partition, { limit: 100, cursor });
    yield* page.items as LedgerItems[L][];
    cursor = page.nextCursor;
  } while (cursor);
}

/** Every installation still on a client, from all pages of its state partition. */
export async function installedOn(ledgers: LedgerReader, clientId: string): Promise<ClientProduct[]> {
  const found: ClientProduct[] = [];
  for await (const item of stateItems(ledgers, 'client-products', `client#${clientId}`)) {
    if (item.clientId === clientId && item.status === 'installed') found.push(item);
  }
  return found;
}

/** What keeps a product from being installed on (or used on) a server or a client. */
export type ProductFault = 'missing' | 'planned' | 'retired' | 'other-target' | 'licence-not-in-force';

export interface ProductStanding {
  product: Product | null;
  /** The product's licence as the licence ledger has it; null for a product without one, or one the ledger lacks. */
  licence: Licence | null;
  /** Every fault found, in the order {@link productStanding} judges them; empty when the product may be used. */
  faults: ProductFault[];
}

/**
 * A product as the rules on managed products see it (S29-2, S29-3, S38-2, S38-3): it is in the
 * product ledger, managed (neither only planned nor retired), made for the target it goes on, and,
 * when licensed, its licence is in the licence ledger and active. The target is judged only for a
 * managed product: one nobody manages is refused whatever it runs on. Forms say the faults in their
 * own words; most report only the first.
 */
export async function productStanding(ledgers: LedgerReader, productId: string, target: Product['target']): Promise<ProductStanding> {
  const product = await lookUp(ledgers, 'products', productId);
  if (!product) return { product: null, licence: null, faults: ['missing'] };
  const faults: ProductFault[] = [];
  if (product.status !== 'managed') faults.push(product.status);
  else if (product.target !== target) faults.push('other-target');
  const licence = product.licenceId ? await lookUp(ledgers, 'licences', product.licenceId) : null;
  if (product.licenceId && licence?.status !== 'active') faults.push('licence-not-in-force');
  return { product, licence, faults };
}

/**
 * The seat a licensed product holds while its request is in review (S29-2, S38-2, S42-3), on the
 * product field; none for a product without a licence. The transaction that files the request takes
 * it, so that two requests cannot both get the last seat.
 */
export async function licenceSeat(ledgers: LedgerReader, productId: string): Promise<Reservation[]> {
  const product = await lookUp(ledgers, 'products', productId);
  return product?.licenceId ? [{ kind: 'seat', licenceId: product.licenceId, field: 'data.productId' }] : [];
}
