import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of `approval.asl.json`, the approval workflow used by CDK and by the local runtime. */
export const approvalDefinitionFile: string = join(here, 'approval.asl.json');

/** Absolute path of `monthly-review.asl.json`, the monthly logbook reviews (月次点検), used by CDK and by the local runtime. */
export const monthlyReviewDefinitionFile: string = join(here, 'monthly-review.asl.json');

const placeholder = /\$\{([^}]*)\}/g;

/**
 * Replaces every `${Name}` in an ASL definition with `substitutions[Name]`, with the same semantics as
 * CDK `definitionSubstitutions`: values are inserted verbatim (they sit inside JSON strings, so ARNs and
 * names need no escaping).
 *
 * @throws if a placeholder has no value, so that a typo in the ASL or in the caller fails loudly
 *   instead of deploying a definition that names a function `${AdvanceFunctonArn}`.
 */
export function substitute(definitionText: string, substitutions: Record<string, string>): string {
  const missing = new Set<string>();
  const result = definitionText.replace(placeholder, (match, name: string) => {
    const value = Object.hasOwn(substitutions, name) ? substitutions[name] : undefined;
    if (typeof value !== 'string') {
      missing.add(name);
      return match;
    }
    return value;
  });
  if (missing.size > 0) {
    const known = Object.keys(substitutions).join(', ') || '(none)';
    throw new Error(`No substitution for ${[...missing].map((n) => `\${${n}}`).join(', ')}; given: ${known}`);
  }
  return result;
}

/** Reads an ASL file and substitutes its placeholders (see {@link substitute}). */
export function loadDefinition(file: string, substitutions: Record<string, string>): string {
  return substitute(readFileSync(file, 'utf8'), substitutions);
}
