/**
 * What looks wrong in a month of a logbook, for the monthly review (月次点検): a cabinet opened and
 * never locked (A4(3)), a working day without a last-exit check or a check that found something
 * open (A9), a visitor without an escort or whose guest card did not come back (A8, A9), a
 * server-room entry without an exit (A13(1)), and an access-log review that is irregular or missing
 * (A14(3)). Pure: the reviewer's page, the month view and the completion rules all call it.
 */
import type { LogbookEntry, LogbookId } from './logbooks';
import type { Text } from './text';
import { addDays, isWorkingDay } from './working-days';

export type AnomalyKind =
  | 'cabinet-not-locked'
  | 'last-exit-missing'
  | 'last-exit-check-failed'
  | 'visitor-unescorted'
  | 'guest-card-not-returned'
  | 'server-room-no-exit'
  | 'access-log-irregular'
  | 'access-log-missing';

/** One thing the reviewer must look at: the entry it concerns (if any), its Japan date, and why. */
export interface Anomaly {
  kind: AnomalyKind;
  entryId?: string;
  date: string;
  message: Text;
}

/** Names of each kind, for the review page's legend and the CSV. */
export const anomalyKindLabels: Record<AnomalyKind, Text> = {
  'cabinet-not-locked': { ja: '施錠の記録なし', en: 'Not locked again' },
  'last-exit-missing': { ja: '最終退出点検の記録なし', en: 'No last-exit check' },
  'last-exit-check-failed': { ja: '最終退出点検で未実施の項目', en: 'Last-exit check failed' },
  'visitor-unescorted': { ja: '同行社員の記録なし', en: 'Visitor without escort' },
  'guest-card-not-returned': { ja: 'ゲストカード未返却', en: 'Guest card not returned' },
  'server-room-no-exit': { ja: '退室の記録なし', en: 'No exit recorded' },
  'access-log-irregular': { ja: 'アクセスログに異常', en: 'Irregular access log' },
  'access-log-missing': { ja: 'アクセスログ確認の記録なし', en: 'No access-log review' },
};

/**
 * A stable name of an anomaly within its review: a finding names the anomaly it explains by this
 * key, so that the explanation stays with its anomaly whatever order the page lists them in.
 */
export const anomalyKey = (anomaly: Pick<Anomaly, 'kind' | 'entryId' | 'date'>): string => `${anomaly.kind}#${anomaly.entryId ?? anomaly.date}`;

/** The last calendar day of a month (`YYYY-MM` → `YYYY-MM-DD`). */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  const next = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const present = (value: unknown): boolean => text(value) !== '';

/** The L2 checks, in the order the form lists them. */
const lastExitChecks: { field: string; label: Text }[] = [
  { field: 'windowsClosed', label: { ja: '窓の閉鎖', en: 'windows closed' } },
  { field: 'lightsOff', label: { ja: '消灯', en: 'lights off' } },
  { field: 'powerOff', label: { ja: '電源の切断', en: 'power off' } },
  { field: 'doorLocked', label: { ja: '扉の施錠', en: 'door locked' } },
];

function cabinetAnomalies(entries: readonly LogbookEntry[]): Anomaly[] {
  return entries
    .filter((entry) => !present(entry.fields.lockedAt))
    .map((entry) => {
      const cabinet = text(entry.fields.cabinet) || '—';
      const opened = text(entry.fields.openedAt) || '—';
      return {
        kind: 'cabinet-not-locked',
        entryId: entry.id,
        date: entry.date,
        message: {
          ja: `キャビネット「${cabinet}」が ${opened} に開錠された後、施錠の記録がありません。`,
          en: `Cabinet "${cabinet}" was opened at ${opened} and its locking was never recorded.`,
        },
      };
    });
}

function lastExitAnomalies(month: string, entries: readonly LogbookEntry[], until: string): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const checked = new Set(entries.map((entry) => entry.date));
  const end = lastDayOf(month) < until ? lastDayOf(month) : until;
  for (let day = `${month}-01`; day <= end; day = addDays(day, 1)) {
    if (!isWorkingDay(day) || checked.has(day)) continue;
    anomalies.push({
      kind: 'last-exit-missing',
      date: day,
      // The date goes with every anomaly; the message need not repeat it.
      message: { ja: '営業日ですが、最終退出点検の記録がありません。', en: 'A working day without a last-exit check.' },
    });
  }
  for (const entry of entries) {
    const failed = lastExitChecks.filter((check) => entry.fields[check.field] !== true);
    if (failed.length === 0) continue;
    const at = text(entry.fields.checkedAt);
    anomalies.push({
      kind: 'last-exit-check-failed',
      entryId: entry.id,
      date: entry.date,
      message: {
        ja: `最終退出点検${at ? `（${at}）` : ''}で「${failed.map((f) => f.label.ja).join('」「')}」が確認されていません。`,
        en: `The last-exit check${at ? ` at ${at}` : ''} did not confirm: ${failed.map((f) => f.label.en).join(', ')}.`,
      },
    });
  }
  return anomalies;
}

function visitorAnomalies(entries: readonly LogbookEntry[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const entry of entries) {
    const visitor = text(entry.fields.visitorName) || '—';
    const company = text(entry.fields.company);
    const who = { ja: company ? `${visitor}（${company}）` : visitor, en: company ? `${visitor} (${company})` : visitor };
    if (!present(entry.fields.escortId)) {
      anomalies.push({
        kind: 'visitor-unescorted',
        entryId: entry.id,
        date: entry.date,
        message: { ja: `訪問者 ${who.ja} に同行した社員の記録がありません。`, en: `No escorting employee is recorded for visitor ${who.en}.` },
      });
    }
    const exited = present(entry.fields.exitAt);
    const returned = entry.fields.cardReturned === true;
    if (!exited || !returned) {
      const card = text(entry.fields.guestCard) || '—';
      const why = !exited && !returned ? { ja: '退出時刻とゲストカードの返却', en: 'neither an exit time nor the card' } : !exited ? { ja: '退出時刻', en: 'no exit time' } : { ja: 'ゲストカードの返却', en: 'the card was not returned' };
      anomalies.push({
        kind: 'guest-card-not-returned',
        entryId: entry.id,
        date: entry.date,
        message: {
          ja: `訪問者 ${who.ja} のゲストカード ${card} について、${why.ja}が記録されていません。`,
          en: `Guest card ${card} of visitor ${who.en}: ${why.en} recorded.`,
        },
      });
    }
  }
  return anomalies;
}

function serverRoomAnomalies(entries: readonly LogbookEntry[]): Anomaly[] {
  return entries
    .filter((entry) => !present(entry.fields.exitedAt))
    .map((entry) => {
      const entered = text(entry.fields.enteredAt) || '—';
      const purpose = text(entry.fields.purpose) || '—';
      return {
        kind: 'server-room-no-exit',
        entryId: entry.id,
        date: entry.date,
        message: {
          ja: `サーバルームへの入室（${entered}、目的: ${purpose}）に退室の記録がありません。`,
          en: `The server-room entry at ${entered} (purpose: ${purpose}) has no exit recorded.`,
        },
      };
    });
}

function accessLogAnomalies(month: string, entries: readonly LogbookEntry[], until: string): Anomaly[] {
  const anomalies: Anomaly[] = entries
    .filter((entry) => entry.fields.result === 'irregular')
    .map((entry) => {
      const system = text(entry.fields.system) || '—';
      const period = `${text(entry.fields.periodFrom)}〜${text(entry.fields.periodTo)}`;
      const note = text(entry.fields.note);
      return {
        kind: 'access-log-irregular',
        entryId: entry.id,
        date: entry.date,
        message: {
          ja: `${system} のアクセスログ確認（${period}）で異常が記録されています${note ? `: ${note}` : '。'}`,
          en: `The access-log review of ${system} (${period}) recorded an irregularity${note ? `: ${note}` : '.'}`,
        },
      };
    });
  // A month still running may yet get its record; only a month that is over lacks one.
  if (entries.length === 0 && until >= lastDayOf(month)) {
    anomalies.push({
      kind: 'access-log-missing',
      date: lastDayOf(month),
      message: { ja: `${month} のアクセスログ確認の記録がありません。`, en: `No access-log review is recorded for ${month}.` },
    });
  }
  return anomalies;
}

/**
 * The anomalies of one logbook's month at one site, by date (a day's missing check before that
 * day's entries). `until` (a Japan date) stops the calendar checks early for a month still
 * running; by default the whole month counts.
 */
export function anomaliesOf(logbook: LogbookId, month: string, entries: LogbookEntry[], until: string = lastDayOf(month)): Anomaly[] {
  const mine = entries.filter((entry) => entry.logbook === logbook && entry.month === month);
  const found = ((): Anomaly[] => {
    switch (logbook) {
      case 'L1':
        return cabinetAnomalies(mine);
      case 'L2':
        return lastExitAnomalies(month, mine, until);
      case 'L3':
        return visitorAnomalies(mine);
      case 'L4':
        return serverRoomAnomalies(mine);
      case 'L5':
        return accessLogAnomalies(month, mine, until);
    }
  })();
  return found
    .map((anomaly, index) => ({ anomaly, index }))
    .sort((a, b) => (a.anomaly.date < b.anomaly.date ? -1 : a.anomaly.date > b.anomaly.date ? 1 : a.index - b.index))
    .map(({ anomaly }) => anomaly);
}
