/**
 * 記録簿: the five logbooks for the person's site, each with its articles, this month's count, what
 * is still open, what was recorded today, and its button (開錠, 入室, 受付 …) straight to the page
 * where the entry is made.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api';
import { loc, useLang } from '../../i18n';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { logbookIndex } from './LogbookPage';
import { tl } from './messages';
import { logbookHash } from './parts';
import type { LogbookIndex } from './types';

export function LogbookIndexPage() {
  useLang();
  const [index, setIndex] = useState<LogbookIndex | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    logbookIndex(true).then(
      (body) => live && setIndex(body),
      (failure) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  if (error) {
    return (
      <div>
        <PageTitle text={tl('title')} />
        <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{errorText(error)}</ErrorBox>
      </div>
    );
  }
  if (!index) return <Loading />;
  const site = index.site;
  return (
    <div class="lb-page">
      <PageTitle text={tl('title')} sub={tl('lead')} />
      {site ? (
        <p class="lb-site-line">
          <span class="lb-place-label">{tl('yourSite')}</span> <strong>{loc(site.name)}</strong>
        </p>
      ) : null}
      <ul class="cards lb-cards">
        {index.logbooks.map((logbook) => {
          const link = logbookHash(logbook.slug, { site: site?.id });
          return (
            <li key={logbook.id} class="card lb-card">
              <h2 class="card-title">
                <a href={link}>
                  <span class="code">{logbook.id}</span>
                  {loc(logbook.title)}
                </a>
              </h2>
              <p class="card-desc">{loc(logbook.description)}</p>
              <p class="lb-card-refs">
                {logbook.articles.map((article) => (
                  <span key={article.ref} class="article-ref" title={loc(article.text)}>
                    {article.ref}
                  </span>
                ))}
              </p>
              <p class="lb-counts">
                <span>{tl('countEntries', { n: logbook.thisMonth.entries })}</span>
                <span>{tl('countToday', { n: logbook.thisMonth.today })}</span>
                {logbook.thisMonth.open > 0 ? <span class="badge lb-badge-open">{tl('countOpen', { n: logbook.thisMonth.open })}</span> : null}
              </p>
              {logbook.mayRecord ? (
                <a class="btn btn-primary lb-card-action" href={link}>
                  {loc(logbook.actions.record)}
                </a>
              ) : (
                <span class="lb-readonly">{tl('readOnly')}</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
