/**
 * The month view of the reviews (月次点検の状況): every site × logbook with its status — 未着手
 * (not opened), 点検中 (open), 完了 (completed) — its anomalies, reviewer and completion, for the
 * security manager, the system administrator and IT infrastructure (the auditors), and as CSV.
 */
import { mapWithLimit } from './concurrency';
import { formatCsv } from './csv';
import { japanDate } from './dates';
import { forbidden } from './errors';
import { anomaliesOf, lastDayOf } from './logbook-anomalies';
import type { Article } from './form-definition';
import type { LogbookId } from './logbooks';
import { japanTime } from './mail-templates';
import { monthLabel, monthOf, parseMonth, previousMonth } from './months';
import type { Person, PersonRef } from './organisation';
import type { Deps } from './ports';
import type { Review, ReviewConclusion } from './reviews';
import { logbooksBySite, maySeeMonth, reviewId } from './reviews';
import type { Text } from './text';

export type MonthRowStatus = 'not-opened' | 'open' | 'completed';

export interface MonthRow {
  siteId: string;
  siteName: Text;
  logbook: LogbookId;
  title: Text;
  articles: string[];
  status: MonthRowStatus;
  /** Entries of the month (so far). */
  entries: number;
  /** Completed: the anomalies recorded; otherwise what the entries show now. */
  anomalies: number;
  reviewers: PersonRef[];
  dueOn?: string;
  escalated?: boolean;
  conclusion?: ReviewConclusion;
  completedAt?: string;
  completedBy?: PersonRef;
}

export interface MonthView {
  month: string;
  label: Text;
  /** The articles the reviews implement, with their text (A4(3), A9, A13(1), A14(3)). */
  articles: Article[];
  rows: MonthRow[];
  counts: Record<MonthRowStatus, number>;
}

const mustSeeMonth = (caller: Person) => {
  if (!maySeeMonth(caller)) {
    throw forbidden({ ja: '月次点検の状況を閲覧できるのは安全管理責任者・システム管理者・情報システム部インフラ担当だけです。', en: 'Only the security manager, the system administrator and IT infrastructure may see the review status.' });
  }
};

/** The month asked for, or by default the month the latest run reviewed (the previous one). */
const monthAsked = (deps: Pick<Deps, 'clock'>, month: unknown) => (month === undefined || month === '' ? previousMonth(deps.clock.now()) : parseMonth(month));

/** Reads in flight at once while building the month view (one per site and logbook). */
const READS_AT_ONCE = 8;

/** Every site × logbook of a month with its review's status. */
export async function reviewMonth(deps: Deps, caller: Person, month?: unknown): Promise<MonthView> {
  mustSeeMonth(caller);
  const m = monthAsked(deps, month);
  const today = japanDate(deps.clock.now());
  const until = lastDayOf(m) < today ? lastDayOf(m) : today;
  const [reviews, places] = await Promise.all([deps.reviews.ofMonth(m), logbooksBySite(deps)]);
  const byId = new Map(reviews.map((review) => [review.id, review]));
  const cells: { siteId: string; siteName: Text; logbook: LogbookId; review?: Review }[] = [];
  for (const { site, logbooks } of places) {
    for (const book of deps.logbookDefinitions.values()) {
      const review = byId.get(reviewId(m, book.id, site.id));
      // A logbook not kept at a site shows only if a review was opened for it all the same.
      if (review || logbooks.some((kept) => kept.id === book.id)) cells.push({ siteId: site.id, siteName: site.name, logbook: book.id, review });
    }
  }
  const rows = await mapWithLimit(cells, READS_AT_ONCE, async ({ siteId, siteName, logbook, review }): Promise<MonthRow> => {
    const book = deps.logbookDefinitions.get(logbook)!;
    const entries = await deps.logbooks.entries(logbook, siteId, m);
    const base = { siteId, siteName, logbook, title: book.title, articles: [...book.articles], entries: entries.length };
    if (!review) return { ...base, status: 'not-opened', anomalies: m <= monthOf(deps.clock.now()) ? anomaliesOf(logbook, m, entries, until).length : 0, reviewers: [] };
    if (review.status === 'completed') {
      return {
        ...base,
        status: 'completed',
        anomalies: review.anomalyCount ?? 0,
        reviewers: review.reviewers,
        dueOn: review.dueOn,
        ...(review.conclusion ? { conclusion: review.conclusion } : {}),
        ...(review.completedAt ? { completedAt: review.completedAt } : {}),
        ...(review.completedBy ? { completedBy: review.completedBy } : {}),
      };
    }
    const duty = await deps.duties.get(review.dutyId);
    return { ...base, status: 'open', anomalies: anomaliesOf(logbook, m, entries, until).length, reviewers: review.reviewers, dueOn: review.dueOn, escalated: Boolean(duty?.escalatedAt) };
  });
  const counts: Record<MonthRowStatus, number> = { 'not-opened': 0, open: 0, completed: 0 };
  for (const row of rows) counts[row.status]++;
  const articles = new Map<string, Article>();
  for (const book of deps.logbookDefinitions.values()) for (const article of book.articleTexts) if (!articles.has(article.ref)) articles.set(article.ref, article);
  return { month: m, label: monthLabel(m), articles: [...articles.values()].sort((a, b) => a.ref.localeCompare(b.ref, 'en', { numeric: true })), rows, counts };
}

const STATUS_JA: Record<MonthRowStatus, string> = { 'not-opened': '未着手', open: '点検中', completed: '完了' };
const CONCLUSION_JA: Record<ReviewConclusion, string> = { 'no-anomaly': '異常なし', 'anomalies-found': '異常あり' };

/** The month view as CSV that opens cleanly in Excel (UTF-8 with BOM, Japanese header row). */
export async function exportReviewMonthCsv(deps: Deps, caller: Person, month?: unknown): Promise<{ filename: string; csv: string }> {
  const view = await reviewMonth(deps, caller, month);
  const header = ['対象月', '拠点', '記録簿', '記録簿名', '根拠条文', '状況', '記録件数', '異常件数', '点検者', '期限', '上申', '結論', '完了日時', '完了者'];
  const rows = view.rows.map((row) => [
    view.month,
    row.siteName.ja,
    row.logbook,
    row.title.ja,
    row.articles.join(' '),
    STATUS_JA[row.status],
    String(row.entries),
    String(row.anomalies),
    row.reviewers.map((r) => r.name.ja).join('、'),
    row.dueOn ?? '',
    row.escalated ? '上申済み' : '',
    row.conclusion ? CONCLUSION_JA[row.conclusion] : '',
    row.completedAt ? japanTime(row.completedAt) : '',
    row.completedBy?.name.ja ?? '',
  ]);
  return { filename: `monthly-reviews-${view.month}.csv`, csv: formatCsv([header, ...rows]) };
}
