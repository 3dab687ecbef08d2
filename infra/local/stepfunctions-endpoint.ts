import './polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

/**
 * Runs the Lambda handler behind a function ARN (or name) with a JSON payload and returns its result.
 * Throwing is a function error: the thrown error's `name` becomes the Step Functions error name, as a
 * Lambda `errorType` does on AWS.
 */
export type LocalInvoke = (functionArn: string, payload: unknown) => Promise<unknown>;

/** Options of {@link startStepFunctionsEndpoint}. */
export interface StepFunctionsEndpointOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Region used in ARNs; default `ap-northeast-1`. */
  region?: string;
  /** Account id used in ARNs; default `000000000000`. */
  accountId?: string;
  /** State machines to serve, by name, with ASL text whose placeholders are already substituted. */
  stateMachines: Array<{ name: string; definition: string }>;
  /** Runs the Lambda handler behind a function ARN. */
  invoke: LocalInvoke;
  /** Receives lifecycle and error messages; nothing is logged without it. */
  log?: (message: string, detail?: Record<string, unknown>) => void;
  /**
   * Wait this many milliseconds before every retry instead of `IntervalSeconds × BackoffRate^attempt`.
   * Meant for tests that exercise Retry; leave unset to keep the ASL's timing.
   */
  retryIntervalMs?: number;
}

/** A running local Step Functions endpoint. */
export interface StepFunctionsEndpoint {
  /** Base URL for `new SFNClient({ endpoint })`, e.g. `http://127.0.0.1:8083`. */
  url: string;
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>` */
  stateMachineArn(name: string): string;
  /** Aborts running executions without logging them as failures, and closes the server. */
  close(): Promise<void>;
}

const DEFAULT_REGION = 'ap-northeast-1';
const DEFAULT_ACCOUNT = '000000000000';

/** ARN of a local Lambda function by name, e.g. `arn:aws:lambda:ap-northeast-1:000000000000:function:Advance`. */
export function localLambdaArn(name: string, region: string = DEFAULT_REGION, accountId: string = DEFAULT_ACCOUNT): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** An API error that the SDK turns into its modelled exception class (`__type` is the shape name). */
class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A task failure as aws-local-stepfunctions sees it: Retry/Catch match `name`; Catch's Cause is `message`. */
class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * Thrown into a task that belongs to an execution which has been stopped. aws-local-stepfunctions reads
 * these two flags, so the state is neither retried (which would invoke the function again after the
 * stop) nor caught.
 */
class ExecutionStopped extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution stopped');
    this.name = 'States.Runtime';
  }
}

/** The `{errorMessage, errorType, trace}` document that Lambda returns for a function error. */
function lambdaFailure(error: unknown): TaskFailure {
  const errorType = error instanceof Error && error.name ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

// ---------------------------------------------------------------------------------------------
// Model

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** How a Task state's Resource is executed locally. */
interface TaskKind {
  /** `requestResponse` and `waitForTaskToken` are the `arn:aws:states:::lambda:invoke` integrations; `function` is a bare Lambda ARN. */
  pattern: 'requestResponse' | 'waitForTaskToken' | 'function';
  resource: string;
  timeoutSeconds?: number;
}

interface Machine {
  name: string;
  arn: string;
  engine: StateMachine;
  tasks: Map<string, TaskKind>;
  retryStates: string[];
}

interface Execution {
  arn: string;
  name: string;
  machine: Machine;
  input: string;
  status: Status;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** Task tokens handed out by this execution that nobody has answered yet. */
  pending: Set<string>;
  attempts: Set<Attempt>;
  finished: boolean;
  abort?: () => void;
}

/** One run of a Task state's resource; a retry is a new attempt. */
interface Attempt {
  stateName: string;
  /** The state has moved on (timed out or finished): late results must leave no trace. */
  closed: boolean;
  token?: string;
}

interface PendingTask {
  execution: Execution;
  /** Set once SendTaskSuccess/SendTaskFailure has answered, before the invoke may even have returned. */
  answered: boolean;
  succeed(output: unknown): void;
  fail(error: TaskFailure | ExecutionStopped): void;
}

/** Finds every Task state, including those inside Map and Parallel states, by name. */
function collectStates(
  states: Record<string, Record<string, unknown>>,
  visit: (name: string, state: Record<string, unknown>) => void,
): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    const nested = [state.Iterator, state.ItemProcessor, ...((state.Branches as unknown[] | undefined) ?? [])];
    for (const machine of nested) {
      const inner = (machine as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
      if (inner) collectStates(inner, visit);
    }
  }
}

function taskKind(stateName: string, state: Record<string, unknown>): TaskKind {
  const resource = String(state.Resource);
  const timing = { timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined };
  if (resource === 'arn:aws:states:::lambda:invoke') return { pattern: 'requestResponse', resource, ...timing };
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') return { pattern: 'waitForTaskToken', resource, ...timing };
  if (/^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource)) return { pattern: 'function', resource, ...timing };
  throw new Error(`Task state ${stateName}: resource ${resource} is not supported by the local Step Functions endpoint`);
}

/** setTimeout's ceiling, in seconds (about 24.8 days); aws-local-stepfunctions times states with setTimeout. */
const MAX_LOCAL_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);

/**
 * Rewrites the parts of a state that aws-local-stepfunctions 3.0.0 reads differently from Step Functions,
 * so that the engine does what the ASL means:
 * - `"ResultPath": "$"` is read as "store the result under a key named `$`"; `$` is the default, so
 *   leaving it out means exactly what the ASL says.
 * - A Task without TimeoutSeconds times out after 60 s in the engine; on AWS it effectively never does.
 * - A timeout beyond setTimeout's ceiling would fire at once; no local process lives that long anyway.
 */
function normaliseForEngine(state: Record<string, unknown>): void {
  if (state.ResultPath === '$') delete state.ResultPath;
  for (const catcher of (state.Catch as Array<Record<string, unknown>> | undefined) ?? []) {
    if (catcher.ResultPath === '$') delete catcher.ResultPath;
  }
  if (state.Type === 'Task') {
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
    if (typeof state.TimeoutSeconds === 'number') state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_LOCAL_TIMEOUT_SECONDS);
    if (state.HeartbeatSeconds !== undefined || state.HeartbeatSecondsPath !== undefined) {
      // Refuse rather than silently never enforcing it.
      throw new Error('HeartbeatSeconds is not supported by the local Step Functions endpoint');
    }
  }
}

/** Replaces the Context Object's token placeholder, wherever Parameters put it, with the real token. */
function withToken(value: unknown, placeholder: string, token: string): unknown {
  if (typeof value === 'string') return value.includes(placeholder) ? value.split(placeholder).join(token) : value;
  if (Array.isArray(value)) return value.map((item) => withToken(item, placeholder, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, placeholder, token)]));
  }
  return value;
}

/** A Lambda receives and returns JSON; round-tripping keeps handlers from sharing objects with the engine. */
function asJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const epochSeconds = (date: Date | number) => (typeof date === 'number' ? date : date.getTime()) / 1000;

const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
const EVENT_PREFIX: Record<string, string> = {
  Task: 'TaskState',
  Choice: 'ChoiceState',
  Pass: 'PassState',
  Wait: 'WaitState',
  Succeed: 'SucceedState',
  Fail: 'FailState',
  Map: 'MapState',
  Parallel: 'ParallelState',
};

// ---------------------------------------------------------------------------------------------
// Endpoint

/**
 * Starts a local endpoint that speaks the Step Functions API (AWS JSON 1.0) to the real `SFNClient`
 * and runs executions of the given ASL definitions with aws-local-stepfunctions, invoking Lambda
 * handlers through `invoke`. Executions live in memory only: after a restart the product starts them
 * again from the state stored in DynamoDB.
 */
export async function startStepFunctionsEndpoint(options: StepFunctionsEndpointOptions): Promise<StepFunctionsEndpoint> {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT;
  const log = options.log ?? (() => {});
  const stateMachineArn = (name: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  const executionArn = (machine: string, name: string) => `arn:aws:states:${region}:${accountId}:execution:${machine}:${name}`;
  // $$.Task.Token must resolve when Parameters are evaluated, before we know which task asks; each
  // callback task then swaps this placeholder for a token of its own.
  const tokenPlaceholder = `local-task-token-placeholder-${randomUUID()}`;

  const machines = new Map<string, Machine>();
  for (const { name, definition } of options.stateMachines) {
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    const tasks = new Map<string, TaskKind>();
    const retryStates: string[] = [];
    collectStates(parsed.States as unknown as Record<string, Record<string, unknown>>, (stateName, state) => {
      if (state.Type === 'Task') tasks.set(stateName, taskKind(stateName, state));
      normaliseForEngine(state);
      if (Array.isArray(state.Retry)) retryStates.push(stateName);
    });
    if (typeof parsed.TimeoutSeconds === 'number') parsed.TimeoutSeconds = Math.min(parsed.TimeoutSeconds, MAX_LOCAL_TIMEOUT_SECONDS);
    const engine = new StateMachine(parsed, { validationOptions: { checkPaths: true, checkArn: true } });
    machines.set(stateMachineArn(name), { name, arn: stateMachineArn(name), engine, tasks, retryStates });
  }

  const executions = new Map<string, Execution>();
  const tasks = new Map<string, PendingTask>();
  /** Tokens whose task timed out, so that a late answer gets TaskTimedOut rather than TaskDoesNotExist. */
  const timedOut = new Set<string>();
  const rememberTimedOut = (token: string) => {
    timedOut.add(token);
    if (timedOut.size > 10_000) timedOut.delete(timedOut.values().next().value as string);
  };

  function recordEvent(execution: Execution, type: string, details?: Record<string, unknown>, timestamp: number = Date.now()): void {
    const last = execution.history.at(-1);
    // Like the service, nothing is recorded once the execution has closed (e.g. a task answered after a stop).
    if (last && /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(last.type)) return;
    const id = execution.history.length + 1;
    execution.history.push({ timestamp: epochSeconds(timestamp), type, id, previousEventId: id - 1, ...details });
  }

  function taskDetails(kind: TaskKind): { resourceType: string; resource: string } {
    return kind.pattern === 'function'
      ? { resourceType: 'lambda', resource: kind.resource }
      : { resourceType: 'lambda', resource: kind.pattern === 'waitForTaskToken' ? 'invoke.waitForTaskToken' : 'invoke' };
  }

  type Recorder = (type: string, details?: Record<string, unknown>) => void;

  function recordScheduled(record: Recorder, kind: TaskKind, parameters: unknown): void {
    if (kind.pattern === 'function') {
      record('LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: kind.resource, input: JSON.stringify(parameters), timeoutInSeconds: kind.timeoutSeconds },
      });
      record('LambdaFunctionStarted');
      return;
    }
    record('TaskScheduled', {
      taskScheduledEventDetails: {
        ...taskDetails(kind),
        region,
        parameters: JSON.stringify(parameters),
        timeoutInSeconds: kind.timeoutSeconds,
      },
    });
    record('TaskStarted', { taskStartedEventDetails: taskDetails(kind) });
  }

  function recordSucceeded(record: Recorder, kind: TaskKind, output: unknown): void {
    if (kind.pattern === 'function') {
      record('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output) } });
    } else {
      record('TaskSucceeded', { taskSucceededEventDetails: { ...taskDetails(kind), output: JSON.stringify(output) } });
    }
  }

  function recordFailed(execution: Execution, kind: TaskKind, failure: TaskFailure): void {
    if (kind.pattern === 'function') {
      recordEvent(execution, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: failure.name, cause: failure.message } });
    } else {
      recordEvent(execution, 'TaskFailed', { taskFailedEventDetails: { ...taskDetails(kind), error: failure.name, cause: failure.message } });
    }
  }

  /** The local handler that stands in for one Task state's Resource within one execution. */
  function taskHandler(execution: Execution, stateName: string, kind: TaskKind) {
    return async (input: unknown): Promise<never> => {
      // aws-local-stepfunctions hands its events over asynchronously; yielding one macrotask lets the
      // history take this state's StateEntered before the Task* events recorded here.
      await nextMacrotask();
      if (execution.status !== 'RUNNING') throw new ExecutionStopped();
      const attempt: Attempt = { stateName, closed: false };
      execution.attempts.add(attempt);
      try {
        return (await runAttempt(execution, attempt, kind, input)) as never;
      } catch (error) {
        if (error instanceof ExecutionStopped || execution.status !== 'RUNNING') throw new ExecutionStopped();
        if (error instanceof TaskFailure) throw error;
        const failure = lambdaFailure(error);
        if (!attempt.closed) recordFailed(execution, kind, failure);
        throw failure;
      } finally {
        execution.attempts.delete(attempt);
        attempt.closed = true;
      }
    };
  }

  async function runAttempt(execution: Execution, attempt: Attempt, kind: TaskKind, input: unknown): Promise<unknown> {
    const record = (type: string, details?: Record<string, unknown>) => {
      if (!attempt.closed) recordEvent(execution, type, details);
    };
    if (kind.pattern === 'function') {
      recordScheduled(record, kind, input);
      const result = asJson(await options.invoke(kind.resource, asJson(input)));
      recordSucceeded(record, kind, result);
      return result;
    }

    const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    if (typeof FunctionName !== 'string') {
      const failure = new TaskFailure('States.Runtime', `Task state ${attempt.stateName}: Parameters must contain FunctionName`);
      recordFailed(execution, kind, failure);
      throw failure;
    }

    if (kind.pattern === 'requestResponse') {
      recordScheduled(record, kind, input);
      const result = await options.invoke(FunctionName, asJson(Payload ?? {}));
      const output = { ExecutedVersion: '$LATEST', Payload: asJson(result), StatusCode: 200 };
      recordSucceeded(record, kind, output);
      return output;
    }

    const token = randomBytes(48).toString('base64url');
    const payload = withToken(asJson(Payload ?? {}), tokenPlaceholder, token);
    recordScheduled(record, kind, { FunctionName, Payload: payload });
    let settle!: { resolve: (output: unknown) => void; reject: (error: Error) => void };
    const answer = { promise: new Promise<unknown>((resolve, reject) => (settle = { resolve, reject })) };
    // The answer is not awaited if the invoke fails first.
    answer.promise.catch(() => {});
    const task: PendingTask = {
      execution,
      answered: false,
      succeed(output) {
        task.answered = true;
        release(token);
        recordSucceeded(record, kind, output);
        settle.resolve(output);
      },
      fail(error) {
        task.answered = true;
        release(token);
        if (error instanceof TaskFailure) recordFailed(execution, kind, error);
        settle.reject(error);
      },
    };
    attempt.token = token;
    tasks.set(token, task);
    execution.pending.add(token);

    let invocationResult: unknown;
    try {
      invocationResult = await options.invoke(FunctionName, payload);
    } catch (error) {
      // An approver may have answered while the function was still running; the answer stands.
      if (!task.answered) {
        release(token);
        throw error;
      }
    }
    if (!task.answered) {
      record('TaskSubmitted', {
        taskSubmittedEventDetails: {
          ...taskDetails(kind),
          output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: asJson(invocationResult), StatusCode: 200 }),
        },
      });
    }
    return answer.promise;
  }

  function release(token: string): void {
    const task = tasks.get(token);
    if (!task) return;
    tasks.delete(token);
    task.execution.pending.delete(token);
  }

  /** Called when aws-local-stepfunctions times a Task state out: the attempt is over and its token invalid. */
  function expireAttempts(execution: Execution, stateName: string): void {
    for (const attempt of execution.attempts) {
      if (attempt.stateName !== stateName) continue;
      attempt.closed = true;
      if (attempt.token && tasks.has(attempt.token)) {
        tasks.get(attempt.token)?.fail(new ExecutionStopped());
        rememberTimedOut(attempt.token);
      }
    }
  }

  /** Translates aws-local-stepfunctions' event log into Step Functions history events. */
  async function followEvents(execution: Execution, events: AsyncGenerator<Record<string, unknown>>): Promise<void> {
    try {
      for await (const event of events) {
        const timestamp = Number(event.timestamp);
        const state = event.state as { name: string; type: string; input?: unknown; output?: unknown } | undefined;
        switch (event.type) {
          case 'ExecutionStarted':
            recordEvent(
              execution,
              'ExecutionStarted',
              {
                executionStartedEventDetails: {
                  input: JSON.stringify(event.input),
                  inputDetails: { truncated: false },
                  roleArn: `arn:aws:iam::${accountId}:role/local-stepfunctions`,
                },
              },
              timestamp,
            );
            break;
          case 'StateEntered':
            if (!state) break;
            recordEvent(
              execution,
              `${EVENT_PREFIX[state.type] ?? state.type}Entered`,
              { stateEnteredEventDetails: { name: state.name, input: JSON.stringify(state.input), inputDetails: { truncated: false } } },
              timestamp,
            );
            break;
          case 'StateExited':
            if (!state) break;
            recordEvent(
              execution,
              `${EVENT_PREFIX[state.type] ?? state.type}Exited`,
              { stateExitedEventDetails: { name: state.name, output: JSON.stringify(state.output), outputDetails: { truncated: false } } },
              timestamp,
            );
            break;
          case 'StateFailed': {
            // Function errors are recorded where they happen; only the engine's own timeout is news here.
            const kind = state && execution.machine.tasks.get(state.name);
            if (!state || !kind || event.Error !== 'States.Timeout') break;
            expireAttempts(execution, state.name);
            if (kind.pattern === 'function') {
              recordEvent(execution, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } }, timestamp);
            } else {
              recordEvent(execution, 'TaskTimedOut', { taskTimedOutEventDetails: { ...taskDetails(kind), error: 'States.Timeout' } }, timestamp);
            }
            break;
          }
          case 'ExecutionSucceeded':
            recordEvent(
              execution,
              'ExecutionSucceeded',
              { executionSucceededEventDetails: { output: JSON.stringify(event.output), outputDetails: { truncated: false } } },
              timestamp,
            );
            break;
          case 'ExecutionFailed':
            recordEvent(
              execution,
              'ExecutionFailed',
              { executionFailedEventDetails: { error: String(event.Error), cause: causeText(event.Cause) } },
              timestamp,
            );
            break;
          case 'ExecutionAborted':
            recordEvent(
              execution,
              'ExecutionAborted',
              { executionAbortedEventDetails: { error: execution.error, cause: execution.cause } },
              timestamp,
            );
            break;
          case 'ExecutionTimeout':
            recordEvent(execution, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } }, timestamp);
            break;
          default:
            // Retries and catches leave no event of their own in Step Functions history.
            break;
        }
      }
    } catch (error) {
      log('stepfunctions: event log failed', { executionArn: execution.arn, error: String(error) });
    }
  }

  function finish(execution: Execution): void {
    if (execution.finished) return;
    execution.finished = true;
    execution.stopDate ??= new Date();
    for (const token of [...execution.pending]) tasks.get(token)?.fail(new ExecutionStopped());
    log('stepfunctions: execution finished', { executionArn: execution.arn, status: execution.status, error: execution.error });
  }

  function startExecution(machine: Machine, name: string, input: string): Execution {
    const execution: Execution = {
      arn: executionArn(machine.name, name),
      name,
      machine,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      history: [],
      pending: new Set(),
      attempts: new Set(),
      finished: false,
    };
    executions.set(execution.arn, execution);
    // As on AWS, StartExecution answers before the execution's first state runs: the caller (a
    // submission waiting to answer its user) does not wait for the interpreter to set the run up.
    setImmediate(() => {
      if (execution.status === 'RUNNING') begin(execution);
    });
    log('stepfunctions: execution started', { executionArn: execution.arn });
    return execution;
  }

  function begin(execution: Execution): void {
    const { machine, name, input } = execution;
    const taskResourceLocalHandlers = Object.fromEntries(
      [...machine.tasks].map(([stateName, kind]) => [stateName, taskHandler(execution, stateName, kind)]),
    );
    const retryIntervalOverrides =
      options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(machine.retryStates.map((stateName) => [stateName, options.retryIntervalMs as number]));
    const run = machine.engine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
      context: {
        Execution: { Id: execution.arn, Name: name, RoleArn: `arn:aws:iam::${accountId}:role/local-stepfunctions`, RedriveCount: 0 },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: tokenPlaceholder },
      },
    });
    execution.abort = run.abort;
    void followEvents(execution, run.eventLogs as unknown as AsyncGenerator<Record<string, unknown>>);
    run.result
      .then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
        finish(execution);
      },
      (error: unknown) => {
        if (execution.status !== 'RUNNING') return finish(execution);
        if (error instanceof ExecutionAbortedError) {
          execution.status = 'ABORTED';
        } else if (error instanceof ExecutionTimeoutError) {
          execution.status = 'TIMED_OUT';
          execution.error = 'States.Timeout';
        } else {
          const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : undefined;
          execution.status = 'FAILED';
          execution.error = failure?.name ?? 'States.Runtime';
          execution.cause = failure ? causeText((failure as { cause?: unknown }).cause ?? failure.message) : String(error);
        }
        finish(execution);
      },
      )
      .catch((error: unknown) => log('stepfunctions: execution bookkeeping failed', { executionArn: execution.arn, error: String(error) }));
  }

  function stopExecution(execution: Execution, error?: string, cause?: string): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = 'ABORTED';
    execution.error = error;
    execution.cause = cause;
    execution.stopDate = new Date();
    execution.abort?.();
    finish(execution);
  }

  // -------------------------------------------------------------------------------------------
  // API operations

  const machineFor = (arn: unknown): Machine => {
    if (typeof arn !== 'string' || !/^arn:aws[\w-]*:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
      throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const machine = machines.get(arn);
    if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  };
  const executionFor = (arn: unknown): Execution => {
    if (typeof arn !== 'string' || !/^arn:aws[\w-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
      throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const execution = executions.get(arn);
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  };
  const taskFor = (token: unknown): PendingTask => {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new ApiError('InvalidToken', 'Invalid token');
    const task = tasks.get(token);
    if (task) return task;
    if (timedOut.has(token)) throw new ApiError('TaskTimedOut', 'Task Timed Out');
    throw new ApiError('TaskDoesNotExist', 'Task does not exist anymore');
  };
  const page = <T>(items: T[], body: Record<string, unknown>, defaultSize: number) => {
    const size = Math.min(Math.max(Number(body.maxResults) || defaultSize, 1), 1000);
    const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidToken', `Invalid Token: '${String(body.nextToken)}'`);
    const slice = items.slice(start, start + size);
    return { slice, nextToken: start + size < items.length ? String(start + size) : undefined };
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution(body) {
      const machine = machineFor(body.stateMachineArn);
      const name = body.name === undefined ? randomUUID() : body.name;
      if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${String(name)}'`);
      const input = body.input === undefined ? '{}' : body.input;
      if (typeof input !== 'string') throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
      try {
        JSON.parse(input);
      } catch {
        throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
      }
      const existing = executions.get(executionArn(machine.name, name));
      if (existing) {
        // Standard workflows: same name and input while still running is an idempotent retry of the call.
        if (existing.status === 'RUNNING' && existing.input === input) {
          return { executionArn: existing.arn, startDate: epochSeconds(existing.startDate) };
        }
        throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
      }
      const execution = startExecution(machine, name, input);
      return { executionArn: execution.arn, startDate: epochSeconds(execution.startDate) };
    },

    DescribeExecution(body) {
      const e = executionFor(body.executionArn);
      return {
        executionArn: e.arn,
        stateMachineArn: e.machine.arn,
        name: e.name,
        status: e.status,
        startDate: epochSeconds(e.startDate),
        stopDate: e.stopDate && epochSeconds(e.stopDate),
        input: e.input,
        inputDetails: { included: true },
        output: e.output,
        outputDetails: e.output === undefined ? undefined : { included: true },
        error: e.error,
        cause: e.cause,
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
      };
    },

    StopExecution(body) {
      const execution = executionFor(body.executionArn);
      stopExecution(
        execution,
        typeof body.error === 'string' ? body.error : undefined,
        typeof body.cause === 'string' ? body.cause : undefined,
      );
      return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
    },

    ListExecutions(body) {
      const machine = machineFor(body.stateMachineArn);
      const filter = body.statusFilter;
      const matching = [...executions.values()]
        .filter((e) => e.machine === machine && (filter === undefined || e.status === filter))
        .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
      const { slice, nextToken } = page(matching, body, 100);
      return {
        executions: slice.map((e) => ({
          executionArn: e.arn,
          stateMachineArn: machine.arn,
          name: e.name,
          status: e.status,
          startDate: epochSeconds(e.startDate),
          stopDate: e.stopDate && epochSeconds(e.stopDate),
          redriveCount: 0,
        })),
        nextToken,
      };
    },

    GetExecutionHistory(body) {
      const execution = executionFor(body.executionArn);
      const ordered = body.reverseOrder === true ? [...execution.history].reverse() : execution.history;
      const { slice, nextToken } = page(ordered, body, 100);
      const events = body.includeExecutionData === false ? slice.map(withoutData) : slice;
      return { events, nextToken };
    },

    SendTaskSuccess(body) {
      const task = taskFor(body.taskToken);
      if (typeof body.output !== 'string') throw new ApiError('InvalidOutput', 'Invalid Output');
      let output: unknown;
      try {
        output = JSON.parse(body.output);
      } catch {
        throw new ApiError('InvalidOutput', `Invalid Output: '${body.output.slice(0, 100)}'`);
      }
      task.succeed(output);
      return {};
    },

    SendTaskFailure(body) {
      const task = taskFor(body.taskToken);
      const error = typeof body.error === 'string' ? body.error : '';
      const cause = typeof body.cause === 'string' ? body.cause : '';
      task.fail(new TaskFailure(error, cause));
      return {};
    },

    SendTaskHeartbeat(body) {
      taskFor(body.taskToken);
      return {};
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
      });
      response.end(text);
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
      if (request.method !== 'POST' || !Object.hasOwn(operations, operation)) {
        throw new ApiError('UnknownOperationException', `Operation not supported by the local endpoint: '${target || request.method}'`);
      }
      let body: Record<string, unknown>;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        throw new ApiError('SerializationException', 'Request body is not valid JSON');
      }
      reply(200, operations[operation](body ?? {}));
    } catch (error) {
      if (error instanceof ApiError) {
        reply(400, { __type: error.type, message: error.message });
      } else {
        log('stepfunctions: request failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        if (!response.headersSent) reply(500, { __type: 'InternalFailure', message: 'The local endpoint failed; see its log' });
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => log('stepfunctions: response failed', { error: String(error) }));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log('stepfunctions: server error', { error: String(error) }));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    stateMachineArn,
    async close() {
      for (const execution of executions.values()) stopExecution(execution);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  return typeof cause === 'string' ? cause : JSON.stringify(cause);
}

/** GetExecutionHistory with includeExecutionData=false leaves inputs and outputs out of every event. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _input, output: _output, parameters: _parameters, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}
