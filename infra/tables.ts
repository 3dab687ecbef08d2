/**
 * The DynamoDB tables, described once. The CDK data construct deploys exactly these, and the local
 * runtime creates them in DynamoDB Local from the same description, so key names and indexes never
 * drift between the two deployments.
 */
export interface IndexSpec {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableSpec {
  /** Logical id in CDK; the local runtime uses it (with a prefix) as the table name. */
  id: string;
  partitionKey: string;
  sortKey: string;
  /** All key attributes are strings, except the sort key of the audit log. */
  sortKeyType: 'S' | 'N';
  indexes: IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, if the table expires items. */
  timeToLiveAttribute?: string;
  /** Environment variable that carries the table's name to the functions. */
  envName: string;
  /** The table's stream, if functions follow its changes (see `streamFunctions` in routes.ts). */
  stream?: 'NEW_AND_OLD_IMAGES';
}

/**
 * Records: organisation directory, requests, tasks, link tokens and ledgers (single-table design).
 *
 * - gsi1: "by owner" access patterns (a requester's requests, an approver's open tasks, the people
 *   holding a role in a scope, the items of a ledger in display order).
 * - gsi2: "by state" access patterns (requests the workflow owes something, ledger items by state).
 * - gsi3: ledger items by branch (支社), for the branch responsible's view of their ledgers.
 */
export const recordsTable: TableSpec = {
  id: 'Records',
  partitionKey: 'pk',
  sortKey: 'sk',
  sortKeyType: 'S',
  indexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  timeToLiveAttribute: 'expiresAtEpoch',
  envName: 'RECORDS_TABLE',
  // A request's stored changes reach the approval workflow from here (workflow-hand-over.ts).
  stream: 'NEW_AND_OLD_IMAGES',
};

/**
 * Audit log: append-only, one hash chain per record (`pk` = `<entity>#<id>`, `seq` = 1, 2, …).
 * Kept apart from the records because its retention and access differ: nothing ever updates or
 * deletes an item here.
 */
export const auditTable: TableSpec = {
  id: 'Audit',
  partitionKey: 'pk',
  sortKey: 'seq',
  sortKeyType: 'N',
  indexes: [],
  envName: 'AUDIT_TABLE',
};

export const tables: readonly TableSpec[] = [recordsTable, auditTable];
