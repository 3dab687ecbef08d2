import { deps } from '../adapters/deps';
import { exportReviewMonthCsv } from '../domain/review-month';
import { route } from './http';
import { ReviewMonthQuery } from './review-schemas';

/** GET /api/reviews.csv?month=YYYY-MM — the month view as CSV (UTF-8 with BOM). */
export const handler = route({ query: ReviewMonthQuery }, async ({ caller, query }) => {
  const { filename, csv } = await exportReviewMonthCsv(deps, caller, query.month);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
    body: csv,
  };
});
