import { formDeps as deps } from '../adapters/form-deps';
import { workflowStep } from '../adapters/service-errors';
import type { NotifyInput } from '../domain/workflow-steps';
import { notifyApprovers } from '../domain/workflow-steps';

/** AwaitDecision (state machine, waitForTaskToken): keeps the token and e-mails the approvers. */
export const handler = async (event: NotifyInput) => workflowStep(() => notifyApprovers(deps, event));
