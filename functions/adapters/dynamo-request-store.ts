import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from './sdk-commands';
import type { ApprovalRequest, Circulation, RequestChange, Task } from '../domain/approval';
import { needsWorkflow } from '../domain/approval';
import type { AuditEvent } from '../domain/audit';
import { ConditionFailedError } from '../domain/errors';
import type { Page, PageRequest } from '../domain/ledgers';
import type { ApprovalLink } from '../domain/link-token';
import type { RequestStore } from '../domain/ports';
import type { Guarded } from './dynamo-ledger-ops';
import { appendAudit, auditRecord, ledgerTransactItems } from './dynamo-ledger-ops';
import { transact } from './dynamo-ledgers';
import { queryRecords } from './dynamo-versioned';
import { decodeCursor, encodeCursor, entity, keys, withoutStorage } from './keys';

export { auditRecord };

const LINK_RETENTION_SECONDS = 30 * 24 * 60 * 60;

export function requestRecord(request: ApprovalRequest) {
  return {
    ...keys.request(request.id),
    entity: entity.request,
    gsi1pk: keys.byRequester(request.requester.id),
    gsi1sk: `${request.createdAt}#${request.id}`,
    // Sparse: only requests the workflow still owes something sit in this index.
    ...(needsWorkflow(request) ? { gsi2pk: keys.needingWorkflow(), gsi2sk: `${request.createdAt}#${request.id}` } : {}),
    ...request,
  };
}

export function taskRecord(task: Task) {
  return {
    ...keys.task(task.requestId, task.round, task.stage, task.approverId),
    entity: entity.task,
    // Only pending tasks sit in the inbox index (a sparse index): deciding a task removes it.
    ...(task.status === 'pending' ? { gsi1pk: keys.inbox(task.approverId), gsi1sk: `${task.createdAt}#${task.id}` } : {}),
    // Pending tasks by reminder date (sparse too): the daily 督促 reads only what is due.
    ...(task.status === 'pending' && task.remindOn ? { gsi2pk: keys.tasksToRemind(), gsi2sk: `${task.remindOn}#${task.id}` } : {}),
    ...task,
  };
}


export function linkRecord(link: ApprovalLink) {
  const { usedAt, ...rest } = link;
  return {
    ...keys.link(link.tokenHash),
    entity: entity.link,
    ...rest,
    ...(usedAt ? { usedAt } : {}),
    expiresAtEpoch: Math.floor(Date.parse(link.expiresAt) / 1000) + LINK_RETENTION_SECONDS,
  };
}

/** Requests, tasks, links and their audit chain in DynamoDB; every change is one transaction. */
export class DynamoRequestStore implements RequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { records: string; audit: string },
  ) {}

  async load(id: string) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.records,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.requestPartition(id) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const requestItem = items.find((item) => item.entity === entity.request);
    if (!requestItem) return null;
    return {
      request: withoutStorage<ApprovalRequest>(requestItem),
      tasks: items.filter((item) => item.entity === entity.task).map((item) => withoutStorage<Task>(item)),
      circulations: items.filter((item) => item.entity === entity.circulation).map((item) => circulationOf(item)),
    };
  }

  async commit(change: RequestChange): Promise<void> {
    const { records } = this.tables;
    const guarded: Guarded[] = [
      {
        target: change.expectedVersion === null ? 'request' : 'stale',
        item: {
          Put: {
            TableName: records,
            Item: requestRecord(change.request),
            ...(change.expectedVersion === null
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': change.expectedVersion } }),
          },
        },
      },
      ...change.events.map((event) => appendAudit(this.tables, event)),
      ...change.createTasks.map((task) => ({
        target: 'stale' as const,
        item: { Put: { TableName: records, Item: taskRecord(task), ConditionExpression: 'attribute_not_exists(pk)' } },
      })),
      ...change.updateTasks.map((task) => ({
        target: 'task' as const,
        item: {
          Put: {
            TableName: records,
            Item: taskRecord(task),
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          },
        },
      })),
      ...(change.useLink
        ? [
            {
              target: 'link' as const,
              item: {
                Update: {
                  TableName: records,
                  Key: keys.link(change.useLink.tokenHash),
                  UpdateExpression: 'SET usedAt = :at',
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
                  ExpressionAttributeValues: { ':at': change.useLink.at },
                },
              },
            },
          ]
        : []),
      ...ledgerTransactItems(this.tables, change.ledger),
      ...(change.createCirculations ?? []).map((circulation) => ({
        target: 'stale' as const,
        item: { Put: { TableName: records, Item: circulationRecord(circulation), ConditionExpression: 'attribute_not_exists(pk)' } },
      })),
    ];
    await transact(this.db, guarded);
  }

  private async queryPage<T>(input: { index: 'gsi1' | 'gsi2'; partition: string; page: PageRequest; newestFirst: boolean }): Promise<Page<T>> {
    const partitionName = input.index === 'gsi1' ? 'gsi1pk' : 'gsi2pk';
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        IndexName: input.index,
        KeyConditionExpression: `${partitionName} = :pk`,
        ExpressionAttributeValues: { ':pk': input.partition },
        ScanIndexForward: !input.newestFirst,
        Limit: input.page.limit,
        ExclusiveStartKey: decodeCursor(input.page.cursor, { name: partitionName, value: input.partition }),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((item) => withoutStorage<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  listByRequester(userId: string, page: PageRequest) {
    return this.queryPage<ApprovalRequest>({ index: 'gsi1', partition: keys.byRequester(userId), page, newestFirst: true });
  }

  listNeedingWorkflow(page: PageRequest) {
    return this.queryPage<ApprovalRequest>({ index: 'gsi2', partition: keys.needingWorkflow(), page, newestFirst: false });
  }

  async circulationsOf(personId: string, unread: boolean, page: PageRequest): Promise<Page<Circulation>> {
    const [index, partition] = unread ? (['gsi3', keys.unreadCirculationsOf(personId)] as const) : (['gsi1', keys.circulationsOf(personId)] as const);
    const found = await queryRecords<Record<string, unknown>>(this.db, this.tables, { index, partition, page, newestFirst: true });
    return { ...found, items: found.items.map((item) => circulationOf(item)) };
  }

  async markCirculationRead(requestId: string, personId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.records,
          Key: keys.circulation(requestId, personId),
          UpdateExpression: 'SET readAt = :at REMOVE gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(readAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  tasksToRemind(onOrBefore: string, page: PageRequest): Promise<Page<Task>> {
    return queryRecords<Task>(this.db, this.tables, { index: 'gsi2', partition: keys.tasksToRemind(), sortBefore: `${onOrBefore}#\uffff`, page });
  }

  inbox(approverId: string, page: PageRequest) {
    return this.queryPage<Task>({ index: 'gsi1', partition: keys.inbox(approverId), page, newestFirst: false });
  }

  async history(requestId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.audit,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `request#${requestId}` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      events.push(...(page.Items ?? []).map((item) => withoutStorage<AuditEvent>(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events.map(({ seq, ...rest }) => ({ ...rest, seq: Number(seq) }));
  }

  async link(tokenHash: string): Promise<ApprovalLink | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.link(tokenHash), ConsistentRead: true }));
    if (!result.Item) return null;
    const link = withoutStorage<ApprovalLink>(result.Item);
    return { ...link, usedAt: link.usedAt ?? null };
  }

  async saveLink(link: ApprovalLink): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tables.records, Item: linkRecord(link), ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async markNotified(task: Task, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.records,
          Key: keys.task(task.requestId, task.round, task.stage, task.approverId),
          UpdateExpression: 'SET notifiedAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') throw new ConditionFailedError('task');
      throw error;
    }
  }
}

function circulationRecord(circulation: Circulation) {
  const { readAt, ...rest } = circulation;
  return {
    ...keys.circulation(circulation.requestId, circulation.personId),
    entity: entity.circulation,
    gsi1pk: keys.circulationsOf(circulation.personId),
    gsi1sk: `${circulation.createdAt}#${circulation.requestId}`,
    ...(readAt ? { readAt } : { gsi3pk: keys.unreadCirculationsOf(circulation.personId), gsi3sk: `${circulation.createdAt}#${circulation.requestId}` }),
    ...rest,
  };
}

function circulationOf(item: Record<string, unknown>): Circulation {
  const circulation = withoutStorage<Circulation>(item);
  return { ...circulation, readAt: circulation.readAt ?? null };
}
