/** The case pages come as their own chunk, fetched on the first visit to `#/cases`. */
import { defineMessages } from '../../i18n';
import type { Person } from '../../types';
import { lazyPages } from '../../lazy-pages';

/** The case pages, loaded on the first visit to `#/cases`. */
export const LazyCases = lazyPages(
  () => import('./index'),
  (module, { path, me }: { path: string[]; me: Person }) => <module.CaseRoutes path={path} me={me} />,
);

/** The navigation's name for the case pages (the rest of their words load with the chunk). */
export const caseNav = defineMessages({ ja: { link: '障害・持ち出し' }, en: { link: 'Incidents & media' } });
