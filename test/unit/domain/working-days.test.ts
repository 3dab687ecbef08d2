import { describe, expect, it } from 'vitest';
import { addWorkingDays, dayOff, isWorkingDay, nationalHolidays, workingDaysBetween } from '../../../functions/domain/working-days';

describe('Japanese working days', () => {
  it('knows the national holidays of 2026 as the Cabinet Office publishes them', () => {
    expect([...nationalHolidays(2026).keys()].sort()).toEqual([
      '2026-01-01', '2026-01-12', '2026-02-11', '2026-02-23', '2026-03-20', '2026-04-29',
      '2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06', '2026-07-20', '2026-08-11',
      '2026-09-21', '2026-09-22', '2026-09-23', '2026-10-12', '2026-11-03', '2026-11-23',
    ]);
    expect(nationalHolidays(2026).get('2026-05-06')).toBe('振替休日'); // 憲法記念日 fell on a Sunday
    expect(nationalHolidays(2026).get('2026-09-22')).toBe('国民の休日'); // between 敬老の日 and 秋分の日
  });

  it('moves a Sunday holiday to the next day that is not a holiday', () => {
    expect(nationalHolidays(2027).get('2027-03-22')).toBe('振替休日'); // 春分の日 2027-03-21 is a Sunday
    expect(dayOff('2025-11-24')).toBe('振替休日'); // 勤労感謝の日 2025-11-23 was a Sunday
  });

  it('counts no weekend, holiday or New Year closure day', () => {
    expect(dayOff('2026-11-28')).toBe('土曜日');
    expect(dayOff('2026-11-29')).toBe('日曜日');
    expect(dayOff('2026-12-29')).toBe('年末年始休業');
    expect(dayOff('2027-01-01')).toBe('元日');
    expect(dayOff('2027-01-04')).toBeNull();
    expect(isWorkingDay('2026-11-25')).toBe(true);
  });

  it('adds working days across Golden Week', () => {
    // Thu 2026-04-30 + 3 working days: Fri 5/1, (5/2–5/6 closed), Thu 5/7, Fri 5/8.
    expect(addWorkingDays('2026-04-30', 3)).toBe('2026-05-08');
    expect(workingDaysBetween('2026-04-28', '2026-05-07')).toBe(3); // 4/30, 5/1 and 5/7; 4/29 is 昭和の日
  });

  it('adds working days across the New Year holidays', () => {
    // Mon 2026-12-28 + 1 working day: 12/29–1/3 closed, Mon 2027-01-04.
    expect(addWorkingDays('2026-12-28', 1)).toBe('2027-01-04');
    expect(addWorkingDays('2026-12-25', 3)).toBe('2027-01-05');
    expect(workingDaysBetween('2026-12-25', '2027-01-08')).toBe(6);
  });

  it('counts nothing when the end is not after the start', () => {
    expect(workingDaysBetween('2026-11-25', '2026-11-25')).toBe(0);
    expect(workingDaysBetween('2026-11-25', '2026-11-20')).toBe(0);
  });
});
