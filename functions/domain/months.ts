/** Calendar months in Japan (`YYYY-MM`), as the logbooks and their monthly reviews count them. */
import { japanDate } from './dates';
import { validationFailed } from './errors';
import type { Text } from './text';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (value: unknown): value is string => typeof value === 'string' && MONTH.test(value);

const ENGLISH_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** 2026年10月 / October 2026. */
export function monthLabel(month: string): Text {
  const [year, m] = month.split('-').map(Number);
  const en = ENGLISH_MONTH.format(new Date(Date.UTC(year, m - 1, 1)));
  return { ja: `${year}年${m}月`, en };
}

/** The Japan month an instant falls in. */
export const monthOf = (instant: Date): string => japanDate(instant).slice(0, 7);

/** The month before the one an instant falls in, in Japan: what the 1st-of-month run reviews. */
export function previousMonth(instant: Date): string {
  const [year, m] = monthOf(instant).split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** Refuses a month that is not `YYYY-MM`, with a field issue. */
export function parseMonth(value: unknown, path = 'month'): string {
  if (isMonth(value)) return value;
  throw validationFailed([{ path, messages: { ja: '対象月は YYYY-MM の形式で指定してください（例: 2026-10）。', en: 'The month must be YYYY-MM (e.g. 2026-10).' } }]);
}
