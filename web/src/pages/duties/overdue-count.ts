/** The header's 予定・期限 badge: how many duties the signed-in person sees as overdue. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { DutyCalendar } from './types';

const EVENT = 'kf:duties-changed';

/** Pages call this after completing a duty, so that the badge follows at once. */
export function dutiesChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

/**
 * Overdue duties on this month's calendar: those of earlier months still open and this month's past
 * their date. Refreshed on navigation, every minute while the page is visible, and after a completion.
 */
export function useOverdueDuties(signedIn: boolean, routeName: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    if (!signedIn) return;
    api<DutyCalendar>('/duties').then(
      (body) => setCount((body.overdueEarlier ?? []).length + (body.due ?? []).filter((duty) => duty.overdue).length),
      () => undefined,
    );
  }, [signedIn]);
  useEffect(() => {
    refresh();
  }, [refresh, routeName]);
  useEffect(() => {
    if (!signedIn) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, 60_000);
    window.addEventListener(EVENT, refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(EVENT, refresh);
    };
  }, [signedIn, refresh]);
  return signedIn ? count : null;
}
