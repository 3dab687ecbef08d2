import { deps } from '../adapters/deps';
import { completeReview } from '../domain/reviews';
import { json, route } from './http';
import { CompleteReviewBody } from './review-schemas';

/** POST /api/reviews/{month}/{logbook}/{siteId}/complete — 異常なし, or each anomaly's cause and action; closes the month. */
export const handler = route({ body: CompleteReviewBody }, async ({ caller, params, body }) =>
  json(200, await completeReview(deps, caller, params.month, params.logbook, params.siteId, body)),
);
