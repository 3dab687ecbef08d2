/** The calendar date in Japan (YYYY-MM-DD): the regulations' days are Japanese days. */
export function japanDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
