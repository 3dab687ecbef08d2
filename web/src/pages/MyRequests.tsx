/** The caller's own requests, newest first. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';
import { loc, t, useLang } from '../i18n';
import { href } from '../router';
import type { ListPage, RequestRecord } from '../types';
import { Empty, ErrorBox, Loading, PageTitle, StatusBadge } from '../components/ui';

export function MyRequestsPage() {
  useLang();
  const [items, setItems] = useState<RequestRecord[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    api<ListPage<RequestRecord>>('/requests?scope=mine').then(
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
  }, [attempt]);

  const more = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api<ListPage<RequestRecord>>(`/requests?scope=mine&cursor=${encodeURIComponent(cursor)}`);
      setItems((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  let body;
  if (error && !items) body = <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  else if (!items) body = <Loading />;
  else if (items.length === 0)
    body = (
      <Empty>
        <p>{t('mine.empty')}</p>
        <p>
          <a class="btn btn-primary" href="#/">
            {t('mine.emptyLink')}
          </a>
        </p>
      </Empty>
    );
  else
    body = (
      <>
        <table class="list-table">
          <thead>
            <tr>
              <th scope="col">{t('mine.form')}</th>
              <th scope="col">{t('mine.id')}</th>
              <th scope="col">{t('mine.submittedAt')}</th>
              <th scope="col">{t('mine.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((request) => (
              <tr key={request.id}>
                <td data-label={t('mine.form')}>
                  <span class="code">{request.formCode}</span>{' '}
                  <a href={href('requests', request.id)}>{loc(request.formTitle)}</a>
                </td>
                <td data-label={t('mine.id')} class="mono">
                  {request.id}
                </td>
                <td data-label={t('mine.submittedAt')}>
                  <time dateTime={request.submittedAt}>{formatDateTime(request.submittedAt ?? request.createdAt)}</time>
                </td>
                <td data-label={t('mine.status')}>
                  <StatusBadge status={request.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {error ? <ErrorBox>{error}</ErrorBox> : null}
        {cursor ? (
          <p class="more">
            <button type="button" class="btn" onClick={more} disabled={loadingMore}>
              {loadingMore ? t('app.loading') : t('mine.more')}
            </button>
          </p>
        ) : null}
      </>
    );

  return (
    <div>
      <PageTitle text={t('mine.title')} />
      {body}
    </div>
  );
}
