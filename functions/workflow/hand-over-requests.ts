import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { sfn } from '../adapters/aws-clients';
import { config } from '../adapters/config';
import { logger } from '../adapters/logger';
import { requestChangeOf } from '../adapters/request-stream';
import { StepFunctionsWorkflow } from '../adapters/sfn-workflow';
import { handOver, handOverStep } from '../domain/workflow-hand-over';

const workflow = new StepFunctionsWorkflow(sfn, config.APPROVAL_STATE_MACHINE_ARN);

/**
 * The records table's stream (request items only, by the event source's filter): starts, wakes or
 * stops the approval workflow for each stored change that owes it a step (workflow-hand-over.ts).
 *
 * Records are taken in order. At the first that fails, it and every later one are reported
 * (ReportBatchItemFailures), so the stream delivers them again from there and none is taken twice.
 * Once the stream gives up on a record, reconciliation (ReconcileWorkflows) still finds the request
 * in the index of requests the workflow owes something.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  for (const record of event.Records) {
    const change = await requestChangeOf(record);
    if (!change) continue;
    const step = handOverStep(change.before, change.after);
    try {
      await handOver(workflow, step);
    } catch (error) {
      logger.warn('could not hand a stored change to the approval workflow; the stream delivers it again', {
        requestId: change.after?.id ?? change.before?.id,
        step: step?.kind,
        error: error as Error,
      });
      return { batchItemFailures: [{ itemIdentifier: change.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
