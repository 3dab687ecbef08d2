import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from './sdk-commands';
import type { LedgerEntry } from '../domain/approval';
import type { AuditEvent } from '../domain/audit';
import type { Duty, DutyStore } from '../domain/duties';
import { dutyRecord } from '../domain/duties';
import type { Page, PageRequest } from '../domain/ledgers';
import type { RecordChange } from '../domain/versioned';
import type { Guarded, Tables } from './dynamo-ledger-ops';
import { ledgerTransactItems } from './dynamo-ledger-ops';
import { commitVersioned, queryRecords, readAuditChain, versionedPut } from './dynamo-versioned';
import { entity, keys, withoutStorage } from './keys';

/**
 * A duty as stored: by due month (gsi1, for the calendar), and while open by reminder date (gsi2)
 * and by due date (gsi3, for what is overdue). Both open-only indexes are sparse, so the daily run
 * and the overdue list read only open duties.
 */
export function dutyStorage(duty: Duty): Record<string, unknown> {
  const open = duty.status === 'open';
  return {
    ...keys.duty(duty.id),
    entity: entity.duty,
    gsi1pk: keys.dutiesDueIn(duty.dueOn.slice(0, 7)),
    gsi1sk: `${duty.dueOn}#${duty.id}`,
    ...(open && duty.remindOn ? { gsi2pk: keys.dutiesToRemind(), gsi2sk: `${duty.remindOn}#${duty.id}` } : {}),
    ...(open ? { gsi3pk: keys.openDuties(), gsi3sk: `${duty.dueOn}#${duty.id}` } : {}),
    ...duty,
  };
}

/** The transaction items of duty changes, for writing them together with another record's change. */
export const dutyTransactItems = (tables: Tables, changes: readonly RecordChange<Duty>[]): Guarded[] =>
  changes.flatMap((change) => versionedPut(tables, change, dutyStorage(change.next)));

/** Duties in the records table, their audit chains in the audit table. */
export class DynamoDuties implements DutyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async get(id: string): Promise<Duty | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.records, Key: keys.duty(id), ConsistentRead: true }));
    return result.Item ? withoutStorage<Duty>(result.Item) : null;
  }

  commit(changes: readonly RecordChange<Duty>[], ledger: readonly LedgerEntry[] = []): Promise<void> {
    return commitVersioned(
      this.db,
      this.tables,
      changes.map((change) => ({ change, storage: dutyStorage(change.next) })),
      ledgerTransactItems(this.tables, ledger),
    );
  }

  toRemind(onOrBefore: string, page: PageRequest): Promise<Page<Duty>> {
    // `~` sorts after every id character, so every duty of that date is included.
    return queryRecords<Duty>(this.db, this.tables, { index: 'gsi2', partition: keys.dutiesToRemind(), sortAtMost: `${onOrBefore}#~`, page });
  }

  dueIn(month: string, page: PageRequest): Promise<Page<Duty>> {
    return queryRecords<Duty>(this.db, this.tables, { index: 'gsi1', partition: keys.dutiesDueIn(month), page });
  }

  openDueBefore(date: string, page: PageRequest): Promise<Page<Duty>> {
    return queryRecords<Duty>(this.db, this.tables, { index: 'gsi3', partition: keys.openDuties(), sortBefore: date, page });
  }

  history(id: string): Promise<AuditEvent[]> {
    return readAuditChain(this.db, this.tables, dutyRecord(id));
  }
}
