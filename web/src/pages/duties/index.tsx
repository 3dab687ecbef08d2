/** The 予定・期限 pages, loaded as their own chunk: the month's calendar (`#/duties`) and one duty (`#/duties/<id>`). */
import type { Route } from '../../router';
import type { Person } from '../../types';
import { DutyCalendarPage } from './DutyCalendar';
import { DutyPage } from './DutyPage';
import './duties.css';

export type DutyRoute = Extract<Route, { name: 'duties' | 'duty' }>;

export function DutyRoutes({ route, me }: { route: DutyRoute; me: Person }) {
  return route.name === 'duty' ? <DutyPage key={route.id} id={route.id} me={me} /> : <DutyCalendarPage me={me} />;
}
