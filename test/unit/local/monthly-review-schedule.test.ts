import { describe, expect, it } from 'vitest';
import { scheduledWorkflows } from '../../../functions/http/routes';
import { startSchedules } from '../../../infra/local/cron';
import { parseArguments } from '../../../infra/local/fire-schedule';

const spec = scheduledWorkflows.find((s) => s.name === 'monthly-review')!;

describe('the monthly review schedule', () => {
  it('runs at 09:00 Asia/Tokyo on the 1st of every month, locally as on AWS', () => {
    const schedules = startSchedules([{ name: spec.name, expression: spec.cron, timezone: 'Asia/Tokyo', run: async () => undefined }]);
    try {
      // 2026-11-25 (JST) → 2026-12-01 09:00 JST = 00:00 UTC; from there, 2027-01-01 09:00 JST.
      const next = schedules.nextRun('monthly-review', new Date('2026-11-25T03:00:00.000Z'));
      expect(next?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
      expect(schedules.nextRun('monthly-review', next!)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    } finally {
      schedules.stop();
    }
  });

  it('is fired by hand with a month as `npm run schedule -- monthly-review --month 2026-10`', async () => {
    const { name, body } = parseArguments(['monthly-review', '--month', '2026-10']);
    const runs: (Record<string, unknown> | undefined)[] = [];
    const schedules = startSchedules([{ name: spec.name, expression: spec.cron, timezone: 'Asia/Tokyo', run: async (input) => void runs.push(input) }]);
    try {
      await schedules.fire(name!, body);
    } finally {
      schedules.stop();
    }
    expect(runs).toEqual([{ month: '2026-10' }]);
    expect(spec.stateMachine).toBe('monthly-review');
  });
});
