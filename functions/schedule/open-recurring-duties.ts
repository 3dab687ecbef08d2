import { deps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { openRecurringDuties } from '../domain/recurring-duties';

/** Daily: opens the password changes, ID deletions, usage analyses and audits the ledgers say are due (A16-5, A17-2, S11, S17-6, S21, S30, S39). */
export const handler = async (): Promise<{ opened: number; reopened: number; cancelled: number }> => {
  const run = await openRecurringDuties(deps);
  logger.info('recurring duties opened', { ...run });
  return run;
};
