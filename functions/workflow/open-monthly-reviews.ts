import { deps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { workflowStep } from '../adapters/service-errors';
import { openMonthlyReviews } from '../domain/reviews';

/**
 * OpenReviews of monthly-review.asl.json: `{ input }` is the execution's input — `{}` from the
 * schedule (the previous month), `{ month }` when a month is run by hand.
 */
export const handler = async (event: { input?: { month?: unknown } }) =>
  workflowStep(async () => {
    const result = await openMonthlyReviews(deps, { month: event.input?.month });
    logger.info('monthly reviews opened', { month: result.month, opened: result.opened.length, awaiting: result.reviews.length });
    return result;
  });
