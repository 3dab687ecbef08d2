import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { BatchGetCommandOutput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from './sdk-commands';
import type { Absence, Directory, Person, PersonRef, Place } from '../domain/organisation';
import type { RoleId } from '../domain/roles';
import type { PlaceKind } from './keys';
import { entity, keys, withoutStorage } from './keys';
import type { AuditEvent, ChainHead } from '../domain/audit';
import { emptyChain } from '../domain/audit';
import type { OrganisationStore, OrganisationWrite, PersonRecord, PlaceRecord } from '../domain/organisation-admin';
import type { VersionedRecord } from '../domain/versioned';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { transact } from './dynamo-ledgers';
import { queryEvery, readAuditChain, versionedPut } from './dynamo-versioned';
import { directoryChanged } from './request-scope';

/** The organisation directory in the records table: people by key, role holders by index. */
export class DynamoDirectory implements Directory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async person(id: string): Promise<Person | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.person(id) }));
    return result.Item ? withoutStorage<Person>(result.Item) : null;
  }

  async absenceOn(personId: string, date: string): Promise<Absence | null> {
    return covering(await this.absence(personId), date);
  }

  async absencesOn(personIds: readonly string[], date: string): Promise<ReadonlyMap<string, Absence>> {
    return coveringAll(await this.storedAbsences(personIds), date);
  }

  /** One BatchGetItem for everyone's stored absence (by 100 keys), whatever dates it covers. */
  async storedAbsences(personIds: readonly string[]): Promise<ReadonlyMap<string, Absence>> {
    const found = new Map<string, Absence>();
    for (let start = 0; start < personIds.length; start += 100) {
      let wanted: Record<string, unknown>[] | undefined = personIds.slice(start, start + 100).map((id) => keys.absence(id));
      // DynamoDB may leave keys unprocessed under load; asking again for those few settles it.
      for (let attempt = 0; wanted && wanted.length > 0 && attempt < 5; attempt++) {
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: wanted } } }));
        for (const item of result.Responses?.[this.table] ?? []) {
          const absence = withoutStorage<Absence>(item);
          found.set(absence.personId, absence);
        }
        wanted = result.UnprocessedKeys?.[this.table]?.Keys;
      }
      if (wanted && wanted.length > 0) throw Object.assign(new Error('Absences left unprocessed by DynamoDB'), { name: 'ThrottlingException' });
    }
    return found;
  }

  async absence(personId: string): Promise<Absence | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.absence(personId) }));
    return result.Item ? withoutStorage<Absence>(result.Item) : null;
  }

  async setAbsence(absence: Absence): Promise<void> {
    await this.changeDirectory({ Put: { TableName: this.table, Item: { ...keys.absence(absence.personId), entity: entity.absence, ...absence } } });
  }

  async clearAbsence(personId: string): Promise<void> {
    await this.changeDirectory({ Delete: { TableName: this.table, Key: keys.absence(personId) } });
  }

  /** The directory's version (see `keys.directoryVersion`); 0 before anything raised it. */
  async version(): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.directoryVersion(), ConsistentRead: true }));
    return Number(result.Item?.version ?? 0);
  }

  /**
   * One write with the version raised beside it. Two changes at the same moment both raise the
   * counter, and DynamoDB cancels one of them (TransactionConflict); trying again a few times settles it.
   */
  private async changeDirectory(write: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [write, directoryVersionRaise(this.table)] }));
        directoryChanged();
        return;
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        const conflict = error instanceof Error && error.name === 'TransactionCanceledException' && reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflict || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
  }

  async holders(role: RoleId, scopeId: string): Promise<PersonRef[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.roleHolders(role, scopeId) },
      }),
    );
    return (result.Items ?? []).map((item) => ({ id: String(item.personId), name: item.name as PersonRef['name'] }));
  }

  async people(): Promise<Person[]> {
    const people: Person[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.people() },
          ExclusiveStartKey: startKey,
        }),
      );
      people.push(...(page.Items ?? []).map((item) => withoutStorage<Person>(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return people;
  }

  /** Site, branch and department of a person, read together by key. */
  async placesOf(person: Person): Promise<Record<PlaceKind, Place | null>> {
    const wanted: [PlaceKind, string][] = [
      ['site', person.siteId],
      ['branch', person.branchId],
      ['department', person.departmentId],
    ];
    const result = await this.db.send(
      new BatchGetCommand({ RequestItems: { [this.table]: { Keys: wanted.map(([kind, id]) => keys.place(kind, id)) } } }),
    );
    const found = (result.Responses?.[this.table] ?? []).map((item) => withoutStorage<Place & { kind: PlaceKind }>(item));
    const pick = (kind: PlaceKind, id: string) => {
      const place = found.find((p) => p.kind === kind && p.id === id);
      return place ? { id: place.id, name: place.name } : null;
    };
    return { site: pick('site', person.siteId), branch: pick('branch', person.branchId), department: pick('department', person.departmentId) };
  }
}

/** The absence if it covers this Japan date. */
export function covering(absence: Absence | null | undefined, date: string): Absence | null {
  return absence && absence.from <= date && date <= absence.to ? absence : null;
}

export function coveringAll(absences: ReadonlyMap<string, Absence>, date: string): ReadonlyMap<string, Absence> {
  return new Map([...absences].filter(([, absence]) => covering(absence, date)));
}

/** The transaction item that raises the directory's version; every write of the directory carries it. */
export function directoryVersionRaise(table: string) {
  return {
    Update: {
      TableName: table,
      Key: keys.directoryVersion(),
      UpdateExpression: 'SET #entity = :entity ADD #version :one',
      ExpressionAttributeNames: { '#entity': 'entity', '#version': 'version' },
      ExpressionAttributeValues: { ':entity': entity.directoryVersion, ':one': 1 },
    },
  };
}

/** The items that store one person: the profile (listed under PEOPLE) and one item per role held. */
export function personRecords(person: Person) {
  return [
    { ...keys.person(person.id), entity: entity.person, gsi1pk: keys.people(), gsi1sk: person.id, ...person },
    ...person.roles.map((assignment) => ({
      ...keys.roleAssignment(person.id, assignment.role, assignment.scope.id),
      entity: entity.roleAssignment,
      gsi1pk: keys.roleHolders(assignment.role, assignment.scope.id),
      gsi1sk: person.id,
      personId: person.id,
      name: person.name,
      role: assignment.role,
      scope: assignment.scope,
    })),
  ];
}

export function placeRecord(kind: PlaceKind, place: Place & { branchId?: string }) {
  return { ...keys.place(kind, place.id), entity: entity.place, gsi1pk: keys.places(kind), gsi1sk: place.id, kind, ...place };
}

/**
 * The write side of the directory: people and places as versioned records with their own audit chains
 * (`person#<id>`, `site#<id>` …). A person's role items are rewritten with their profile in the same
 * transaction, so the role holders index never disagrees with the profile.
 */
export class DynamoOrganisationStore implements OrganisationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly directory: DynamoDirectory,
  ) {}

  async personRecord(id: string): Promise<PersonRecord | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.person(id), ConsistentRead: true }));
    return result.Item ? versioned(withoutStorage<PersonRecord>(result.Item)) : null;
  }

  async personRecords(): Promise<PersonRecord[]> {
    return (await this.queryAll(keys.people())).map((item) => versioned(withoutStorage<PersonRecord>(item)));
  }

  async placeRecord(kind: PlaceKind, id: string): Promise<PlaceRecord | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.place(kind, id), ConsistentRead: true }));
    return result.Item ? versioned(withoutStorage<PlaceRecord>(result.Item)) : null;
  }

  async placeRecords(kind: PlaceKind): Promise<PlaceRecord[]> {
    return (await this.queryAll(keys.places(kind))).map((item) => versioned(withoutStorage<PlaceRecord>(item)));
  }

  absence(personId: string): Promise<Absence | null> {
    return this.directory.absence(personId);
  }

  directoryHistory(record: string): Promise<AuditEvent[]> {
    return readAuditChain(this.db, this.tables, record);
  }

  async commitOrganisation(writes: readonly OrganisationWrite[]): Promise<void> {
    const { records } = this.tables;
    const guarded: Guarded[] = [];
    for (const write of writes) {
      if (write.kind === 'person') {
        const [profile, ...roleItems] = personRecords(write.change.next);
        guarded.push(...seededAware(versionedPut(this.tables, write.change, profile)));
        const kept = new Set(write.change.next.roles.map((r) => `${r.role}#${r.scope.id}`));
        for (const old of write.previous?.roles ?? []) {
          if (!kept.has(`${old.role}#${old.scope.id}`)) guarded.push({ target: 'stale', item: { Delete: { TableName: records, Key: keys.roleAssignment(write.change.next.id, old.role, old.scope.id) } } });
        }
        // Role items carry the holder's name, so every one is written again with the profile.
        for (const item of roleItems) guarded.push({ target: 'stale', item: { Put: { TableName: records, Item: item } } });
      } else {
        guarded.push(...seededAware(versionedPut(this.tables, write.change, placeRecord(write.change.next.kind, write.change.next))));
      }
    }
    if (guarded.length === 0) return;
    guarded.push({ target: 'stale', item: directoryVersionRaise(records) });
    await transact(this.db, guarded);
    directoryChanged();
  }

  private queryAll(partition: string): Promise<Record<string, unknown>[]> {
    return queryEvery(this.db, { TableName: this.tables.records, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition } });
  }
}

/** Seeded people and places carry no version or chain yet: they read as version 0 with an empty chain. */
function versioned<T extends { version?: number; audit?: ChainHead }>(record: T): T & VersionedRecord {
  return { ...record, version: Number(record.version ?? 0), audit: record.audit ? { seq: Number(record.audit.seq), hash: record.audit.hash } : emptyChain() };
}

/** A first edit of a seeded record (stored without a version) must find it still unversioned, or at version 0. */
function seededAware(items: Guarded[]): Guarded[] {
  const [put, ...rest] = items;
  const condition = put.item.Put;
  if (!condition || condition.ConditionExpression === 'attribute_not_exists(pk)' || condition.ExpressionAttributeValues?.[':expected'] !== 0) return items;
  return [
    { ...put, item: { Put: { ...condition, ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#v) OR #v = :expected)', ExpressionAttributeNames: { '#v': 'version' } } } },
    ...rest,
  ];
}
