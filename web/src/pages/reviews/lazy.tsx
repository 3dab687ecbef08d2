/** The monthly review pages come as their own chunk, fetched on the first visit to 月次点検. */
import { defineMessages } from '../../i18n';
import type { Person } from '../../types';
import { lazyPages } from '../../lazy-pages';
import type { ReviewRoute } from './index';

/** The monthly review pages, loaded on the first visit to 月次点検. */
export const LazyReviews = lazyPages(
  () => import('./index'),
  (module, { route, me }: { route: ReviewRoute; me: Person }) => <module.ReviewRoutes route={route} me={me} />,
);

/**
 * Who sees 月次点検 in the menu: the roles of the month view (安全管理責任者, システム管理者,
 * 情報システム部インフラ担当). A nominee reaches their reviews from the e-mail and from 予定・期限.
 */
export const showsReviews = (me: Person | null): boolean => Boolean(me?.roles.some((role) => ['securityManager', 'sysAdmin', 'itInfra'].includes(role.role)));

/** The menu's words, kept out of the chunk so that the header needs nothing more. */
export const reviewNav = defineMessages({ ja: { nav: '月次点検' }, en: { nav: 'Monthly reviews' } });
