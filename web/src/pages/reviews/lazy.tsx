/** The monthly review pages come as their own chunk, fetched on the first visit to 月次点検. */
import { useEffect, useState } from 'preact/hooks';
import { defineMessages, t } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading } from '../../components/ui';
import type { ReviewRoute } from './index';

type ReviewModule = typeof import('./index');
let pending: Promise<ReviewModule> | null = null;
let loaded: ReviewModule | null = null;

export function LazyReviews({ route, me }: { route: ReviewRoute; me: Person }) {
  const [module, setModule] = useState<ReviewModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (module) return;
    let live = true;
    setFailed(false);
    pending ??= import('./index');
    pending.then(
      (done) => {
        loaded = done;
        if (live) setModule(done);
      },
      () => {
        pending = null;
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  if (module) return <module.ReviewRoutes route={route} me={me} />;
  if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
  return <Loading />;
}

/**
 * Who sees 月次点検 in the menu: the roles of the month view (安全管理責任者, システム管理者,
 * 情報システム部インフラ担当). A nominee reaches their reviews from the e-mail and from 予定・期限.
 */
export const showsReviews = (me: Person | null): boolean => Boolean(me?.roles.some((role) => ['securityManager', 'sysAdmin', 'itInfra'].includes(role.role)));

/** The menu's words, kept out of the chunk so that the header needs nothing more. */
export const reviewNav = defineMessages({ ja: { nav: '月次点検' }, en: { nav: 'Monthly reviews' } });
