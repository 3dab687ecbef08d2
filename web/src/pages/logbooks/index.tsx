/**
 * The logbook pages (記録簿), loaded on first use as their own chunk (see `lazy.tsx`), with their own
 * stylesheet, so that the request and approval pages do not carry them.
 */
import './logbooks.css';
import type { Route } from '../../router';
import type { Person } from '../../types';
import { EntryPage } from './EntryPage';
import { LogbookIndexPage } from './LogbookIndex';
import { LogbookPage } from './LogbookPage';

export type LogbookRoute = Extract<Route, { name: 'logbooks' | 'logbook' | 'logbookEntry' }>;

export function LogbookRoutes({ route, me }: { route: LogbookRoute; me: Person }) {
  switch (route.name) {
    case 'logbooks':
      return <LogbookIndexPage />;
    case 'logbook':
      return <LogbookPage key={route.logbook} slug={route.logbook} me={me} />;
    case 'logbookEntry':
      return <EntryPage key={`${route.logbook}/${route.siteId}/${route.month}/${route.id}`} slug={route.logbook} siteId={route.siteId} month={route.month} id={route.id} me={me} />;
  }
}
