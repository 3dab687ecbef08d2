import { describe, expect, it } from 'vitest';
import type { LogbookId } from '../../../functions/domain/logbooks';
import { anomaliesOf, anomalyKey, lastDayOf } from '../../../functions/domain/logbook-anomalies';
import { cleanMonth, entry, monthWithAnomalies, workingDaysOf } from './logbook-fixtures';

const MONTH = '2026-10';
const ALL: LogbookId[] = ['L1', 'L2', 'L3', 'L4', 'L5'];

describe('anomaliesOf', () => {
  it.each(ALL)('finds nothing in a clean month of %s', (logbook) => {
    expect(anomaliesOf(logbook, MONTH, cleanMonth(logbook, MONTH))).toEqual([]);
  });

  it('flags a cabinet opened and never locked (L1, A4(3))', () => {
    const entries = monthWithAnomalies('L1', MONTH);
    const open = entries.find((e) => !e.fields.lockedAt)!;
    expect(anomaliesOf('L1', MONTH, entries)).toEqual([
      { kind: 'cabinet-not-locked', entryId: open.id, date: '2026-10-14', message: { ja: expect.stringContaining('人事キャビネット'), en: expect.stringContaining('never recorded') } },
    ]);
  });

  it('flags each working day without a last-exit check, and none of the weekends or holidays (L2, A9)', () => {
    const found = anomaliesOf('L2', MONTH, []);
    const missing = found.filter((a) => a.kind === 'last-exit-missing').map((a) => a.date);
    expect(missing).toEqual(workingDaysOf(MONTH));
    expect(missing).toContain('2026-10-01');
    // Saturday, Sunday and スポーツの日 (the second Monday of October).
    expect(missing).not.toContain('2026-10-03');
    expect(missing).not.toContain('2026-10-04');
    expect(missing).not.toContain('2026-10-12');
    expect(missing).toHaveLength(21);
  });

  it('flags a last-exit check that left something undone, naming the checks (L2, A9)', () => {
    const entries = monthWithAnomalies('L2', MONTH);
    const found = anomaliesOf('L2', MONTH, entries);
    expect(found.map((a) => a.kind)).toEqual(['last-exit-missing', 'last-exit-check-failed']);
    expect(found[0].date).toBe('2026-10-01');
    expect(found[1]).toMatchObject({ date: '2026-10-02', entryId: entries.find((e) => e.fields.powerOff === false)!.id });
    expect(found[1].message.ja).toContain('電源の切断');
    expect(found[1].message.ja).not.toContain('扉の施錠');
    expect(found[1].message.en).toContain('power off');
  });

  it('counts an L2 check as failed when a check is missing rather than false', () => {
    const [day] = workingDaysOf(MONTH);
    const found = anomaliesOf('L2', MONTH, [entry('L2', day, { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true })]);
    expect(found.find((a) => a.date === day)?.kind).toBe('last-exit-check-failed');
  });

  it('stops counting missing checks at `until`, for a month still running', () => {
    const found = anomaliesOf('L2', MONTH, [], '2026-10-06');
    expect(found.map((a) => a.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06']);
  });

  it('flags a visitor without escort, and a guest card without exit or return (L3, A8, A9)', () => {
    const entries = monthWithAnomalies('L3', MONTH);
    const found = anomaliesOf('L3', MONTH, entries);
    expect(found.map((a) => [a.kind, a.date])).toEqual([
      ['visitor-unescorted', '2026-10-20'],
      ['guest-card-not-returned', '2026-10-21'],
    ]);
    expect(found[0].message.ja).toContain('佐々木 花（山本商事）');
    expect(found[1].message.ja).toContain('G-09');
    expect(found[1].message.ja).toContain('退出時刻とゲストカードの返却');
  });

  it('flags a visitor who left but kept the card, and one whose card came back without an exit time', () => {
    const kept = entry('L3', '2026-10-05', { visitorName: 'A', company: 'B', purpose: 'C', guestCard: 'G-1', escortId: 'u-ito', entryAt: '10:00', exitAt: '11:00', cardReturned: false });
    const noExit = entry('L3', '2026-10-06', { visitorName: 'D', company: 'E', purpose: 'F', guestCard: 'G-2', escortId: 'u-ito', entryAt: '10:00', cardReturned: true });
    const found = anomaliesOf('L3', MONTH, [kept, noExit]);
    expect(found.map((a) => [a.kind, a.entryId])).toEqual([
      ['guest-card-not-returned', kept.id],
      ['guest-card-not-returned', noExit.id],
    ]);
    expect(found[0].message.ja).toContain('ゲストカードの返却が記録されていません');
    expect(found[1].message.ja).toContain('退出時刻が記録されていません');
  });

  it('flags a server-room entry without exit (L4, A13(1))', () => {
    const found = anomaliesOf('L4', MONTH, monthWithAnomalies('L4', MONTH));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'server-room-no-exit', date: '2026-10-22' });
    expect(found[0].message.ja).toContain('22:10');
  });

  it('flags an irregular access-log review with its note (L5, A14(3))', () => {
    const found = anomaliesOf('L5', MONTH, monthWithAnomalies('L5', MONTH));
    expect(found.map((a) => a.kind)).toEqual(['access-log-irregular']);
    expect(found[0].message.ja).toContain('深夜の管理者ログインが 3 件');
  });

  it('flags a month without any access-log review once the month is over, but not while it runs (L5)', () => {
    expect(anomaliesOf('L5', MONTH, [])).toEqual([{ kind: 'access-log-missing', date: '2026-10-31', message: expect.any(Object) }]);
    expect(anomaliesOf('L5', MONTH, [], '2026-10-15')).toEqual([]);
  });

  it('ignores entries of another logbook or month', () => {
    const stray = cleanMonth('L1', '2026-09').map((e) => ({ ...e, fields: { ...e.fields, lockedAt: undefined } }));
    expect(anomaliesOf('L1', MONTH, stray)).toEqual([]);
  });

  it('lists the anomalies by date, each with a key that names it alone', () => {
    const entries = [...monthWithAnomalies('L3', MONTH), entry('L3', '2026-10-02', { visitorName: 'X', company: 'Y', purpose: 'Z', guestCard: 'G-5', entryAt: '09:00' })];
    const found = anomaliesOf('L3', MONTH, entries);
    expect(found.map((a) => a.date)).toEqual([...found.map((a) => a.date)].sort());
    expect(found[0].date).toBe('2026-10-02');
    const keys = found.map(anomalyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('lastDayOf', () => {
  it('knows the length of every month, leap years included', () => {
    expect(lastDayOf('2026-02')).toBe('2026-02-28');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
    expect(lastDayOf('2026-04')).toBe('2026-04-30');
  });
});
