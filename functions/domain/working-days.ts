/**
 * Working days in Japan: weekends, national holidays (国民の祝日, with 振替休日 and 国民の休日) and the
 * company's New Year closure (年末年始, 12/29–1/3) do not count. Reminders and escalations are counted
 * in these days, as Japanese approvers expect. Dates are calendar dates in Japan, `YYYY-MM-DD`.
 */

/** The company's own closed days besides national holidays, as MM-DD. */
export const NEW_YEAR_CLOSURE = ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03'];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function parse(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

const format = (date: Date) => iso(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());

export function addDays(date: string, days: number): string {
  const next = parse(date);
  next.setUTCDate(next.getUTCDate() + days);
  return format(next);
}

const dayOfWeek = (date: string) => parse(date).getUTCDay();

/** The n-th Monday of a month (ハッピーマンデー). */
function nthMonday(year: number, month: number, n: number): string {
  const first = parse(iso(year, month, 1)).getUTCDay();
  const day = 1 + ((8 - first) % 7) + (n - 1) * 7;
  return iso(year, month, day);
}

// The equinox formulas the Cabinet Office's calendar follows for 1980–2099.
const vernalEquinox = (y: number) => Math.floor(20.8431 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4));
const autumnalEquinox = (y: number) => Math.floor(23.2488 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4));

const cache = new Map<number, Map<string, string>>();

/** The national holidays of a year with their names, including substitute and citizens' holidays. */
export function nationalHolidays(year: number): Map<string, string> {
  const cached = cache.get(year);
  if (cached) return cached;
  const named = new Map<string, string>([
    [iso(year, 1, 1), '元日'],
    [nthMonday(year, 1, 2), '成人の日'],
    [iso(year, 2, 11), '建国記念の日'],
    [iso(year, 2, 23), '天皇誕生日'],
    [iso(year, 3, vernalEquinox(year)), '春分の日'],
    [iso(year, 4, 29), '昭和の日'],
    [iso(year, 5, 3), '憲法記念日'],
    [iso(year, 5, 4), 'みどりの日'],
    [iso(year, 5, 5), 'こどもの日'],
    [nthMonday(year, 7, 3), '海の日'],
    [iso(year, 8, 11), '山の日'],
    [nthMonday(year, 9, 3), '敬老の日'],
    [iso(year, 9, autumnalEquinox(year)), '秋分の日'],
    [nthMonday(year, 10, 2), 'スポーツの日'],
    [iso(year, 11, 3), '文化の日'],
    [iso(year, 11, 23), '勤労感謝の日'],
  ]);
  const holidays = new Map(named);
  // 国民の休日: a weekday between two holidays is a holiday too (e.g. September between 敬老の日 and 秋分の日).
  for (const date of named.keys()) {
    const between = addDays(date, 1);
    if (!named.has(between) && named.has(addDays(date, 2)) && dayOfWeek(between) !== 0) holidays.set(between, '国民の休日');
  }
  // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
  for (const date of [...named.keys()].sort()) {
    if (dayOfWeek(date) !== 0) continue;
    let substitute = addDays(date, 1);
    while (holidays.has(substitute)) substitute = addDays(substitute, 1);
    holidays.set(substitute, '振替休日');
  }
  cache.set(year, holidays);
  return holidays;
}

/** Why a date is not a working day, or null when it is one. */
export function dayOff(date: string): string | null {
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return weekday === 0 ? '日曜日' : '土曜日';
  const holiday = nationalHolidays(Number(date.slice(0, 4))).get(date);
  if (holiday) return holiday;
  return NEW_YEAR_CLOSURE.includes(date.slice(5)) ? '年末年始休業' : null;
}

export const isWorkingDay = (date: string) => dayOff(date) === null;

/** The date `n` working days after `date` (n ≥ 1); the start date itself never counts. */
export function addWorkingDays(date: string, n: number): string {
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}
