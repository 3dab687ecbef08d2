import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from './sdk-commands';
import type { AuditEvent } from '../domain/audit';
import type { CaseStore, DepartmentMember } from '../domain/cases';
import type { Duty } from '../domain/duties';
import type { Incident } from '../domain/incidents';
import type { Page, PageRequest } from '../domain/ledgers';
import type { MediaCheckout } from '../domain/media-checkouts';
import type { Place } from '../domain/organisation';
import type { RecordChange } from '../domain/versioned';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { dutyTransactItems } from './dynamo-duties';
import { commitVersioned, queryEvery, queryRecords, readAuditChain } from './dynamo-versioned';
import { entity, keys, withoutStorage } from './keys';

/** An incident as stored: by reporter (gsi1) and among all incidents (gsi2), both sorted by report time. */
export function incidentStorage(incident: Incident): Record<string, unknown> {
  const sort = `${incident.reportedAt}#${incident.id}`;
  return {
    ...keys.caseItem(incident.id),
    entity: entity.incident,
    gsi1pk: keys.casesOf('incident', incident.reporter.id),
    gsi1sk: sort,
    gsi2pk: keys.casesOfKind('incident'),
    gsi2sk: sort,
    ...incident,
  };
}

/**
 * A checkout as stored: by borrower (gsi1), among all checkouts (gsi2), and while it is out by its
 * expected return (gsi3, sparse), so the list of what is out reads only what is out, latest due last.
 */
export function checkoutStorage(checkout: MediaCheckout): Record<string, unknown> {
  const sort = `${checkout.checkedOutAt}#${checkout.id}`;
  return {
    ...keys.caseItem(checkout.id),
    entity: entity.mediaCheckout,
    gsi1pk: keys.casesOf('media-checkout', checkout.borrower.id),
    gsi1sk: sort,
    gsi2pk: keys.casesOfKind('media-checkout'),
    gsi2sk: sort,
    ...(checkout.status === 'out' ? { gsi3pk: keys.outstandingCheckouts(), gsi3sk: `${checkout.expectedReturnOn}#${checkout.id}` } : {}),
    ...checkout,
  };
}

/**
 * The lock of a client from the ledger while it is out: taken with the checkout (refused when held),
 * given back with the return.
 */
function lockItems(tables: Tables, change: RecordChange<MediaCheckout>): Guarded[] {
  const clientId = change.next.item.clientId;
  if (!clientId) return [];
  const key = keys.checkoutLock(clientId);
  if (change.expectedVersion === null) {
    return [
      {
        target: 'claim',
        item: { Put: { TableName: tables.records, Item: { ...key, entity: entity.caseLock, clientId, checkoutId: change.next.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
      },
    ];
  }
  return change.next.status === 'returned' ? [{ target: 'stale', item: { Delete: { TableName: tables.records, Key: key } } }] : [];
}

/** Incidents and media checkouts in the records table, their audit chains in the audit table. */
export class DynamoCases implements CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  private async get<T>(id: string, kind: string): Promise<T | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.caseItem(id), ConsistentRead: true }));
    return result.Item && result.Item.entity === kind ? withoutStorage<T>(result.Item) : null;
  }

  private query<T>(index: 'gsi1' | 'gsi2' | 'gsi3', partition: string, page: PageRequest, newestFirst: boolean): Promise<Page<T>> {
    return queryRecords<T>(this.db, this.tables, { index, partition, page, newestFirst });
  }

  incident(id: string): Promise<Incident | null> {
    return this.get<Incident>(id, entity.incident);
  }

  commitIncident(change: RecordChange<Incident>): Promise<void> {
    return commitVersioned(this.db, this.tables, [{ change, storage: incidentStorage(change.next) }]);
  }

  incidentsReportedBy(personId: string, page: PageRequest): Promise<Page<Incident>> {
    return this.query<Incident>('gsi1', keys.casesOf('incident', personId), page, true);
  }

  incidents(page: PageRequest): Promise<Page<Incident>> {
    return this.query<Incident>('gsi2', keys.casesOfKind('incident'), page, true);
  }

  checkout(id: string): Promise<MediaCheckout | null> {
    return this.get<MediaCheckout>(id, entity.mediaCheckout);
  }

  commitCheckout(change: RecordChange<MediaCheckout>, duties: readonly RecordChange<Duty>[]): Promise<void> {
    return commitVersioned(this.db, this.tables, [{ change, storage: checkoutStorage(change.next) }], [...lockItems(this.tables, change), ...dutyTransactItems(this.tables, duties)]);
  }

  checkoutsOf(personId: string, page: PageRequest): Promise<Page<MediaCheckout>> {
    return this.query<MediaCheckout>('gsi1', keys.casesOf('media-checkout', personId), page, true);
  }

  checkouts(page: PageRequest): Promise<Page<MediaCheckout>> {
    return this.query<MediaCheckout>('gsi2', keys.casesOfKind('media-checkout'), page, true);
  }

  outstandingCheckouts(page: PageRequest): Promise<Page<MediaCheckout>> {
    return this.query<MediaCheckout>('gsi3', keys.outstandingCheckouts(), page, false);
  }

  history(record: string): Promise<AuditEvent[]> {
    return readAuditChain(this.db, this.tables, record);
  }

  async places(kind: 'site' | 'department'): Promise<Place[]> {
    const items = await queryEvery(this.db, { TableName: this.tables.records, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.places(kind) } });
    return items.map((item) => ({ id: String(item.id), name: item.name as Place['name'] }));
  }

  /**
   * The directory's people list, kept to those of the departments: a notice to the affected
   * departments is rare, and the list is read through its index like every other read.
   */
  async departmentMembers(departmentIds: readonly string[]): Promise<DepartmentMember[]> {
    const wanted = [...new Set(departmentIds)].slice(0, 100);
    if (wanted.length === 0) return [];
    const items = await queryEvery(this.db, {
      TableName: this.tables.records,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: `departmentId IN (${wanted.map((_, i) => `:d${i}`).join(', ')})`,
      ExpressionAttributeValues: { ':pk': keys.people(), ...Object.fromEntries(wanted.map((id, i) => [`:d${i}`, id])) },
    });
    return items.map((item) => ({ id: String(item.id), name: item.name as DepartmentMember['name'], departmentId: String(item.departmentId) }));
  }
}
