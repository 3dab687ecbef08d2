import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Absence, Directory, Person, PersonRef, Place } from '../domain/organisation';
import type { RoleId } from '../domain/roles';
import type { PlaceKind } from './keys';
import { entity, keys, withoutStorage } from './keys';

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
    const absence = await this.absence(personId);
    return absence && absence.from <= date && date <= absence.to ? absence : null;
  }

  async absence(personId: string): Promise<Absence | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.absence(personId) }));
    return result.Item ? withoutStorage<Absence>(result.Item) : null;
  }

  async setAbsence(absence: Absence): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.absence(absence.personId), entity: entity.absence, ...absence } }));
  }

  async clearAbsence(personId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.absence(personId) }));
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
