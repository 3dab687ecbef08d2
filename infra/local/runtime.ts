import './polyfills';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { roles } from '../../functions/domain/roles';
import { SFNClient } from '@aws-sdk/client-sfn';
import { monthlyReviewFunctions, routes, scheduledFunctions, scheduledWorkflows, streamFunctions, workflowFunctions } from '../../functions/http/routes';
import { auditTable, recordsTable, tables } from '../tables';
import { approvalDefinitionFile, loadDefinition, monthlyReviewDefinitionFile } from '../statemachines/definitions';
import { startSchedules } from './cron';
import { freePort, ensureTables, startDynamoDbLocal } from './dynamodb-local';
import type { ApiHandler } from './gateway';
import { startGateway } from './gateway';
import { createLocalAuth } from './local-auth';
import { startMailCapture } from './mail-capture';
import { seedDemoData } from './seed';
import { startStepFunctionsEndpoint, localLambdaArn } from './stepfunctions-endpoint';
import { startStreamEventSource, type StreamEventSource } from './stream-event-source';
import { WorkflowRunError, workflowScheduleRun } from './workflow-schedules';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const REGION = 'ap-northeast-1';
const ACCOUNT = '000000000000';
const TABLE_PREFIX = 'kitei-flow-';
const STATE_MACHINE = 'approval';

export interface LocalRuntimeOptions {
  /** Port of the gateway (web + API); 0 picks a free one. Default 3000. */
  port?: number;
  /** Port of DynamoDB Local; default: 8000 with a data folder, a free one without. */
  dynamoPort?: number;
  /** Folder for data kept across restarts (DynamoDB files, captured mail, sign-in key); none = in memory. */
  dataDir?: string;
  /** Seed the demo organisation and the server ledger (default true). */
  seed?: boolean;
  /** Listen on all interfaces instead of loopback only. */
  host?: string;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

export interface LocalRuntime {
  url: string;
  dynamoEndpoint: string;
  tables: { records: string; audit: string };
  /** Fires a schedule now, as `npm run schedule -- <name>` does. */
  fire(name: string): Promise<void>;
  /** Requests in review whose workflow was started again at start-up. */
  resumed: number;
  /**
   * Holds the workflows' Lambda steps until the returned function is called: the stream's hand-over
   * (which starts and wakes executions) and every step of a running execution wait, as they would
   * queue behind a Lambda concurrency limit. On AWS those steps run in functions of their own; the
   * bench holds them while it times the API, so that the figure is the API's own work and not also
   * the workflow's.
   */
  holdWorkflowSteps(): () => void;
  /**
   * Runs `load`, data written straight into DynamoDB as an import would write it, and keeps what it
   * wrote from the functions fed by the tables' streams: the bench's copies of requests are not new
   * submissions. Call it while nothing else writes.
   */
  passOverStreams<T>(load: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/** Imports a handler module the way Lambda loads the bundled one: once, then reused. */
const modules = new Map<string, Promise<Handler>>();
function loadHandler(entry: string): Promise<Handler> {
  let loaded = modules.get(entry);
  if (!loaded) {
    loaded = import(pathToFileURL(join(ROOT, entry)).href).then((module: { handler: Handler }) => module.handler);
    modules.set(entry, loaded);
  }
  return loaded;
}

/**
 * Starts the whole product on one machine: DynamoDB Local, the Step Functions endpoint running the
 * ASL files, the SES mail capture, the schedules and the gateway serving the API and the web page.
 * The functions are the same modules Lambda runs; they find the local services through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables. One runtime per process: the functions read their
 * configuration once.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort() : (options.port ?? 3000);
  const publicHost = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
  const url = `http://${publicHost}:${port}`;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => undefined);
  };

  try {
    const dynamoPort = options.dynamoPort ?? (dataDir ? 8000 : await freePort());
    const dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined });
    stops.push(() => dynamo.stop());

    const mail = await startMailCapture({ port: await freePort(), file: dataDir ? join(dataDir, 'mail.json') : undefined });
    stops.push(() => mail.close());

    const sfnPort = await freePort();
    let held: Promise<void> = Promise.resolve();
    const holdWorkflowSteps = () => {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => release();
    };
    const tableNames = { records: `${TABLE_PREFIX}${recordsTable.id.toLowerCase()}`, audit: `${TABLE_PREFIX}${auditTable.id.toLowerCase()}` };
    const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE}`;

    // The same variable names the CDK stack sets on every function.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${sfnPort}`,
      AWS_ENDPOINT_URL_SESV2: mail.url,
      [recordsTable.envName]: tableNames.records,
      [auditTable.envName]: tableNames.audit,
      APPROVAL_STATE_MACHINE_ARN: stateMachineArn,
      MAIL_FROM: 'no-reply@kitei-flow.local',
      WEB_BASE_URL: url,
      POWERTOOLS_SERVICE_NAME: 'kitei-flow-local',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    stops.push(async () => client.destroy());
    const tableNameOf = (specId: string) => (specId === recordsTable.id ? tableNames.records : tableNames.audit);
    await ensureTables(client, tables, (spec) => tableNameOf(spec.id));
    if (options.seed ?? true) {
      const seeded = await seedDemoData(DynamoDBDocumentClient.from(client), tableNames, new Date().toISOString());
      log('seeded demo data', seeded);
    }

    // Function ARNs in the ASL resolve to the handler modules, exactly as definitionSubstitutions do on AWS.
    const byArn = new Map<string, string>();
    const substitutions: Record<string, string> = {};
    for (const [placeholder, fn] of [...Object.entries(workflowFunctions), ...Object.entries(monthlyReviewFunctions)]) {
      const arn = localLambdaArn(fn.name, REGION, ACCOUNT);
      substitutions[placeholder] = arn;
      byArn.set(arn, fn.entry);
    }
    const sfn = await startStepFunctionsEndpoint({
      port: sfnPort,
      region: REGION,
      accountId: ACCOUNT,
      stateMachines: [
        { name: STATE_MACHINE, definition: loadDefinition(approvalDefinitionFile, substitutions) },
        { name: 'monthly-review', definition: loadDefinition(monthlyReviewDefinitionFile, substitutions) },
      ],
      invoke: async (functionArn, payload) => {
        await held;
        const entry = byArn.get(functionArn);
        if (!entry) throw new Error(`No local function behind ${functionArn}`);
        return (await loadHandler(entry))(payload, {});
      },
      log,
    });
    stops.push(() => sfn.close());
    // The functions fed by a table's stream, as Lambda event source mappings feed them on AWS. Their
    // steps are the workflow's too (they start and wake it), so they wait while steps are held.
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    stops.push(async () => streams.destroy());
    const streamSources: StreamEventSource[] = [];
    for (const spec of streamFunctions) {
      const source = await startStreamEventSource({
        dynamodb: client,
        streams,
        tableName: tableNameOf(spec.table),
        region: REGION,
        filter: spec.filter,
        batchSize: spec.batchSize,
        retryAttempts: spec.retryAttempts,
        invoke: async (event) => {
          await held;
          return (await loadHandler(spec.entry))(event, {}) as never;
        },
        log,
      });
      streamSources.push(source);
      stops.push(() => source.stop());
    }
    const passOverStreams = <T>(load: () => Promise<T>): Promise<T> =>
      streamSources.reduce<() => Promise<T>>((inner, source) => () => source.passOver(inner), load)();

    // Schedules that start a state machine do it through the SDK, as EventBridge Scheduler does on AWS.
    const sfnClient = new SFNClient({ endpoint: sfn.url, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    stops.push(async () => sfnClient.destroy());

    const schedules = startSchedules(
      [
        ...scheduledFunctions.map((spec) => ({
          name: spec.name,
          expression: spec.cron,
          timezone: 'Asia/Tokyo',
          run: async (input?: Record<string, unknown>) => void (await (await loadHandler(spec.entry))(input ?? {}, {})),
        })),
        ...scheduledWorkflows.map((spec) => ({
          name: spec.name,
          expression: spec.cron,
          timezone: 'Asia/Tokyo',
          run: workflowScheduleRun({ sfn: sfnClient, name: spec.name, stateMachineArn: () => sfn.stateMachineArn(spec.stateMachine), firstState: 'OpenReviews' }),
        })),
      ],
      { log },
    );
    stops.push(async () => schedules.stop());

    const auth = createLocalAuth({ issuer: `${url}/_local`, secretFile: dataDir ? join(dataDir, 'jwt-secret') : undefined });
    const { directory } = await import('../../functions/adapters/deps');
    const operations = await countDynamoOperations();
    const gateway = await startGateway({
      port,
      host,
      routes,
      loadHandler: (entry) => loadHandler(entry) as Promise<ApiHandler>,
      auth,
      webDir: join(ROOT, 'web/dist'),
      webConfig: { auth: { mode: 'local' } },
      log,
      local: {
        'GET /_local/users': async () => {
          const people = await directory.people();
          const items = await Promise.all(
            people.map(async (person) => ({ ...person, ...(await directory.placesOf(person)), roles: person.roles.map((r) => ({ ...r, label: roles[r.role].label })) })),
          );
          return { status: 200, json: { items } };
        },
        'POST /_local/login': async ({ body }) => {
          const userId = typeof body === 'object' && body && 'userId' in body ? String((body as { userId: unknown }).userId) : '';
          const person = userId ? await directory.person(userId) : null;
          if (!person) return { status: 400, json: { error: { code: 'validation_failed', message: '利用者が見つかりません。', issues: [{ path: 'userId', message: 'Unknown user' }] } } };
          return { status: 200, json: { token: await auth.issue(person.id) } };
        },
        'GET /_local/mail': async () => ({ status: 200, json: { items: mail.messages() } }),
        'GET /_local/metrics': async () => ({ status: 200, json: { dynamodb: Object.fromEntries(operations) } }),
        'GET /_local/mail/': async () => ({ status: 200, html: mail.page() }),
        'POST /_local/schedules/{name}': async ({ params, body }) => {
          if (!schedules.names().includes(params.name)) {
            return { status: 404, json: { error: { code: 'not_found', message: `No schedule named ${params.name}.`, known: schedules.names() } } };
          }
          try {
            await schedules.fire(params.name, (body ?? {}) as Record<string, unknown>);
          } catch (error) {
            if (!(error instanceof WorkflowRunError)) throw error;
            return { status: error.status, json: { error: { code: 'schedule_failed', message: error.message } } };
          }
          return { status: 200, json: { fired: params.name } };
        },
      },
    });
    stops.push(() => gateway.close());

    const { deps } = await import('../../functions/adapters/deps');
    const { resumeRequests } = await import('../../functions/domain/workflow-steps');
    const resumed = await resumeRequests(deps);

    return { url, dynamoEndpoint: dynamo.endpoint, tables: tableNames, fire: (name) => schedules.fire(name), resumed, holdWorkflowSteps, passOverStreams, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Counts the DynamoDB operations the functions send (by command name), through a middleware on the
 * functions' own client — the tests read it to prove that no request path scans.
 */
async function countDynamoOperations(): Promise<Map<string, number>> {
  const { dynamo } = await import('../../functions/adapters/aws-clients');
  const counts = new Map<string, number>();
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countOperations' },
  );
  return counts;
}
