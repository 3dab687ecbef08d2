import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS, KB } from '../../bench/budgets';
import { lambdaBuildOptions } from '../../bench/lambda';
import { productFunctions } from '../../functions/http/routes';

/**
 * Every function bundled as infra/function.ts has NodejsFunction bundle it (the bench's options):
 * the size budget holds for each, and the two things that once put every bundle over it stay out —
 * zod's locales (a namespace import `import * as z from 'zod'` lets esbuild leave them out) and an
 * AWS SDK loaded at import (functions/adapters/lazy-client.ts loads it on the first call). Cold
 * initialisation itself is timed by `npm run bench`.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const entries = [...new Set(productFunctions.map((spec) => spec.entry))];
const outDir = mkdtempSync(join(tmpdir(), 'kitei-bundles-'));
const bundles = new Map<string, { bytes: number; metafile: Metafile }>();

beforeAll(async () => {
  await Promise.all(
    entries.map(async (entry) => {
      const outfile = join(outDir, entry.replace(/[/.]/g, '_'), 'index.mjs');
      const result = await build({
        ...lambdaBuildOptions,
        mainFields: [...lambdaBuildOptions.mainFields],
        external: [...lambdaBuildOptions.external],
        entryPoints: [join(ROOT, entry)],
        absWorkingDir: ROOT,
        outfile,
        metafile: true,
        logLevel: 'silent',
      });
      bundles.set(entry, { bytes: statSync(outfile).size, metafile: result.metafile });
    }),
  );
}, 240_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const output = (entry: string) => Object.values(bundles.get(entry)!.metafile.outputs).find((o) => o.entryPoint)!;

describe('function bundles', () => {
  it.each(entries)(`%s is within ${BUDGETS.bundleBytes / KB} KB`, (entry) => {
    expect(bundles.get(entry)!.bytes).toBeLessThanOrEqual(BUDGETS.bundleBytes);
  });

  it.each(entries)('%s carries no zod locale but English', (entry) => {
    const locales = Object.keys(output(entry).inputs).filter((path) => path.includes('zod/v4/locales/') && !path.endsWith('/en.js'));
    expect(locales, 'import zod as `import * as z from \'zod\'`').toEqual([]);
  });

  it.each(entries)('%s loads the AWS SDK only on its first call, not at import', (entry) => {
    const atImport = output(entry).imports.filter((i) => i.external && i.kind === 'import-statement' && i.path.startsWith('@aws-sdk/'));
    expect(atImport.map((i) => i.path), 'send commands from functions/adapters/sdk-commands.ts, not @aws-sdk/*').toEqual([]);
  });
});
