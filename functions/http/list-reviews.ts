import { deps } from '../adapters/deps';
import { reviewMonth } from '../domain/review-month';
import { json, route } from './http';
import { ReviewMonthQuery } from './review-schemas';

/** GET /api/reviews?month=YYYY-MM — every site × logbook of the month with its review's status (月次点検の状況). */
export const handler = route({ query: ReviewMonthQuery }, async ({ caller, query }) => json(200, await reviewMonth(deps, caller, query.month)));
