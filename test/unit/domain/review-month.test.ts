import { beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../functions/domain/csv';
import { DomainError } from '../../../functions/domain/errors';
import { exportReviewMonthCsv, reviewMonth } from '../../../functions/domain/review-month';
import { completeReview, openMonthlyReviews } from '../../../functions/domain/reviews';
import { escalateDuty } from '../../../functions/domain/duties';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps, person } from './in-memory-deps';
import { cleanMonth, monthWithAnomalies, putEntries } from './logbook-fixtures';

const MONTH = '2026-10';
let t: TestDeps;

beforeEach(() => {
  t = inMemoryDeps({ start: '2026-11-01T00:00:00.000Z' });
  putEntries(t.logbooks, [...cleanMonth('L1', MONTH), ...monthWithAnomalies('L3', MONTH), ...monthWithAnomalies('L2', MONTH, 'site-osaka')]);
});

const row = (view: Awaited<ReturnType<typeof reviewMonth>>, logbook: string, siteId = 'site-tokyo') => view.rows.find((r) => r.logbook === logbook && r.siteId === siteId)!;

describe('the month view', () => {
  it('lists every site × logbook kept there as 未着手 before the run, with what the entries show', async () => {
    const view = await reviewMonth(t.deps, person('u-yamaguchi'), MONTH);
    expect(view.rows).toHaveLength(11);
    expect(view.counts).toEqual({ 'not-opened': 11, open: 0, completed: 0 });
    expect(view.rows.map((r) => `${r.siteId}/${r.logbook}`).slice(0, 5)).toEqual(['site-tokyo/L1', 'site-tokyo/L2', 'site-tokyo/L3', 'site-tokyo/L4', 'site-tokyo/L5']);
    expect(row(view, 'L3')).toMatchObject({ status: 'not-opened', entries: 3, anomalies: 2, reviewers: [] });
    expect(view.rows.some((r) => r.siteId === 'site-sendai' && r.logbook === 'L4')).toBe(false);
    expect(view.label).toEqual({ ja: '2026年10月', en: 'October 2026' });
  });

  it('shows 点検中 with the reviewer and 上申 once escalated, and 完了 with who and when', async () => {
    await openMonthlyReviews(t.deps, { month: MONTH });
    const duty = t.duties.duties.get('review.2026-10.L2.site-osaka')!;
    await t.duties.commit([escalateDuty(duty, '2026-11-11T00:00:00.000Z', '2026-11-16', 'securityManager', [{ id: 'u-yamaguchi', name: person('u-yamaguchi').name }])]);
    t.clock.set('2026-11-04T02:00:00.000Z');
    await completeReview(t.deps, person('u-yamaguchi'), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    const view = await reviewMonth(t.deps, person('u-matsumoto'), MONTH);
    expect(view.counts).toEqual({ 'not-opened': 0, open: 10, completed: 1 });
    expect(row(view, 'L1')).toMatchObject({ status: 'completed', anomalies: 0, conclusion: 'no-anomaly', completedAt: '2026-11-04T02:00:00.000Z', completedBy: { id: 'u-yamaguchi' } });
    expect(row(view, 'L3')).toMatchObject({ status: 'open', anomalies: 2, reviewers: [{ id: 'u-yamaguchi' }], dueOn: '2026-11-11', escalated: false });
    expect(row(view, 'L2', 'site-osaka')).toMatchObject({ status: 'open', reviewers: [{ id: 'u-fujita' }], escalated: true });
  });

  it('defaults to the previous month', async () => {
    expect((await reviewMonth(t.deps, person('u-yamada'))).month).toBe('2026-10');
  });

  it('is for the security manager, the system administrator and IT infrastructure only', async () => {
    for (const id of ['u-tanaka', 'u-fujita', 'u-sato']) {
      await expect(reviewMonth(t.deps, person(id), MONTH)).rejects.toMatchObject({ status: 403 });
    }
    await expect(reviewMonth(t.deps, person('u-yamada'), '10/2026')).rejects.toBeInstanceOf(DomainError);
  });

  it('exports as CSV with a BOM and a Japanese header, one line per row', async () => {
    await openMonthlyReviews(t.deps, { month: MONTH });
    t.clock.set('2026-11-04T02:00:00.000Z');
    await completeReview(t.deps, person('u-yamaguchi'), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    const { filename, csv } = await exportReviewMonthCsv(t.deps, person('u-yamada'), MONTH);
    expect(filename).toBe('monthly-reviews-2026-10.csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['対象月', '拠点', '記録簿', '記録簿名', '根拠条文', '状況', '記録件数', '異常件数', '点検者', '期限', '上申', '結論', '完了日時', '完了者']);
    expect(rows).toHaveLength(12);
    expect(rows[1]).toEqual(['2026-10', '東京本社', 'L1', 'キャビネット開施錠記録簿', 'A4(3)', '完了', '1', '0', '山口 恵', '2026-11-11', '', '異常なし', '2026/11/04 11:00', '山口 恵']);
    expect(rows.find((r) => r[1] === '大阪支店' && r[2] === 'L2')?.slice(5, 9)).toEqual(['点検中', '20', '2', '藤田 沙織']);
  });
});
