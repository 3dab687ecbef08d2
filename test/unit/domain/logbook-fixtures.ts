/**
 * Logbook entries for the review tests: a clean month of each logbook, and entries that show each
 * kind of anomaly. Entries are stored straight into the in-memory logbook store, as if employees had
 * recorded them during the month.
 */
import { emptyChain } from '../../../functions/domain/audit';
import type { LogbookEntry, LogbookId } from '../../../functions/domain/logbooks';
import { addDays, isWorkingDay } from '../../../functions/domain/working-days';
import { lastDayOf } from '../../../functions/domain/logbook-anomalies';
import { InMemoryLogbooks } from './in-memory-logbooks';

let sequence = 0;

/** One entry of a logbook on a date, recorded by 田中 at 09:00 that day. */
export function entry(logbook: LogbookId, date: string, fields: Record<string, unknown>, options: { siteId?: string; id?: string } = {}): LogbookEntry {
  const id = options.id ?? `E-${date.replaceAll('-', '')}-T${String(++sequence).padStart(5, '0')}`;
  return {
    id,
    logbook,
    siteId: options.siteId ?? 'site-tokyo',
    month: date.slice(0, 7),
    date,
    fields,
    recordedBy: { id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' } },
    recordedAt: `${date}T00:00:00.000Z`,
    version: 1,
    audit: emptyChain(),
  };
}

/** Every working day of a month, in order. */
export function workingDaysOf(month: string): string[] {
  const days: string[] = [];
  for (let day = `${month}-01`; day <= lastDayOf(month); day = addDays(day, 1)) if (isWorkingDay(day)) days.push(day);
  return days;
}

/** A month in which nothing looks wrong, for one logbook at one site. */
export function cleanMonth(logbook: LogbookId, month: string, siteId = 'site-tokyo'): LogbookEntry[] {
  const on = (date: string, fields: Record<string, unknown>) => entry(logbook, date, fields, { siteId });
  switch (logbook) {
    case 'L1':
      return [on(`${month}-05`, { cabinet: '総務部 書庫A', purpose: '契約書の取り出し', openedAt: '10:00', lockedAt: '10:05' })];
    case 'L2':
      return workingDaysOf(month).map((date) => on(date, { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true }));
    case 'L3':
      return [on(`${month}-07`, { visitorName: '鈴木 一郎', company: '富士見システム', purpose: '保守点検', guestCard: 'G-03', escortId: 'u-yamada', entryAt: '13:00', exitAt: '15:00', cardReturned: true })];
    case 'L4':
      return [on(`${month}-08`, { purpose: 'バックアップ媒体の交換', enteredAt: '09:30', exitedAt: '09:50' })];
    case 'L5':
      return [on(`${month}-02`, { system: '基幹DBサーバ', periodFrom: `${month}-01`, periodTo: lastDayOf(month), result: 'normal', note: '' })];
  }
}

/** A month of a logbook with one anomaly of every kind it can show (and otherwise clean). */
export function monthWithAnomalies(logbook: LogbookId, month: string, siteId = 'site-tokyo'): LogbookEntry[] {
  const on = (date: string, fields: Record<string, unknown>) => entry(logbook, date, fields, { siteId });
  switch (logbook) {
    case 'L1':
      return [...cleanMonth('L1', month, siteId), on(`${month}-14`, { cabinet: '人事キャビネット', purpose: '履歴書の確認', openedAt: '16:10' })];
    case 'L2': {
      const [skipped, failed, ...rest] = workingDaysOf(month);
      return [on(failed, { checkedAt: '19:30', windowsClosed: true, lightsOff: true, powerOff: false, doorLocked: true }), ...rest.map((date) => on(date, { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true }))].filter(
        (e) => e.date !== skipped,
      );
    }
    case 'L3':
      return [
        ...cleanMonth('L3', month, siteId),
        on(`${month}-20`, { visitorName: '佐々木 花', company: '山本商事', purpose: '打合せ', guestCard: 'G-07', entryAt: '10:00', exitAt: '11:00', cardReturned: true }),
        on(`${month}-21`, { visitorName: '高木 茂', company: '北川電機', purpose: '納品', guestCard: 'G-09', escortId: 'u-ito', entryAt: '14:00', cardReturned: false }),
      ];
    case 'L4':
      return [...cleanMonth('L4', month, siteId), on(`${month}-22`, { purpose: '障害対応', companions: '富士見システム 保守員', enteredAt: '22:10' })];
    case 'L5':
      return [on(`${month}-02`, { system: '基幹DBサーバ', periodFrom: `${month}-01`, periodTo: lastDayOf(month), result: 'irregular', note: '深夜の管理者ログインが 3 件' })];
  }
}

/** Stores entries in the in-memory logbooks, as recorded. */
export function putEntries(logbooks: InMemoryLogbooks, entries: readonly LogbookEntry[]): void {
  for (const e of entries) logbooks.stored.set(InMemoryLogbooks.key(e.logbook, e.siteId, e.month, e.id), structuredClone(e));
}
