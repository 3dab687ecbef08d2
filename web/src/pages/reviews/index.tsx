/**
 * The monthly review pages (月次点検): the month view and one review, loaded on first use as their
 * own chunk (see `lazy.tsx`) with their own stylesheet.
 */
import './reviews.css';
import type { Route } from '../../router';
import type { Person } from '../../types';
import { ReviewMonthPage } from './ReviewMonth';
import { ReviewPage } from './ReviewPage';

export type ReviewRoute = Extract<Route, { name: 'reviews' | 'review' }>;

export function ReviewRoutes({ route, me }: { route: ReviewRoute; me: Person }) {
  switch (route.name) {
    case 'reviews':
      return <ReviewMonthPage />;
    case 'review':
      return <ReviewPage key={`${route.month}/${route.logbook}/${route.siteId}`} month={route.month} logbook={route.logbook} siteId={route.siteId} me={me} />;
  }
}
