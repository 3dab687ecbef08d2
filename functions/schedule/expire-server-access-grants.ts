import { ledgers } from '../adapters/deps';
import { systemClock } from '../adapters/clock-and-ids';
import { logger } from '../adapters/logger';
import { japanDate } from '../domain/dates';

/**
 * Daily at 00:05 Asia/Tokyo: grants whose end date has passed are marked expired, so the ledger
 * shows only permissions in force (S5-4).
 */
export const handler = async () => {
  const now = systemClock.now();
  const expired = await ledgers.expireGrantsEndedBefore(japanDate(now), now.toISOString());
  logger.info('expired server access grants', { expired });
  return { expired };
};
