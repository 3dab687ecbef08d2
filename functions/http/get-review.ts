import { deps } from '../adapters/deps';
import { getReview } from '../domain/reviews';
import { json, route } from './http';

/** GET /api/reviews/{month}/{logbook}/{siteId} — a review with the month's entries and their anomalies (changes nothing). */
export const handler = route({}, async ({ caller, params }) => json(200, await getReview(deps, caller, params.month, params.logbook, params.siteId)));
