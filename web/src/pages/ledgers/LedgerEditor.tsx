/**
 * The edit (and create) form of a ledger item, built from the ledger's columns: text, number,
 * date, date-time (Japan time), yes/no, a choice of the column's enum values, and lists (one per
 * line). Counters (licence seats) are shown read-only: only transactions move them. Only the fields
 * the user touched are changed in the item sent, so nothing else is re-formatted by an edit.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../api';
import { loc, t, useLang, type Bilingual } from '../../i18n';
import type { Issue, LedgerColumn, LedgerDefinition, LedgerItem } from '../../types';
import { ErrorBox } from '../../components/ui';
import { japanParts } from '../../format';
import { columnLabel, pathValue, valueText } from './format';

type Raw = string | boolean;

const LONG_TEXT = /configuration|summary|plan|fallback|usage|rights|reason|privilege|maintenance|note|description/i;

function isLong(column: LedgerColumn, value: unknown): boolean {
  if (typeof value === 'string' && (value.length > 60 || value.includes('\n'))) return true;
  return LONG_TEXT.test(column.key);
}

/** An ISO time as the value of a datetime-local input (`2026-11-25T13:05`), in Japan time. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const japan = japanParts(date);
  return `${japan.date}T${japan.time}`;
}

function rawOf(column: LedgerColumn, value: unknown): Raw {
  if (column.type === 'boolean') return value === true;
  if (value === undefined || value === null) return '';
  if (column.type === 'list') return Array.isArray(value) ? value.map(String).join('\n') : String(value);
  if (column.type === 'datetime') return toLocalInput(String(value));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** What an input holds, as the item's value; `undefined` leaves the attribute out. */
function valueOf(column: LedgerColumn, raw: Raw): unknown {
  if (column.type === 'boolean') return raw === true;
  const text = String(raw).trim();
  if (text === '') return undefined;
  switch (column.type) {
    case 'number':
      return Number(text);
    case 'list':
      return text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    case 'datetime': {
      const date = new Date(`${text.length === 16 ? `${text}:00` : text}+09:00`);
      return Number.isNaN(date.getTime()) ? text : date.toISOString();
    }
    default:
      return text;
  }
}

function setPath(item: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = item;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
}

function clientCheck(column: LedgerColumn, raw: Raw, creating: boolean): string | undefined {
  const label = columnLabel(column);
  if (column.key === 'id' && creating && String(raw).trim() === '') return t('validation.required', { label });
  if (column.type === 'number' && String(raw).trim() !== '' && !Number.isFinite(Number(String(raw).trim()))) return t('validation.number', { label });
  return undefined;
}

/** Server issues (`item.<key>`) by column key; a path naming an object (`item.name`) goes to its first column. */
function issuesByColumn(issues: Issue[], columns: LedgerColumn[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.replace(/^item\.?/, '');
    const column =
      columns.find((candidate) => candidate.key === path) ??
      columns.find((candidate) => path.startsWith(`${candidate.key}.`)) ??
      columns.find((candidate) => candidate.key.startsWith(`${path}.`));
    const key = column && path ? column.key : '';
    const message = loc(issue.messages) || issue.message;
    found[key] = found[key] ? `${found[key]} ${message}` : message;
  }
  return found;
}

export interface LedgerEditorProps {
  definition: LedgerDefinition;
  /** The stored item (edit), or undefined (create). */
  item?: LedgerItem;
  /** Sends the item; throws ApiError (400 with issues → next to the fields; 409 → the caller's message). */
  onSave: (item: LedgerItem, reason: string) => Promise<void>;
  onCancel: () => void;
  /** A message above the form that the caller owns (409: reload). */
  notice?: preact.ComponentChildren;
  /** The caller explains a 409 itself (an edit over someone else's change). */
  handlesConflict?: boolean;
}

export function LedgerEditor({ definition, item, onSave, onCancel, notice, handlesConflict }: LedgerEditorProps) {
  useLang();
  const creating = item === undefined;
  const columns = definition.columns ?? [];
  const counters = new Set(definition.counters ?? []);
  const initial = useMemo(() => Object.fromEntries(columns.map((column) => [column.key, rawOf(column, pathValue(item, column.key))])), [item, definition]);
  const [values, setValues] = useState<Record<string, Raw>>(initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [focusSummary, setFocusSummary] = useState(false);

  // A reload (after a conflict) brings new stored values: start again from them.
  useEffect(() => {
    setValues(initial);
    setTouched(new Set());
  }, [initial]);

  useEffect(() => {
    if (focusSummary) {
      summaryRef.current?.focus();
      setFocusSummary(false);
    }
  }, [focusSummary]);

  const editable = (column: LedgerColumn) => (creating ? true : column.key !== 'id' && !counters.has(column.key));

  const set = (key: string, raw: Raw) => {
    setValues((current) => ({ ...current, [key]: raw }));
    setTouched((current) => (current.has(key) ? current : new Set(current).add(key)));
    if (issues[key]) setIssues(({ [key]: _gone, ...rest }) => rest);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const found: Record<string, string> = {};
    for (const column of columns) {
      if (!editable(column)) continue;
      const problem = clientCheck(column, values[column.key] ?? '', creating);
      if (problem) found[column.key] = problem;
    }
    if (reason.length > 500) found.__reason = t('validation.maxLength', { label: t('ledger.reason'), max: 500 });
    setIssues(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      setFocusSummary(true);
      return;
    }
    // Start from the stored item, change only what was touched (everything, when creating).
    const next: LedgerItem = item ? (JSON.parse(JSON.stringify(item)) as LedgerItem) : {};
    for (const column of columns) {
      if (!editable(column)) continue;
      if (!creating && !touched.has(column.key)) continue;
      setPath(next, column.key, valueOf(column, values[column.key] ?? ''));
    }
    setSaving(true);
    try {
      await onSave(next, reason.trim());
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
        setIssues(issuesByColumn(error.issues, columns));
        setFocusSummary(true);
      } else if (!(handlesConflict && error instanceof ApiError && error.status === 409)) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  };

  const entries = Object.entries(issues).filter(([, message]) => message);
  const byKey = new Map(columns.map((column) => [column.key, column]));

  return (
    <form class="panel ledger-editor" noValidate onSubmit={submit} aria-labelledby="editor-title">
      <h2 id="editor-title" tabIndex={-1}>{creating ? t('ledger.newTitle') : t('ledger.editTitle')}</h2>
      {notice}
      <div ref={summaryRef} tabIndex={-1} class="error-summary-wrap" aria-live="assertive">
        {entries.length > 0 ? (
          <div class="alert alert-error error-summary" role="alert">
            <h3>{t('form.errorSummary', { n: entries.length })}</h3>
            <ul>
              {entries.map(([key, message]) => {
                const column = byKey.get(key);
                const target = key === '__reason' ? 'ledger-reason' : column ? `edit-${key}` : '';
                return (
                  <li key={key || '_'}>
                    {target ? (
                      <button type="button" class="link-button" onClick={() => document.getElementById(target)?.focus()}>
                        {column && !message.includes(columnLabel(column)) ? `${columnLabel(column)}${t('punct.colon')}${message}` : message}
                      </button>
                    ) : (
                      message
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        ) : null}
      </div>
      <div class="editor-grid">
        {columns.map((column) => (
          <EditorField
            key={column.key}
            column={column}
            raw={values[column.key] ?? ''}
            stored={pathValue(item, column.key)}
            editable={editable(column)}
            counter={counters.has(column.key)}
            creating={creating}
            error={issues[column.key]}
            onChange={(raw) => set(column.key, raw)}
          />
        ))}
      </div>
      <div class={issues.__reason ? 'field has-error' : 'field'}>
        <label class="field-label" for="ledger-reason">
          {t('ledger.reason')}
          <span class="opt">{t('form.optional')}</span>
        </label>
        <p class="help" id="ledger-reason-help">
          {t('ledger.reasonHelp')}
        </p>
        {issues.__reason ? <p class="field-error-text">{issues.__reason}</p> : null}
        <textarea id="ledger-reason" rows={2} value={reason} aria-describedby="ledger-reason-help" onInput={(event) => setReason(event.currentTarget.value)} />
      </div>
      {failure ? <ErrorBox>{failure}</ErrorBox> : null}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={saving} aria-busy={saving ? 'true' : undefined}>
          {saving ? t('app.sending') : creating ? t('ledger.create') : t('ledger.save')}
        </button>
        <button type="button" class="btn" disabled={saving} onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

interface EditorFieldProps {
  column: LedgerColumn;
  raw: Raw;
  stored: unknown;
  editable: boolean;
  counter: boolean;
  creating: boolean;
  error?: string;
  onChange: (raw: Raw) => void;
}

function EditorField({ column, raw, stored, editable, counter, creating, error, onChange }: EditorFieldProps) {
  const id = `edit-${column.key}`;
  const label = columnLabel(column);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const help =
    counter && creating
      ? t('ledger.counterCreateHelp')
      : column.type === 'datetime'
        ? t('ledger.datetimeHelp')
        : column.type === 'list'
          ? t('ledger.listHelp')
          : '';
  const describedBy = [error ? errorId : '', help ? helpId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-describedby': describedBy, 'aria-invalid': error ? ('true' as const) : undefined };
  const message = error ? (
    <p id={errorId} class="field-error-text">
      <span class="visually-hidden">{t('form.errorPrefix')}: </span>
      {error}
    </p>
  ) : null;

  if (!editable) {
    const shown = valueText(column, stored);
    return (
      <div class="field field-readonly">
        <span class="field-label">
          {label}
          {counter ? <span class="opt">{t('ledger.counter')}</span> : null}
        </span>
        <p class="readonly-value" id={id} tabIndex={-1}>
          {shown || t('form.empty')}
        </p>
        {counter ? <p class="help">{t('ledger.counterHelp')}</p> : null}
      </div>
    );
  }

  if (column.type === 'boolean') {
    return (
      <div class={error ? 'field field-check has-error' : 'field field-check'}>
        {message}
        <label class="check check-single" for={id}>
          <input type="checkbox" {...common} checked={raw === true} onChange={(event) => onChange(event.currentTarget.checked)} />
          <span class="check-text">{label}</span>
        </label>
      </div>
    );
  }

  let input;
  const text = typeof raw === 'string' ? raw : '';
  const onInput = (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) => onChange(event.currentTarget.value);
  if (column.type === 'enum') {
    const labels: Record<string, Bilingual> = column.enumLabels ?? {};
    const known = Object.keys(labels);
    input = (
      <select {...common} value={text} onChange={onInput}>
        <option value="">{t('ledger.unset')}</option>
        {known.map((value) => (
          <option key={value} value={value}>
            {loc(labels[value])}
          </option>
        ))}
        {text && !known.includes(text) ? <option value={text}>{text}</option> : null}
      </select>
    );
  } else if (column.type === 'number') {
    input = <input {...common} type="number" step="any" inputMode="decimal" class="input-number" value={text} onInput={onInput} />;
  } else if (column.type === 'date') {
    input = <input {...common} type="date" class="input-date" value={text} onInput={onInput} />;
  } else if (column.type === 'datetime') {
    input = <input {...common} type="datetime-local" class="input-date" value={text} onInput={onInput} />;
  } else if (column.type === 'list' || isLong(column, stored)) {
    input = <textarea {...common} rows={3} value={text} onInput={onInput} />;
  } else {
    input = <input {...common} type="text" value={text} onInput={onInput} />;
  }
  return (
    <div class={`field${error ? ' has-error' : ''}${column.type === 'list' || isLong(column, stored) ? ' field-wide' : ''}`}>
      <label class="field-label" for={id}>
        {label}
      </label>
      {help ? (
        <p class="help" id={helpId}>
          {help}
        </p>
      ) : null}
      {message}
      {input}
    </div>
  );
}
