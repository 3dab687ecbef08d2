/**
 * What the shell needs of the organisation administration pages without loading them: the chunk
 * loader, the nav label, and who sees the nav entry (情報システム部インフラ担当).
 */
import type { Person } from '../../types';
import { lazyPages } from '../../lazy-pages';

export { ta as adminText } from './messages';

/** Only IT infrastructure administers the organisation; the server refuses anyone else too. */
export const isAdministrator = (me: Person | null) => Boolean(me?.roles.some((role) => role.role === 'itInfra'));

/** The administration pages, loaded on the first visit to `#/admin`. */
export const LazyAdmin = lazyPages(
  () => import('./index'),
  (module, { path, me }: { path: string[]; me: Person }) => <module.AdminRoutes path={path} me={me} />,
);
