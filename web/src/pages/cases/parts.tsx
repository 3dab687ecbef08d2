/** What the case pages share: the catalogue, the articles box, the sub-navigation and form fields. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { loc, t } from '../../i18n';
import type { Issue } from '../../types';
import { tc } from './messages';
import type { CaseArticle, CaseCatalog } from './types';

let catalogPromise: Promise<CaseCatalog> | null = null;

/** The cases, sites and departments and what the caller may do; read once per session. */
export function useCatalog(): { catalog: CaseCatalog | null; error: string | null; retry: () => void } {
  const [catalog, setCatalog] = useState<CaseCatalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    catalogPromise ??= api<CaseCatalog>('/cases');
    catalogPromise.then(
      (body) => live && setCatalog(body),
      (failure) => {
        catalogPromise = null;
        if (live) setError(errorText(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { catalog, error, retry: () => setAttempt((n) => n + 1) };
}

export const caseOf = (catalog: CaseCatalog, kind: 'incident' | 'media-checkout') => catalog.cases.find((c) => c.kind === kind)!;

/** The articles a case implements, as every form and page shows them. */
export function CaseArticles({ articles, id = 'case-articles' }: { articles: CaseArticle[]; id?: string }) {
  return (
    <section class="articles" aria-labelledby={id}>
      <h2 id={id}>{tc('articles')}</h2>
      <ul>
        {articles.map((article) => (
          <li key={article.ref}>
            <span class="article-ref">{article.ref}</span>
            <span class="article-text">{loc(article.text)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 障害報告 | 持ち出し: the two cases, side by side. */
export function CaseTabs({ current }: { current: 'incidents' | 'media' }) {
  return (
    <nav class="case-tabs" aria-label={tc('tabs.label')}>
      <a href="#/cases" aria-current={current === 'incidents' ? 'page' : undefined}>
        {tc('tabs.incidents')}
      </a>
      <a href="#/cases/media" aria-current={current === 'media' ? 'page' : undefined}>
        {tc('tabs.media')}
      </a>
    </nav>
  );
}

export function Breadcrumb({ children }: { children: ComponentChildren }) {
  return (
    <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
      {children}
    </nav>
  );
}

export interface FieldProps {
  id: string;
  label: string;
  required?: boolean;
  help?: string;
  error?: string;
  children: ComponentChildren;
  /** A group of inputs (radios, checkboxes) is a fieldset with a legend instead of a label. */
  group?: boolean;
}

/** A labelled field with its help and its error, wired for screen readers (`${id}-help`, `${id}-error`). */
export function Field({ id, label, required, help, error, children, group }: FieldProps) {
  const marker = required ? <span class="req">{t('form.required')}</span> : <span class="opt">{t('form.optional')}</span>;
  const body = (
    <>
      {help ? (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p class="field-error-text" id={`${id}-error`}>
          <span class="visually-hidden">{t('form.errorPrefix')}: </span>
          {error}
        </p>
      ) : null}
      {children}
    </>
  );
  if (group) {
    return (
      <fieldset class={error ? 'field case-group has-error' : 'field case-group'} id={id} tabIndex={-1} aria-describedby={describedBy(id, help, error)}>
        <legend class="field-label">
          {label}
          {marker}
        </legend>
        {body}
      </fieldset>
    );
  }
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label class="field-label" for={id}>
        {label}
        {marker}
      </label>
      {body}
    </div>
  );
}

export const describedBy = (id: string, help?: string, error?: string) => [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** Server issues by the field they name (`systems.0.id` → `systems`), messages joined. */
export function issuesByField(issues: Issue[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.split('.')[0] || '_';
    const message = loc(issue.messages) || issue.message;
    found[key] = found[key] ? `${found[key]} ${message}` : message;
  }
  return found;
}

/** The list of problems above a form; each item moves focus to its field. */
export function ErrorSummary({ issues, labels, focusKey }: { issues: Record<string, string>; labels: Record<string, string>; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(issues).filter(([, message]) => message);
  useEffect(() => {
    if (focusKey > 0 && entries.length > 0) ref.current?.focus();
  }, [focusKey]);
  return (
    <div ref={ref} tabIndex={-1} class="error-summary-wrap" aria-live="assertive">
      {entries.length > 0 ? (
        <div class="alert alert-error error-summary" role="alert">
          <h3>{t('form.errorSummary', { n: entries.length })}</h3>
          <ul>
            {entries.map(([key, message]) => (
              <li key={key}>
                <button type="button" class="link-button" onClick={() => document.getElementById(`case-${key}`)?.focus()}>
                  {labels[key] && !message.includes(labels[key]) ? `${labels[key]}${t('punct.colon')}${message}` : message}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

const tokyo = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant as a datetime-local value in Japan time (`2026-11-25T13:05`). */
export function toLocalInput(date: Date): string {
  const parts = tokyo.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A datetime-local value read as Japan time, as an ISO instant; '' when it is not a time. */
export function fromLocalInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return '';
  const date = new Date(`${value}:00+09:00`);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** Today in Japan, as YYYY-MM-DD. */
export const japanToday = () => toLocalInput(new Date()).slice(0, 10);

/** A failed call as the form shows it: field issues next to the fields, anything else as one message. */
export function failureOf(error: unknown): { issues: Record<string, string>; message: string | null; conflict: boolean } {
  if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) return { issues: issuesByField(error.issues), message: null, conflict: false };
  return { issues: {}, message: errorText(error), conflict: error instanceof ApiError && error.status === 409 };
}
