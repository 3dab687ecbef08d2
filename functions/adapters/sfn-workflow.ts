import { randomUUID } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from './sdk-commands';
import type { Workflow } from '../domain/ports';
import { logger } from './logger';

/** Errors meaning "nobody waits on this token any more" — the request continues from DynamoDB. */
const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** The approval workflow on Step Functions (locally: the local endpoint, through the same client). */
export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(requestId: string, round: number): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // Names stay unique however often a request is resumed; they still say which request and round.
          name: `${requestId}-r${round}-${randomUUID().slice(0, 8)}`,
          input: JSON.stringify({ requestId }),
        }),
      );
    } catch (error) {
      logger.warn('could not start the approval workflow', { requestId, round, error: error as Error });
      throw error;
    }
  }

  async resume(token: string, output: Record<string, unknown>): Promise<boolean> {
    return this.answer(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })));
  }

  async abort(token: string, error: string, cause: string): Promise<boolean> {
    return this.answer(() => this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause })));
  }

  private async answer(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof Error && GONE.has(error.name)) return false;
      logger.warn('could not answer the waiting approval workflow', { error: error as Error });
      throw error;
    }
  }
}
