import type { AuditEvent } from '../../../functions/domain/audit';
import type { Duty } from '../../../functions/domain/duties';
import { StaleWriteError } from '../../../functions/domain/errors';
import type { LogbookId } from '../../../functions/domain/logbooks';
import type { Review, ReviewStore } from '../../../functions/domain/reviews';
import { reviewId, reviewRecord } from '../../../functions/domain/reviews';
import type { RecordChange } from '../../../functions/domain/versioned';
import type { InMemoryDuties } from './in-memory-duties';
import type { InMemoryLogbooks } from './in-memory-logbooks';

/**
 * Reviews in memory, with the refusals of functions/adapters/dynamo-reviews.ts: a creation of a
 * review that exists and a change at a stale version are StaleWriteError, a review and its duties
 * are written all or nothing, and the task token is stored only while the review is open (moving
 * its version on).
 */
export class InMemoryReviews implements ReviewStore {
  readonly reviews = new Map<string, Review>();
  readonly events = new Map<string, AuditEvent[]>();
  /** Every review change written, in order. */
  readonly commits: RecordChange<Review>[] = [];
  /** Runs before each commit's conditions are checked: a test can slip in another writer here. */
  beforeCommit: ((change: RecordChange<Review>) => Promise<void> | void) | null = null;

  constructor(
    private readonly duties: InMemoryDuties,
    /** The logbooks' view of review items: a completed review closes the month there, as the key's `status` does in DynamoDB. */
    private readonly logbooks?: Pick<InMemoryLogbooks, 'setReview'>,
  ) {}

  async get(month: string, logbook: LogbookId, siteId: string): Promise<Review | null> {
    return structuredClone(this.reviews.get(reviewId(month, logbook, siteId)) ?? null);
  }

  async ofMonth(month: string): Promise<Review[]> {
    return [...this.reviews.values()]
      .filter((review) => review.month === month)
      .sort((a, b) => (`${a.logbook}#${a.siteId}` < `${b.logbook}#${b.siteId}` ? -1 : 1))
      .map((review) => structuredClone(review));
  }

  async commit(change: RecordChange<Review>, duties: readonly RecordChange<Duty>[] = []): Promise<void> {
    const hook = this.beforeCommit;
    if (hook) await hook(change);
    const current = this.reviews.get(change.next.id);
    if (change.expectedVersion === null ? current : current?.version !== change.expectedVersion) throw new StaleWriteError();
    this.duties.check(duties);
    this.reviews.set(change.next.id, structuredClone(change.next));
    const record = reviewRecord(change.next.id);
    this.events.set(record, [...(this.events.get(record) ?? []), ...structuredClone(change.events)]);
    this.duties.apply(duties);
    this.logbooks?.setReview(change.next.month, change.next.logbook, change.next.siteId, change.next.status);
    this.commits.push(structuredClone(change));
  }

  async saveTaskToken(review: Pick<Review, 'month' | 'logbook' | 'siteId'>, token: string): Promise<boolean> {
    const stored = this.reviews.get(reviewId(review.month, review.logbook, review.siteId));
    if (stored?.status !== 'open') return false;
    this.reviews.set(stored.id, { ...stored, taskToken: token, version: stored.version + 1 });
    return true;
  }

  async history(review: Pick<Review, 'id'>): Promise<AuditEvent[]> {
    return structuredClone(this.events.get(reviewRecord(review.id)) ?? []);
  }
}
