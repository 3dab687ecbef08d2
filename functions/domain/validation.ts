import * as z from 'zod';
import type { FieldIssue } from './errors';
import type { CrossFieldRule, FormDefinition } from './form-definition';
import type { Text } from './text';

type Labels = Record<string, Text>;

/** Field labels of a form, read from the `x-label` metadata its JSON Schema carries. */
export function labelsOf(jsonSchema: Record<string, unknown>): Labels {
  const properties = (jsonSchema.properties ?? {}) as Record<string, { 'x-label'?: Text }>;
  return Object.fromEntries(
    Object.entries(properties).flatMap(([key, property]) => (property['x-label'] ? [[key, property['x-label']]] : [])),
  );
}

const quoteJa = (label: Text | undefined, key: string) => `「${label?.ja ?? key}」`;
const nameEn = (label: Text | undefined, key: string) => label?.en ?? key;

/**
 * Turns zod's issues into messages a Japanese employee can act on, with the English beside them.
 * Messages name the field by its label, never by its key.
 */
export function describeIssue(issue: z.core.$ZodIssue, labels: Labels, prefix: string): FieldIssue {
  const key = String(issue.path[0] ?? '');
  const label = labels[key];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const ja = quoteJa(label, key);
  const en = nameEn(label, key);
  const required = { ja: `${ja}を入力してください。`, en: `Enter ${en}.` };
  if (issue.path.length === 0 && issue.code === 'invalid_type') {
    return prefix
      ? { path, messages: { ja: '申請内容は項目の集まり（JSON オブジェクト）で送ってください。', en: 'The form data must be a JSON object of fields.' } }
      : { path, messages: { ja: 'リクエスト本文は JSON オブジェクトで送ってください。', en: 'The request body must be a JSON object.' } };
  }
  switch (issue.code) {
    case 'invalid_type':
      return { path, messages: issue.input === undefined || issue.input === null ? required : { ja: `${ja}の形式が正しくありません。`, en: `${en} has the wrong type.` } };
    case 'too_small':
      if (issue.origin === 'string') {
        return {
          path,
          messages: Number(issue.minimum) <= 1 ? required : { ja: `${ja}は${issue.minimum}文字以上で入力してください。`, en: `${en} needs at least ${issue.minimum} characters.` },
        };
      }
      return issue.origin === 'array' || issue.origin === 'set'
        ? { path, messages: { ja: `${ja}は${issue.minimum}件以上にしてください。`, en: `${en} needs at least ${issue.minimum} entries.` } }
        : { path, messages: { ja: `${ja}は${issue.minimum}以上にしてください。`, en: `${en} must be at least ${issue.minimum}.` } };
    case 'too_big':
      if (issue.origin === 'string') {
        return { path, messages: { ja: `${ja}は${issue.maximum}文字以内で入力してください。`, en: `${en} must be at most ${issue.maximum} characters.` } };
      }
      return issue.origin === 'array' || issue.origin === 'set'
        ? { path, messages: { ja: `${ja}は${issue.maximum}件以内にしてください。`, en: `${en} takes at most ${issue.maximum} entries.` } }
        : { path, messages: { ja: `${ja}は${issue.maximum}以下にしてください。`, en: `${en} must be at most ${issue.maximum}.` } };
    case 'invalid_value':
      if (issue.values.length === 1 && issue.values[0] === true) {
        return { path, messages: { ja: `${ja}にチェックを入れてください。`, en: `Tick ${en}.` } };
      }
      return { path, messages: { ja: `${ja}は選択肢から選んでください。`, en: `Choose ${en} from the list.` } };
    case 'invalid_format':
      return issue.format === 'date'
        ? { path, messages: { ja: `${ja}は正しい日付（YYYY-MM-DD）で入力してください。`, en: `${en} must be a valid date (YYYY-MM-DD).` } }
        : { path, messages: { ja: `${ja}の形式が正しくありません。`, en: `${en} is not in the expected format.` } };
    case 'unrecognized_keys':
      return {
        path: [prefix, ...issue.path.map(String), issue.keys[0]].filter(Boolean).join('.'),
        messages: { ja: `この申請書にない項目です（${issue.keys.join(', ')}）。`, en: `Not a field of this form (${issue.keys.join(', ')}).` },
      };
    default:
      return { path, messages: { ja: `${ja}の内容が正しくありません。`, en: `${en} is not valid.` } };
  }
}

const isoDate = z.iso.date();

export function checkCrossFieldRules(rules: readonly CrossFieldRule[], data: Record<string, unknown>, prefix: string): FieldIssue[] {
  return rules.flatMap((rule) => {
    const start = data[rule.start];
    const end = data[rule.end];
    const isDate = (value: unknown): value is string => isoDate.safeParse(value).success;
    // ISO dates compare correctly as strings.
    return isDate(start) && isDate(end) && end < start
      ? [{ path: [prefix, rule.path].filter(Boolean).join('.'), messages: rule.message }]
      : [];
  });
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; issues: FieldIssue[] };

/** Validates form data against the form's schema and cross-field rules (no lookups). */
export function parseFormData<T extends Record<string, unknown>>(form: FormDefinition<T>, labels: Labels, input: unknown, prefix = 'data'): Parsed<T> {
  // reportInput lets the messages tell a missing field from one of the wrong type.
  const result = form.schema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => describeIssue(issue, labels, prefix));
    // Report every problem at once: the cross-field rules too, where their fields are present.
    const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const reported = new Set(issues.map((issue) => issue.path));
    const crossField = checkCrossFieldRules(form.rules, raw, prefix).filter((issue) => !reported.has(issue.path));
    return { ok: false, issues: [...issues, ...crossField] };
  }
  const issues = checkCrossFieldRules(form.rules, result.data, prefix);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: result.data };
}
