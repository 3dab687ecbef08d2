/** The ledgers (servers, server access grants): a table with a filter and "load more". */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, errorText, getForms, seg } from '../api';
import { formatDate, formatDateTime } from '../format';
import { hasKey, loc, t, useLang, type Bilingual } from '../i18n';
import { href } from '../router';
import { fieldsOf } from '../schema-form';
import type { Form, LedgerColumn, LedgerPage as LedgerPageBody } from '../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../components/ui';

const LEDGERS = ['servers', 'server-access-grants'] as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isBilingual(value: unknown): value is Bilingual {
  return typeof value === 'object' && value !== null && ('ja' in value || 'en' in value);
}

type EnumLabels = Map<string, Record<string, Bilingual | string>>;

/**
 * Labels of enum values by field name, taken from the forms (a grant's `protocol` is F1's
 * `protocol`, so `odbc` reads ODBC). The first form that names a field wins.
 */
function enumLabelsOf(forms: Form[]): EnumLabels {
  const labels: EnumLabels = new Map();
  for (const form of forms) {
    for (const field of fieldsOf(form)) {
      if (!field.options || labels.has(field.name)) continue;
      labels.set(field.name, Object.fromEntries(field.options.map((option) => [option.value, option.label])));
    }
  }
  return labels;
}

/** A cell as text: bilingual values in the chosen language, times in Japan time, known states and enum values translated. */
function cellText(value: unknown, key: string, enums: EnumLabels): string {
  if (value === null || value === undefined) return '';
  if (isBilingual(value)) return loc(value);
  if (Array.isArray(value)) return value.map((item) => cellText(item, key, enums)).join(t('punct.list'));
  if (typeof value === 'object') {
    const named = value as { name?: unknown; id?: unknown };
    if (named.name !== undefined) return cellText(named.name, key, enums);
    return JSON.stringify(value);
  }
  const text = String(value);
  if (ISO_TIME.test(text)) return formatDateTime(text);
  if (DATE.test(text)) return formatDate(text);
  const valueKey = `ledger.value.${text}`;
  if (key === 'status' && hasKey(valueKey)) return t(valueKey);
  const label = enums.get(key)?.[text];
  return label ? loc(label) : text;
}

export function LedgerPage({ name }: { name: string }) {
  useLang();
  const [body, setBody] = useState<LedgerPageBody | null>(null);
  const [items, setItems] = useState<Record<string, unknown>[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [enums, setEnums] = useState<EnumLabels>(new Map());

  useEffect(() => {
    let live = true;
    getForms().then(
      (forms) => live && setEnums(enumLabelsOf(forms)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setError(null);
    setBody(null);
    api<LedgerPageBody>(`/ledgers/${seg(name)}`).then(
      (page) => {
        if (!live) return;
        setBody(page);
        setItems(page.items ?? []);
      },
      (failure) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [name, attempt]);

  const more = async () => {
    if (!body?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api<LedgerPageBody>(`/ledgers/${seg(name)}?cursor=${encodeURIComponent(body.nextCursor)}`);
      setItems((current) => [...current, ...(page.items ?? [])]);
      setBody((current) => (current ? { ...current, nextCursor: page.nextCursor } : page));
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingMore(false);
    }
  };

  const columns: LedgerColumn[] = useMemo(() => {
    if (body?.columns && body.columns.length > 0) return body.columns;
    const first = items[0];
    return first ? Object.keys(first).map((key) => ({ key, label: key })) : [];
  }, [body, items]);

  const rows = items.map((item) => ({ item, cells: columns.map((column) => cellText(item[column.key], column.key, enums)) }));
  const needle = filter.trim().toLowerCase();
  const shown = needle ? rows.filter((row) => row.cells.some((cell) => cell.toLowerCase().includes(needle))) : rows;
  const knownKey = `ledger.${name}`;
  const title = body?.title ? loc(body.title) : hasKey(knownKey) ? t(knownKey) : name;

  let content;
  if (error && !body) {
    content = (
      <ErrorBox onRetry={error instanceof ApiError && error.status === 404 ? undefined : () => setAttempt((n) => n + 1)}>
        {errorText(error)}
      </ErrorBox>
    );
  } else if (!body) {
    content = <Loading />;
  } else if (items.length === 0) {
    content = <Empty>{t('ledger.empty')}</Empty>;
  } else {
    content = (
      <>
        <div class="filter">
          <label class="field-label" for="ledger-filter">
            {t('ledger.filter')}
          </label>
          <input
            id="ledger-filter"
            type="search"
            value={filter}
            placeholder={t('ledger.filterPlaceholder')}
            aria-describedby="ledger-count"
            onInput={(event) => setFilter(event.currentTarget.value)}
          />
          <p id="ledger-count" class="muted small" aria-live="polite">
            {t('ledger.count', { shown: shown.length, loaded: items.length })}
          </p>
        </div>
        <div class="table-scroll">
          <table class="ledger-table">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th scope="col" key={column.key}>
                    {loc(column.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row, index) => (
                <tr key={String(row.item.id ?? index)}>
                  {columns.map((column, columnIndex) => (
                    <td key={column.key} data-label={loc(column.label)}>
                      {column.key === 'requestId' && row.cells[columnIndex] ? (
                        <a href={href('requests', String(row.item.requestId))}>{row.cells[columnIndex]}</a>
                      ) : (
                        row.cells[columnIndex]
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shown.length === 0 ? <p class="empty">{t('ledger.noMatch')}</p> : null}
        {error ? <ErrorBox>{errorText(error)}</ErrorBox> : null}
        {body.nextCursor ? (
          <p class="more">
            <button type="button" class="btn" onClick={more} disabled={loadingMore}>
              {loadingMore ? t('app.loading') : t('ledger.more')}
            </button>
          </p>
        ) : null}
      </>
    );
  }

  return (
    <div>
      <PageTitle
        text={title}
        sub={
          body?.articles && body.articles.length > 0 ? (
            <p class="ledger-articles">
              <span class="muted">
                {t('catalogue.articles')}
                {t('punct.colon')}
              </span>
              {body.articles.map((ref) => (
                <span class="article-ref" key={ref}>
                  {ref}
                </span>
              ))}
            </p>
          ) : null
        }
      />
      <nav class="tabs" aria-label={t('ledger.tabs')}>
        <ul>
          {LEDGERS.map((ledger) => (
            <li key={ledger}>
              <a href={href('ledgers', ledger)} aria-current={ledger === name ? 'page' : undefined}>
                {t(`ledger.${ledger}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {content}
    </div>
  );
}
