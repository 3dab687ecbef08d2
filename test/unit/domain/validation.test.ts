import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DateOrderRule, FormDefinition } from '../../../functions/domain/form-definition';
import { languageOf, text } from '../../../functions/domain/text';
import { checkCrossFieldRules, describeIssue, labelsOf, parseFormData } from '../../../functions/domain/validation';

type Issue = z.core.$ZodIssue;

const labels = {
  title: { ja: '件名', en: 'Title' },
  count: { ja: '台数', en: 'Count' },
  day: { ja: '日付', en: 'Day' },
};

/** The first zod issue a schema raises for an input. */
function issueFrom(schema: z.ZodType, input: unknown, reportInput = false): Issue {
  const result = schema.safeParse(input, { reportInput });
  if (result.success) throw new Error('expected a zod issue');
  return result.error.issues[0];
}

describe('describeIssue', () => {
  it('asks for a missing field by its label (invalid_type without input)', () => {
    const issue = issueFrom(z.object({ title: z.string() }), {});
    expect(issue.code).toBe('invalid_type');
    expect(describeIssue(issue, labels, 'data')).toEqual({ path: 'data.title', messages: { ja: '「件名」を入力してください。', en: 'Enter Title.' } });
  });

  it('asks for a field sent as null', () => {
    const issue = issueFrom(z.object({ title: z.string() }), { title: null }, true);
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」を入力してください。', en: 'Enter Title.' });
  });

  it('says a field has the wrong type when zod reports the input it got', () => {
    const issue = issueFrom(z.object({ title: z.string() }), { title: 5 }, true);
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」の形式が正しくありません。', en: 'Title has the wrong type.' });
  });

  it('asks for an empty required string (too_small of 1 character)', () => {
    const issue = issueFrom(z.object({ title: z.string().min(1) }), { title: '' });
    expect(issue.code).toBe('too_small');
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」を入力してください。', en: 'Enter Title.' });
  });

  it('says the minimum length of a longer string (too_small)', () => {
    const issue = issueFrom(z.object({ title: z.string().min(5) }), { title: 'abc' });
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」は5文字以上で入力してください。', en: 'Title needs at least 5 characters.' });
  });

  it('says the maximum length (too_big)', () => {
    const issue = issueFrom(z.object({ title: z.string().max(10) }), { title: 'x'.repeat(11) });
    expect(issue.code).toBe('too_big');
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」は10文字以内で入力してください。', en: 'Title must be at most 10 characters.' });
  });

  it('does not speak of characters for a number over its maximum', () => {
    const issue = issueFrom(z.object({ count: z.number().max(10) }), { count: 11 });
    const messages = describeIssue(issue, labels, 'data').messages;
    expect(messages.en).toContain('10');
    expect(messages.en).toContain('Count');
    expect(messages.en).not.toContain('characters');
    expect(messages.ja).toContain('「台数」');
    expect(messages.ja).not.toContain('文字');
  });

  it('does not speak of characters for a number under its minimum', () => {
    const issue = issueFrom(z.object({ count: z.number().min(1) }), { count: 0 });
    const messages = describeIssue(issue, labels, 'data').messages;
    expect(messages.en).not.toContain('characters');
    expect(messages.ja).not.toContain('文字');
    expect(messages.en).not.toBe('Enter Count.');
  });

  it('counts entries, not characters, for a list that is too short or too long', () => {
    const short = describeIssue(issueFrom(z.object({ count: z.array(z.string()).min(2) }), { count: [] }), labels, 'data').messages;
    const long = describeIssue(issueFrom(z.object({ count: z.array(z.string()).max(1) }), { count: ['a', 'b'] }), labels, 'data').messages;
    for (const messages of [short, long]) {
      expect(messages.en).not.toContain('characters');
      expect(messages.ja).not.toContain('文字');
    }
  });

  it('asks to choose from the list (invalid_value)', () => {
    const issue = issueFrom(z.object({ title: z.enum(['a', 'b']) }), { title: 'c' });
    expect(issue.code).toBe('invalid_value');
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」は選択肢から選んでください。', en: 'Choose Title from the list.' });
  });

  it('asks for a valid date (invalid_format date)', () => {
    const issue = issueFrom(z.object({ day: z.iso.date() }), { day: '2026-02-30' });
    expect(issue.code).toBe('invalid_format');
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「日付」は正しい日付（YYYY-MM-DD）で入力してください。', en: 'Day must be a valid date (YYYY-MM-DD).' });
  });

  it('says another format is wrong (invalid_format other than date)', () => {
    const issue = issueFrom(z.object({ title: z.email() }), { title: 'not-an-address' });
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」の形式が正しくありません。', en: 'Title is not in the expected format.' });
  });

  it('names an unknown field by its key, with the key in the path (unrecognized_keys)', () => {
    const issue = issueFrom(z.object({ title: z.string() }).strict(), { title: 'x', secret: 1, other: 2 });
    expect(issue.code).toBe('unrecognized_keys');
    expect(describeIssue(issue, labels, 'data')).toEqual({
      path: 'data.secret',
      messages: { ja: 'この申請書にない項目です（secret, other）。', en: 'Not a field of this form (secret, other).' },
    });
  });

  it('says anything else is not valid (custom)', () => {
    const issue = issueFrom(z.object({ title: z.string().refine(() => false) }), { title: 'x' });
    expect(issue.code).toBe('custom');
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「件名」の内容が正しくありません。', en: 'Title is not valid.' });
  });

  it('falls back to the key when a field has no label', () => {
    const issue = issueFrom(z.object({ unlabelled: z.string() }), {});
    expect(describeIssue(issue, labels, 'data').messages).toEqual({ ja: '「unlabelled」を入力してください。', en: 'Enter unlabelled.' });
  });

  it('joins the prefix and a nested path with dots, and names the top field', () => {
    const issue = issueFrom(z.object({ title: z.object({ inner: z.string() }) }), { title: {} });
    expect(describeIssue(issue, labels, 'data')).toEqual({ path: 'data.title.inner', messages: { ja: '「件名」を入力してください。', en: 'Enter Title.' } });
  });

  it('leaves out an empty prefix', () => {
    const issue = issueFrom(z.object({ title: z.string() }), {});
    expect(describeIssue(issue, labels, '').path).toBe('title');
  });
});

describe('labelsOf', () => {
  it('reads x-label from each property and skips properties without one', () => {
    expect(labelsOf({ properties: { a: { 'x-label': text('甲', 'A') }, b: {} } })).toEqual({ a: { ja: '甲', en: 'A' } });
  });

  it('gives no labels for a schema without properties', () => {
    expect(labelsOf({})).toEqual({});
  });
});

describe('checkCrossFieldRules', () => {
  const rule: DateOrderRule = { kind: 'dateOrder', start: 'from', end: 'to', path: 'to', message: text('終了日が開始日より前です。', 'End before start.') };

  it('reports an end before the start at the rule path', () => {
    expect(checkCrossFieldRules([rule], { from: '2026-12-10', to: '2026-12-09' }, 'data')).toEqual([{ path: 'data.to', messages: rule.message }]);
  });

  it('accepts an end on or after the start', () => {
    expect(checkCrossFieldRules([rule], { from: '2026-12-10', to: '2026-12-10' }, 'data')).toEqual([]);
    expect(checkCrossFieldRules([rule], { from: '2026-12-10', to: '2027-01-01' }, 'data')).toEqual([]);
  });

  it('says nothing while either date is missing or not a date', () => {
    expect(checkCrossFieldRules([rule], { from: '2026-12-10' }, 'data')).toEqual([]);
    expect(checkCrossFieldRules([rule], { from: 5, to: 3 }, 'data')).toEqual([]);
  });

  it('leaves out an empty prefix', () => {
    expect(checkCrossFieldRules([rule], { from: '2026-12-10', to: '2026-12-09' }, '')[0].path).toBe('to');
  });
});

describe('parseFormData', () => {
  const schema = z.object({ title: z.string().trim().min(1), from: z.iso.date(), to: z.iso.date() }).strict();
  const form = {
    id: 'test-form',
    code: 'T1',
    version: 1,
    category: 'server',
    title: text('試験', 'Test'),
    description: text('', ''),
    articles: [],
    route: [],
    schema,
    rules: [{ kind: 'dateOrder', start: 'from', end: 'to', path: 'to', message: text('順序が逆です。', 'Wrong order.') }],
  } as unknown as FormDefinition;

  it('returns the parsed data when everything is valid', () => {
    expect(parseFormData(form, {}, { title: ' x ', from: '2026-01-01', to: '2026-01-02' })).toEqual({
      ok: true,
      data: { title: 'x', from: '2026-01-01', to: '2026-01-02' },
    });
  });

  it('reports a cross-field rule once even when the schema also fails elsewhere', () => {
    const result = parseFormData(form, {}, { title: '', from: '2026-01-02', to: '2026-01-01' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(['data.title', 'data.to']);
  });

  it('does not add the cross-field message on a path the schema already reported', () => {
    const result = parseFormData(form, {}, { title: 'x', from: '2026-01-02', to: 'bad' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.filter((i) => i.path === 'data.to')).toHaveLength(1);
  });

  it('uses the given prefix', () => {
    const result = parseFormData(form, {}, {}, 'body');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].path).toBe('body.title');
  });
});

describe('languageOf', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-GB,en;q=0.9,ja;q=0.8', 'en'],
    ['EN-us', 'en'],
    ['  en-US , ja', 'en'],
    ['ja', 'ja'],
    ['ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7', 'ja'],
    ['fr-FR,en;q=0.9', 'ja'],
    ['zh-CN', 'ja'],
    ['*', 'ja'],
    ['', 'ja'],
  ] as const)('reads %j as %s', (header, lang) => {
    expect(languageOf(header)).toBe(lang);
  });

  it('answers Japanese when there is no header', () => {
    expect(languageOf(undefined)).toBe('ja');
  });
});
