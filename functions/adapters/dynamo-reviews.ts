import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';
import type { Duty } from '../domain/duties';
import type { LogbookId } from '../domain/logbooks';
import type { Review, ReviewStore } from '../domain/reviews';
import { reviewRecord } from '../domain/reviews';
import type { RecordChange } from '../domain/versioned';
import type { Tables } from './dynamo-ledger-ops';
import { transact } from './dynamo-ledgers';
import { dutyTransactItems } from './dynamo-duties';
import { queryEvery, readAuditChain, versionedPut } from './dynamo-versioned';
import { entity, keys, withoutStorage } from './keys';
import { GetCommand, UpdateCommand } from './sdk-commands';

/**
 * A review as stored: under its month's partition (`REVIEW#<month>`, sort key `<logbook>#<siteId>`),
 * so that one Query reads a month and the logbook entries' ConditionCheck finds it by key. Its
 * `status` is what closes the month's entries.
 */
export const reviewStorage = (review: Review): Record<string, unknown> => ({ ...keys.review(review.month, review.logbook, review.siteId), entity: entity.review, ...review });

/** Reviews in the records table, their audit chains in the audit table. */
export class DynamoReviews implements ReviewStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async get(month: string, logbook: LogbookId, siteId: string): Promise<Review | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.review(month, logbook, siteId), ConsistentRead: true }));
    return result.Item ? withoutStorage<Review>(result.Item) : null;
  }

  async ofMonth(month: string): Promise<Review[]> {
    const items = await queryEvery(this.db, { TableName: this.tables.records, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.reviewMonth(month) } });
    return items.map((item) => withoutStorage<Review>(item));
  }

  async commit(change: RecordChange<Review>, duties: readonly RecordChange<Duty>[] = []): Promise<void> {
    await transact(this.db, [...versionedPut(this.tables, change, reviewStorage(change.next)), ...dutyTransactItems(this.tables, duties)]);
  }

  async saveTaskToken(review: Pick<Review, 'month' | 'logbook' | 'siteId'>, token: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.records,
          Key: keys.review(review.month, review.logbook, review.siteId),
          UpdateExpression: 'SET taskToken = :token, version = version + :one',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':token': token, ':one': 1, ':open': 'open' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  history(review: Pick<Review, 'id'>): Promise<AuditEvent[]> {
    return readAuditChain(this.db, this.tables, reviewRecord(review.id));
  }
}
