/**
 * The part of the EventBridge pattern language that Lambda's event filtering uses and the product's
 * filters need: nested objects, a list of exact values, `prefix` and `exists`. The local event
 * source mapping filters stream records with it exactly as the pattern deployed by CDK does on AWS.
 */
export type EventPattern = { [field: string]: EventPattern | readonly Matcher[] };
type Scalar = string | number | boolean | null;
type Matcher = Scalar | { prefix: string } | { exists: boolean };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function matchesOne(matcher: Matcher, present: boolean, value: unknown): boolean {
  if (isObject(matcher)) {
    if ('exists' in matcher) return matcher.exists === present;
    if ('prefix' in matcher) return present && typeof value === 'string' && value.startsWith(matcher.prefix);
    throw new Error(`Unsupported filter rule ${JSON.stringify(matcher)}`);
  }
  // A list field matches when any of its elements is one of the values.
  const values = Array.isArray(value) ? value : [value];
  return present && values.some((v) => v === matcher);
}

/** Whether `event` matches `pattern`: every field of the pattern must match (AND); a list is any of (OR). */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([field, rule]) => {
    const present = Object.hasOwn(fields, field) && fields[field] !== undefined;
    const value = fields[field];
    if (Array.isArray(rule)) return (rule as readonly Matcher[]).some((matcher) => matchesOne(matcher, present, value));
    return isObject(value) && matchesPattern(rule as EventPattern, value);
  });
}

/** Throws at start-up on a rule the matcher does not know, rather than filtering by it wrongly later. */
export function assertSupportedPattern(pattern: EventPattern, path = ''): void {
  for (const [field, rule] of Object.entries(pattern)) {
    if (!Array.isArray(rule)) {
      assertSupportedPattern(rule as EventPattern, `${path}${field}.`);
      continue;
    }
    for (const matcher of rule as readonly Matcher[]) {
      if (isObject(matcher) && !('exists' in matcher) && !('prefix' in matcher)) throw new Error(`Unsupported filter rule at ${path}${field}: ${JSON.stringify(matcher)}`);
    }
  }
}
