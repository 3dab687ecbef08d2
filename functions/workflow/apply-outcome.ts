import { formDeps as deps } from '../adapters/form-deps';
import { workflowStep } from '../adapters/service-errors';
import type { OutcomeInput } from '../domain/workflow-steps';
import { applyOutcome } from '../domain/workflow-steps';

/** ApplyOutcome (state machine): ledger effects of an approval, and the requester's notice. */
export const handler = async (event: OutcomeInput) => workflowStep(() => applyOutcome(deps, event));
