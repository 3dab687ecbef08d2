import { deps } from '../adapters/deps';
import { exportReviewMonthCsv } from '../domain/review-month';
import { csvFile, route } from './http';
import { ReviewMonthQuery } from './review-schemas';

/** GET /api/reviews.csv?month=YYYY-MM — the month view as CSV (UTF-8 with BOM). */
export const handler = route({ query: ReviewMonthQuery }, async ({ caller, query }) => {
  return csvFile(await exportReviewMonthCsv(deps, caller, query.month));
});
