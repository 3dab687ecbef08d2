import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  localLambdaArn,
  startStepFunctionsEndpoint,
  type StepFunctionsEndpoint,
} from '../../infra/local/stepfunctions-endpoint';
import { approvalDefinitionFile, loadDefinition } from '../../infra/statemachines/definitions';
import { ServiceUnavailableError } from '../../functions/adapters/service-errors';

/*
 * The approval ASL runs through the local endpoint exactly as the product drives it: the real SFNClient
 * starts executions and answers task tokens. The three Lambda functions are small scripted doubles that
 * keep each request's stage in memory the way the product keeps it in DynamoDB.
 */

type Outcome = 'approved' | 'rejected' | 'sent_back';
interface Notification {
  requestId: string;
  round: number;
  stage: number;
  taskToken: string;
}
interface FakeRequest {
  stages: number;
  stage: number;
  round: number;
  outcome?: Outcome;
  /** Throw Request.Conflict from Advance this many more times. */
  conflicts: number;
  /** Throw Service.Unavailable (DynamoDB out of reach) from Advance this many more times. */
  outages?: number;
}

const requests = new Map<string, FakeRequest>();
const notifications: Notification[] = [];
const notificationWaiters: Array<() => void> = [];
const outcomesApplied: Array<{ requestId: string; round: number; outcome: string }> = [];
const advanceCalls: string[] = [];

class ConflictError extends Error {
  override name = 'Request.Conflict';
}

const functions: Record<string, (payload: any) => Promise<unknown>> = {
  async Advance({ requestId }: { requestId: string }) {
    advanceCalls.push(requestId);
    const request = requests.get(requestId);
    if (!request) throw new Error(`no request ${requestId}`);
    if (request.conflicts > 0) {
      request.conflicts -= 1;
      throw new ConflictError('the stage changed underneath');
    }
    if ((request.outages ?? 0) > 0) {
      request.outages! -= 1;
      throw new ServiceUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }));
    }
    const next = request.outcome ?? (request.stage >= request.stages ? 'approved' : 'await');
    return { requestId, next, round: request.round, stage: request.stage };
  },
  async NotifyApprovers(payload: Notification) {
    notifications.push(payload);
    notificationWaiters.splice(0).forEach((wake) => wake());
    return { notified: 1 };
  },
  async ApplyOutcome({ requestId, round, outcome }: { requestId: string; round: number; outcome: string }) {
    outcomesApplied.push({ requestId, round, outcome });
    return { requestId, outcome };
  },
};

let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;
let stateMachineArn: string;

beforeAll(async () => {
  const definition = loadDefinition(approvalDefinitionFile, {
    AdvanceFunctionArn: localLambdaArn('Advance'),
    NotifyApproversFunctionArn: localLambdaArn('NotifyApprovers'),
    ApplyOutcomeFunctionArn: localLambdaArn('ApplyOutcome'),
  });
  endpoint = await startStepFunctionsEndpoint({
    port: 0,
    stateMachines: [{ name: 'approval', definition }],
    invoke: async (functionArn, payload) => {
      const fn = functions[functionArn.split(':').at(-1) as string];
      if (!fn) throw new Error(`unknown function ${functionArn}`);
      return fn(payload);
    },
  });
  sfn = new SFNClient({
    endpoint: endpoint.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  stateMachineArn = endpoint.stateMachineArn('approval');
});

afterAll(async () => {
  sfn?.destroy();
  await endpoint?.close();
});

afterEach(() => {
  requests.clear();
  notifications.length = 0;
  outcomesApplied.length = 0;
  advanceCalls.length = 0;
});

let sequence = 0;
function newRequest(stages = 3, overrides: Partial<FakeRequest> = {}): string {
  const requestId = `REQ-${++sequence}`;
  requests.set(requestId, { stages, stage: 0, round: 1, conflicts: 0, ...overrides });
  return requestId;
}

async function start(requestId: string, name: string = requestId): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ requestId }) }),
  );
  return executionArn as string;
}

async function nextNotification(requestId: string, seen: number): Promise<Notification> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const mine = notifications.filter((n) => n.requestId === requestId);
    if (mine.length > seen) return mine[seen];
    if (Date.now() > deadline) throw new Error(`no notification #${seen + 1} for ${requestId}`);
    await new Promise<void>((wake) => {
      notificationWaiters.push(wake);
      setTimeout(wake, 50);
    });
  }
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running`);
    await new Promise((wake) => setTimeout(wake, 10));
  }
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events ?? [];
}

/** Records the decision where the product would (DynamoDB) and wakes the execution, as the decision handler does. */
async function decide(notification: Notification, decision: 'approve' | 'reject' | 'send_back'): Promise<void> {
  const request = requests.get(notification.requestId) as FakeRequest;
  if (decision === 'approve') request.stage += 1;
  if (decision === 'reject') request.outcome = 'rejected';
  if (decision === 'send_back') request.outcome = 'sent_back';
  await sfn.send(new SendTaskSuccessCommand({ taskToken: notification.taskToken, output: JSON.stringify({ decision }) }));
}

describe('the approval workflow on the local Step Functions endpoint', () => {
  it('walks three approved stages to ApplyOutcome in at most 15 state transitions', async () => {
    const requestId = newRequest(3);
    const executionArn = await start(requestId);

    for (let stage = 0; stage < 3; stage++) {
      const notification = await nextNotification(requestId, stage);
      expect(notification).toMatchObject({ requestId, round: 1, stage });
      expect(notification.taskToken).toEqual(expect.any(String));
      await decide(notification, 'approve');
    }

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toEqual({ requestId, outcome: 'approved' });
    expect(outcomesApplied).toEqual([{ requestId, round: 1, outcome: 'approved' }]);

    const events = await history(executionArn);
    const entered = events.filter((e) => e.type?.endsWith('StateEntered'));
    expect(entered.map((e) => e.stateEnteredEventDetails?.name)).toEqual([
      'Advance', 'Route', 'AwaitDecision',
      'Advance', 'Route', 'AwaitDecision',
      'Advance', 'Route', 'AwaitDecision',
      'Advance', 'Route', 'ApplyOutcome', 'Done',
    ]);
    expect(entered.length).toBeLessThanOrEqual(15);
  });

  it('gives every stage its own task token', async () => {
    const requestId = newRequest(2);
    const executionArn = await start(requestId);
    const first = await nextNotification(requestId, 0);
    await decide(first, 'approve');
    const second = await nextNotification(requestId, 1);
    expect(second.taskToken).not.toBe(first.taskToken);
    await decide(second, 'approve');
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
  });

  it('applies a rejection at stage 2 as the outcome', async () => {
    const requestId = newRequest(3);
    const executionArn = await start(requestId);
    await decide(await nextNotification(requestId, 0), 'approve');
    await decide(await nextNotification(requestId, 1), 'reject');

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outcomesApplied).toEqual([{ requestId, round: 1, outcome: 'rejected' }]);
  });

  it('applies a send-back as the outcome', async () => {
    const requestId = newRequest(3);
    const executionArn = await start(requestId);
    await decide(await nextNotification(requestId, 0), 'send_back');

    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    expect(outcomesApplied).toEqual([{ requestId, round: 1, outcome: 'sent_back' }]);
  });

  it('ends a withdrawn request at Done without applying an outcome', async () => {
    const requestId = newRequest(3);
    const executionArn = await start(requestId);
    const notification = await nextNotification(requestId, 0);
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: notification.taskToken, error: 'Request.Withdrawn', cause: 'withdrawn by the requester' }),
    );

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outcomesApplied).toEqual([]);
    const types = (await history(executionArn)).map((e) => e.type);
    expect(types).toContain('TaskFailed');
    expect(types.filter((t) => t === 'SucceedStateEntered')).toHaveLength(1);
  });

  it('retries Advance after a Request.Conflict and carries on', async () => {
    const requestId = newRequest(1, { conflicts: 1 });
    const executionArn = await start(requestId);
    await decide(await nextNotification(requestId, 0), 'approve');

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outcomesApplied).toEqual([{ requestId, round: 1, outcome: 'approved' }]);
    expect(advanceCalls).toHaveLength(3);

    const events = await history(executionArn);
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Request.Conflict', resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse(failed?.taskFailedEventDetails?.cause as string)).toMatchObject({
      errorType: 'Request.Conflict',
      errorMessage: 'the stage changed underneath',
    });
    // A retry stays in the same state: it is not a new transition.
    expect(events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Advance')).toHaveLength(2);
  });

  it('retries a step that meets an outage (Service.Unavailable) instead of failing the execution', async () => {
    const requestId = newRequest(1);
    const executionArn = await start(requestId);
    requests.get(requestId)!.outages = 1;
    await decide(await nextNotification(requestId, 0), 'approve');

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outcomesApplied).toEqual([{ requestId, round: 1, outcome: 'approved' }]);
    const failed = (await history(executionArn)).filter((e) => e.type === 'TaskFailed');
    expect(failed.map((e) => e.taskFailedEventDetails?.error)).toEqual(['Service.Unavailable']);
  });

  it('refuses a used task token', async () => {
    const requestId = newRequest(1);
    const executionArn = await start(requestId);
    const notification = await nextNotification(requestId, 0);
    await decide(notification, 'approve');

    const again = sfn.send(new SendTaskSuccessCommand({ taskToken: notification.taskToken, output: '{}' }));
    await expect(again).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(again).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
  });

  it('refuses a second execution with the same name', async () => {
    const requestId = newRequest(1);
    const executionArn = await start(requestId, `${requestId}-round-1`);
    const otherInput = sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: `${requestId}-round-1`, input: JSON.stringify({ requestId: 'other' }) }),
    );
    await expect(otherInput).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await decide(await nextNotification(requestId, 0), 'approve');
    await finished(executionArn);
    const afterItClosed = start(requestId, `${requestId}-round-1`);
    await expect(afterItClosed).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('treats a repeated start with the same name and input as the same running execution', async () => {
    const requestId = newRequest(1);
    const first = await start(requestId);
    const second = await start(requestId);
    expect(second).toBe(first);
    await decide(await nextNotification(requestId, 0), 'approve');
    expect((await finished(first)).status).toBe('SUCCEEDED');
    expect(notifications.filter((n) => n.requestId === requestId)).toHaveLength(1);
  });
});
