/**
 * `npm run bench:check`: evaluates the budgets from .bench/results.json (written by `npm run bench`)
 * and exits non-zero listing each broken one. `-- --counted` checks only the counted budgets (bytes,
 * calls, transitions, capacity: exact on any machine), as CI does; see budgets.ts for the kinds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatLimit, formatValue } from './budgets';
import type { BenchResults } from './results';

const file = join(import.meta.dirname, '..', '.bench', 'results.json');
if (!existsSync(file)) {
  console.error('No .bench/results.json: run `npm run bench` first.');
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
const countedOnly = process.argv.includes('--counted');
const all = evaluate(results);
const verdicts = countedOnly ? all.filter((v) => v.kind === 'counted') : all;
const broken = verdicts.filter((v) => !v.ok);
console.log(
  `Budgets from the run of ${results.meta.date} (Node ${results.meta.node}): ${verdicts.length - broken.length} of ${verdicts.length} ${countedOnly ? 'counted budgets ' : ''}hold.` +
    (countedOnly ? ` Not checked here: ${all.length - verdicts.length} timed budgets (${all.filter((v) => v.kind === 'timed' && !v.ok).length} of them broken in this run).` : ''),
);
for (const v of broken) {
  console.error(`BROKEN  ${v.id}: ${v.what}: ${formatValue(v)}, budget ${formatLimit(v)}${v.missing ? ` (${v.missing.split('\n')[0]})` : ''}`);
}
process.exit(broken.length > 0 ? 1 : 0);
