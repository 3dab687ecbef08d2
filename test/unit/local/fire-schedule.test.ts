import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../../infra/local/fire-schedule';

describe('npm run schedule arguments', () => {
  it('take the schedule name and --key value options as the body', () => {
    expect(parseArguments(['MonthlyReview', '--month', '2026-10', '--site=tokyo', '--dry-run'])).toEqual({
      name: 'MonthlyReview',
      body: { month: '2026-10', site: 'tokyo', 'dry-run': true },
    });
  });

  it('leave the name undefined when none is given', () => {
    expect(parseArguments(['--month', '2026-10'])).toEqual({ name: undefined, body: { month: '2026-10' } });
  });

  it('refuse a second bare word', () => {
    expect(() => parseArguments(['A', 'B'])).toThrow(/Unexpected argument 'B'/);
  });
});
