/**
 * What the shell needs of the 予定・期限 pages without loading them: the chunk loader, the nav label
 * and the overdue count for its badge.
 */
import type { Person } from '../../types';
import { lazyPages } from '../../lazy-pages';
import type { DutyRoute } from './index';

export { td as dutyText } from './messages';
export { useOverdueDuties } from './overdue-count';

/** The 予定・期限 pages, loaded on the first visit to `#/duties`. */
export const LazyDuties = lazyPages(
  () => import('./index'),
  (module, { route, me }: { route: DutyRoute; me: Person }) => <module.DutyRoutes route={route} me={me} />,
);
