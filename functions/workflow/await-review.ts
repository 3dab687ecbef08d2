import { deps } from '../adapters/deps';
import { workflowStep } from '../adapters/service-errors';
import type { LogbookId } from '../domain/logbooks';
import { awaitReview } from '../domain/reviews';

/** AwaitReview of monthly-review.asl.json (waitForTaskToken): stores the token on the review, or answers it when the review is done. */
export const handler = async (event: { month: string; logbook: LogbookId; siteId: string; taskToken: string }) => workflowStep(() => awaitReview(deps, event));
