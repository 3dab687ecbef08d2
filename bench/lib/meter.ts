import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Meters AWS SDK clients through their middleware stack, the way infra/local/runtime.ts counts the
 * functions' DynamoDB operations: every call is counted by operation, DynamoDB calls are sent with
 * ReturnConsumedCapacity=INDEXES (the TOTAL figures, split by table and index) and the capacity
 * DynamoDB reports is summed. Usage lands in the
 * meter's total, in every open window, and in the AsyncLocalStorage scope the call was made from
 * (so a handler invoked in-process can be charged exactly with its own calls).
 */
export interface Usage {
  /** Calls by operation name (GetItem, Query, TransactWriteItems, StartExecution, …). */
  calls: Record<string, number>;
  /** Read and write capacity units DynamoDB reported. */
  rcu: number;
  wcu: number;
  /** Calls that failed (a refused condition, a throttle, …). */
  errors: number;
  /** Reads by what they read: `GetItem PERSON#`, `Query gsi1 ROLE#`, … (the key's prefix). */
  targets: Record<string, number>;
  /** Capacity by table and index (`records table`, `records gsi1`, `audit table`), reads and writes apart. */
  rcuBy: Record<string, number>;
  wcuBy: Record<string, number>;
  /** Time spent in calls, by operation name, in ms (from the call's start to its answer). */
  ms: Record<string, number>;
}

export const newUsage = (): Usage => ({ calls: {}, rcu: 0, wcu: 0, errors: 0, targets: {}, rcuBy: {}, wcuBy: {}, ms: {} });

export function addUsage(into: Usage, from: Usage): Usage {
  for (const [name, count] of Object.entries(from.calls)) into.calls[name] = (into.calls[name] ?? 0) + count;
  for (const [name, count] of Object.entries(from.targets)) into.targets[name] = (into.targets[name] ?? 0) + count;
  for (const [name, units] of Object.entries(from.rcuBy)) into.rcuBy[name] = (into.rcuBy[name] ?? 0) + units;
  for (const [name, units] of Object.entries(from.wcuBy)) into.wcuBy[name] = (into.wcuBy[name] ?? 0) + units;
  for (const [name, ms] of Object.entries(from.ms)) into.ms[name] = (into.ms[name] ?? 0) + ms;
  into.rcu += from.rcu;
  into.wcu += from.wcu;
  into.errors += from.errors;
  return into;
}

export const totalCalls = (usage: Usage) => Object.values(usage.calls).reduce((a, b) => a + b, 0);

/** Where the calls of an in-process handler invocation are charged. */
export const scope = new AsyncLocalStorage<Usage>();

/** Document-client command names → DynamoDB operation names. */
const OPERATION: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems', 'ExecuteStatement']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export const operationName = (commandName: unknown) => {
  const bare = String(commandName ?? 'unknown').replace(/Command$/, '');
  return OPERATION[bare] ?? bare;
};

/** The prefix of a key value (`PERSON#u-sato` → `PERSON#`), marshalled or not. */
function prefixOf(value: unknown): string {
  const text = typeof value === 'string' ? value : value && typeof value === 'object' && 'S' in value ? String((value as { S: unknown }).S) : '';
  const hash = text.indexOf('#');
  return hash >= 0 ? text.slice(0, hash + 1) : text || '?';
}

/** What a read reads, by the prefix of its partition key (and its index). */
function targetOf(op: string, input: Record<string, unknown>): string | null {
  if (op === 'GetItem') {
    const key = (input.Key ?? {}) as Record<string, unknown>;
    return `GetItem ${prefixOf(key.pk)}${key.sk !== undefined ? ` ${prefixOf(key.sk)}` : ''}`;
  }
  if (op === 'Query') {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    return `Query ${input.IndexName ? `${String(input.IndexName)} ` : ''}${prefixOf(values[':pk'])}`;
  }
  if (op === 'BatchGetItem') return 'BatchGetItem';
  return null;
}

interface Units {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

interface Capacity extends Units {
  TableName?: string;
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

export interface Meter {
  name: string;
  total: Usage;
  inFlight: number;
  /** performance.now() of the last call that started or ended. */
  lastActivity: number;
  /** Opens a window: everything the client does until close() is summed into the returned usage. */
  window(): { usage: Usage; close(): Usage };
}

/** Any SDK v3 client (its middleware stack's overloads are too precise to name here). */
interface Stackable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: { add: (...args: any[]) => void };
}

const meters: Meter[] = [];

export function meter(client: Stackable, name: string, options: { capacity: boolean }): Meter {
  const windows = new Set<Usage>();
  const m: Meter = {
    name,
    total: newUsage(),
    inFlight: 0,
    lastActivity: performance.now(),
    window() {
      const usage = newUsage();
      windows.add(usage);
      return { usage, close: () => (windows.delete(usage), usage) };
    },
  };
  meters.push(m);
  const charge = (apply: (usage: Usage) => void) => {
    apply(m.total);
    for (const usage of windows) apply(usage);
    const scoped = scope.getStore();
    if (scoped) apply(scoped);
  };
  client.middlewareStack.add(
    (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const op = operationName(context.commandName);
        const data = READS.has(op) || WRITES.has(op);
        // INDEXES: the TOTAL figures, plus how they split over the table and each index.
        if (options.capacity && data) args.input.ReturnConsumedCapacity ??= 'INDEXES';
        m.inFlight++;
        m.lastActivity = performance.now();
        const started = m.lastActivity;
        const target = targetOf(op, args.input);
        charge((usage) => {
          usage.calls[op] = (usage.calls[op] ?? 0) + 1;
          if (target) usage.targets[target] = (usage.targets[target] ?? 0) + 1;
        });
        try {
          const result = await next(args);
          const consumed = result.output?.ConsumedCapacity as Capacity | Capacity[] | undefined;
          const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
          let rcu = 0;
          let wcu = 0;
          const rcuBy: Record<string, number> = {};
          const wcuBy: Record<string, number> = {};
          const split = (units: Units | undefined, name: string) => {
            if (!units) return;
            if (units.ReadCapacityUnits !== undefined || units.WriteCapacityUnits !== undefined) {
              rcuBy[name] = (rcuBy[name] ?? 0) + (units.ReadCapacityUnits ?? 0);
              wcuBy[name] = (wcuBy[name] ?? 0) + (units.WriteCapacityUnits ?? 0);
            } else {
              const into = READS.has(op) ? rcuBy : wcuBy;
              into[name] = (into[name] ?? 0) + (units.CapacityUnits ?? 0);
            }
          };
          for (const c of list) {
            if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
              rcu += c.ReadCapacityUnits ?? 0;
              wcu += c.WriteCapacityUnits ?? 0;
            } else if (READS.has(op)) rcu += c.CapacityUnits ?? 0;
            else wcu += c.CapacityUnits ?? 0;
            const table = String(c.TableName ?? '?').split('-').pop();
            if (c.Table || c.GlobalSecondaryIndexes || c.LocalSecondaryIndexes) {
              split(c.Table, `${table} table`);
              for (const [index, units] of Object.entries({ ...c.GlobalSecondaryIndexes, ...c.LocalSecondaryIndexes })) split(units, `${table} ${index}`);
            } else split(c, `${table} (total)`);
          }
          if (rcu || wcu) {
            charge((usage) => {
              usage.rcu += rcu;
              usage.wcu += wcu;
              for (const [name, units] of Object.entries(rcuBy)) usage.rcuBy[name] = (usage.rcuBy[name] ?? 0) + units;
              for (const [name, units] of Object.entries(wcuBy)) usage.wcuBy[name] = (usage.wcuBy[name] ?? 0) + units;
            });
          }
          return result;
        } catch (error) {
          charge((usage) => usage.errors++);
          throw error;
        } finally {
          m.inFlight--;
          m.lastActivity = performance.now();
          const took = m.lastActivity - started;
          charge((usage) => (usage.ms[op] = (usage.ms[op] ?? 0) + took));
        }
      },
    { step: 'initialize', name: `benchMeter-${name}` },
  );
  return m;
}

/**
 * Waits until no metered client has had a call in flight for `idleMs` — the local workflow runs in
 * this process, and a figure must not be taken while it is still busy with an earlier request.
 */
export async function quiet(idleMs = 25, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = performance.now();
    const busy = meters.some((m) => m.inFlight > 0);
    const last = Math.max(...meters.map((m) => m.lastActivity));
    if (!busy && now - last >= idleMs) return;
    if (now > deadline) throw new Error('the local runtime did not go quiet');
    await new Promise((resolve) => setTimeout(resolve, Math.max(2, Math.min(idleMs, idleMs - (now - last)))));
  }
}
