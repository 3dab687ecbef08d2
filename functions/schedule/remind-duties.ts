import { deps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { remindDuties } from '../domain/duty-reminders';

/** Daily on working days: reminds and escalates open duties (reviews, password changes, ID deletions, returns …). */
export const handler = async (): Promise<{ reminded: number; escalated: number }> => {
  const run = await remindDuties(deps);
  logger.info('duty reminders sent', { ...run });
  return run;
};
