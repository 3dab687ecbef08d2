/**
 * ノートPC・可搬媒体の持ち出し: my checkouts; for 総務 and IT infrastructure those still out (the
 * overdue ones first, marked) and every one.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText, seg } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import type { ListPage } from '../../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { CaseArticles, CaseTabs, caseOf, useCatalog } from './parts';
import type { Checkout } from './types';

type Scope = 'mine' | 'out' | 'all';

/** 持ち出し中 / 返却済み / 期限超過（N日）, as a badge. */
export function CheckoutState({ checkout }: { checkout: Pick<Checkout, 'status' | 'overdue' | 'daysOverdue'> }) {
  if (checkout.overdue) return <span class="badge case-badge-overdue">{tc('checkout.overdue', { n: checkout.daysOverdue })}</span>;
  return checkout.status === 'out' ? <span class="badge case-badge-open">{tc('checkout.out')}</span> : <span class="badge case-badge-closed">{tc('checkout.returned')}</span>;
}

export function CheckoutListPage() {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const [scope, setScope] = useState<Scope>('mine');
  const [items, setItems] = useState<Checkout[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (catalog?.may.listAllCheckouts) setScope('out');
  }, [catalog]);

  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    api<ListPage<Checkout>>(`/cases/media-checkouts?scope=${scope}`).then(
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
  }, [scope, attempt]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api<ListPage<Checkout>>(`/cases/media-checkouts?scope=${scope}&cursor=${seg(cursor)}`);
      setItems((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  const definition = catalog ? caseOf(catalog, 'media-checkout') : null;
  const overdue = (items ?? []).filter((item) => item.overdue).length;
  const scopes: Scope[] = catalog?.may.listAllCheckouts ? ['out', 'all', 'mine'] : [];
  return (
    <div class="cases">
      <PageTitle text={tc('checkouts.title')} sub={definition ? loc(definition.description) : undefined} />
      <CaseTabs current="media" />
      <div class="case-toolbar">
        <a class="btn btn-primary" href="#/cases/media/new">
          {tc('checkouts.new')}
        </a>
        {scopes.length > 0 ? (
          <div class="case-scope" role="group" aria-label={tc('scope.label')}>
            {scopes.map((value) => (
              <button key={value} type="button" class={scope === value ? 'btn btn-small active' : 'btn btn-small'} aria-pressed={scope === value ? 'true' : 'false'} onClick={() => setScope(value)}>
                {tc(`scope.${value}Checkouts`)}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {catalogError ? <ErrorBox onRetry={retry}>{catalogError}</ErrorBox> : null}
      {overdue > 0 ? (
        <div class="alert alert-warning" role="status">
          {tc('checkouts.overdueNote', { n: overdue })}
        </div>
      ) : null}
      {error ? (
        <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>
          <p>{scope === 'out' ? tc('checkouts.emptyOut') : tc('checkouts.empty')}</p>
        </Empty>
      ) : (
        <>
          <table class="list-table case-table">
            <thead>
              <tr>
                <th scope="col">{tc('checkout.item')}</th>
                <th scope="col">{tc('checkout.borrower')}</th>
                <th scope="col">{tc('checkout.destination')}</th>
                <th scope="col">{tc('checkout.checkedOutAt')}</th>
                <th scope="col">{tc('checkout.expectedReturnOn')}</th>
                <th scope="col">{tc('checkout.state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((checkout) => (
                <tr key={checkout.id} class={checkout.overdue ? 'case-row-overdue' : undefined}>
                  <td data-label={tc('checkout.item')}>
                    <a href={href('cases', 'media', checkout.id)}>{checkout.item.name}</a>
                    <span class="case-kind">{definition ? loc(definition.kinds[checkout.mediaKind]) : checkout.mediaKind}</span>
                  </td>
                  <td data-label={tc('checkout.borrower')}>{loc(checkout.borrower.name)}</td>
                  <td data-label={tc('checkout.destination')}>{checkout.destination}</td>
                  <td data-label={tc('checkout.checkedOutAt')}>
                    <time dateTime={checkout.checkedOutAt}>{formatDateTime(checkout.checkedOutAt)}</time>
                  </td>
                  <td data-label={tc('checkout.expectedReturnOn')}>{formatDate(checkout.expectedReturnOn)}</td>
                  <td data-label={tc('checkout.state')}>
                    <CheckoutState checkout={checkout} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor ? (
            <p class="more">
              <button type="button" class="btn" onClick={more}>
                {tc('more')}
              </button>
            </p>
          ) : null}
        </>
      )}
      {definition ? <CaseArticles articles={definition.articles} /> : null}
    </div>
  );
}
