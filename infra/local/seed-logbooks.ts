import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { japanDate } from '../../functions/domain/dates';
import type { LogbookEntry, LogbookId } from '../../functions/domain/logbooks';
import { changeEntry, previousMonth, recordEntry } from '../../functions/domain/logbooks';
import type { PersonRef } from '../../functions/domain/organisation';
import { refOf } from '../../functions/domain/organisation';
import type { RecordChange } from '../../functions/domain/versioned';
import { addDays, isWorkingDay } from '../../functions/domain/working-days';
import { auditRecord } from '../../functions/adapters/dynamo-ledger-ops';
import { logbookEntryStorage } from '../../functions/adapters/dynamo-logbooks';
import { logbookRegistry } from '../../functions/logbooks/registry';
import { demoPeople } from './seed-data';

const who = (id: string): PersonRef => {
  const person = demoPeople.find((p) => p.id === id);
  if (!person) throw new Error(`No demo person ${id}`);
  return refOf(person);
};

/** An instant on a Japan date at a Japan time (`HH:mm`). */
const at = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`).toISOString();

/** The working days of a month, in order. */
function workingDaysOf(month: string): string[] {
  const days: string[] = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) if (isWorkingDay(day)) days.push(day);
  return days;
}

interface DemoLine {
  logbook: LogbookId;
  siteId: string;
  date: string;
  by: string;
  fields: Record<string, unknown>;
  /** Filled later, as a completion (施錠, 退室 …) by the same person: fields and time. */
  later?: { fields: Record<string, unknown>; time: string };
}

/**
 * The previous month's logbooks of 東京本社 and 仙台営業所, kept as people keep them, with the
 * slips a monthly review is there to find: a cabinet never locked again, two working days without a
 * last exit check and one check with the door left open, a visitor without escort and a guest card not
 * returned, a server-room entry without exit. 大阪支店 kept nothing, so its review finds every working
 * day missing.
 */
export function demoLogbookLines(month: string): DemoLine[] {
  const days = workingDaysOf(month);
  const day = (n: number) => days[Math.min(n, days.length - 1)];
  const lines: DemoLine[] = [];
  const cabinet = (n: number, time: string, purpose: string, lockedAt?: string): DemoLine => ({
    logbook: 'L1',
    siteId: 'site-tokyo',
    date: day(n),
    by: 'u-tanaka',
    fields: { cabinet: '総務部 書庫A', purpose, openedAt: time },
    ...(lockedAt ? { later: { fields: { lockedAt }, time: lockedAt } } : {}),
  });
  lines.push(
    cabinet(1, '09:12', '契約書の取り出し', '09:20'),
    cabinet(4, '13:40', '顧客台帳の確認', '14:05'),
    cabinet(8, '10:02', '人事書類の保管', '10:10'),
    // Opened and never locked again.
    cabinet(12, '17:45', '見積書の控えの保管'),
    cabinet(15, '11:30', '契約書の返却', '11:34'),
  );
  // 最終退出点検表: every working day but two; once the door was left unlocked.
  days.forEach((date, n) => {
    if (n === 6 || n === 13) return;
    const doorLocked = n !== 9;
    lines.push({
      logbook: 'L2',
      siteId: 'site-tokyo',
      date,
      by: n % 2 === 0 ? 'u-tanaka' : 'u-sato',
      fields: {
        checkedAt: n % 3 === 0 ? '19:05' : '18:40',
        windowsClosed: true,
        lightsOff: true,
        powerOff: true,
        doorLocked,
        ...(doorLocked ? {} : { note: '通用口の鍵が固く施錠できなかった。総務に連絡済み。' }),
      },
    });
  });
  days.slice(0, 5).forEach((date) =>
    lines.push({ logbook: 'L2', siteId: 'site-sendai', date, by: 'u-takahashi', fields: { checkedAt: '18:30', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true } }),
  );
  const visitor = (n: number, fields: Record<string, unknown>, later?: DemoLine['later']): DemoLine => ({
    logbook: 'L3',
    siteId: 'site-tokyo',
    date: day(n),
    by: 'u-tanaka',
    fields: { cardReturned: false, ...fields },
    ...(later ? { later } : {}),
  });
  lines.push(
    visitor(2, { visitorName: '佐々木 一郎', company: '富士見システム', purpose: '基幹DBサーバの保守点検', guestCard: 'G-01', escortId: 'u-yamada', entryAt: '10:00' }, { fields: { exitAt: '11:45', cardReturned: true }, time: '11:45' }),
    // No escort recorded (A8-2).
    visitor(5, { visitorName: '小川 恵子', company: '株式会社オフィス設備', purpose: '複合機の点検', guestCard: 'G-02', entryAt: '14:00' }, { fields: { exitAt: '14:50', cardReturned: true }, time: '14:50' }),
    // Left, but the guest card never came back.
    visitor(11, { visitorName: '森 健太', company: '東和商事', purpose: '打合せ', guestCard: 'G-03', escortId: 'u-tanaka', entryAt: '15:30' }, { fields: { exitAt: '16:40' }, time: '16:40' }),
    visitor(16, { visitorName: '前田 玲子', company: '富士見システム', purpose: 'ネットワーク機器の交換', guestCard: 'G-01', escortId: 'u-ito', entryAt: '09:30' }, { fields: { exitAt: '12:10', cardReturned: true }, time: '12:10' }),
  );
  const serverRoom = (n: number, by: string, purpose: string, enteredAt: string, exitedAt?: string): DemoLine => ({
    logbook: 'L4',
    siteId: 'site-tokyo',
    date: day(n),
    by,
    fields: { purpose, enteredAt },
    ...(exitedAt ? { later: { fields: { exitedAt }, time: exitedAt } } : {}),
  });
  lines.push(
    serverRoom(0, 'u-yamada', 'バックアップ媒体の交換', '09:05', '09:15'),
    serverRoom(2, 'u-yamada', '保守点検の立会い（富士見システム）', '10:05', '11:40'),
    serverRoom(7, 'u-ito', 'UPS のランプ確認', '16:20', '16:28'),
    // Entered, no exit recorded.
    serverRoom(10, 'u-ito', 'ネットワーク機器の再起動', '18:50'),
    serverRoom(14, 'u-yamada', 'バックアップ媒体の交換', '09:02', '09:12'),
  );
  lines.push({
    logbook: 'L5',
    siteId: 'site-tokyo',
    date: day(0),
    by: 'u-matsumoto',
    fields: { system: '基幹DBサーバ・アプリケーションサーバ', periodFrom: `${previousMonth(month)}-01`, periodTo: addDays(`${month}-01`, -1), result: 'normal' },
  });
  return lines;
}

/** The changes that make a demo line: its recording and, when it has one, its completion. */
export function demoChanges(line: DemoLine, index: number): RecordChange<LogbookEntry>[] {
  const definition = logbookRegistry.get(line.logbook);
  if (!definition) throw new Error(`Unknown logbook ${line.logbook}`);
  const by = who(line.by);
  const time = String(line.fields[definition.timeField ?? ''] ?? '09:00');
  const id = `E-${line.date.replaceAll('-', '')}-DEMO${String(index).padStart(2, '0')}`;
  const month = line.date.slice(0, 7);
  const recorded = recordEntry(definition, { id, siteId: line.siteId, month, date: line.date, fields: line.fields }, by, at(line.date, time));
  if (!line.later) return [recorded];
  return [recorded, changeEntry(definition, recorded.next, { ...line.fields, ...line.later.fields }, by, at(line.date, line.later.time), '')];
}

/**
 * Writes the previous month's demo logbooks, each entry with its audit chain, unless they exist.
 * Only on a new database: a restart in a later month must not put demo entries into a month people kept.
 */
export async function seedDemoLogbooks(db: DynamoDBDocumentClient, tables: { records: string; audit: string }, now: Date): Promise<number> {
  const month = previousMonth(japanDate(now).slice(0, 7));
  let created = 0;
  for (const [index, line] of demoLogbookLines(month).entries()) {
    const changes = demoChanges(line, index);
    const last = changes[changes.length - 1];
    try {
      await db.send(new PutCommand({ TableName: tables.records, Item: logbookEntryStorage(last.next), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') continue;
      throw error;
    }
    for (const event of changes.flatMap((change) => change.events)) {
      await db.send(new PutCommand({ TableName: tables.audit, Item: auditRecord(event), ConditionExpression: 'attribute_not_exists(pk)' }));
    }
    created++;
  }
  return created;
}
