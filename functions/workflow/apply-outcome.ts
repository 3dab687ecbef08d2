import { deps } from '../adapters/deps';
import type { OutcomeInput } from '../domain/workflow-steps';
import { applyOutcome } from '../domain/workflow-steps';

/** ApplyOutcome (state machine): ledger effects of an approval, and the requester's notice. */
export const handler = async (event: OutcomeInput) => applyOutcome(deps, event);
