import { formDeps as deps } from '../adapters/form-deps';
import { logger } from '../adapters/logger';
import { remindOpenTasks } from '../domain/reminders';

/** Weekdays at 09:00 Asia/Tokyo: 督促 of waiting approvals and escalation of overdue ones. */
export const handler = async () => {
  const run = await remindOpenTasks(deps);
  logger.info('reminded open tasks', { ...run });
  return run;
};
