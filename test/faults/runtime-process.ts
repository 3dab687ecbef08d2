/**
 * One local runtime in a process of its own, for the fault tests: the test process starts it,
 * kills it (SIGKILL of its process group, DynamoDB Local included) or stops it (SIGTERM), and starts
 * another on the same data folder. Configuration comes in FAULT_RUNTIME (JSON: port, dynamoPort,
 * dataDir, maxLifetimeMs). It prints `READY {json}` when it serves, and obeys lines on stdin:
 *
 * - `stop-sfn`: closes only the Step Functions endpoint (the executions it runs are lost with it);
 * - `stop`: stops everything and exits.
 *
 * It stops by itself after maxLifetimeMs, and when its parent goes away (stdin closes).
 */
import '../../infra/local/polyfills';
import { Server } from 'node:net';
import { createInterface } from 'node:readline';
import { startLocalRuntime } from '../../infra/local/runtime';

const config = JSON.parse(process.env.FAULT_RUNTIME ?? '{}') as { port: number; dynamoPort: number; dataDir: string; maxLifetimeMs?: number };

const runtime = await startLocalRuntime({ port: config.port, dynamoPort: config.dynamoPort, dataDir: config.dataDir });
const sfnEndpoint = process.env.AWS_ENDPOINT_URL_SFN ?? '';

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await runtime.stop().catch(() => undefined);
  process.exit(code);
}

/** The Step Functions endpoint's server, found among the process's listening servers by its port. */
function stopStepFunctions(): boolean {
  const port = Number(new URL(sfnEndpoint).port);
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const server = handles.find((h): h is Server & { closeAllConnections?: () => void } => h instanceof Server && (h.address() as { port?: number } | null)?.port === port);
  if (!server) return false;
  server.close();
  server.closeAllConnections?.();
  return true;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'stop-sfn') process.stdout.write(`DONE stop-sfn ${stopStepFunctions()}\n`);
  else if (command === 'stop') void shutdown(0);
});
process.stdin.on('end', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
setTimeout(() => void shutdown(3), config.maxLifetimeMs ?? 300_000);

process.stdout.write(`READY ${JSON.stringify({ url: runtime.url, dynamoEndpoint: runtime.dynamoEndpoint, tables: runtime.tables, resumed: runtime.resumed, sfnEndpoint })}\n`);
