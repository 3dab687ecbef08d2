/**
 * Turns a form's JSON Schema (docs/api.md, "Form") into fields to render, checks the entries the
 * way the server will (required, lengths, enums, dates, the root `x-rules`), and converts what was
 * typed into the `data` object sent to the API. The server checks everything again; this only
 * spares the user a round trip.
 */
import { loc, t, type Bilingual } from './i18n';
import { formatDate } from './format';
import type { FieldSchema, Form, FormRule, SourceSpec } from './types';

export type Widget = 'text' | 'textarea' | 'date' | 'select' | 'number' | 'checkbox' | 'checkboxes' | 'lines';

export interface FieldDef {
  name: string;
  schema: FieldSchema;
  required: boolean;
  widget: Widget;
  /** For enums: the allowed values and their labels. */
  options?: { value: string; label: Bilingual | string }[];
  source?: SourceSpec;
  /** A checkbox that must be ticked (`const: true`, e.g. the A11 checklist). */
  mustTick?: boolean;
}

/** What the inputs hold: text as typed, booleans for checkboxes, string lists for multi-choice. */
export type RawValue = string | boolean | string[];
export type RawValues = Record<string, RawValue>;
export type FieldErrors = Record<string, string>;
export type LedgerItems = Record<string, Record<string, unknown>[]>;

function typeOf(schema: FieldSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((item) => item !== 'null');
  return type;
}

/** `anyOf: [X, {type: "null"}]` (a nullable field) is treated as X, keeping the outer x-* keywords. */
function unwrap(schema: FieldSchema): FieldSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return schema;
  const real = variants.filter((variant) => typeOf(variant) !== 'null');
  if (real.length !== 1) return schema;
  const { anyOf: _a, oneOf: _o, ...outer } = schema;
  return { ...unwrap(real[0]!), ...outer };
}

function enumValues(schema: FieldSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  return undefined;
}

function widgetFor(schema: FieldSchema): Widget {
  const type = typeOf(schema);
  const declared = schema['x-widget'];
  if (type === 'array') {
    const items = schema.items ? unwrap(schema.items) : undefined;
    return (items && enumValues(items)) || schema['x-source'] || items?.['x-source'] ? 'checkboxes' : 'lines';
  }
  if (type === 'boolean' || declared === 'checkbox') return 'checkbox';
  if (declared === 'multiselect') return 'checkboxes';
  if (declared === 'number') return 'number';
  if (declared === 'text' || declared === 'textarea' || declared === 'date' || declared === 'select') return declared;
  if (enumValues(schema) || schema['x-source']) return 'select';
  if (type === 'number' || type === 'integer') return 'number';
  if (schema.format === 'date') return 'date';
  if ((schema.maxLength ?? 0) > 200) return 'textarea';
  return 'text';
}

export function fieldsOf(form: Form): FieldDef[] {
  const properties = form.schema?.properties ?? {};
  const required = new Set(form.schema?.required ?? []);
  const fields = Object.entries(properties).map(([name, raw], position) => {
    const schema = unwrap(raw);
    const widget = widgetFor(schema);
    const items = schema.items ? unwrap(schema.items) : undefined;
    const values = widget === 'checkbox' ? undefined : enumValues(widget === 'checkboxes' && items ? items : schema);
    const labels = schema['x-enum-labels'] ?? items?.['x-enum-labels'] ?? {};
    const field: FieldDef = {
      name,
      schema,
      required: required.has(name),
      widget,
      options: values?.map((value) => ({ value: String(value), label: labels[String(value)] ?? String(value) })),
      source: schema['x-source'] ?? items?.['x-source'],
      mustTick: widget === 'checkbox' && schema.const === true,
    };
    return { field, order: schema['x-order'] ?? Number.MAX_SAFE_INTEGER, position };
  });
  fields.sort((a, b) => a.order - b.order || a.position - b.position);
  return fields.map((entry) => entry.field);
}

export function labelOf(field: FieldDef): string {
  return loc(field.schema['x-label']) || field.schema.title || field.name;
}

/** Raw input values from stored `data` (to pre-fill a resubmission), defaults otherwise. */
export function initialValues(fields: FieldDef[], data?: Record<string, unknown>): RawValues {
  const values: RawValues = {};
  for (const field of fields) {
    const value = data?.[field.name] ?? field.schema.default;
    if (field.widget === 'checkbox') values[field.name] = value === true;
    else if (field.widget === 'checkboxes') values[field.name] = Array.isArray(value) ? value.map(String) : [];
    else if (field.widget === 'lines') values[field.name] = Array.isArray(value) ? value.map(String).join('\n') : '';
    else values[field.name] = value === undefined || value === null ? '' : String(value);
  }
  return values;
}

function isBlank(value: RawValue | undefined): boolean {
  if (value === undefined || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  return false;
}

function linesOf(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function patternMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true; // a pattern this browser cannot compile is left to the server
  }
}

function checkField(field: FieldDef, value: RawValue | undefined): string | undefined {
  const label = labelOf(field);
  const schema = field.schema;
  // A checkbox is answered either way; only one that must be ticked (const: true) can be wrong.
  if (field.widget === 'checkbox') return field.mustTick && value !== true ? t('validation.mustTick', { label }) : undefined;
  const choose = field.widget === 'select' || field.widget === 'checkboxes';
  if (isBlank(value)) {
    if (field.required) return t(choose ? 'validation.requiredSelect' : 'validation.required', { label });
    return undefined;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return t('validation.minItems', { label, min: schema.minItems });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return t('validation.maxItems', { label, max: schema.maxItems });
    if (field.options && value.some((item) => !field.options!.some((option) => option.value === item))) return t('validation.enum', { label });
    return undefined;
  }
  if (typeof value === 'string') {
    const text = value;
    if (field.widget === 'date' || schema.format === 'date') {
      if (!isDate(text)) return t('validation.date', { label });
    } else if (field.widget === 'number') {
      const number = Number(text);
      if (!Number.isFinite(number) || (typeOf(schema) === 'integer' && !Number.isInteger(number))) {
        return t('validation.number', { label });
      }
      if (schema.minimum !== undefined && number < schema.minimum) return t('validation.minimum', { label, min: schema.minimum });
      if (schema.maximum !== undefined && number > schema.maximum) return t('validation.maximum', { label, max: schema.maximum });
    } else if (field.widget === 'lines') {
      const items = linesOf(text);
      const itemSchema = schema.items ? unwrap(schema.items) : undefined;
      if (itemSchema?.maxLength !== undefined && items.some((item) => item.length > itemSchema.maxLength!)) {
        return t('validation.maxLength', { label, max: itemSchema.maxLength });
      }
    } else {
      if (schema.minLength !== undefined && text.length < schema.minLength) return t('validation.minLength', { label, min: schema.minLength });
      if (schema.maxLength !== undefined && text.length > schema.maxLength) return t('validation.maxLength', { label, max: schema.maxLength });
      if (field.options && !field.options.some((option) => option.value === text)) return t('validation.enum', { label });
      if (schema.pattern && !patternMatches(schema.pattern, text)) return t('validation.pattern', { label });
    }
  }
  return undefined;
}

function checkRule(rule: FormRule, values: RawValues): { path: string; message: string } | undefined {
  if (rule.kind === 'dateOrder' && rule.start && rule.end) {
    const start = values[rule.start];
    const end = values[rule.end];
    if (typeof start === 'string' && typeof end === 'string' && isDate(start) && isDate(end) && end < start) {
      return { path: rule.path ?? rule.end, message: loc(rule.message) || t('validation.date', { label: rule.end }) };
    }
  }
  return undefined; // other kinds are left to the server
}

export function validate(form: Form, fields: FieldDef[], values: RawValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const message = checkField(field, values[field.name]);
    if (message) errors[field.name] = message;
  }
  for (const rule of form.schema?.['x-rules'] ?? []) {
    const problem = checkRule(rule, values);
    const name = problem?.path.replace(/^data\./, '');
    if (problem && name && !errors[name]) errors[name] = problem.message;
  }
  return errors;
}

/** The `data` object for the API: empty optional fields are left out, numbers are numbers. */
export function toData(fields: FieldDef[], values: RawValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (isBlank(value) && field.widget !== 'checkbox') continue;
    switch (field.widget) {
      case 'checkbox':
        data[field.name] = value === true;
        break;
      case 'checkboxes': {
        const itemValues = field.schema.items ? enumValues(unwrap(field.schema.items)) : undefined;
        data[field.name] = (value as string[]).map((text) => itemValues?.find((option) => String(option) === text) ?? text);
        break;
      }
      case 'lines':
        data[field.name] = linesOf(String(value));
        break;
      case 'number':
        data[field.name] = Number(value);
        break;
      default: {
        const text = String(value);
        const original = enumValues(field.schema)?.find((option) => String(option) === text);
        data[field.name] = original !== undefined ? original : text;
      }
    }
  }
  return data;
}

/** A stored or entered value as people read it: enum labels, ledger names, dates as 2026/12/01. */
export function displayValue(field: FieldDef | undefined, value: unknown, ledgers: LedgerItems): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.map((item) => displayValue(field, item, ledgers)).join(t('punct.list'));
  if (typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  const text = String(value);
  if (!field) return DATE.test(text) ? formatDate(text) : text;
  const option = field.options?.find((candidate) => candidate.value === text);
  if (option) return loc(option.label);
  if (field.source) {
    const source = field.source;
    const item = ledgers[source.ledger]?.find((candidate) => String(pathValue(candidate, source.value)) === text);
    if (item) return loc(pathValue(item, source.label) as Bilingual | string) || text;
  }
  if (field.widget === 'date' || field.schema.format === 'date') return formatDate(text);
  return text;
}

/** A value at a dot path (`name.ja`) of a ledger item. */
export function pathValue(item: Record<string, unknown> | undefined, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), item);
}

/** `x-source.filter`: only the ledger items whose properties equal the given values (a list means any of them). */
export function matchesFilter(item: Record<string, unknown>, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([property, wanted]) => {
    const actual = pathValue(item, property);
    const accepted = Array.isArray(wanted) ? wanted : [wanted];
    return accepted.some((each) => String(each) === String(actual));
  });
}

/** The options of a ledger-backed field: the items that pass its filter, as value and label. */
export function sourceOptions(source: SourceSpec, items: Record<string, unknown>[]): { value: string; label: string }[] {
  return items
    .filter((item) => matchesFilter(item, source.filter))
    .map((item) => ({
      value: String(pathValue(item, source.value) ?? ''),
      label: loc(pathValue(item, source.label) as Bilingual | string) || String(pathValue(item, source.value) ?? ''),
    }));
}

/** `data.<field>` issue paths from the server, by field name; others under "". */
export function issuesByField(issues: { path: string; message: string; messages?: Bilingual }[], fields: FieldDef[]): FieldErrors {
  const names = new Set(fields.map((field) => field.name));
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const name = issue.path.replace(/^data\./, '').split('.')[0] ?? '';
    const key = issue.path.startsWith('data.') && names.has(name) ? name : '';
    const message = loc(issue.messages) || issue.message;
    errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
  }
  return errors;
}
