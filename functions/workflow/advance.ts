import { deps } from '../adapters/deps';
import { advance } from '../domain/workflow-steps';

/** Advance (state machine): moves the request one step and says what comes next. */
export const handler = async (event: { requestId: string }) => advance(deps, event.requestId);
