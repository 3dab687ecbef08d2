import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** A scheduled run whose first step failed; `status` 400 when the function refused its input. */
export class WorkflowRunError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 500,
  ) {
    super(message);
    this.name = 'WorkflowRunError';
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a schedule that starts a state machine does locally, as EventBridge Scheduler's
 * StepFunctionsStartExecution target does on AWS: one StartExecution on the local endpoint, with the
 * options given by hand (`{ month }`) or `{}` as its input. It then waits for the execution's first
 * state to finish, so that `npm run schedule -- monthly-review --month 2026-10` returns once the
 * reviews are opened and mailed, and reports a refusal (a month not over yet) instead of hiding it.
 */
export function workflowScheduleRun(options: { sfn: SFNClient; name: string; stateMachineArn: () => string; firstState: string; timeoutMs?: number }) {
  return async (input?: Record<string, unknown>): Promise<void> => {
    const month = typeof input?.month === 'string' ? input.month.replace(/[^0-9-]/g, '') : '';
    const { executionArn } = await options.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: options.stateMachineArn(),
        name: `${options.name}-${month || 'scheduled'}-${randomUUID().slice(0, 8)}`,
        input: JSON.stringify(input ?? {}),
      }),
    );
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const execution = await options.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED') {
        let reason = execution.cause ?? execution.error ?? execution.status;
        try {
          reason = (JSON.parse(reason) as { errorMessage?: string }).errorMessage ?? reason;
        } catch {
          // the cause is plain text
        }
        throw new WorkflowRunError(`${options.name}: ${reason}`, execution.error === 'DomainError' ? 400 : 500);
      }
      if (execution.status === 'SUCCEEDED') return;
      const { events = [] } = await options.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100, includeExecutionData: false }));
      if (events.some((event) => event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === options.firstState)) return;
      if (Date.now() > deadline) throw new WorkflowRunError(`${options.name}: ${options.firstState} did not finish in time`, 500);
      await pause(100);
    }
  };
}
