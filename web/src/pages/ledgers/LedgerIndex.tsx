/** The ledgers (台帳) the regulations require: title, what it holds, and the articles it serves. */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getLedgers } from '../../api';
import { loc, t, useLang } from '../../i18n';
import { href } from '../../router';
import type { LedgerDefinition } from '../../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';

/** Every ledger's definition (cached), or the one named. */
export function useLedgerDefinitions(): { ledgers: LedgerDefinition[] | null; error: string | null; retry: () => void } {
  const [ledgers, setLedgers] = useState<LedgerDefinition[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    getLedgers().then(
      (items) => live && setLedgers(items),
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { ledgers, error, retry: () => setAttempt((n) => n + 1) };
}

export function ArticleRefs({ refs }: { refs?: string[] }) {
  if (!refs || refs.length === 0) return null;
  return (
    <p class="ledger-articles">
      <span class="muted">
        {t('catalogue.articles')}
        {t('punct.colon')}
      </span>
      {refs.map((ref) => (
        <span class="article-ref" key={ref}>
          {ref}
        </span>
      ))}
    </p>
  );
}

export function LedgerIndexPage() {
  useLang();
  const { ledgers, error, retry } = useLedgerDefinitions();
  let body;
  if (error) body = <ErrorBox onRetry={retry}>{error}</ErrorBox>;
  else if (!ledgers) body = <Loading />;
  else if (ledgers.length === 0) body = <Empty>{t('ledgers.empty')}</Empty>;
  else
    body = (
      <ul class="cards ledger-cards">
        {ledgers.map((ledger) => (
          <li key={ledger.name}>
            <article class="card" aria-labelledby={`ledger-${ledger.name}`}>
              <h2 id={`ledger-${ledger.name}`} class="card-title">
                <a href={href('ledgers', ledger.name)}>{loc(ledger.title) || ledger.name}</a>
              </h2>
              {ledger.description ? <p class="card-desc">{loc(ledger.description)}</p> : null}
              <ArticleRefs refs={ledger.articles} />
            </article>
          </li>
        ))}
      </ul>
    );
  return (
    <div>
      <PageTitle text={t('ledgers.title')} />
      <p class="lead">{t('ledgers.lead')}</p>
      {body}
    </div>
  );
}
