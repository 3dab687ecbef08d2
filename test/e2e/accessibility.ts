/** Accessibility checks in the browser tests: axe-core injected into a page and run against WCAG 2 A/AA. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.0/2.1/2.2 level A and AA rules; best-practice and AAA rules are advice, not a test failure. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/** Impacts that fail a test: a person with a screen reader or low vision cannot use the page as it is. */
export const BLOCKING_IMPACTS = ['serious', 'critical'] as const;

/** One axe-core finding, reduced to what a failure message needs. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  /** The CSS selectors of the first few offending elements. */
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now and returns the WCAG 2 A/AA violations.
 * The script is evaluated through the DevTools protocol rather than `addScriptTag`: the gateway's CSP
 * (`script-src 'self'`) refuses inline scripts, and the test keeps that policy on instead of bypassing it.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.map(String).join(' ')),
    }));
  }, [...WCAG_TAGS]);
}

/** The violations whose impact fails a test (`serious`, `critical`). */
export function blocking(violations: Violation[]): Violation[] {
  return violations.filter((violation) => (BLOCKING_IMPACTS as readonly string[]).includes(violation.impact ?? ''));
}

/** One line per violation: rule id, impact and the first target selectors. */
export function describeViolations(violations: Violation[]): string {
  return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.targets.join(', ')}`).join('\n');
}
