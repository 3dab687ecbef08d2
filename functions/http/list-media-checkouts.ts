import { deps } from '../adapters/deps';
import { listCheckouts } from '../domain/media-checkouts';
import { CheckoutListQuery } from './case-schemas';
import { json, pageOf, route } from './http';

/** GET /api/cases/media-checkouts?scope=mine|all|out — my checkouts; every one, or those still out, for 総務 and IT infrastructure. */
export const handler = route({ query: CheckoutListQuery }, async ({ caller, query }) => json(200, await listCheckouts(deps, caller, query.scope, pageOf(query))));
