import { coreDeps as deps } from '../adapters/core-deps';
import { logger } from '../adapters/logger';
import { japanDate } from '../domain/dates';
import { expireServerAccessGrants } from '../domain/server-access';

/**
 * Daily at 00:05 Asia/Tokyo: grants whose end date has passed are marked expired, so the ledger
 * shows only permissions in force (S5-4).
 */
export const handler = async () => {
  const now = deps.clock.now();
  const expired = await expireServerAccessGrants(deps, japanDate(now), now.toISOString());
  logger.info('expired server access grants', { expired });
  return { expired };
};
