import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  localLambdaArn,
  startStepFunctionsEndpoint,
  type StepFunctionsEndpoint,
} from '../../infra/local/stepfunctions-endpoint';

/*
 * Protocol-level behaviour of the local endpoint that the approval workflow does not reach: timeouts,
 * stops, failures, error classes, concurrency. Small inline state machines keep each case readable.
 */

const callback = (next: Record<string, unknown>, timeoutSeconds = 60) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: localLambdaArn('Notify'),
    Payload: { 'id.$': '$.id', 'token.$': '$$.Task.Token', 'execution.$': '$$.Execution.Name' },
  },
  TimeoutSeconds: timeoutSeconds,
  ...next,
});

const machines = {
  waits: { StartAt: 'Wait', States: { Wait: callback({ End: true }) } },
  waitsOneSecond: {
    StartAt: 'Wait',
    States: {
      Wait: callback({ Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'TimedOut' }], Next: 'Answered' }, 1),
      TimedOut: { Type: 'Pass', End: true },
      Answered: { Type: 'Pass', End: true },
    },
  },
  calls: {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: localLambdaArn('Echo'), Payload: { 'id.$': '$.id', constant: 'x' } },
        OutputPath: '$.Payload',
        End: true,
      },
    },
  },
  fails: {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: localLambdaArn('Fail'), Payload: {} },
        Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 30, MaxAttempts: 2 }],
        End: true,
      },
    },
  },
};

const notified: Array<{ id: string; token: string; execution: string }> = [];
const echoed: unknown[] = [];
let failures = 0;
let answerBeforeReturning: ((token: string) => Promise<void>) | undefined;

let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  endpoint = await startStepFunctionsEndpoint({
    port: 0,
    // Fail's Retry says 30 s; the override keeps this test fast and proves the option reaches the engine.
    retryIntervalMs: 10,
    stateMachines: Object.entries(machines).map(([name, definition]) => ({ name, definition: JSON.stringify(definition) })),
    invoke: async (functionArn, payload) => {
      const name = functionArn.split(':').at(-1);
      if (name === 'Notify') {
        const call = payload as { id: string; token: string; execution: string };
        notified.push(call);
        await answerBeforeReturning?.(call.token);
        return null;
      }
      if (name === 'Echo') {
        echoed.push(payload);
        return payload;
      }
      failures += 1;
      const error = new Error(`attempt ${failures}`);
      error.name = 'Flaky';
      throw error;
    },
  });
  sfn = new SFNClient({
    endpoint: endpoint.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await endpoint?.close();
});

let sequence = 0;
async function start(machine: keyof typeof machines, input: Record<string, unknown> = {}, name?: string): Promise<string> {
  const id = `id-${++sequence}`;
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: endpoint.stateMachineArn(machine), name, input: JSON.stringify({ id, ...input }) }),
  );
  return executionArn as string;
}

async function notificationFor(executionArn: string) {
  const name = executionArn.split(':').at(-1);
  for (let i = 0; i < 500; i++) {
    const found = notified.find((n) => n.execution === name);
    if (found) return found;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  throw new Error(`no notification for ${executionArn}`);
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 1000; i++) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  throw new Error(`${executionArn} still running`);
}

describe('the local Step Functions endpoint', () => {
  it('hands a task its input after Parameters, with the Context Object resolved', async () => {
    const executionArn = await start('calls', {}, 'named-execution');
    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(echoed.at(-1)).toEqual({ id: `id-${sequence}`, constant: 'x' });
    expect(JSON.parse(execution.output as string)).toEqual({ id: `id-${sequence}`, constant: 'x' });
    expect(execution.startDate).toBeInstanceOf(Date);
    expect(execution.stopDate).toBeInstanceOf(Date);
  });

  it('fails an execution with the function error name and Lambda cause after its retries', async () => {
    failures = 0;
    const execution = await finished(await start('fails'));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Flaky');
    expect(JSON.parse(execution.cause as string)).toMatchObject({ errorType: 'Flaky', errorMessage: 'attempt 3' });
    expect(failures).toBe(3);
  });

  it('times a callback task out with States.Timeout, after which its token is TaskTimedOut', async () => {
    const executionArn = await start('waitsOneSecond');
    const { token } = await notificationFor(executionArn);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string).timedOut).toMatchObject({ Error: 'States.Timeout' });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.map((e) => e.type)).toContain('TaskTimedOut');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps an answer that arrives before the notifying function returns', async () => {
    answerBeforeReturning = async (token) => {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"early":true}' }));
    };
    try {
      const execution = await finished(await start('waits'));
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output as string)).toEqual({ early: true });
    } finally {
      answerBeforeReturning = undefined;
    }
  });

  it('fails a callback task with the error and cause of SendTaskFailure', async () => {
    const executionArn = await start('waits');
    const { token } = await notificationFor(executionArn);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Request.Rejected', cause: 'not needed' }));
    const execution = await finished(executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Request.Rejected', cause: 'not needed' });
  });

  it('stops an execution, and its pending token no longer exists', async () => {
    const executionArn = await start('waits');
    const { token } = await notificationFor(executionArn);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Admin.Stop', cause: 'cleaning up' }));

    const execution = await finished(executionArn);
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Admin.Stop', cause: 'cleaning up' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events.map((e) => e.type)).toEqual(['ExecutionAborted']);

    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: endpoint.stateMachineArn('waits'), statusFilter: 'ABORTED' }),
    );
    expect(executions.map((e) => e.executionArn)).toContain(executionArn);
  });

  it('runs many executions at once', async () => {
    const arns = await Promise.all(Array.from({ length: 100 }, () => start('waits')));
    const notifications = await Promise.all(arns.map(notificationFor));
    await Promise.all(
      notifications.map((n) => sfn.send(new SendTaskSuccessCommand({ taskToken: n.token, output: JSON.stringify({ id: n.id }) }))),
    );
    const executions = await Promise.all(arns.map(finished));
    expect(executions.every((e, i) => e.status === 'SUCCEEDED' && JSON.parse(e.output as string).id === notifications[i].id)).toBe(true);
    expect(new Set(notifications.map((n) => n.token)).size).toBe(100);
  });

  it('answers unknown resources and bad requests with the modelled exceptions', async () => {
    const region = 'arn:aws:states:ap-northeast-1:000000000000';
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${region}:stateMachine:missing` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${region}:execution:waits:missing` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toBeInstanceOf(InvalidArn);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: endpoint.stateMachineArn('waits'), name: 'has space' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: endpoint.stateMachineArn('waits'), input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: endpoint.stateMachineArn('waits') })),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });

  it('closes with executions still waiting', async () => {
    const other = await startStepFunctionsEndpoint({
      port: 0,
      stateMachines: [{ name: 'waits', definition: JSON.stringify(machines.waits) }],
      invoke: async () => null,
    });
    const client = new SFNClient({ endpoint: other.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await client.send(new StartExecutionCommand({ stateMachineArn: other.stateMachineArn('waits'), input: '{"id":"x"}' }));
    client.destroy();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
