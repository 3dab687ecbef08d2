/**
 * The monthly review (月次点検) of a logbook at a site: opened on the 1st for the previous month,
 * assigned to the reviewer the article names (安全管理責任者 or a nominee for L1–L3, A4(3), A9;
 * 安全管理責任者 for L4, A13(1); システム管理者 for L5, A14(3)), reminded and escalated through its
 * duty, and completed by recording 異常なし or each anomaly with its cause and action (A9:
 * 原因を速やかに追求). Completing it closes that month of the logbook at that site.
 */
import { mapWithLimit } from './concurrency';
import type { AuditEvent } from './audit';
import { japanDate } from './dates';
import type { Duty } from './duties';
import { completeDuty, openDuty } from './duties';
import { StaleWriteError, badRequest, conflict, forbidden, notFound, validationFailed, type FieldIssue } from './errors';
import type { Anomaly } from './logbook-anomalies';
import { anomaliesOf, anomalyKey, lastDayOf } from './logbook-anomalies';
import { isMonth, monthLabel, parseMonth, previousMonth } from './months';
import type { LogbookDefinition, LogbookEntry, LogbookId } from './logbooks';
import { describeLogbook, entryView } from './logbooks';
import type { Directory, Person, PersonRef, Place } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps } from './ports';
import type { RoleId } from './roles';
import { roles } from './roles';
import type { Text } from './text';
import type { RecordChange, VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { reviewRequestMail } from './review-mail';
import { addDays } from './working-days';

/** A review is due this many calendar days after it opens; its duty escalates then. */
export const REVIEW_DUE_DAYS = 10;

export type ReviewStatus = 'open' | 'completed';
/** 異常なし, or 異常あり with each anomaly's cause and action. */
export type ReviewConclusion = 'no-anomaly' | 'anomalies-found';

/** How the reviewers were chosen. */
export type ReviewAssignment = 'role' | 'nominee' | 'fallback';

/** One anomaly as the reviewer explained it, kept with the anomaly as it was shown. */
export interface ReviewFinding {
  /** `anomalyKey` of a detected anomaly, or `other.<n>` for one the reviewer found themselves. */
  key: string;
  kind: string;
  entryId?: string;
  date?: string;
  message: Text;
  cause: string;
  action: string;
}

export interface Review extends VersionedRecord {
  /** `<month>.<logbook>.<siteId>`, e.g. `2026-10.L1.site-tokyo`: deterministic, so a review is opened once. */
  id: string;
  month: string;
  logbook: LogbookId;
  siteId: string;
  title: Text;
  siteName: Text;
  articles: string[];
  reviewerRole: RoleId;
  reviewers: PersonRef[];
  assignment: ReviewAssignment;
  status: ReviewStatus;
  openedAt: string;
  dueOn: string;
  /** The duty that reminds and escalates the review. */
  dutyId: string;
  /** When the reviewers were e-mailed the link. */
  notifiedAt?: string;
  /** The token the workflow waits on (set by AwaitReview; answered when the review completes). */
  taskToken?: string;
  conclusion?: ReviewConclusion;
  findings?: ReviewFinding[];
  comment?: string;
  /** Entries and anomalies of the month as the reviewer saw them when completing. */
  entryCount?: number;
  anomalyCount?: number;
  completedAt?: string;
  completedBy?: PersonRef;
}

/** Reviews and their audit chains. */
export interface ReviewStore {
  get(month: string, logbook: LogbookId, siteId: string): Promise<Review | null>;
  /** Every review of a month (one Query), by logbook and site. */
  ofMonth(month: string): Promise<Review[]>;
  /**
   * Writes a review's change together with its duty's changes in one transaction. Opening a review
   * that exists already, or changing one whose version moved on, is refused with StaleWriteError.
   */
  commit(change: RecordChange<Review>, duties?: readonly RecordChange<Duty>[]): Promise<void>;
  /**
   * Stores the token the workflow waits on, only while the review is open; the version moves on, so a
   * completion that read the review before the token arrived retries and finds it. False when the
   * review is no longer open (or does not exist).
   */
  saveTaskToken(review: Pick<Review, 'month' | 'logbook' | 'siteId'>, token: string): Promise<boolean>;
  history(review: Pick<Review, 'id'>): Promise<AuditEvent[]>;
}

export const reviewId = (month: string, logbook: LogbookId, siteId: string) => `${month}.${logbook}.${siteId}`;
/** The audit chain of a review. */
export const reviewRecord = (id: string) => `review#${id}`;
export const reviewDutyId = (id: string) => `review.${id}`;
/** The web page of a review, as a hash route (also the link in the e-mail). */
export const reviewPath = (month: string, logbook: LogbookId, siteId: string) => `#/reviews/${month}/${logbook}/${encodeURIComponent(siteId)}`;

export function logbookOf(deps: Pick<Deps, 'logbookDefinitions'>, id: unknown, path = 'logbook'): LogbookDefinition {
  const definition = typeof id === 'string' ? deps.logbookDefinitions.get(id as LogbookId) : undefined;
  if (!definition) throw validationFailed([{ path, messages: { ja: '記録簿は L1〜L5 のいずれかを指定してください。', en: 'The logbook must be one of L1 to L5.' } }]);
  return definition;
}

/** The logbooks in the regulations' order. */
export const allLogbooks = (deps: Pick<Deps, 'logbookDefinitions'>): LogbookDefinition[] => [...deps.logbookDefinitions.values()].sort((a, b) => (a.id < b.id ? -1 : 1));

/** The server-room and access-log books are kept where servers stand (A13(1), A14(3)); the others at every site. */
const SERVER_LOGBOOKS: ReadonlySet<LogbookId> = new Set<LogbookId>(['L4', 'L5']);

async function sitesWithServers(deps: Pick<Deps, 'ledgers'>): Promise<Set<string>> {
  const sites = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.ledgers.list('servers', { limit: 100, cursor });
    for (const server of page.items) if (server.status !== 'retired' && typeof server.siteId === 'string') sites.add(server.siteId);
    cursor = page.nextCursor;
  } while (cursor);
  return sites;
}

/** Every site with the logbooks kept there, in the directory's order. */
export async function logbooksBySite(deps: Pick<Deps, 'logbooks' | 'ledgers' | 'logbookDefinitions'>): Promise<{ site: Place; logbooks: LogbookDefinition[] }[]> {
  const [sites, withServers] = await Promise.all([deps.logbooks.sites(), sitesWithServers(deps)]);
  return sites.map((site) => ({ site, logbooks: allLogbooks(deps).filter((book) => !SERVER_LOGBOOKS.has(book.id) || withServers.has(site.id)) }));
}

/**
 * Who reviews a logbook at a site: the article's role (安全管理責任者, or システム管理者 for L5); for
 * the books that allow it, the security manager's nominee for the site (the site-scoped role
 * 記録簿点検者) instead; when nobody holds the role, IT infrastructure, so that no review is left
 * without a reviewer.
 */
export async function reviewersFor(deps: { directory: Pick<Directory, 'holders'> }, book: LogbookDefinition, siteId: string): Promise<{ reviewers: PersonRef[]; assignment: ReviewAssignment }> {
  if (book.nomineeAllowed) {
    const nominees = await deps.directory.holders('logbookReviewer', siteId);
    if (nominees.length > 0) return { reviewers: nominees, assignment: 'nominee' };
  }
  const holders = await deps.directory.holders(book.reviewerRole, '*');
  if (holders.length > 0) return { reviewers: holders, assignment: 'role' };
  return { reviewers: await deps.directory.holders('itInfra', '*'), assignment: 'fallback' };
}

const names = (people: readonly PersonRef[], lang: keyof Text) => people.map((p) => p.name[lang]).join(lang === 'ja' ? '、' : ', ');

/** A new review and the duty that reminds its reviewers, to be written together. */
export function openReview(book: LogbookDefinition, site: Place, month: string, assigned: { reviewers: PersonRef[]; assignment: ReviewAssignment }, at: string): { review: RecordChange<Review>; duty: RecordChange<Duty> } {
  const id = reviewId(month, book.id, site.id);
  const dueOn = addDays(japanDate(new Date(at)), REVIEW_DUE_DAYS);
  const label = monthLabel(month);
  const review = recordChange<Review>(
    null,
    {
      id,
      month,
      logbook: book.id,
      siteId: site.id,
      title: book.title,
      siteName: site.name,
      articles: [...book.articles],
      reviewerRole: book.reviewerRole,
      reviewers: assigned.reviewers,
      assignment: assigned.assignment,
      status: 'open',
      openedAt: at,
      dueOn,
      dutyId: reviewDutyId(id),
    },
    reviewRecord(id),
    [
      {
        at,
        actor: null,
        action: 'review.opened',
        summary: {
          ja: `${label.ja}分の月次点検を開始しました（点検者: ${names(assigned.reviewers, 'ja') || 'なし'}、期限 ${dueOn}）`,
          en: `Opened the monthly review of ${label.en} (reviewer: ${names(assigned.reviewers, 'en') || 'none'}, due ${dueOn})`,
        },
        before: null,
        after: { status: 'open', reviewers: assigned.reviewers.map((r) => r.id), assignment: assigned.assignment, dueOn },
      },
    ],
  );
  const duty = openDuty(
    {
      id: reviewDutyId(id),
      kind: 'logbook-review',
      title: {
        ja: `月次点検 ${label.ja}分 ${book.id} ${book.title.ja}（${site.name.ja}）`,
        en: `Monthly review of ${book.id} ${book.title.en}, ${site.name.en}, ${label.en}`,
      },
      articles: [...book.articles],
      assignees: assigned.reviewers,
      role: book.reviewerRole,
      scopeId: site.id,
      dueOn,
      path: reviewPath(month, book.id, site.id),
      subject: { month, logbook: book.id, siteId: site.id, reviewId: id },
    },
    at,
    null,
  );
  return { review, duty };
}

/** Records that the reviewers were e-mailed the link. */
export function notified(review: Review, at: string): RecordChange<Review> {
  return recordChange<Review>(review, { ...review, notifiedAt: at }, reviewRecord(review.id), [
    {
      at,
      actor: null,
      action: 'review.notified',
      summary: { ja: `点検依頼をメールで送りました（${names(review.reviewers, 'ja')}）`, en: `E-mailed the review request (${names(review.reviewers, 'en')})` },
      after: { notified: review.reviewers.map((r) => r.id) },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Who may do what

const MONTH_VIEW_ROLES: readonly RoleId[] = ['securityManager', 'sysAdmin', 'itInfra'];

/** The month view: 安全管理責任者, システム管理者 and 情報システム部インフラ担当 (the auditors). */
export const maySeeMonth = (person: Pick<Person, 'roles'>): boolean => MONTH_VIEW_ROLES.some((role) => hasRole(person, role));

const isReviewer = (review: Pick<Review, 'reviewers'>, person: Pick<Person, 'id'>) => review.reviewers.some((r) => r.id === person.id);
const escalatedTo = (duty: Pick<Duty, 'escalatedTo'> | null, person: Pick<Person, 'id'>) => (duty?.escalatedTo ?? []).some((p) => p.id === person.id);

/**
 * Completing: the assigned reviewers, whoever the duty escalated to, and the holder of the article's
 * role (the security manager stays answerable for the reviews a nominee does).
 */
export const mayComplete = (review: Pick<Review, 'reviewers' | 'reviewerRole'>, duty: Pick<Duty, 'escalatedTo'> | null, person: Pick<Person, 'id' | 'roles'>): boolean =>
  isReviewer(review, person) || escalatedTo(duty, person) || hasRole(person, review.reviewerRole);

/** Reading: whoever may complete it, and the month view's roles. */
export const maySeeReview = (review: Pick<Review, 'reviewers' | 'reviewerRole'>, duty: Pick<Duty, 'escalatedTo'> | null, person: Pick<Person, 'id' | 'roles'>): boolean =>
  mayComplete(review, duty, person) || maySeeMonth(person);

// ---------------------------------------------------------------------------------------------
// Completing

export interface CompletionInput {
  conclusion: ReviewConclusion;
  /** One per anomaly of the review page, naming it by `anomalyKey`. */
  findings?: { key: string; cause?: string; action?: string }[];
  /** Anomalies the reviewer found that the records do not show. */
  others?: { description?: string; cause?: string; action?: string }[];
  comment?: string;
}

const required = {
  cause: { ja: '原因を入力してください（A9: 異常の原因を速やかに追求する）。', en: 'Enter the cause (A9: the cause of an anomaly is to be pursued promptly).' },
  action: { ja: '対処（是正・再発防止）を入力してください。', en: 'Enter the action taken (correction or prevention).' },
  description: { ja: '異常の内容を入力してください。', en: 'Describe the anomaly.' },
};

/**
 * The completed review: every anomaly must carry its cause and action, whether the reviewer
 * concludes 異常なし (each flagged record explained) or 異常あり; 異常あり needs at least one
 * anomaly, and 異常なし takes no anomaly of the reviewer's own. All problems are reported at once.
 */
export function completionChange(review: Review, anomalies: readonly Anomaly[], input: CompletionInput, by: Person, at: string, entryCount: number): RecordChange<Review> {
  const issues: FieldIssue[] = [];
  const given = new Map((input.findings ?? []).map((finding) => [finding.key, finding]));
  const findings: ReviewFinding[] = anomalies.map((anomaly, index) => {
    const key = anomalyKey(anomaly);
    const finding = given.get(key);
    const cause = finding?.cause?.trim() ?? '';
    const action = finding?.action?.trim() ?? '';
    if (!cause) issues.push({ path: `findings.${index}.cause`, messages: required.cause });
    if (!action) issues.push({ path: `findings.${index}.action`, messages: required.action });
    return { key, kind: anomaly.kind, ...(anomaly.entryId ? { entryId: anomaly.entryId } : {}), date: anomaly.date, message: anomaly.message, cause, action };
  });
  const others = input.others ?? [];
  if (input.conclusion === 'no-anomaly' && others.length > 0) {
    issues.push({ path: 'others', messages: { ja: '「異常なし」では、記録にない異常を追加できません。「異常あり」を選んでください。', en: 'A review concluding "no anomaly" takes no further anomalies; choose "anomalies found".' } });
  }
  others.forEach((other, index) => {
    const description = other.description?.trim() ?? '';
    const cause = other.cause?.trim() ?? '';
    const action = other.action?.trim() ?? '';
    if (!description) issues.push({ path: `others.${index}.description`, messages: required.description });
    if (!cause) issues.push({ path: `others.${index}.cause`, messages: required.cause });
    if (!action) issues.push({ path: `others.${index}.action`, messages: required.action });
    findings.push({ key: `other.${index + 1}`, kind: 'other', message: { ja: description, en: description }, cause, action });
  });
  if (input.conclusion === 'anomalies-found' && findings.length === 0) {
    issues.push({
      path: 'conclusion',
      messages: { ja: '記録する異常がありません。「異常なし」を選ぶか、見つけた異常を追加してください。', en: 'There is no anomaly to record: choose "no anomaly", or add the anomaly you found.' },
    });
  }
  if (issues.length > 0) throw validationFailed(issues);

  const comment = input.comment?.trim();
  const count = findings.length;
  const summary =
    input.conclusion === 'no-anomaly'
      ? { ja: `月次点検を完了しました（異常なし${count > 0 ? `、要確認 ${count} 件に説明あり` : ''}）`, en: `Completed the monthly review (no anomaly${count > 0 ? `; ${count} flagged records explained` : ''})` }
      : { ja: `月次点検を完了しました（異常 ${count} 件、原因と対処を記録）`, en: `Completed the monthly review (${count} anomalies with cause and action)` };
  return recordChange<Review>(
    review,
    {
      ...review,
      status: 'completed',
      conclusion: input.conclusion,
      findings,
      ...(comment ? { comment } : {}),
      entryCount,
      anomalyCount: count,
      completedAt: at,
      completedBy: refOf(by),
    },
    reviewRecord(review.id),
    [
      {
        at,
        actor: refOf(by),
        action: 'review.completed',
        summary,
        before: { status: 'open' },
        after: { status: 'completed', conclusion: input.conclusion, entries: entryCount, findings: findings.map(({ key, cause, action }) => ({ key, cause, action })), ...(comment ? { comment } : {}) },
      },
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// Use cases

const reviewNotFound = () => notFound({ ja: 'この点検はまだ開始されていません。', en: 'This review has not been opened.' });

/** The entries of the review's month and what looks wrong in them. */
export async function monthOfLogbook(deps: Pick<Deps, 'logbooks'>, logbook: LogbookId, siteId: string, month: string): Promise<{ entries: LogbookEntry[]; anomalies: Anomaly[] }> {
  const entries = await deps.logbooks.entries(logbook, siteId, month);
  return { entries, anomalies: anomaliesOf(logbook, month, entries) };
}

export interface ReviewDetail {
  review: Omit<Review, 'taskToken'>;
  /** The logbook as its own pages show it: articles with their text, the fields' labels. */
  logbook: ReturnType<typeof describeLogbook>;
  entries: ReturnType<typeof entryView>[];
  /** The site's people, by whom an entry names someone (a visitor's escort). */
  people: PersonRef[];
  /** Live while the review is open; as explained at completion once it is completed. */
  anomalies: (Anomaly & { key: string })[];
  history: AuditEvent[];
  duty: Pick<Duty, 'status' | 'remindCount' | 'escalatedAt' | 'escalatedTo' | 'dueOn'> | null;
  /** Whether the caller may complete it now. */
  mayComplete: boolean;
}

async function load(deps: Deps, month: unknown, logbook: unknown, siteId: unknown) {
  const m = parseMonth(month);
  const book = logbookOf(deps, logbook);
  const site = typeof siteId === 'string' ? siteId : '';
  const review = site ? await deps.reviews.get(m, book.id, site) : null;
  if (!review) throw reviewNotFound();
  const duty = await deps.duties.get(review.dutyId);
  return { month: m, book, review, duty };
}

/** `read`: the month's entries when the caller has them already (a completion, whose month it closed). */
async function detailOf(deps: Deps, caller: Person, book: LogbookDefinition, review: Review, duty: Duty | null, read?: Awaited<ReturnType<typeof monthOfLogbook>>): Promise<ReviewDetail> {
  const [{ entries, anomalies }, history, people] = await Promise.all([
    read ?? monthOfLogbook(deps, book.id, review.siteId, review.month),
    deps.reviews.history(review),
    book.id === 'L3' ? deps.logbooks.peopleAt(review.siteId) : Promise.resolve([]),
  ]);
  const shown =
    review.status === 'completed'
      ? (review.findings ?? []).filter((f) => f.kind !== 'other').map((f) => ({ kind: f.kind as Anomaly['kind'], ...(f.entryId ? { entryId: f.entryId } : {}), date: f.date ?? '', message: f.message, key: f.key }))
      : anomalies.map((anomaly) => ({ ...anomaly, key: anomalyKey(anomaly) }));
  const { taskToken: _taskToken, ...visible } = review;
  return {
    review: visible,
    logbook: describeLogbook(book),
    entries: entries.map((entry) => entryView(book, entry)),
    people,
    anomalies: shown,
    history,
    duty: duty ? { status: duty.status, remindCount: duty.remindCount, dueOn: duty.dueOn, ...(duty.escalatedAt ? { escalatedAt: duty.escalatedAt, escalatedTo: duty.escalatedTo } : {}) } : null,
    mayComplete: review.status === 'open' && mayComplete(review, duty, caller),
  };
}

/** A review with the month's entries and their anomalies, for its reviewer and the auditors. */
export async function getReview(deps: Deps, caller: Person, month: unknown, logbook: unknown, siteId: unknown): Promise<ReviewDetail> {
  const { book, review, duty } = await load(deps, month, logbook, siteId);
  if (!maySeeReview(review, duty, caller)) {
    throw forbidden({ ja: 'この点検を閲覧できるのは点検者と安全管理責任者・システム管理者・情報システム部インフラ担当だけです。', en: 'Only the reviewer, the security manager, the system administrator and IT infrastructure may see this review.' });
  }
  return detailOf(deps, caller, book, review, duty);
}

/**
 * Completes a review: the review, its duty and their audit events in one transaction, then the
 * workflow task waiting on it is answered. A lost race (the workflow stored its token meanwhile)
 * is read again; a second completion answers 409.
 */
export async function completeReview(deps: Deps, caller: Person, month: unknown, logbook: unknown, siteId: unknown, input: CompletionInput): Promise<ReviewDetail> {
  for (let attempt = 1; ; attempt++) {
    const { book, review, duty } = await load(deps, month, logbook, siteId);
    if (!mayComplete(review, duty, caller)) {
      throw forbidden({ ja: 'この点検を完了できるのは、割り当てられた点検者（または上申先）だけです。', en: 'Only the assigned reviewer (or whoever it was escalated to) may complete this review.' });
    }
    if (review.status !== 'open') throw conflict({ ja: 'この点検はすでに完了しています。', en: 'This review is already completed.' });
    const read = await monthOfLogbook(deps, book.id, review.siteId, review.month);
    const { entries, anomalies } = read;
    const at = deps.clock.now().toISOString();
    const change = completionChange(review, anomalies, input, caller, at, entries.length);
    const dutyChanges = duty && duty.status === 'open' ? [completeDuty(duty, caller, at, change.next.conclusion === 'no-anomaly' ? '異常なし' : `異常 ${change.next.anomalyCount} 件`)] : [];
    try {
      await deps.reviews.commit(change, dutyChanges);
    } catch (error) {
      if (error instanceof StaleWriteError && attempt < 3) continue;
      if (error instanceof StaleWriteError) throw conflict({ ja: '点検が同時に更新されました。画面を更新してください。', en: 'The review changed meanwhile; reload the page.' });
      throw error;
    }
    if (review.taskToken) await deps.workflow.resume(review.taskToken, { reviewId: review.id, status: 'completed' });
    // The duty as just written: no need to read it back.
    return detailOf(deps, caller, book, change.next, dutyChanges[0]?.next ?? duty, read);
  }
}

// ---------------------------------------------------------------------------------------------
// The workflow's steps

/** A review as the workflow's Map iterates over it. */
export interface ReviewRef {
  id: string;
  month: string;
  logbook: LogbookId;
  siteId: string;
}

const refOfReview = (review: Review): ReviewRef => ({ id: review.id, month: review.month, logbook: review.logbook, siteId: review.siteId });

export interface OpenedReviews {
  month: string;
  /** Reviews this run created. */
  opened: string[];
  /**
   * Reviews the execution is to wait on: those this run created, and those still open that no
   * execution waits on (a run that stopped after opening them). A second run of a month whose
   * reviews are awaited or done gets none.
   */
  reviews: ReviewRef[];
}

/**
 * OpenReviews: for the given month (by default the previous one in Japan), opens one review per
 * site and logbook that has none yet (review and duty in one transaction, refused if it exists),
 * then e-mails every reviewer whose reviews have not been e-mailed yet, one message each, listing
 * their links. Mail goes before the "notified" mark: a retry may mail twice, never not at all.
 */
export async function openMonthlyReviews(deps: Deps, input: { month?: unknown } = {}): Promise<OpenedReviews> {
  const now = deps.clock.now();
  // Refusals name the month in their message: a run by hand reports them as they are.
  const given = input.month;
  if (given !== undefined && given !== null && given !== '' && !isMonth(given)) {
    throw badRequest({ ja: `対象月「${String(given)}」は YYYY-MM の形式で指定してください（例: 2026-10）。`, en: `The month "${String(given)}" must be YYYY-MM (e.g. 2026-10).` });
  }
  const month = isMonth(given) ? given : previousMonth(now);
  if (lastDayOf(month) >= japanDate(now)) {
    throw badRequest({ ja: `${month} はまだ終わっていないため点検を開始できません。`, en: `${month} is not over yet, so it cannot be reviewed.` });
  }
  const at = now.toISOString();
  const existing = new Map((await deps.reviews.ofMonth(month)).map((review) => [review.id, review]));
  // Every site asks for the same company-wide role holders: each role is looked up once per run.
  const held = new Map<string, Promise<PersonRef[]>>();
  const holders: Directory['holders'] = (role, scopeId) => {
    const key = `${role}#${scopeId}`;
    return held.get(key) ?? held.set(key, deps.directory.holders(role, scopeId)).get(key)!;
  };
  const opened: string[] = [];
  for (const { site, logbooks } of await logbooksBySite(deps)) {
    for (const book of logbooks) {
      const id = reviewId(month, book.id, site.id);
      if (existing.has(id)) continue;
      const { review, duty } = openReview(book, site, month, await reviewersFor({ directory: { holders } }, book, site.id), at);
      try {
        await deps.reviews.commit(review, [duty]);
        existing.set(id, review.next);
        opened.push(id);
      } catch (error) {
        // Another run opened it first: it is there, which is all this run wanted.
        if (!(error instanceof StaleWriteError)) throw error;
        const found = await deps.reviews.get(month, book.id, site.id);
        if (found) existing.set(id, found);
      }
    }
  }
  const reviews = [...existing.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  await mailReviewers(deps, reviews.filter((review) => review.status === 'open' && !review.notifiedAt));
  return { month, opened, reviews: reviews.filter((review) => review.status === 'open' && !review.taskToken).map(refOfReview) };
}

const READS_AT_ONCE = 8;

async function mailReviewers(deps: Deps, reviews: Review[]): Promise<void> {
  if (reviews.length === 0) return;
  const byReviewer = new Map<string, Review[]>();
  for (const review of reviews) for (const reviewer of review.reviewers) byReviewer.set(reviewer.id, [...(byReviewer.get(reviewer.id) ?? []), review]);
  // Each review's month is read once, a few at a time: a company of hundreds of sites gives one
  // reviewer a thousand reviews, and as many reads at once would exhaust the client's connections.
  const anomalies = await mapWithLimit(reviews, READS_AT_ONCE, async (review) => (await monthOfLogbook(deps, review.logbook, review.siteId, review.month)).anomalies.length);
  const anomaliesOf = new Map(reviews.map((review, i) => [review, anomalies[i]]));
  for (const [personId, theirs] of byReviewer) {
    const person = await deps.directory.person(personId);
    if (!person) continue;
    await deps.mailer.send(reviewRequestMail(person, theirs.map((review) => ({ review, anomalies: anomaliesOf.get(review) ?? 0, link: `${deps.webBaseUrl}/${reviewPath(review.month, review.logbook, review.siteId)}` }))));
  }
  const at = deps.clock.now().toISOString();
  for (const review of reviews) {
    try {
      await deps.reviews.commit(notified(review, at));
    } catch (error) {
      // Completed or awaited meanwhile: the mail went out, which is what the mark records.
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
}

/**
 * AwaitReview: stores the workflow's task token on the review while it is open; a review already
 * completed (or completed while the token was being stored) answers the token at once.
 */
export async function awaitReview(deps: Deps, input: { month: string; logbook: LogbookId; siteId: string; taskToken: string }): Promise<{ waiting: boolean }> {
  const review = await deps.reviews.get(input.month, input.logbook, input.siteId);
  if (review?.status === 'open' && (await deps.reviews.saveTaskToken(review, input.taskToken))) return { waiting: true };
  // Nothing to wait for: completed already, or (should its record be gone) never to be completed.
  await deps.workflow.resume(input.taskToken, { reviewId: reviewId(input.month, input.logbook, input.siteId), status: review ? 'completed' : 'missing' });
  return { waiting: false };
}
