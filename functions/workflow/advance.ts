import { formDeps as deps } from '../adapters/form-deps';
import { workflowStep } from '../adapters/service-errors';
import { advance } from '../domain/workflow-steps';

/** Advance (state machine): moves the request one step and says what comes next. */
export const handler = async (event: { requestId: string }) => workflowStep(() => advance(deps, event.requestId));
