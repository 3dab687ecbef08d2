/** The logbook pages come as their own chunk, fetched on the first visit to 記録簿. */
import type { Person } from '../../types';
import { lazyPages } from '../../lazy-pages';
import type { LogbookRoute } from './index';

/** The logbook pages, loaded on the first visit to 記録簿. */
export const LazyLogbooks = lazyPages(
  () => import('./index'),
  (module, { route, me }: { route: LogbookRoute; me: Person }) => <module.LogbookRoutes route={route} me={me} />,
);
