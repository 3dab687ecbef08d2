import { deps } from '../adapters/deps';
import type { NotifyInput } from '../domain/workflow-steps';
import { notifyApprovers } from '../domain/workflow-steps';

/** AwaitDecision (state machine, waitForTaskToken): keeps the token and e-mails the approvers. */
export const handler = async (event: NotifyInput) => notifyApprovers(deps, event);
