// Made once: building a DateTimeFormat costs far more than formatting with it, and dates are formatted on every request.
const JAPAN_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Japan (YYYY-MM-DD): the regulations' days are Japanese days. */
export function japanDate(instant: Date): string {
  return JAPAN_DAY.format(instant);
}
