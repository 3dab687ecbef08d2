/**
 * A logbook's fields from its JSON Schema: what the phone page prefills (now, today, me, last month),
 * the inputs (time, short text, note, a big check, a choice as buttons, a person of the site), the
 * values sent to the API, and how a stored value reads in the list and the history.
 */
import type { ComponentChildren } from 'preact';
import { loc, type Bilingual } from '../../i18n';
import { formatDate, japanParts } from '../../format';
import type { Issue, Person, PersonRef } from '../../types';
import { tl } from './messages';
import type { Logbook, LogbookFieldSchema } from './types';
import { FieldNotes, describedBy } from '../../components/field-notes';

export interface FieldDef {
  name: string;
  schema: LogbookFieldSchema;
  required: boolean;
  widget: 'time' | 'text' | 'textarea' | 'checkbox' | 'choice' | 'person' | 'date';
  label: Bilingual;
}

export type Values = Record<string, string | boolean>;
export type Errors = Record<string, string>;

/** Now in Japan, whatever the device's time zone: `{ date: 'YYYY-MM-DD', time: 'HH:mm' }`. */
export function japanNow(now = new Date()): { date: string; time: string } {
  return japanParts(now);
}

export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function widgetOf(schema: LogbookFieldSchema): FieldDef['widget'] {
  const declared = schema['x-widget'];
  if (declared === 'time' || declared === 'person' || declared === 'textarea' || declared === 'checkbox' || declared === 'date') return declared;
  if (schema.type === 'boolean') return 'checkbox';
  if (schema['x-enum-labels'] || Array.isArray(schema.enum)) return 'choice';
  return 'text';
}

/** The fields in the logbook's order (`x-order`). */
export function fieldsOf(logbook: Logbook): FieldDef[] {
  const required = new Set(logbook.schema.required ?? []);
  return Object.entries(logbook.schema.properties ?? {})
    .sort(([, a], [, b]) => (a['x-order'] ?? 0) - (b['x-order'] ?? 0))
    .map(([name, schema]) => ({ name, schema, required: required.has(name), widget: widgetOf(schema), label: schema['x-label'] ?? { ja: name, en: name } }));
}

export const labelOf = (logbook: Logbook, name: string): string => loc(logbook.schema.properties?.[name]?.['x-label']) || name;

/** What a field holds before anyone touches it. */
export function prefillValue(field: FieldDef, me: Person, today: string, now = japanNow()): string | boolean {
  if (field.widget === 'checkbox') return false;
  switch (field.schema['x-prefill']) {
    case 'now':
      return now.time;
    case 'today':
      return today;
    case 'me':
      return me.id;
    case 'previousMonthStart':
      return `${addMonths(today.slice(0, 7), -1)}-01`;
    case 'previousMonthEnd':
      return lastDayOf(addMonths(today.slice(0, 7), -1));
    default:
      return '';
  }
}

/** Inputs as the API takes them: text trimmed, empty left out, checks as booleans. */
export function toFields(fields: FieldDef[], values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.widget === 'checkbox') out[field.name] = value === true;
    else if (typeof value === 'string' && value.trim() !== '') out[field.name] = value.trim();
  }
  return out;
}

/** Stored fields as inputs hold them. */
export function toValues(fields: FieldDef[], stored: Record<string, unknown>): Values {
  return Object.fromEntries(fields.map((field) => [field.name, field.widget === 'checkbox' ? stored[field.name] === true : stored[field.name] == null ? '' : String(stored[field.name])]));
}

/** Only what the server would refuse at once: a required field left empty. The server checks the rest. */
export function requiredErrors(fields: FieldDef[], values: Values): Errors {
  const errors: Errors = {};
  for (const field of fields) {
    if (!field.required || field.widget === 'checkbox') continue;
    const value = values[field.name];
    if (typeof value !== 'string' || value.trim() === '') errors[field.name] = tl('fieldRequired', { label: loc(field.label) });
  }
  return errors;
}

/** The server's issues by field (`fields.enteredAt` → `enteredAt`), in the chosen language. */
export function issuesByField(issues: Issue[]): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const name = issue.path.replace(/^fields\./, '');
    errors[name] ??= loc(issue.messages) || issue.message;
  }
  return errors;
}

/** A stored value as people read it. */
export function displayValue(logbook: Logbook, name: string, value: unknown, people: PersonRef[] = []): string {
  const schema = logbook.schema.properties?.[name];
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'boolean') return value ? tl('checkDone') : tl('checkNotDone');
  const enumLabel = schema?.['x-enum-labels']?.[String(value)];
  if (enumLabel) return loc(enumLabel);
  if (schema?.['x-widget'] === 'person') {
    const person = people.find((p) => p.id === value);
    return person ? loc(person.name) : String(value);
  }
  if (schema?.['x-widget'] === 'date' || schema?.format === 'date') return formatDate(String(value));
  return String(value);
}

interface InputProps {
  field: FieldDef;
  id: string;
  value: string | boolean;
  error?: string;
  people: PersonRef[];
  me: Person;
  onChange: (value: string | boolean) => void;
}

function Label({ field, id, children }: { field: FieldDef; id: string; children?: ComponentChildren }) {
  return (
    <label class="field-label" for={id}>
      {loc(field.label)}
      {field.required ? <span class="req">{tl('required')}</span> : null}
      {children}
    </label>
  );
}

/** One field, sized for a thumb: tall inputs, a check that is a whole row, choices as buttons. */
export function FieldInput({ field, id, value, error, people, me, onChange }: InputProps) {
  const help = loc(field.schema['x-help']);
  const described = describedBy(id, help, error);
  const messages = <FieldNotes id={id} help={help} error={error} />;
  const invalid = error ? ('true' as const) : undefined;
  if (field.widget === 'checkbox') {
    return (
      <div class={`lb-field lb-check${error ? ' has-error' : ''}`}>
        <label class={value === true ? 'lb-check-row checked' : 'lb-check-row'} for={id}>
          <input id={id} type="checkbox" checked={value === true} aria-invalid={invalid} aria-describedby={described} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
          <span>{loc(field.label)}</span>
        </label>
        {messages}
      </div>
    );
  }
  if (field.widget === 'choice') {
    const labels = field.schema['x-enum-labels'] ?? {};
    return (
      <fieldset class={`lb-field lb-choice${error ? ' has-error' : ''}`} aria-describedby={described}>
        <legend class="field-label">
          {loc(field.label)}
          {field.required ? <span class="req">{tl('required')}</span> : null}
        </legend>
        {messages}
        <div class="lb-choice-row">
          {Object.entries(labels).map(([option, label]) => (
            <label key={option} class={value === option ? 'lb-choice-option checked' : 'lb-choice-option'}>
              <input type="radio" name={id} value={option} checked={value === option} onChange={() => onChange(option)} />
              <span>{loc(label)}</span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': described };
  let input: ComponentChildren;
  if (field.widget === 'person') {
    const others = people.filter((p) => p.id !== me.id);
    input = (
      <select {...common} value={String(value)} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{tl('noPerson')}</option>
        <option value={me.id}>
          {tl('me')}（{loc(me.name)}）
        </option>
        {others.map((p) => (
          <option key={p.id} value={p.id}>
            {loc(p.name)}
          </option>
        ))}
      </select>
    );
  } else if (field.widget === 'textarea') {
    input = <textarea {...common} rows={3} maxLength={field.schema.maxLength} value={String(value)} onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)} />;
  } else if (field.widget === 'time' || field.widget === 'date') {
    input = (
      <input
        {...common}
        type={field.widget}
        class="lb-short"
        required={field.required}
        value={String(value)}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        maxLength={field.schema.maxLength}
        required={field.required}
        value={String(value)}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
      />
    );
  }
  return (
    <div class={`lb-field${error ? ' has-error' : ''}`}>
      <Label field={field} id={id} />
      {messages}
      {input}
    </div>
  );
}
