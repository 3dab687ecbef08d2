import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../functions/domain/errors';
import { anomaliesOf, anomalyKey } from '../../../functions/domain/logbook-anomalies';
import { recordChange } from '../../../functions/domain/versioned';
import type { LogbookEntry } from '../../../functions/domain/logbooks';
import { logbookEntryRecord } from '../../../functions/domain/logbooks';
import { previousMonth } from '../../../functions/domain/months';
import type { Review } from '../../../functions/domain/reviews';
import { awaitReview, completeReview, getReview, openMonthlyReviews, reviewId } from '../../../functions/domain/reviews';
import { escalateDuty } from '../../../functions/domain/duties';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps, person, WEB_BASE_URL } from './in-memory-deps';
import { cleanMonth, entry, monthWithAnomalies, putEntries } from './logbook-fixtures';

const MONTH = '2026-10';
/** 09:00 on 1 November 2026 in Tokyo, when the monthly schedule runs. */
const FIRST_OF_NOVEMBER = '2026-11-01T00:00:00.000Z';

let t: TestDeps;

beforeEach(() => {
  t = inMemoryDeps({ start: FIRST_OF_NOVEMBER });
});

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const stored = (logbook: 'L1' | 'L2' | 'L3' | 'L4' | 'L5', siteId = 'site-tokyo') => t.reviews.reviews.get(reviewId(MONTH, logbook, siteId))!;

describe('opening the month’s reviews', () => {
  it('reviews the previous Japan month by default', async () => {
    // 1 November 08:59 UTC+9 is still 31 October in UTC: the month comes from the Japan date.
    t.clock.set('2026-10-31T23:59:00.000Z');
    expect(previousMonth(t.clock.now())).toBe('2026-10');
    expect((await openMonthlyReviews(t.deps)).month).toBe('2026-10');
  });

  it('opens one review per site and logbook, L4 and L5 only where servers stand', async () => {
    const run = await openMonthlyReviews(t.deps, { month: MONTH });
    expect(run.opened.sort()).toEqual(
      [
        '2026-10.L1.site-osaka', '2026-10.L2.site-osaka', '2026-10.L3.site-osaka',
        '2026-10.L1.site-sendai', '2026-10.L2.site-sendai', '2026-10.L3.site-sendai',
        '2026-10.L1.site-tokyo', '2026-10.L2.site-tokyo', '2026-10.L3.site-tokyo', '2026-10.L4.site-tokyo', '2026-10.L5.site-tokyo',
      ].sort(),
    );
    expect(run.reviews.map((r) => r.id).sort()).toEqual([...run.opened].sort());
    expect(stored('L1')).toMatchObject({ status: 'open', openedAt: FIRST_OF_NOVEMBER, dueOn: '2026-11-11', articles: ['A4(3)'], siteName: { ja: '東京本社' } });
  });

  it('assigns the article’s reviewer: the security manager, the site’s nominee for L1–L3, the system administrator for L5', async () => {
    await openMonthlyReviews(t.deps, { month: MONTH });
    const reviewerOf = (logbook: 'L1' | 'L2' | 'L3' | 'L4' | 'L5', site: string) => stored(logbook, site).reviewers.map((r) => r.id);
    expect(reviewerOf('L1', 'site-tokyo')).toEqual(['u-yamaguchi']);
    expect(reviewerOf('L4', 'site-tokyo')).toEqual(['u-yamaguchi']);
    expect(reviewerOf('L5', 'site-tokyo')).toEqual(['u-matsumoto']);
    expect(reviewerOf('L2', 'site-sendai')).toEqual(['u-yamaguchi']);
    for (const book of ['L1', 'L2', 'L3'] as const) expect(reviewerOf(book, 'site-osaka')).toEqual(['u-fujita']);
    expect(stored('L1', 'site-osaka').assignment).toBe('nominee');
    expect(stored('L5').reviewerRole).toBe('sysAdmin');
  });

  it('falls back to IT infrastructure when nobody holds the reviewer’s role', async () => {
    const withoutSysAdmin = inMemoryDeps({ start: FIRST_OF_NOVEMBER, people: (await import('../../../infra/local/seed-data')).demoPeople.filter((p) => p.id !== 'u-matsumoto') });
    await openMonthlyReviews(withoutSysAdmin.deps, { month: MONTH });
    const review = withoutSysAdmin.reviews.reviews.get(reviewId(MONTH, 'L5', 'site-tokyo'))!;
    expect(review.assignment).toBe('fallback');
    expect(review.reviewers.map((r) => r.id)).toEqual(['u-ito', 'u-yamada']);
  });

  it('opens a duty per review, due in 10 days, that reminds its reviewers', async () => {
    await openMonthlyReviews(t.deps, { month: MONTH });
    const duty = t.duties.duties.get('review.2026-10.L4.site-tokyo')!;
    expect(duty).toMatchObject({ kind: 'logbook-review', status: 'open', role: 'securityManager', dueOn: '2026-11-11', path: '#/reviews/2026-10/L4/site-tokyo', assignees: [{ id: 'u-yamaguchi' }] });
    expect(duty.remindOn).toBe('2026-11-05');
  });

  it('e-mails each reviewer once, listing their reviews with links and what to look at', async () => {
    putEntries(t.logbooks, monthWithAnomalies('L1', MONTH));
    await openMonthlyReviews(t.deps, { month: MONTH });
    const toYamaguchi = t.mailer.to('yamaguchi@example.co.jp');
    expect(toYamaguchi).toHaveLength(1);
    const mail = toYamaguchi[0];
    expect(mail.subject).toBe('【月次点検依頼】2026年10月分 記録簿の点検（7件）');
    expect(mail.text).toContain(`${WEB_BASE_URL}/#/reviews/2026-10/L1/site-tokyo`);
    expect(mail.text).toContain('L1 キャビネット開施錠記録簿（東京本社） 要確認 1 件');
    expect(mail.text).toContain('期限: 2026-11-11');
    expect(mail.text).not.toContain('site-osaka');
    expect(t.mailer.to('fujita@example.co.jp')[0].subject).toContain('（3件）');
    expect(t.mailer.to('matsumoto@example.co.jp')[0].text).toContain('/#/reviews/2026-10/L5/site-tokyo');
    expect(stored('L1').notifiedAt).toBe(FIRST_OF_NOVEMBER);
    expect((await t.reviews.history(stored('L1'))).map((e) => e.action)).toEqual(['review.opened', 'review.notified']);
  });

  it('opens nothing twice and mails nobody twice when the same month runs again', async () => {
    const first = await openMonthlyReviews(t.deps, { month: MONTH });
    for (const ref of first.reviews) await awaitReview(t.deps, { ...ref, taskToken: `token-${ref.id}` });
    const mails = t.mailer.sent.length;
    const commits = t.reviews.commits.length;
    const second = await openMonthlyReviews(t.deps, { month: MONTH });
    expect(second).toEqual({ month: MONTH, opened: [], reviews: [] });
    expect(t.mailer.sent).toHaveLength(mails);
    expect(t.reviews.commits).toHaveLength(commits);
  });

  it('hands open reviews that no execution waits on to the next run, without opening or mailing them again', async () => {
    await openMonthlyReviews(t.deps, { month: MONTH });
    const mails = t.mailer.sent.length;
    const again = await openMonthlyReviews(t.deps, { month: MONTH });
    expect(again.opened).toEqual([]);
    expect(again.reviews).toHaveLength(11);
    expect(t.mailer.sent).toHaveLength(mails);
  });

  it('mails the reviewers of a run that stopped after opening but before mailing', async () => {
    const { openReview, reviewersFor } = await import('../../../functions/domain/reviews');
    const book = t.deps.logbookDefinitions.get('L1')!;
    const { review, duty } = openReview(book, { id: 'site-tokyo', name: { ja: '東京本社', en: 'Tokyo Head Office' } }, MONTH, await reviewersFor(t.deps, book, 'site-tokyo'), FIRST_OF_NOVEMBER);
    await t.reviews.commit(review, [duty]);
    await openMonthlyReviews(t.deps, { month: MONTH });
    expect(t.mailer.to('yamaguchi@example.co.jp')[0].text).toContain('/#/reviews/2026-10/L1/site-tokyo');
    expect(stored('L1').notifiedAt).toBeDefined();
  });

  it('refuses a malformed month and a month that is not over', async () => {
    const malformed = await rejection(openMonthlyReviews(t.deps, { month: '2026-13' }));
    expect(malformed.status).toBe(400);
    expect(malformed.messages.ja).toContain('YYYY-MM');
    const running = await rejection(openMonthlyReviews(t.deps, { month: '2026-11' }));
    expect(running.status).toBe(400);
    expect(running.messages).toEqual({ ja: '2026-11 はまだ終わっていないため点検を開始できません。', en: '2026-11 is not over yet, so it cannot be reviewed.' });
    expect(t.reviews.reviews.size).toBe(0);
  });
});

describe('completing a review', () => {
  const yamaguchi = () => person('u-yamaguchi');

  beforeEach(async () => {
    putEntries(t.logbooks, [...cleanMonth('L1', MONTH), ...monthWithAnomalies('L4', MONTH), ...monthWithAnomalies('L3', MONTH)]);
    await openMonthlyReviews(t.deps, { month: MONTH });
    t.clock.set('2026-11-04T02:00:00.000Z');
  });

  it('records 異常なし for a clean month, completes its duty and closes the month', async () => {
    const detail = await completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    expect(detail.review).toMatchObject({ status: 'completed', conclusion: 'no-anomaly', anomalyCount: 0, entryCount: 1, completedBy: { id: 'u-yamaguchi' }, completedAt: '2026-11-04T02:00:00.000Z' });
    expect(detail.mayComplete).toBe(false);
    expect(t.duties.duties.get('review.2026-10.L1.site-tokyo')).toMatchObject({ status: 'done', doneBy: { id: 'u-yamaguchi' } });
    expect((await t.reviews.history(stored('L1'))).at(-1)).toMatchObject({ action: 'review.completed', actor: { id: 'u-yamaguchi' }, summary: { ja: '月次点検を完了しました（異常なし）' } });
    // The month of that logbook at that site is closed; another logbook's month is not.
    const late = entry('L1', '2026-10-30', { cabinet: 'X', purpose: 'Y', openedAt: '09:00', lockedAt: '09:01' });
    const creation = recordChange<LogbookEntry>(null, late, logbookEntryRecord(late), [{ at: '2026-11-04T02:00:00.000Z', actor: null, action: 'created', summary: { ja: '記録', en: 'Recorded' } }]);
    expect((await rejection(t.deps.logbooks.commit(creation))).status).toBe(409);
    const other = entry('L2', '2026-10-30', { checkedAt: '19:00', windowsClosed: true, lightsOff: true, powerOff: true, doorLocked: true });
    await t.deps.logbooks.commit(recordChange<LogbookEntry>(null, other, logbookEntryRecord(other), [{ at: '2026-11-04T02:00:00.000Z', actor: null, action: 'created', summary: { ja: '記録', en: 'Recorded' } }]));
  });

  it('requires the cause and the action of every anomaly, reporting each missing one at once (A9)', async () => {
    const before = structuredClone(stored('L4'));
    const anomalies = anomaliesOf('L4', MONTH, await t.deps.logbooks.entries('L4', 'site-tokyo', MONTH));
    expect(anomalies).toHaveLength(1);
    const error = await rejection(completeReview(t.deps, yamaguchi(), MONTH, 'L4', 'site-tokyo', { conclusion: 'anomalies-found', findings: [{ key: anomalyKey(anomalies[0]), cause: '  ' }] }));
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.path)).toEqual(['findings.0.cause', 'findings.0.action']);
    expect(error.issues[0].messages).toEqual({ ja: expect.stringContaining('原因を入力'), en: expect.stringContaining('cause') });
    expect(stored('L4')).toEqual(before);
    expect(t.duties.duties.get('review.2026-10.L4.site-tokyo')!.status).toBe('open');
  });

  it('records each anomaly with its cause and action, keeping the anomaly as it was shown', async () => {
    const anomalies = anomaliesOf('L3', MONTH, await t.deps.logbooks.entries('L3', 'site-tokyo', MONTH));
    const findings = anomalies.map((a) => ({ key: anomalyKey(a), cause: `${a.kind} の原因`, action: `${a.kind} の対処` }));
    const detail = await completeReview(t.deps, yamaguchi(), MONTH, 'L3', 'site-tokyo', {
      conclusion: 'anomalies-found',
      findings: [...findings].reverse(),
      others: [{ description: '受付簿の控えが一部欠落', cause: '綴じ忘れ', action: '受付簿を月末に確認する' }],
      comment: '受付担当に周知済み',
    });
    expect(detail.review.anomalyCount).toBe(3);
    expect(detail.review.findings!.map((f) => [f.kind, f.cause])).toEqual([
      ['visitor-unescorted', 'visitor-unescorted の原因'],
      ['guest-card-not-returned', 'guest-card-not-returned の原因'],
      ['other', '綴じ忘れ'],
    ]);
    expect(detail.review.findings![0].message).toEqual(anomalies[0].message);
    const completed = (await t.reviews.history(stored('L3'))).at(-1)!;
    expect(completed.summary.ja).toBe('月次点検を完了しました（異常 3 件、原因と対処を記録）');
    expect(completed.after).toMatchObject({ comment: '受付担当に周知済み', findings: expect.arrayContaining([{ key: 'other.1', cause: '綴じ忘れ', action: '受付簿を月末に確認する' }]) });
  });

  it('allows 異常なし with flagged records when each is explained', async () => {
    const [anomaly] = anomaliesOf('L4', MONTH, await t.deps.logbooks.entries('L4', 'site-tokyo', MONTH));
    const detail = await completeReview(t.deps, yamaguchi(), MONTH, 'L4', 'site-tokyo', {
      conclusion: 'no-anomaly',
      findings: [{ key: anomalyKey(anomaly), cause: '退室時刻の記入漏れ（22:40 退室を入退カードで確認）', action: '退室時の記入を朝礼で周知' }],
    });
    expect(detail.review.conclusion).toBe('no-anomaly');
    expect((await t.reviews.history(stored('L4'))).at(-1)!.summary.ja).toBe('月次点検を完了しました（異常なし、要確認 1 件に説明あり）');
  });

  it('refuses 異常あり with nothing to record, and 異常なし with anomalies of the reviewer’s own', async () => {
    const nothing = await rejection(completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'anomalies-found' }));
    expect(nothing.issues.map((i) => i.path)).toEqual(['conclusion']);
    const mixed = await rejection(
      completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly', others: [{ description: '鍵の紛失', cause: '', action: '' }] }),
    );
    expect(mixed.issues.map((i) => i.path)).toEqual(['others', 'others.0.cause', 'others.0.action']);
    expect(stored('L1').status).toBe('open');
  });

  it('lets only the assigned reviewer, the article’s role or whoever it escalated to complete it', async () => {
    for (const id of ['u-tanaka', 'u-matsumoto', 'u-fujita', 'u-nakamura']) {
      expect((await rejection(completeReview(t.deps, person(id), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' }))).status).toBe(403);
    }
    // Escalated after 10 days to the security manager's superior (管理者（社内稟議）).
    const duty = t.duties.duties.get('review.2026-10.L1.site-tokyo')!;
    await t.duties.commit([escalateDuty(duty, '2026-11-11T00:00:00.000Z', '2026-11-16', 'ringiApprover', [{ id: 'u-nakamura', name: person('u-nakamura').name }])]);
    const detail = await completeReview(t.deps, person('u-nakamura'), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    expect(detail.review.completedBy?.id).toBe('u-nakamura');
  });

  it('lets a nominee complete the reviews of their site only, and the security manager those of the nominee', async () => {
    expect((await rejection(completeReview(t.deps, person('u-fujita'), MONTH, 'L2', 'site-tokyo', { conclusion: 'no-anomaly' }))).status).toBe(403);
    expect((await completeReview(t.deps, person('u-fujita'), MONTH, 'L1', 'site-osaka', { conclusion: 'no-anomaly' })).review.completedBy?.id).toBe('u-fujita');
    expect((await completeReview(t.deps, yamaguchi(), MONTH, 'L3', 'site-osaka', { conclusion: 'no-anomaly' })).review.completedBy?.id).toBe('u-yamaguchi');
  });

  it('answers 409 to a second completion and leaves the first as it was', async () => {
    await completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    const first = structuredClone(stored('L1'));
    const again = await rejection(completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly', comment: 'again' }));
    expect(again.status).toBe(409);
    expect(stored('L1')).toEqual(first);
  });

  it('answers the workflow task waiting on the review', async () => {
    await awaitReview(t.deps, { month: MONTH, logbook: 'L1', siteId: 'site-tokyo', taskToken: 'token-L1' });
    expect(stored('L1').taskToken).toBe('token-L1');
    await completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    expect(t.workflow.resumes).toEqual([{ token: 'token-L1', output: { reviewId: '2026-10.L1.site-tokyo', status: 'completed' } }]);
  });

  it('reads the review again when the workflow stores its token during the completion', async () => {
    t.reviews.beforeCommit = async (change) => {
      t.reviews.beforeCommit = null;
      if (change.next.status === 'completed') await awaitReview(t.deps, { month: MONTH, logbook: 'L1', siteId: 'site-tokyo', taskToken: 'late-token' });
    };
    await completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    expect(stored('L1').status).toBe('completed');
    expect(t.workflow.resumes.map((r) => r.token)).toEqual(['late-token']);
  });

  it('releases the workflow at once when the review was completed before it waited', async () => {
    await completeReview(t.deps, yamaguchi(), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly' });
    expect(await awaitReview(t.deps, { month: MONTH, logbook: 'L1', siteId: 'site-tokyo', taskToken: 'after' })).toEqual({ waiting: false });
    expect(t.workflow.resumes).toEqual([{ token: 'after', output: { reviewId: '2026-10.L1.site-tokyo', status: 'completed' } }]);
    expect(stored('L1').taskToken).toBeUndefined();
  });

  it('answers 404 for a review not opened and 400 for a malformed address', async () => {
    expect((await rejection(completeReview(t.deps, yamaguchi(), '2026-09', 'L1', 'site-tokyo', { conclusion: 'no-anomaly' }))).status).toBe(404);
    expect((await rejection(completeReview(t.deps, yamaguchi(), MONTH, 'L9', 'site-tokyo', { conclusion: 'no-anomaly' }))).issues[0].path).toBe('logbook');
    expect((await rejection(getReview(t.deps, yamaguchi(), 'October', 'L1', 'site-tokyo'))).issues[0].path).toBe('month');
  });
});

describe('reading a review', () => {
  beforeEach(async () => {
    putEntries(t.logbooks, monthWithAnomalies('L4', MONTH));
    await openMonthlyReviews(t.deps, { month: MONTH });
  });

  it('shows the month’s entries with the anomalies, each under its key, to its reviewer', async () => {
    const detail = await getReview(t.deps, person('u-yamaguchi'), MONTH, 'L4', 'site-tokyo');
    expect(detail.entries).toHaveLength(2);
    expect(detail.anomalies).toEqual([expect.objectContaining({ kind: 'server-room-no-exit', key: `server-room-no-exit#${detail.entries[1].id}` })]);
    expect(detail.mayComplete).toBe(true);
    expect(detail.logbook).toMatchObject({ id: 'L4', articles: [expect.objectContaining({ ref: 'A13(1)' })] });
    expect(detail.review).not.toHaveProperty('taskToken');
    expect(detail.duty).toMatchObject({ status: 'open', dueOn: '2026-11-11' });
  });

  it('lets the auditors read it without completing, and nobody else', async () => {
    for (const id of ['u-matsumoto', 'u-yamada']) {
      const detail = await getReview(t.deps, person(id), MONTH, 'L4', 'site-tokyo');
      expect(detail.mayComplete).toBe(false);
    }
    for (const id of ['u-tanaka', 'u-sato', 'u-fujita']) expect((await rejection(getReview(t.deps, person(id), MONTH, 'L4', 'site-tokyo'))).status).toBe(403);
  });

  it('shows a completed review’s anomalies as they were explained, even after the entries changed', async () => {
    const [anomaly] = anomaliesOf('L4', MONTH, await t.deps.logbooks.entries('L4', 'site-tokyo', MONTH));
    await completeReview(t.deps, person('u-yamaguchi'), MONTH, 'L4', 'site-tokyo', { conclusion: 'anomalies-found', findings: [{ key: anomalyKey(anomaly), cause: '記入漏れ', action: '周知' }] });
    t.logbooks.stored.clear();
    const detail = await getReview(t.deps, person('u-yamada'), MONTH, 'L4', 'site-tokyo');
    expect(detail.anomalies.map((a) => a.key)).toEqual([anomalyKey(anomaly)]);
    expect((detail.review as Review).findings?.[0].cause).toBe('記入漏れ');
  });
});
