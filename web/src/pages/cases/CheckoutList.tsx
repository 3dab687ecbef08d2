/**
 * ノートPC・可搬媒体の持ち出し: my checkouts; for 総務 and IT infrastructure those still out (the
 * overdue ones first, marked) and every one.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDate, formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import { ErrorBox, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { CaseArticles, CaseTable, CaseTabs, ScopeSwitch, caseOf, useCatalog, usePagedList } from './parts';
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
  const list = usePagedList<Checkout>(`/cases/media-checkouts?scope=${scope}`);

  useEffect(() => {
    if (catalog?.may.listAllCheckouts) setScope('out');
  }, [catalog]);

  const definition = catalog ? caseOf(catalog, 'media-checkout') : null;
  const overdue = (list.items ?? []).filter((item) => item.overdue).length;
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
          <ScopeSwitch scopes={scopes} current={scope} onChange={setScope} label={(value) => tc(`scope.${value}Checkouts`)} />
        ) : null}
      </div>
      {catalogError ? <ErrorBox onRetry={retry}>{catalogError}</ErrorBox> : null}
      {overdue > 0 ? (
        <div class="alert alert-warning" role="status">
          {tc('checkouts.overdueNote', { n: overdue })}
        </div>
      ) : null}
      <CaseTable
        list={list}
        columns={[tc('checkout.item'), tc('checkout.borrower'), tc('checkout.destination'), tc('checkout.checkedOutAt'), tc('checkout.expectedReturnOn'), tc('checkout.state')]}
        empty={scope === 'out' ? tc('checkouts.emptyOut') : tc('checkouts.empty')}
        row={(checkout) => (
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
        )}
      />
      {definition ? <CaseArticles articles={definition.articles} /> : null}
    </div>
  );
}
