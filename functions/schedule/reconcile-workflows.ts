import { coreDeps as deps } from '../adapters/core-deps';
import { logger } from '../adapters/logger';
import { reconcileWorkflows } from '../domain/workflow-reconcile';

/**
 * Every 15 minutes: requests whose workflow was not started or woken (Step Functions out of reach
 * at the time, or an execution that ran out of retries) are set going again from DynamoDB.
 */
export const handler = async () => {
  const result = await reconcileWorkflows(deps);
  if (result.started.length > 0 || result.woken.length > 0) logger.warn('reconciled approval workflows', { ...result });
  return { looked: result.looked, started: result.started.length, woken: result.woken.length };
};
