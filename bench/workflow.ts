/**
 * 2. Workflow cost of one F1 request from submission to the access grant: state transitions (from the
 * local Step Functions endpoint's GetExecutionHistory), DynamoDB capacity consumed by the functions
 * (API handlers and workflow steps together) and the calls they make.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expectCall } from './lib/http';
import { addUsage, newUsage, quiet, totalCalls, type Usage } from './lib/meter';
import type { Product } from './lib/product';
import { auditChain, partition, stageNotified } from './lib/product';
import { round } from './lib/stats';

export interface LifecycleStep {
  step: string;
  rcu: number;
  wcu: number;
  calls: Record<string, number>;
}

export interface WorkflowResult {
  lifecycles: number;
  /** `*StateEntered` events per request (mean and maximum over the lifecycles). */
  stateTransitions: { mean: number; max: number; states: string[] };
  /** Every history event of one execution, by type (for the record). */
  historyEvents: Record<string, number>;
  /** Per lifecycle, summed over the functions' DynamoDB client. */
  perLifecycle: {
    rcu: number;
    wcu: number;
    /** Capacity by table and index (`records table`, `records gsi1`, `audit table`). */
    rcuBy: Record<string, number>;
    wcuBy: Record<string, number>;
    calls: Record<string, number>;
    reads: Record<string, number>;
    roundTrips: number;
    sfnCalls: Record<string, number>;
    mails: number;
  };
  /** One lifecycle, step by step; each step includes the workflow work it set off. */
  steps: LifecycleStep[];
  /** Sizes of the items every change rewrites (UTF-8 bytes of the stored JSON, about what DynamoDB counts), at the end of a lifecycle. */
  itemBytes: { request: number; task: number; auditEvent: number };
}

const stateMachineArn = () => String(process.env.APPROVAL_STATE_MACHINE_ARN);

async function executionOf(product: Product, requestId: string): Promise<string> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const listed = await product.sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn(), maxResults: 1000 }));
    const found = (listed.executions ?? []).find((e) => e.name?.startsWith(`${requestId}-r1-`));
    if (found?.status === 'SUCCEEDED') return found.executionArn!;
    if (found && found.status !== 'RUNNING') throw new Error(`execution of ${requestId} ended ${found.status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`execution of ${requestId} did not succeed`);
}

async function historyOf(product: Product, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await product.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, includeExecutionData: false }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function measureWorkflow(product: Product, options: { lifecycles: number; log: (m: string) => void }): Promise<WorkflowResult> {
  const { url } = product;
  const tokens = {
    tanaka: await product.token('u-tanaka'),
    'u-sato': await product.token('u-sato'),
    'u-kobayashi': await product.token('u-kobayashi'),
    'u-yamada': await product.token('u-yamada'),
  };
  const approvers = ['u-sato', 'u-kobayashi', 'u-yamada'] as const;
  const transitions: number[] = [];
  let states: string[] = [];
  let historyEvents: Record<string, number> = {};
  const total: Usage = newUsage();
  const sfnTotal: Usage = newUsage();
  let mails = 0;
  let steps: LifecycleStep[] = [];
  let itemBytes = { request: 0, task: 0, auditEvent: 0 };
  options.log(`workflow: ${options.lifecycles} F1 lifecycles, one at a time`);
  await quiet();
  for (let n = 0; n < options.lifecycles; n++) {
    const lifecycle = product.functionsDynamo.window();
    const sfnWindow = product.functionsSfn.window();
    const sesWindow = product.functionsSes.window();
    const mine: LifecycleStep[] = [];
    const step = async (name: string, run: () => Promise<void>) => {
      const window = product.functionsDynamo.window();
      await run();
      await quiet(20);
      const usage = window.close();
      mine.push({ step: name, rcu: round(usage.rcu), wcu: round(usage.wcu), calls: usage.calls });
    };
    let requestId = '';
    await step('submit (+ Advance opens stage 1, NotifyApprovers)', async () => {
      requestId = (await expectCall(201, url, 'POST', '/api/requests', { token: tokens.tanaka, body: { formId: 'server-connection-request', data: { serverId: 'srv-core-db', protocol: 'ssh', purpose: `ワークフロー計測 ${n}`, startDate: '2026-12-01', endDate: '2027-03-31' } } })).body.id;
      await stageNotified(product, requestId, 0);
    });
    for (let stage = 0; stage < 3; stage++) {
      const approver = approvers[stage];
      const label = stage < 2 ? `decision ${stage + 1} by ${approver} (+ Advance opens stage ${stage + 2}, NotifyApprovers)` : `decision 3 by ${approver} (+ Advance: approved, ApplyOutcome writes the grant)`;
      const tasks = await stageNotified(product, requestId, stage);
      const task = tasks.find((t) => t.approverId === approver);
      if (!task) throw new Error(`no task of ${approver} at stage ${stage}`);
      await step(label, async () => {
        await expectCall(200, url, 'POST', `/api/tasks/${task.id}/decision`, { token: tokens[approver], body: { decision: 'approve' } });
        if (stage < 2) await stageNotified(product, requestId, stage + 1);
        else await executionOf(product, requestId);
      });
    }
    const executionArn = await executionOf(product, requestId);
    await quiet(30);
    const usage = lifecycle.close();
    addUsage(sfnTotal, sfnWindow.close());
    mails += totalCalls(sesWindow.close());
    addUsage(total, usage);
    const grant = await product.db.send(new GetCommand({ TableName: product.tables.records, Key: { pk: 'LEDGER#server-access-grants', sk: `ITEM#${requestId.replace(/^R-/, 'G-')}` }, ConsistentRead: true }));
    if (!grant.Item) throw new Error(`no access grant for ${requestId}`);
    const history = await historyOf(product, executionArn);
    const entered = history.filter((e) => e.type?.endsWith('StateEntered'));
    transitions.push(entered.length);
    states = entered.map((e) => e.stateEnteredEventDetails?.name ?? e.type!);
    historyEvents = {};
    for (const e of history) historyEvents[e.type!] = (historyEvents[e.type!] ?? 0) + 1;
    steps = mine;
    const items = await partition(product, requestId);
    const events = await auditChain(product, requestId);
    const bytes = (item: unknown) => Buffer.byteLength(JSON.stringify(item));
    itemBytes = {
      request: bytes(items.find((i) => i.entity === 'request')),
      task: Math.max(...items.filter((i) => i.entity === 'task').map(bytes)),
      auditEvent: Math.max(...events.map(bytes)),
    };
  }
  const n = options.lifecycles;
  return {
    lifecycles: n,
    stateTransitions: { mean: round(transitions.reduce((a, b) => a + b, 0) / n), max: Math.max(...transitions), states },
    historyEvents,
    perLifecycle: {
      rcu: round(total.rcu / n),
      wcu: round(total.wcu / n),
      calls: Object.fromEntries(Object.entries(total.calls).map(([op, c]) => [op, round(c / n)])),
      reads: Object.fromEntries(Object.entries(total.targets).map(([target, c]) => [target, round(c / n)])),
      rcuBy: Object.fromEntries(Object.entries(total.rcuBy).map(([name, units]) => [name, round(units / n)])),
      wcuBy: Object.fromEntries(Object.entries(total.wcuBy).map(([name, units]) => [name, round(units / n)])),
      roundTrips: round(totalCalls(total) / n),
      sfnCalls: Object.fromEntries(Object.entries(sfnTotal.calls).map(([op, c]) => [op, round(c / n)])),
      mails: round(mails / n),
    },
    steps,
    itemBytes,
  };
}
