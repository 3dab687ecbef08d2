import { afterEach, describe, expect, it } from 'vitest';
import { startSchedules, toCronerPattern, type LocalSchedules } from '../../../infra/local/cron';

let running: LocalSchedules | undefined;
afterEach(() => {
  running?.stop();
  running = undefined;
});

describe('toCronerPattern', () => {
  it.each([
    ['cron(5 0 * * ? *)', '5 0 * * *'],
    ['cron(0 9 1 * ? *)', '0 9 1 * *'],
    ['cron(0 9 ? * 2 *)', '0 9 * * 1'],
    ['cron(0 9 ? * 1,7 *)', '0 9 * * 0,6'],
    ['cron(0 9 ? * 2-6 *)', '0 9 * * 1-5'],
    ['cron(0 9 ? * MON-FRI *)', '0 9 * * MON-FRI'],
    ['cron(0 18 ? * 6L *)', '0 18 * * 5#L'],
    ['cron(0 10 ? * 3#2 *)', '0 10 * * 2#2'],
    ['cron(0 10 ? * 2/2 *)', '0 10 * * 1-6/2'],
    ['cron(0/15 8-17 ? * MON-FRI *)', '0-59/15 8-17 * * MON-FRI'],
    ['cron(0 12 L * ? *)', '0 12 L * *'],
    ['cron(0 12 15W * ? *)', '0 12 15W * *'],
    ['cron(30 23 1 JAN,JUL ? *)', '30 23 1 JAN,JUL *'],
    ['cron(*/10 * * * ? *)', '*/10 * * * *'],
  ])('turns %s into %s', (expression, pattern) => {
    expect(toCronerPattern(expression)).toBe(pattern);
  });

  it('refuses day fields that EventBridge would refuse', () => {
    expect(() => toCronerPattern('cron(0 9 1 * MON *)')).toThrow(/exactly one/);
    expect(() => toCronerPattern('cron(0 9 ? * ? *)')).toThrow(/exactly one/);
  });

  it('refuses a year other than *', () => {
    expect(() => toCronerPattern('cron(0 9 1 * ? 2027)')).toThrow(/year/);
  });

  it('refuses what is not a six-field cron expression', () => {
    expect(() => toCronerPattern('rate(5 minutes)')).toThrow(/not an EventBridge cron expression/);
    expect(() => toCronerPattern('cron(0 9 1 * ?)')).toThrow(/6 fields/);
    expect(() => toCronerPattern('cron(0 9 ? * 8 *)')).toThrow(/1-7/);
    expect(() => toCronerPattern('cron(61 9 1 * ? *)')).toThrow(/not a valid cron expression/);
  });
});

describe('startSchedules', () => {
  it('runs cron(0 9 1 * ? *) next at 09:00 JST on the 1st', () => {
    running = startSchedules([{ name: 'MonthlyReview', expression: 'cron(0 9 1 * ? *)', timezone: 'Asia/Tokyo', run: async () => {} }]);
    // 2026-10-15 12:00 JST
    const next = running.nextRun('MonthlyReview', new Date('2026-10-15T03:00:00Z'));
    expect(next?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('counts EventBridge day-of-week numbers from Sunday=1', () => {
    running = startSchedules([{ name: 'Mondays', expression: 'cron(30 8 ? * 2 *)', timezone: 'Asia/Tokyo', run: async () => {} }]);
    // Sunday 2026-10-18 in Tokyo; the next Monday is the 19th.
    const next = running.nextRun('Mondays', new Date('2026-10-18T00:00:00Z'));
    expect(next?.toISOString()).toBe('2026-10-18T23:30:00.000Z');
  });

  it('runs the function when fired, passing the input along', async () => {
    const runs: unknown[] = [];
    running = startSchedules([
      { name: 'ExpireServerAccessGrants', expression: 'cron(5 0 * * ? *)', timezone: 'Asia/Tokyo', run: async (input) => void runs.push(input) },
    ]);
    await running.fire('ExpireServerAccessGrants');
    await running.fire('ExpireServerAccessGrants', { month: '2026-10' });
    expect(runs).toEqual([undefined, { month: '2026-10' }]);
    expect(running.names()).toEqual(['ExpireServerAccessGrants']);
  });

  it('names the known schedules when asked to fire an unknown one', async () => {
    running = startSchedules([{ name: 'A', expression: 'cron(5 0 * * ? *)', timezone: 'Asia/Tokyo', run: async () => {} }]);
    await expect(running.fire('B')).rejects.toThrow(/No schedule named 'B'; known schedules: A/);
  });

  it('logs a failing run and rejects the fire, without throwing anywhere else', async () => {
    const logged: string[] = [];
    running = startSchedules(
      [{ name: 'Broken', expression: 'cron(5 0 * * ? *)', timezone: 'Asia/Tokyo', run: async () => { throw new Error('boom'); } }],
      { log: (message) => logged.push(message) },
    );
    await expect(running.fire('Broken')).rejects.toThrow('boom');
    expect(logged).toContain('schedule: run failed');
  });
});
