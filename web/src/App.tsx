/** The shell: sign-in gate, header with navigation and language switch, and the routed page. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, clearCaches, errorText, getMe } from './api';
import { getToken, onAuthChange, signOut } from './auth';
import { loc, roleLabels, setLang, t, useLang, type Lang } from './i18n';
import { parseHash, useHash, type Route } from './router';
import type { Person, TaskRecord } from './types';
import { ErrorBox, Loading, PageTitle } from './components/ui';
import { SignInPage } from './pages/SignIn';
import { CataloguePage } from './pages/Catalogue';
import { FormPage } from './pages/FormPage';
import { MyRequestsPage } from './pages/MyRequests';
import { RequestPage } from './pages/RequestPage';
import { InboxPage } from './pages/Inbox';
import { DecisionPage } from './pages/DecisionPage';
import type { LedgerRoute } from './pages/ledgers';
import { LazyCases, caseNav } from './pages/cases/lazy';
import { LazyLogbooks } from './pages/logbooks/lazy';
import { tl as logbookText } from './pages/logbooks/messages';
import { LazyDuties, dutyText, useOverdueDuties } from './pages/duties/lazy';
import { LazyAdmin, adminText, isAdministrator } from './pages/admin/lazy';
import { LazyReviews, reviewNav, showsReviews } from './pages/reviews/lazy';
import { lazyPages } from './lazy-pages';

/** The ledger pages come as their own chunk, fetched on the first visit to a ledger. */
const LazyLedgers = lazyPages(
  () => import('./pages/ledgers'),
  (module, { route, me }: { route: LedgerRoute; me: Person }) => <module.LedgerRoutes route={route} me={me} />,
);

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => getToken() !== null);
  useEffect(
    () =>
      onAuthChange(() => {
        clearCaches();
        setSignedIn(getToken() !== null);
      }),
    [],
  );
  return signedIn;
}

export function App({ signInError }: { signInError?: string | null }) {
  const lang = useLang();
  const signedIn = useSignedIn();
  const hash = useHash();
  const route = parseHash(hash);
  const [me, setMe] = useState<Person | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!signedIn) {
      setMe(null);
      return;
    }
    let live = true;
    setMeError(null);
    getMe().then(
      (person) => live && setMe(person),
      (error) => live && setMeError(errorText(error)),
    );
    return () => {
      live = false;
    };
  }, [signedIn, attempt]);

  if (!signedIn) {
    return (
      <Shell lang={lang} me={null} route={route}>
        <SignInPage returning={route.name !== 'catalogue'} initialError={signInError ?? null} />
      </Shell>
    );
  }
  if (!me) {
    return (
      <Shell lang={lang} me={null} route={route}>
        {meError ? <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{meError}</ErrorBox> : <Loading />}
      </Shell>
    );
  }
  return (
    <Shell lang={lang} me={me} route={route}>
      <Page route={route} me={me} />
    </Shell>
  );
}

function Page({ route, me }: { route: Route; me: Person }) {
  switch (route.name) {
    case 'catalogue':
      return <CataloguePage />;
    case 'form':
      return <FormPage key={route.id} formId={route.id} />;
    case 'mine':
      return <MyRequestsPage />;
    case 'request':
      return <RequestPage key={route.id} requestId={route.id} me={me} />;
    case 'inbox':
      return <InboxPage />;
    case 'task':
      return <DecisionPage key={`t:${route.id}`} kind="task" id={route.id} />;
    case 'link':
      return <DecisionPage key={`l:${route.token}`} kind="link" id={route.token} />;
    case 'ledgers':
    case 'ledger':
    case 'ledgerItem':
    case 'ledgerNew':
    case 'ledgerImport':
      return <LazyLedgers route={route} me={me} />;
    case 'cases':
      return <LazyCases path={route.path} me={me} />;
    case 'logbooks':
    case 'logbook':
    case 'logbookEntry':
      return <LazyLogbooks route={route} me={me} />;
    case 'duties':
    case 'duty':
      return <LazyDuties route={route} me={me} />;
    case 'admin':
      return <LazyAdmin path={route.path} me={me} />;
    case 'reviews':
    case 'review':
      return <LazyReviews route={route} me={me} />;
    default:
      return (
        <div>
          <PageTitle text={t('app.notFound')} />
          <p>{t('app.notFoundText')}</p>
          <p>
            <a href="#/">{t('app.toHome')}</a>
          </p>
        </div>
      );
  }
}

function useInboxCount(me: Person | null, route: Route): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    if (!me) return;
    api<{ items: TaskRecord[]; nextCursor?: string }>('/tasks?limit=100').then(
      (body) => setCount((body.items ?? []).filter((task) => task.status === 'pending').length),
      () => undefined,
    );
  }, [me]);
  useEffect(() => {
    refresh();
  }, [refresh, route.name]);
  useEffect(() => {
    if (!me) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, 30_000);
    window.addEventListener('kf:tasks-changed', refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('kf:tasks-changed', refresh);
    };
  }, [me, refresh]);
  return me ? count : null;
}

function Shell({ lang, me, route, children }: { lang: Lang; me: Person | null; route: Route; children: preact.ComponentChildren }) {
  const count = useInboxCount(me, route);
  const overdue = useOverdueDuties(me !== null, route.name);
  const section =
    route.name === 'catalogue' || route.name === 'form'
      ? 'catalogue'
      : route.name === 'mine' || route.name === 'request'
        ? 'mine'
        : route.name === 'inbox' || route.name === 'task' || route.name === 'link'
          ? 'inbox'
          : route.name.startsWith('ledger')
            ? 'ledger'
            : route.name === 'cases'
              ? 'cases'
              : '';
  const roles = me ? roleLabels(me.roles) : [];
  return (
    <>
      <a class="skip-link" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        {t('app.skip')}
      </a>
      <header class="site-header">
        <div class="header-inner">
          <a class="brand" href="#/">
            <span class="brand-mark" aria-hidden="true">
              規
            </span>
            <span class="brand-text">
              <span class="brand-name">{t('app.name')}</span>
              <span class="brand-tagline">{t('app.tagline')}</span>
            </span>
          </a>
          <div class="header-tools">
            <div class="lang-switch" role="group" aria-label={t('lang.label')}>
              {(['ja', 'en'] as const).map((code) => (
                <button
                  key={code}
                  type="button"
                  lang={code}
                  class={lang === code ? 'lang-btn active' : 'lang-btn'}
                  aria-pressed={lang === code ? 'true' : 'false'}
                  onClick={() => setLang(code)}
                >
                  {code === 'ja' ? '日本語' : 'English'}
                </button>
              ))}
            </div>
            {me ? (
              <div class="user">
                <span class="user-name">
                  <span class="visually-hidden">{t('nav.signedInAs')}: </span>
                  {loc(me.name)}
                </span>
                <span class="user-roles">{roles.join(t('punct.list'))}</span>
                <button type="button" class="btn btn-small btn-quiet" onClick={() => signOut()}>
                  {t('nav.signOut')}
                </button>
              </div>
            ) : null}
          </div>
        </div>
        {me ? (
          <nav class="main-nav" aria-label={t('nav.label')}>
            <ul>
              <li>
                <a href="#/" aria-current={section === 'catalogue' ? 'page' : undefined}>
                  {t('nav.catalogue')}
                </a>
              </li>
              <li>
                <a href="#/requests" aria-current={section === 'mine' ? 'page' : undefined}>
                  {t('nav.mine')}
                </a>
              </li>
              <li>
                <a href="#/inbox" aria-current={section === 'inbox' ? 'page' : undefined}>
                  {t('nav.inbox')}
                  {count ? (
                    <>
                      <span class="count-badge" aria-hidden="true">
                        {count}
                      </span>
                      <span class="visually-hidden">{t('nav.inboxCount', { n: count })}</span>
                    </>
                  ) : null}
                </a>
              </li>
              <li>
                <a href="#/ledgers" aria-current={section === 'ledger' ? 'page' : undefined}>
                  {t('nav.ledgers')}
                </a>
              </li>
              <li>
                <a href="#/logbooks" aria-current={route.name.startsWith('logbook') ? 'page' : undefined}>
                  {logbookText('nav')}
                </a>
              </li>
              {showsReviews(me) ? (
                <li>
                  <a href="#/reviews" aria-current={route.name === 'reviews' || route.name === 'review' ? 'page' : undefined}>
                    {reviewNav('nav')}
                  </a>
                </li>
              ) : null}
              <li>
                <a href="#/cases" aria-current={section === 'cases' ? 'page' : undefined}>
                  {caseNav('link')}
                </a>
              </li>
              <li>
                {/* The count is in the link's name: a visually hidden span would escape the nav's scroller on phones. The name starts with what the link shows (text and count), as speech-input users say it. */}
                <a
                  href="#/duties"
                  aria-current={route.name === 'duties' || route.name === 'duty' ? 'page' : undefined}
                  aria-label={overdue ? dutyText('navWithOverdue', { n: overdue }) : undefined}
                >
                  {dutyText('nav')}
                  {/* The space keeps the visible text ("Schedule 1") inside the link's name, as WCAG 2.5.3 asks. */}
                  {overdue ? ' ' : null}
                  {overdue ? (
                    <span class="count-badge" aria-hidden="true">
                      {overdue}
                    </span>
                  ) : null}
                </a>
              </li>
              {isAdministrator(me) ? (
                <li>
                  <a href="#/admin" aria-current={route.name === 'admin' ? 'page' : undefined}>
                    {adminText('nav')}
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1} class="main">
        {children}
      </main>
      <footer class="site-footer">
        <p>{t('app.name')}</p>
      </footer>
    </>
  );
}
