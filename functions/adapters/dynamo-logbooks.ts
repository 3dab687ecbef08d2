import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from './sdk-commands';
import type { AuditEvent } from '../domain/audit';
import { StaleWriteError } from '../domain/errors';
import type { LogbookEntry, LogbookId, LogbookRegistry } from '../domain/logbooks';
import { dateOfEntryId, logbookEntryRecord, monthClosed, sortEntries } from '../domain/logbooks';
import type { Person, PersonRef, Place } from '../domain/organisation';
import type { LogbookStore } from '../domain/ports';
import type { RecordChange } from '../domain/versioned';
import type { Guarded, Tables, TransactItem } from './dynamo-ledger-ops';
import { queryEvery, readAuditChain, versionedPut } from './dynamo-versioned';
import { entity, keys, withoutStorage } from './keys';

/** An entry as stored: its keys (partition by logbook, site and month; sorted by date) and the entry. */
export function logbookEntryStorage(entry: LogbookEntry): Record<string, unknown> {
  return { ...keys.logbookEntry(entry.logbook, entry.siteId, entry.month, entry.date, entry.id), entity: entity.logbookEntry, ...entry };
}

/**
 * The check that closes a month: the entry is written only while the review of its month, logbook
 * and site does not exist yet or is still open.
 */
export function monthOpenCheck(tables: Tables, entry: Pick<LogbookEntry, 'logbook' | 'siteId' | 'month'>): TransactItem {
  return {
    ConditionCheck: {
      TableName: tables.records,
      Key: keys.review(entry.month, entry.logbook, entry.siteId),
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'open' },
    },
  };
}

/** Logbook entries in the records table, their audit chains in the audit table. */
export class DynamoLogbooks implements LogbookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly definitions: LogbookRegistry,
  ) {}

  async entries(logbook: LogbookId, siteId: string, month: string): Promise<LogbookEntry[]> {
    const items = await queryEvery(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': keys.logbookMonth(logbook, siteId, month), ':entry': keys.logbookEntryPrefix },
      ConsistentRead: true,
    });
    return sortEntries(this.definitions.get(logbook), items.map((item) => withoutStorage<LogbookEntry>(item)));
  }

  async get(logbook: LogbookId, siteId: string, month: string, id: string): Promise<LogbookEntry | null> {
    const date = dateOfEntryId(id);
    if (!date) return null;
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.logbookEntry(logbook, siteId, month, date, id), ConsistentRead: true }));
    return result.Item ? withoutStorage<LogbookEntry>(result.Item) : null;
  }

  /**
   * The entry (at the version it was read), its events and the month-open check, in one transaction.
   * A closed month answers the 409 of `monthClosed`; a lost race StaleWriteError.
   */
  async commit(change: RecordChange<LogbookEntry>): Promise<void> {
    const guarded: Guarded[] = [...versionedPut(this.tables, change, logbookEntryStorage(change.next))];
    const check = guarded.length;
    const items = [...guarded.map((g) => g.item), monthOpenCheck(this.tables, change.next)];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      // By name: the SDK's error classes load only with the client (see lazy-client.ts).
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        if (reasons[check]?.Code === 'ConditionalCheckFailed') {
          const definition = this.definitions.get(change.next.logbook);
          throw monthClosed(definition ?? { title: { ja: '記録簿', en: 'logbook' } }, change.next.month);
        }
        if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')) throw new StaleWriteError();
      }
      throw error;
    }
  }

  history(entry: LogbookEntry): Promise<AuditEvent[]> {
    return readAuditChain(this.db, this.tables, logbookEntryRecord(entry));
  }

  async closed(logbook: LogbookId, siteId: string, month: string): Promise<boolean> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.review(month, logbook, siteId), ConsistentRead: true }));
    return result.Item?.status === 'completed';
  }

  async sites(): Promise<Place[]> {
    return (await this.queryAll('gsi1', keys.places('site'))).map((item) => ({ id: String(item.id), name: item.name as Place['name'] }));
  }

  /** Everyone listed under the people index whose site it is; the directory has no index by site, and a site's people are few. */
  async peopleAt(siteId: string): Promise<PersonRef[]> {
    const people = (await this.queryAll('gsi1', keys.people())).map((item) => withoutStorage<Person>(item));
    return people
      .filter((person) => person.siteId === siteId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((person) => ({ id: person.id, name: person.name }));
  }

  private queryAll(index: 'gsi1', partition: string): Promise<Record<string, unknown>[]> {
    return queryEvery(this.db, { TableName: this.tables.records, IndexName: index, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition } });
  }
}
