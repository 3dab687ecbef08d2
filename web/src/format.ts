/** Times are shown in Japan time as `2026/11/25 13:05`, whatever the language or the device. */
const parts = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant's calendar date and clock time in Japan, whatever the device's time zone: `{ date: 'YYYY-MM-DD', time: 'HH:mm' }`. */
export function japanParts(date: Date): { date: string; time: string } {
  const list = parts.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => list.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const list = parts.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => list.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A calendar date `YYYY-MM-DD` as `YYYY/MM/DD` (no time zone involved). */
export function formatDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? `${match[1]}/${match[2]}/${match[3]}` : value;
}

/** ISO timestamp for `datetime` attributes. */
export function isoAttr(iso: string | null | undefined): string | undefined {
  return iso ?? undefined;
}
