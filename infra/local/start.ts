import './polyfills';
import { demoPeople } from './seed-data';
import { roles } from '../../functions/domain/roles';
import { startLocalRuntime } from './runtime';

/**
 * `npm start`: the whole product on this machine, data kept in .local/ across restarts.
 * PORT and DYNAMODB_PORT move it off the default ports; DATA_DIR moves the data.
 */
const port = Number(process.env.PORT ?? 3000);
const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
const dataDir = process.env.DATA_DIR ?? '.local';

const log = (message: string, detail?: Record<string, unknown>) =>
  console.log(`[local] ${message}${detail ? ` ${JSON.stringify(detail)}` : ''}`);

console.log('Starting DynamoDB Local, Step Functions, mail capture, schedules and the gateway…');
const runtime = await startLocalRuntime({ port, dynamoPort, dataDir, log }).catch((error: Error) => {
  console.error(`\nCould not start: ${error.message}`);
  process.exit(1);
});

// The daily run that opens the recurring duties (password changes, ID deletions, analyses) also runs
// once now, so that a fresh start shows them on the calendar; it opens nothing twice.
await runtime.fire('OpenRecurringDuties').catch((error: Error) => log('could not open the recurring duties', { error: error.message }));

const width = Math.max(...demoPeople.map((p) => p.name.ja.length));
console.log(`
  規程ワークフロー / Regulation Workflow is running.

  Web page      ${runtime.url}/
  Captured mail ${runtime.url}/_local/mail/
  API document  ${runtime.url}/api/openapi.json
  DynamoDB      ${runtime.dynamoEndpoint} (data in ${dataDir}/)
  Resumed       ${runtime.resumed} request(s) waiting for approval

  Demo users (sign in on the web page by choosing one):`);
for (const person of demoPeople) {
  const held = person.roles.filter((r) => r.role !== 'employee').map((r) => roles[r.role].label.ja);
  console.log(`    ${person.id.padEnd(13)} ${person.name.ja.padEnd(width + 1, '　')} ${held.join('、') || roles.employee.label.ja}`);
}
console.log('\n  Fire a schedule now: npm run schedule -- <name>.  Stop: Ctrl-C.\n');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping every service…`);
  await runtime.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
