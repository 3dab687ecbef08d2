/** What the case pages share: the catalogue, the articles box, the sub-navigation, the lists and form fields. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText, seg } from '../../api';
import { formatDateTime, japanParts } from '../../format';
import { loc, t } from '../../i18n';
import type { HistoryEvent, Issue, ListPage } from '../../types';
import { Empty, ErrorBox, Loading } from '../../components/ui';
import { FieldNotes, describedBy } from '../../components/field-notes';
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
      <FieldNotes id={id} help={help} error={error} errorPrefix={t('form.errorPrefix')} />
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

export { describedBy };

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

/** An instant as a datetime-local value in Japan time (`2026-11-25T13:05`). */
export function toLocalInput(date: Date): string {
  const japan = japanParts(date);
  return `${japan.date}T${japan.time}`;
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

/** A case list as far as it has been read, and how to read on or try again. */
export interface PagedList<T> {
  items: T[] | null;
  cursor: string | undefined;
  error: string | null;
  more: () => Promise<void>;
  retry: () => void;
}

/** A case list read a page at a time: the first page again whenever `path` changes, the next on `more()`. */
export function usePagedList<T>(path: string): PagedList<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    api<ListPage<T>>(path).then(
      (page) => {
        if (!live) return;
        setItems(page.items ?? []);
        setCursor(page.nextCursor);
      },
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [path, attempt]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api<ListPage<T>>(`${path}&cursor=${seg(cursor)}`);
      setItems((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return { items, cursor, error, more, retry: () => setAttempt((n) => n + 1) };
}

/** The toggle between whose cases a list shows (mine, all, still out), for the roles that may see others'. */
export function ScopeSwitch<Scope extends string>({ scopes, current, onChange, label }: { scopes: readonly Scope[]; current: Scope; onChange: (scope: Scope) => void; label: (scope: Scope) => string }) {
  return (
    <div class="case-scope" role="group" aria-label={tc('scope.label')}>
      {scopes.map((value) => (
        <button key={value} type="button" class={current === value ? 'btn btn-small active' : 'btn btn-small'} aria-pressed={current === value ? 'true' : 'false'} onClick={() => onChange(value)}>
          {label(value)}
        </button>
      ))}
    </div>
  );
}

/**
 * A case list's table with its states: the error with a retry, loading, the empty note, and the
 * rows with 「さらに表示」 while there are more.
 */
export function CaseTable<T>({ list, columns, empty, row }: { list: PagedList<T>; columns: string[]; empty: string; row: (item: T) => ComponentChildren }) {
  const { items, cursor, error, more, retry } = list;
  if (error) return <ErrorBox onRetry={retry}>{error}</ErrorBox>;
  if (!items) return <Loading />;
  if (items.length === 0)
    return (
      <Empty>
        <p>{empty}</p>
      </Empty>
    );
  return (
    <>
      <table class="list-table case-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{items.map(row)}</tbody>
      </table>
      {cursor ? (
        <p class="more">
          <button type="button" class="btn" onClick={more}>
            {tc('more')}
          </button>
        </p>
      ) : null}
    </>
  );
}

/** One case read from `path`: again on `reload()` (after a retry or a 409), or replaced by an action's answer. */
export function useCaseRecord<T>(path: string): { record: T | null; error: string | null; reload: () => void; replace: (next: T) => void } {
  const [record, setRecord] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    api<T>(path).then(
      (body) => live && setRecord(body),
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [path, attempt]);
  return { record, error, reload: () => setAttempt((n) => n + 1), replace: setRecord };
}

/** A case's audit events, oldest first, with who did each. */
export function CaseHistory({ id, events }: { id: string; events: HistoryEvent[] }) {
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{tc('history')}</h2>
      <ol class="history">
        {events.map((event) => (
          <li key={event.seq}>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            <span>
              {loc(event.summary)}
              {event.actor ? `（${loc(event.actor.name)}）` : ''}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The state a case form keeps besides its values: the issues by field, a failure that is not a
 * field's, whether it is sending, and a counter that moves focus to the error summary.
 */
export function useCaseForm() {
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [focusKey, setFocusKey] = useState(0);

  /** A field changed: its error goes until the next check. */
  const edited = (key: string) => {
    if (issues[key]) setIssues(({ [key]: _gone, ...rest }) => rest);
  };
  /** The input handler of a text field or select: keeps the value and clears the field's error. */
  const on = (key: string, set: (value: string) => void) => (event: { currentTarget: { value: string } }) => {
    set(event.currentTarget.value);
    edited(key);
  };
  /** A radio choice: keeps it and clears the field's error. */
  const pick = <T,>(key: string, set: (value: T) => void, value: T) => {
    set(value);
    edited(key);
  };
  /** The id and ARIA wiring of the input for `key` (`case-${key}`), matching its Field. */
  const input = (key: string, help?: string) => ({
    id: `case-${key}`,
    'aria-invalid': issues[key] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(`case-${key}`, help, issues[key]),
  });
  /**
   * The form's submit handler: the browser-side check first (nothing is sent while it finds
   * anything), then `send`; a failure shows next to the fields or above the buttons.
   */
  const submit = (check: () => Record<string, string>, send: () => Promise<void>) => async (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const found = check();
    setIssues(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      setFocusKey((n) => n + 1);
      return;
    }
    setSending(true);
    try {
      await send();
    } catch (error) {
      const result = failureOf(error);
      setIssues(result.issues);
      setFailure(result.message);
      setFocusKey((n) => n + 1);
    } finally {
      setSending(false);
    }
  };
  return { issues, failure, sending, focusKey, edited, on, pick, input, submit };
}

/** One fact of a case: its label, its value, and the value's class (`mono`, `pre`) when it needs one; false or null leaves it out. */
export type Fact = { label: string; value: ComponentChildren; class?: string } | false | null;

/** A case's facts as a definition list: `meta`, the strip under the title, or `data-list`, the rows of a panel. */
export function Facts({ kind, facts }: { kind: 'meta' | 'data-list'; facts: Fact[] }) {
  return (
    <dl class={kind}>
      {facts.map((fact) =>
        fact ? (
          <div key={fact.label} class={kind === 'data-list' ? 'data-row' : undefined}>
            <dt>{fact.label}</dt>
            <dd class={fact.class}>{fact.value}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
