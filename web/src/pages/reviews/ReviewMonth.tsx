/**
 * 月次点検の状況: every site × logbook of a month with its review's status (未着手 / 点検中 / 完了),
 * anomalies, reviewer, due date and completion; the month lives in the address
 * (`#/reviews?month=2026-10`), and the table downloads as CSV.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, download, errorText } from '../../api';
import { loc, t, useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../format';
import { href, navigate, useHash } from '../../router';
import { ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { ArticleFold } from '../../components/article-fold';
import { tr } from './messages';
import type { MonthRow, MonthView } from './types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthFromHash(hash: string): string {
  const month = new URLSearchParams(hash.split('?')[1] ?? '').get('month') ?? '';
  return MONTH.test(month) ? month : '';
}

export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const monthHash = (month: string) => `${href('reviews')}?month=${month}`;
export const reviewHash = (month: string, logbook: string, siteId: string) => href('reviews', month, logbook, siteId);

export function ArticleBox({ articles }: { articles: { ref: string; text: { ja: string; en: string } }[] }) {
  return (
    <ArticleFold name="rv-articles" title={tr('articles')} articles={articles} />
  );
}

export function StatusBadge({ status }: { status: MonthRow['status'] }) {
  return <span class={`badge rv-status rv-status-${status}`}>{tr(`status.${status}`)}</span>;
}

export function ReviewMonthPage() {
  useLang();
  const hash = useHash();
  const asked = monthFromHash(hash);
  const [view, setView] = useState<MonthView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [typed, setTyped] = useState(asked);
  const [downloaded, setDownloaded] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    setDownloaded(null);
    api<MonthView>(`/reviews${asked ? `?month=${asked}` : ''}`).then(
      (body) => {
        if (!live) return;
        setView(body);
        setTyped(body.month);
      },
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [asked, attempt]);

  const go = (target: string) => MONTH.test(target) && navigate(monthHash(target));

  let body;
  if (error) body = <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  else if (!view || (asked && view.month !== asked)) body = <Loading />;
  else
    body = (
      <>
        <ArticleBox articles={view.articles} />
        <div class="rv-toolbar">
          <div class="rv-month-nav">
            <button type="button" class="btn btn-small" onClick={() => go(addMonths(view.month, -1))}>
              ← {tr('prevMonth')}
            </button>
            <form
              class="rv-month-form"
              onSubmit={(event) => {
                event.preventDefault();
                go(typed);
              }}
            >
              <label for="rv-month">{tr('month')}</label>
              <input id="rv-month" type="month" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} />
              <button type="submit" class="btn btn-small">
                {tr('show')}
              </button>
            </form>
            <button type="button" class="btn btn-small" onClick={() => go(addMonths(view.month, 1))}>
              {tr('nextMonth')} →
            </button>
          </div>
          <button
            type="button"
            class="btn btn-small"
            onClick={() =>
              download(`/reviews.csv?month=${view.month}`, `monthly-reviews-${view.month}.csv`).then(
                (file) => setDownloaded(file),
                (failure) => setError(errorText(failure)),
              )
            }
          >
            {tr('download')}
          </button>
        </div>
        {downloaded ? <Notice kind="success">{tr('downloaded', { file: downloaded })}</Notice> : null}
        <p class="rv-counts" aria-live="polite">
          <span class="rv-count rv-status-not-opened">{tr('countNotOpened', { n: view.counts['not-opened'] })}</span>
          <span class="rv-count rv-status-open">{tr('countOpen', { n: view.counts.open })}</span>
          <span class="rv-count rv-status-completed">{tr('countCompleted', { n: view.counts.completed })}</span>
        </p>
        {view.rows.length === 0 ? (
          <p class="empty">{tr('noRows')}</p>
        ) : (
          <div class="table-scroll">
            <table class="list-table rv-table">
              <caption class="visually-hidden">{`${tr('monthTitle')} ${loc(view.label)}`}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('site')}</th>
                  <th scope="col">{tr('logbook')}</th>
                  <th scope="col">{tr('status')}</th>
                  <th scope="col">{tr('entries')}</th>
                  <th scope="col">{tr('anomalies')}</th>
                  <th scope="col">{tr('reviewer')}</th>
                  <th scope="col">{tr('dueOn')}</th>
                  <th scope="col">{tr('completed')}</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={`${row.siteId}/${row.logbook}`} class={row.anomalies > 0 && row.status !== 'completed' ? 'rv-row-flagged' : undefined}>
                    <td data-label={tr('site')}>{loc(row.siteName)}</td>
                    <td data-label={tr('logbook')}>
                      {row.status === 'not-opened' ? (
                        <span>
                          {row.logbook} {loc(row.title)}
                        </span>
                      ) : (
                        <a href={reviewHash(view.month, row.logbook, row.siteId)}>
                          {row.logbook} {loc(row.title)}
                        </a>
                      )}
                      <span class="rv-refs">{row.articles.join(' ')}</span>
                    </td>
                    <td data-label={tr('status')}>
                      <StatusBadge status={row.status} />
                      {row.escalated ? <span class="badge rv-escalated">{tr('escalated')}</span> : null}
                    </td>
                    <td data-label={tr('entries')} class="num">
                      {row.entries}
                    </td>
                    <td data-label={tr('anomalies')} class="num">
                      {row.anomalies > 0 ? <strong class="rv-anomaly-count">{tr('anomalyCount', { n: row.anomalies })}</strong> : tr('anomalyCount', { n: 0 })}
                    </td>
                    <td data-label={tr('reviewer')}>{row.reviewers.map((r) => loc(r.name)).join(t('punct.list'))}</td>
                    <td data-label={tr('dueOn')}>{row.dueOn ? formatDate(row.dueOn) : ''}</td>
                    <td data-label={tr('completed')}>
                      {row.completedAt ? (
                        <>
                          <time dateTime={row.completedAt}>{formatDateTime(row.completedAt)}</time>
                          {row.completedBy ? <span class="block small">{loc(row.completedBy.name)}</span> : null}
                          {row.conclusion ? <span class="block small">{tr(`conclusion.${row.conclusion}`)}</span> : null}
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.counts['not-opened'] > 0 ? <p class="help">{tr('notOpenedNote')}</p> : null}
      </>
    );

  return (
    <div>
      <PageTitle text={view ? `${tr('monthTitle')} ${loc(view.label)}` : tr('monthTitle')} />
      <p class="lead">{tr('monthLead')}</p>
      {body}
    </div>
  );
}
