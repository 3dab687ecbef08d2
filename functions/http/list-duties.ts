import { deps } from '../adapters/deps';
import { japanDate } from '../domain/dates';
import { dutyCalendar } from '../domain/duty-calendar';
import { json, route } from './http';
import { DutyCalendarQuery } from './schemas';

/** GET /api/duties?month=2026-11 — the calendar: what is due in the month, for whom, and what is overdue. */
export const handler = route({ query: DutyCalendarQuery }, async ({ caller, query }) =>
  json(200, await dutyCalendar(deps, caller, query.month ?? japanDate(deps.clock.now()).slice(0, 7))),
);
