/**
 * The form renderer: fields from the form's JSON Schema, client-side checks, a confirmation step
 * with a summary of the entries, and the server's 400 `issues` shown next to the fields. What the
 * user typed is kept through every error and through going back from the confirmation.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorText, getLedgerItems } from '../api';
import { loc, t, useLang } from '../i18n';
import {
  displayValue,
  fieldsOf,
  initialValues,
  issuesByField,
  labelOf,
  sourceOptions,
  toData,
  validate,
  type FieldDef,
  type FieldErrors,
  type LedgerItems,
  type RawValue,
  type RawValues,
} from '../schema-form';
import type { Form, Issue } from '../types';
import { Counter, ErrorBox } from './ui';

export interface FormEditorProps {
  form: Form;
  initialData?: Record<string, unknown>;
  mode: 'new' | 'resubmit';
  /** Sends the data; throws ApiError (400 with issues → shown on the fields). */
  onSubmit: (data: Record<string, unknown>) => Promise<void>;
  onCancel?: () => void;
  /** Told the data as it would be sent, whenever an entry changes (the route preview listens). */
  onDataChange?: (data: Record<string, unknown>) => void;
  /** Shown at the top of the confirmation step (the approval route). */
  confirmExtra?: preact.ComponentChildren;
}

/** Loads the option lists of fields with `x-source` (ledger-backed selects). */
export function useLedgerOptions(fields: FieldDef[]): { ledgers: LedgerItems; failed: Set<string> } {
  const [ledgers, setLedgers] = useState<LedgerItems>({});
  const [failed, setFailed] = useState<Set<string>>(new Set());
  const names = useMemo(() => [...new Set(fields.flatMap((field) => (field.source ? [field.source.ledger] : [])))], [fields]);
  useEffect(() => {
    let live = true;
    for (const name of names) {
      getLedgerItems(name).then(
        (items) => live && setLedgers((current) => ({ ...current, [name]: items })),
        () => live && setFailed((current) => new Set(current).add(name)),
      );
    }
    return () => {
      live = false;
    };
  }, [names]);
  return { ledgers, failed };
}

export function FormEditor({ form, initialData, mode, onSubmit, onCancel, onDataChange, confirmExtra }: FormEditorProps) {
  const lang = useLang();
  const fields = useMemo(() => fieldsOf(form), [form]);
  const { ledgers, failed } = useLedgerOptions(fields);
  const [values, setValues] = useState<RawValues>(() => initialValues(fields, initialData));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  // The server's issues are kept as they came (bilingual) so that a language switch re-words them;
  // a field's issue is dropped once the user edits that field.
  const [serverIssues, setServerIssues] = useState<Issue[]>([]);
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const [step, setStep] = useState<'edit' | 'confirm'>('edit');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const sendingRef = useRef(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const [focusTarget, setFocusTarget] = useState<'summary' | 'confirm' | null>(null);

  // Client-side messages follow the language.
  useEffect(() => {
    if (attempted) setClientErrors(validate(form, fields, values));
  }, [lang]);

  useEffect(() => {
    if (focusTarget === 'summary') summaryRef.current?.focus();
    if (focusTarget === 'confirm') confirmRef.current?.focus();
    if (focusTarget) setFocusTarget(null);
  }, [focusTarget]);

  useEffect(() => {
    onDataChange?.(toData(fields, values));
  }, [values]);

  const setValue = (name: string, value: RawValue) => {
    const next = { ...values, [name]: value };
    setValues(next);
    // After a first attempt the messages follow what is typed; a server message goes once its field is edited.
    if (attempted) setClientErrors(validate(form, fields, next));
    else if (clientErrors[name]) setClientErrors(({ [name]: _gone, ...rest }) => rest);
    if (serverIssues.length > 0 && !edited.has(name)) setEdited((current) => new Set(current).add(name));
  };

  const review = (event: Event) => {
    event.preventDefault();
    setAttempted(true);
    const found = validate(form, fields, values);
    setClientErrors(found);
    setEdited((current) => new Set(current).add(''));
    if (Object.keys(found).length > 0) {
      setFocusTarget('summary');
      return;
    }
    setSendError(null);
    setStep('confirm');
    setFocusTarget('confirm');
  };

  const send = async () => {
    if (sendingRef.current) return;
    sendingRef.current = true;
    setSending(true);
    setSendError(null);
    try {
      await onSubmit(toData(fields, values));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
        setServerIssues(error.issues);
        setEdited(new Set());
        setStep('edit');
        setFocusTarget('summary');
      } else {
        setSendError(errorText(error));
      }
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  const serverErrors = issuesByField(serverIssues, fields);
  for (const name of edited) delete serverErrors[name];
  const errors: FieldErrors = { ...serverErrors, ...clientErrors };
  const errorEntries = Object.entries(errors).filter(([, message]) => message);
  const fieldByName = new Map(fields.map((field) => [field.name, field]));

  if (step === 'confirm') {
    return (
      <section class="panel confirm" aria-labelledby="confirm-title">
        <h2 id="confirm-title" ref={confirmRef} tabIndex={-1}>
          {t('form.confirmTitle')}
        </h2>
        <p class="confirm-lead">{mode === 'resubmit' ? t('form.confirmResubmitLead') : t('form.confirmLead')}</p>
        {confirmExtra}
        <dl class="data-list">
          {fields.map((field) => {
            const shown = displayValue(field, toData([field], { [field.name]: values[field.name] ?? '' })[field.name], ledgers);
            return (
              <div class="data-row" key={field.name}>
                <dt>{labelOf(field)}</dt>
                <dd class={shown ? 'pre' : 'muted'}>{shown || t('form.empty')}</dd>
              </div>
            );
          })}
        </dl>
        {sendError ? <ErrorBox>{sendError}</ErrorBox> : null}
        <div class="actions">
          <button type="button" class="btn btn-primary" disabled={sending} aria-busy={sending ? 'true' : undefined} onClick={send}>
            {sending ? t('app.sending') : mode === 'resubmit' ? t('form.resubmit') : t('form.submit')}
          </button>
          <button
            type="button"
            class="btn"
            disabled={sending}
            onClick={() => {
              setStep('edit');
            }}
          >
            {t('form.edit')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form class="panel form" noValidate onSubmit={review}>
      <div ref={summaryRef} tabIndex={-1} class="error-summary-wrap" aria-live="assertive">
        {errorEntries.length > 0 ? (
          <div class="alert alert-error error-summary" role="alert">
            <h2>{t('form.errorSummary', { n: errorEntries.length })}</h2>
            <ul>
              {errorEntries.map(([name, message]) => {
                const field = fieldByName.get(name);
                return (
                  <li key={name || '_'}>
                    {field ? (
                      <button type="button" class="link-button" onClick={() => document.getElementById(`field-${name}`)?.focus()}>
                        {message}
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
      <p class="required-note">
        <span class="req">{t('form.required')}</span> {t('form.requiredNote')}
      </p>
      {fields.map((field) => (
        <Field
          key={field.name}
          field={field}
          value={values[field.name]}
          error={errors[field.name]}
          ledgerItems={field.source ? ledgers[field.source.ledger] : undefined}
          ledgerFailed={field.source ? failed.has(field.source.ledger) : false}
          onChange={(value) => setValue(field.name, value)}
        />
      ))}
      <div class="actions">
        <button type="submit" class="btn btn-primary">
          {t('form.next')}
        </button>
        {onCancel ? (
          <button type="button" class="btn" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

interface FieldProps {
  field: FieldDef;
  value: RawValue | undefined;
  error?: string;
  ledgerItems?: Record<string, unknown>[];
  ledgerFailed: boolean;
  onChange: (value: RawValue) => void;
}

function Field({ field, value, error, ledgerItems, ledgerFailed, onChange }: FieldProps) {
  const id = `field-${field.name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const counterId = `${id}-counter`;
  const label = labelOf(field);
  const help = loc(field.schema['x-help']);
  const max = field.schema.maxLength;
  const text = typeof value === 'string' ? value : '';
  const showCounter = (field.widget === 'textarea' || field.widget === 'text') && max !== undefined;
  const describedBy = [error ? errorId : '', help ? helpId : '', showCounter ? counterId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-required': field.required ? ('true' as const) : undefined,
  };
  const mark = field.required ? <span class="req">{t('form.required')}</span> : <span class="opt">{t('form.optional')}</span>;
  const message = error ? (
    <p id={errorId} class="field-error-text">
      <span class="visually-hidden">{t('form.errorPrefix')}: </span>
      {error}
    </p>
  ) : null;
  const helpText = help ? (
    <p id={helpId} class="help">
      {help}
    </p>
  ) : null;

  if (field.widget === 'checkbox') {
    // One box with its label beside it; a box that must be ticked (the A11 checklist) says so.
    return (
      <div class={`field field-check${field.mustTick ? ' field-must' : ''}${error ? ' has-error' : ''}`}>
        {message}
        <label class="check check-single" for={id}>
          <input type="checkbox" {...common} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />
          <span class="check-text">
            {label}
            {field.mustTick ? <span class="req">{t('form.mustTick')}</span> : <span class="opt">{t('form.optional')}</span>}
          </span>
        </label>
        {helpText}
      </div>
    );
  }

  if (field.widget === 'checkboxes') {
    const list = Array.isArray(value) ? value : [];
    const source = field.source;
    const loadingOptions = Boolean(source && !ledgerItems && !ledgerFailed);
    const options = source
      ? sourceOptions(source, ledgerItems ?? [])
      : (field.options ?? []).map((option) => ({ value: option.value, label: loc(option.label) }));
    // Values chosen before (a resubmission) stay visible even if the filter no longer offers them.
    for (const chosen of list) if (!options.some((option) => option.value === chosen) && !loadingOptions) options.push({ value: chosen, label: chosen });
    return (
      <fieldset class={error ? 'field has-error' : 'field'} aria-describedby={describedBy}>
        <legend class="field-label">
          {label}
          {mark}
        </legend>
        {helpText}
        {message}
        {loadingOptions ? (
          <p class="muted small">{t('form.loadingOptions')}</p>
        ) : options.length === 0 && !ledgerFailed ? (
          <p class="muted small">{t('form.noOptions')}</p>
        ) : (
          <div class={options.length > 8 ? 'check-list check-list-long' : 'check-list'}>
            {options.map((option, index) => (
              <label class="check" key={option.value}>
                <input
                  type="checkbox"
                  id={index === 0 ? id : `${id}-${index}`}
                  name={field.name}
                  value={option.value}
                  checked={list.includes(option.value)}
                  onChange={(event) =>
                    onChange(event.currentTarget.checked ? [...list, option.value] : list.filter((item) => item !== option.value))
                  }
                />
                <span>{option.label}</span>
              </label>
            ))}
          </div>
        )}
        {source && ledgerFailed ? <p class="field-error-text">{t('form.optionsError')}</p> : null}
      </fieldset>
    );
  }

  let input;
  if (field.widget === 'select') {
    let options: { value: string; label: string }[] = (field.options ?? []).map((option) => ({ value: option.value, label: loc(option.label) }));
    if (field.source) {
      options = sourceOptions(field.source, ledgerItems ?? []);
      // A value chosen before (a resubmission) stays selectable even if the filter no longer offers it.
      if (text && ledgerItems && !options.some((option) => option.value === text)) options.push({ value: text, label: text });
    }
    const loadingOptions = field.source && !ledgerItems && !ledgerFailed;
    input = (
      <select {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} disabled={loadingOptions || undefined}>
        <option value="">{loadingOptions ? t('form.loadingOptions') : t('form.select')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (field.widget === 'textarea' || field.widget === 'lines') {
    input = <textarea {...common} rows={field.widget === 'lines' ? 4 : 5} value={text} onInput={(event) => onChange(event.currentTarget.value)} />;
  } else {
    const onInput = (event: { currentTarget: HTMLInputElement }) => onChange(event.currentTarget.value);
    if (field.widget === 'date') input = <input {...common} type="date" class="input-date" value={text} onInput={onInput} />;
    else if (field.widget === 'number') {
      const integer = field.schema.type === 'integer' || (Array.isArray(field.schema.type) && field.schema.type.includes('integer'));
      input = (
        <input
          {...common}
          type="number"
          class="input-number"
          inputMode={integer ? 'numeric' : 'decimal'}
          step={integer ? 1 : 'any'}
          min={field.schema.minimum}
          max={field.schema.maximum}
          value={text}
          onInput={onInput}
        />
      );
    }
    else input = <input {...common} type="text" value={text} onInput={onInput} />;
  }

  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} class="field-label">
        {label}
        {mark}
      </label>
      {helpText}
      {message}
      {input}
      {field.source && ledgerFailed ? <p class="field-error-text">{t('form.optionsError')}</p> : null}
      {showCounter ? <Counter id={counterId} length={text.length} max={max!} /> : null}
    </div>
  );
}
