/**
 * One ledger: search by words (`q`, on the server), filter by site and branch (on the server),
 * sort the loaded rows by a column (in the page), さらに表示 while the server has more, CSV
 * download, and for 情報システム部インフラ担当 新規登録 and CSV 取り込み. A row opens the item.
 * The filters live in the address (`#/ledgers/servers?q=DB&site=site-tokyo`), so going back from an
 * item restores them.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, download, errorText, seg } from '../../api';
import { loc, t, useLang } from '../../i18n';
import { href, navigate } from '../../router';
import type { LedgerColumn, LedgerItem, LedgerPage as LedgerPageBody, Person } from '../../types';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { ArticleRefs } from './LedgerIndex';
import { cellText, columnLabel, compareValues, isItInfra, ledgerTitle, placeName, sortValue, tableColumns } from './format';

const PAGE_SIZE = 50;
/** A search page may come back thin (the words filter each page read): read on until this many. */
const SEARCH_FILL = 20;
const SEARCH_ROUNDS = 5;

interface Query {
  q: string;
  site: string;
  branch: string;
}

function queryFromHash(): Query {
  const search = window.location.hash.split('?')[1] ?? '';
  const params = new URLSearchParams(search);
  return { q: params.get('q') ?? '', site: params.get('site') ?? '', branch: params.get('branch') ?? '' };
}

function hashFor(name: string, query: Query): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.site) params.set('site', query.site);
  if (query.branch) params.set('branch', query.branch);
  const search = params.toString();
  return `${href('ledgers', name)}${search ? `?${search}` : ''}`;
}

function apiPath(name: string, query: Query, cursor?: string): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (query.q) params.set('q', query.q);
  if (query.site) params.set('siteId', query.site);
  if (query.branch) params.set('branchId', query.branch);
  if (cursor) params.set('cursor', cursor);
  return `/ledgers/${seg(name)}?${params.toString()}`;
}

/** The API filters by one index: with both a site and a branch chosen, the branch is checked here too. */
function keep(query: Query, item: LedgerItem): boolean {
  if (query.site && item.siteId !== undefined && item.siteId !== query.site) return false;
  if (query.branch && item.branchId !== undefined && item.branchId !== query.branch) return false;
  return true;
}

async function readPages(name: string, query: Query, cursor?: string): Promise<{ page: LedgerPageBody; items: LedgerItem[] }> {
  let page = await api<LedgerPageBody>(apiPath(name, query, cursor));
  const items = [...(page.items ?? [])];
  for (let round = 1; query.q && page.nextCursor && items.length < SEARCH_FILL && round < SEARCH_ROUNDS; round++) {
    page = { ...page, ...(await api<LedgerPageBody>(apiPath(name, query, page.nextCursor))) };
    items.push(...(page.items ?? []));
  }
  return { page, items: items.filter((item) => keep(query, item)) };
}

type Sort = { key: string; dir: 'asc' | 'desc' } | null;

export function LedgerListPage({ name, me }: { name: string; me: Person }) {
  useLang();
  const [query, setQuery] = useState<Query>(queryFromHash);
  const [typed, setTyped] = useState(query.q);
  const [body, setBody] = useState<LedgerPageBody | null>(null);
  const [items, setItems] = useState<LedgerItem[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [sort, setSort] = useState<Sort>(null);
  const [places, setPlaces] = useState<{ sites: Set<string>; branches: Set<string> }>(() => ({ sites: new Set(), branches: new Set() }));
  const [downloadState, setDownloadState] = useState<{ busy: boolean; message: string | null; error: string | null }>({ busy: false, message: null, error: null });
  const generation = useRef(0);

  const remember = (loaded: LedgerItem[]) =>
    setPlaces((current) => {
      const sites = new Set(current.sites);
      const branches = new Set(current.branches);
      for (const item of loaded) {
        if (typeof item.siteId === 'string' && item.siteId) sites.add(item.siteId);
        if (typeof item.branchId === 'string' && item.branchId) branches.add(item.branchId);
      }
      return sites.size === current.sites.size && branches.size === current.branches.size ? current : { sites, branches };
    });

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    readPages(name, query).then(
      ({ page, items: loaded }) => {
        if (mine !== generation.current) return;
        setBody(page);
        setItems(loaded);
        setCursor(page.nextCursor);
        remember(loaded);
        setLoading(false);
      },
      (failure) => {
        if (mine !== generation.current) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, [name, query, attempt]);

  const apply = (next: Query) => {
    setQuery(next);
    setTyped(next.q);
    // Keep the filters in the address without adding a history entry per keystroke.
    window.history.replaceState(window.history.state, '', hashFor(name, next));
  };

  const more = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const mine = generation.current;
    try {
      const { page, items: loaded } = await readPages(name, query, cursor);
      if (mine !== generation.current) return;
      setItems((current) => [...current, ...loaded]);
      setCursor(page.nextCursor);
      remember(loaded);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingMore(false);
    }
  };

  const saveCsv = async () => {
    setDownloadState({ busy: true, message: null, error: null });
    try {
      const filename = await download(`/ledgers/${seg(name)}.csv`, `${name}.csv`);
      setDownloadState({ busy: false, message: t('ledger.downloaded', { file: filename }), error: null });
    } catch (failure) {
      setDownloadState({ busy: false, message: null, error: errorText(failure) });
    }
  };

  const columns: LedgerColumn[] = useMemo(() => tableColumns(body?.columns ?? []), [body]);
  const hasSite = (body?.columns ?? []).some((column) => column.key === 'siteId');
  const hasBranch = (body?.columns ?? []).some((column) => column.key === 'branchId');
  const sortColumn = sort ? columns.find((column) => column.key === sort.key) : undefined;
  const rows = useMemo(() => {
    if (!sort || !sortColumn) return items;
    const factor = sort.dir === 'asc' ? 1 : -1;
    return items
      .map((item, index) => ({ item, index, key: sortValue(sortColumn, item) }))
      .sort((a, b) => {
        if (a.key === null || b.key === null) return compareValues(a.key, b.key) || a.index - b.index;
        return factor * compareValues(a.key, b.key) || a.index - b.index;
      })
      .map((entry) => entry.item);
  }, [items, sort, sortColumn]);

  const title = ledgerTitle(body, name);
  const editor = isItInfra(me);
  const filtered = Boolean(query.q || query.site || query.branch);

  const siteOptions = [...new Set([...places.sites, ...(me.site ? [me.site.id] : []), ...(query.site ? [query.site] : [])])].sort();
  const branchOptions = [...new Set([...places.branches, ...(me.branch ? [me.branch.id] : []), ...(query.branch ? [query.branch] : [])])].sort();

  const toggleSort = (key: string) =>
    setSort((current) => (current?.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));

  let content;
  if (error && !body) {
    content = (
      <ErrorBox onRetry={error instanceof ApiError && error.status === 404 ? undefined : () => setAttempt((n) => n + 1)}>{errorText(error)}</ErrorBox>
    );
  } else if (!body) {
    content = <Loading />;
  } else {
    content = (
      <>
        <div class="ledger-filters">
          <form
            class="ledger-search"
            role="search"
            onSubmit={(event) => {
              event.preventDefault();
              apply({ ...query, q: typed.trim() });
            }}
          >
            <label class="field-label" for="ledger-q">
              {t('ledger.search')}
            </label>
            <div class="search-row">
              <input
                id="ledger-q"
                type="search"
                value={typed}
                maxLength={100}
                placeholder={t('ledger.searchPlaceholder')}
                aria-describedby="ledger-q-help"
                onInput={(event) => setTyped(event.currentTarget.value)}
              />
              <button type="submit" class="btn">
                {t('ledger.searchButton')}
              </button>
            </div>
            <p id="ledger-q-help" class="help">
              {t('ledger.searchHelp')}
            </p>
          </form>
          {hasSite ? (
            <div class="ledger-select">
              <label class="field-label" for="ledger-site">
                {t('ledger.site')}
              </label>
              <select id="ledger-site" value={query.site} onChange={(event) => apply({ ...query, site: event.currentTarget.value })}>
                <option value="">{t('ledger.all')}</option>
                {siteOptions.map((id) => (
                  <option key={id} value={id}>
                    {placeName(me, 'site', id)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {hasBranch ? (
            <div class="ledger-select">
              <label class="field-label" for="ledger-branch">
                {t('ledger.branch')}
              </label>
              <select id="ledger-branch" value={query.branch} onChange={(event) => apply({ ...query, branch: event.currentTarget.value })}>
                <option value="">{t('ledger.all')}</option>
                {branchOptions.map((id) => (
                  <option key={id} value={id}>
                    {placeName(me, 'branch', id)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {filtered ? (
            <div class="ledger-clear">
              <button type="button" class="btn btn-quiet" onClick={() => apply({ q: '', site: '', branch: '' })}>
                {t('ledger.clear')}
              </button>
            </div>
          ) : null}
        </div>
        {hasSite || hasBranch ? <p class="muted small place-note">{t('ledger.placeNote')}</p> : null}

        <p id="ledger-count" class="ledger-count" aria-live="polite">
          {loading
            ? t('app.loading')
            : cursor
              ? t(filtered ? 'ledger.countMoreFiltered' : 'ledger.countMore', { n: items.length })
              : t(filtered ? 'ledger.countAllFiltered' : 'ledger.countAll', { n: items.length })}
        </p>

        {items.length === 0 && !loading ? (
          <div class="empty">{filtered ? (cursor ? t('ledger.noMatchYet') : t('ledger.noMatch')) : t('ledger.empty')}</div>
        ) : (
          <>
            <p class="muted small sort-note">{t('ledger.sortNote', { n: items.length })}</p>
            <div class={loading ? 'table-scroll is-loading' : 'table-scroll'}>
              <table class="ledger-table" aria-describedby="ledger-count">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    {columns.map((column) => {
                      const active = sort?.key === column.key;
                      return (
                        <th
                          scope="col"
                          key={column.key}
                          aria-sort={active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                        >
                          <button type="button" class="sort-button" onClick={() => toggleSort(column.key)}>
                            {columnLabel(column)}
                            <span class="sort-mark" aria-hidden="true">
                              {active ? (sort!.dir === 'asc' ? '▲' : '▼') : '↕'}
                            </span>
                          </button>
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((item, index) => {
                    const id = String(item.id ?? '');
                    const target = href('ledgers', name, 'items', id);
                    return (
                      <tr
                        key={id || index}
                        class="row-link"
                        onClick={(event) => {
                          // The id cell holds the real link; a click elsewhere on the row does the same.
                          if ((event.target as HTMLElement).closest('a, button')) return;
                          if (window.getSelection()?.toString()) return;
                          navigate(target);
                        }}
                      >
                        {columns.map((column, columnIndex) => {
                          const text = cellText(column, item);
                          return (
                            <td key={column.key} data-label={columnLabel(column)} title={text.length > 40 ? text : undefined}>
                              {columnIndex === 0 ? <a href={target}>{text || id}</a> : text}
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
        {error ? <ErrorBox>{errorText(error)}</ErrorBox> : null}
        {cursor && !loading ? (
          <p class="more">
            <button type="button" class="btn" onClick={more} disabled={loadingMore} aria-busy={loadingMore ? 'true' : undefined}>
              {loadingMore ? t('app.loading') : t('ledger.more')}
            </button>
          </p>
        ) : null}
      </>
    );
  }

  return (
    <div class="ledger-page">
      <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <a href={href('ledgers')}>{t('ledgers.title')}</a>
      </nav>
      <PageTitle text={title} sub={<ArticleRefs refs={body?.articles} />} />
      {body?.description ? <p class="lead">{loc(body.description)}</p> : null}
      {body ? (
        <div class="ledger-actions">
          <button type="button" class="btn" onClick={saveCsv} disabled={downloadState.busy} aria-busy={downloadState.busy ? 'true' : undefined}>
            {downloadState.busy ? t('ledger.downloading') : t('ledger.download')}
          </button>
          {editor ? (
            <>
              <a class="btn" href={href('ledgers', name, 'import')}>
                {t('ledger.import')}
              </a>
              <a class="btn btn-primary" href={href('ledgers', name, 'new')}>
                {t('ledger.new')}
              </a>
            </>
          ) : null}
          <span class="download-status" aria-live="polite">
            {downloadState.message ? <span class="muted small">{downloadState.message}</span> : null}
          </span>
        </div>
      ) : null}
      {downloadState.error ? <ErrorBox>{downloadState.error}</ErrorBox> : null}
      {content}
    </div>
  );
}
