/**
 * Fires a schedule of the running local runtime now:
 *
 *   npm run schedule -- <name> [--key value ...]
 *   npm run schedule -- ExpireServerAccessGrants
 *   npm run schedule -- monthly-review --month 2026-10
 *
 * POSTs the `--key value` options as a JSON body to `${LOCAL_URL}/_local/schedules/<name>`
 * (LOCAL_URL defaults to http://localhost:3000) and prints the answer. Exits 1 if the run fails.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scheduledFunctions, scheduledWorkflows } from '../../functions/http/routes';

/** Splits `<name> --key value --flag --k=v` into the name and a JSON body (a bare flag is `true`). */
export function parseArguments(argv: string[]): { name?: string; body: Record<string, string | boolean> } {
  const body: Record<string, string | boolean> = {};
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (inline !== undefined) body[key] = inline;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) body[key] = argv[++i];
      else body[key] = true;
    } else if (name === undefined) {
      name = arg;
    } else {
      throw new Error(`Unexpected argument '${arg}': options are written --key value`);
    }
  }
  return { name, body };
}

function usage(): string {
  const names = [...scheduledFunctions, ...scheduledWorkflows].map((s) => `  ${s.name}  ${s.cron}  ${s.description.ja}`).join('\n');
  return `Usage: npm run schedule -- <name> [--key value ...]\n\nSchedules:\n${names}`;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage()}`);
    return 1;
  }
  if (!parsed.name || parsed.body.help === true) {
    console.error(usage());
    return parsed.name ? 0 : 1;
  }

  const base = (process.env.LOCAL_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const url = `${base}/_local/schedules/${encodeURIComponent(parsed.name)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(parsed.body),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    console.error(`Could not reach the local runtime at ${base} (${reason}). Is \`npm start\` running?`);
    return 1;
  }

  const text = await response.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print as it came
  }
  if (!response.ok) {
    console.error(`Schedule ${parsed.name} failed: HTTP ${response.status}\n${shown}`);
    return 1;
  }
  console.log(shown || `Schedule ${parsed.name} ran.`);
  return 0;
}

// Only run as a command, so that tests can import parseArguments.
const invokedAsCommand = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedAsCommand) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
