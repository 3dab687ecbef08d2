/**
 * Every key of the records table, built in one place. Items carry an `entity` attribute naming what
 * they are; `gsi1` serves "by owner" reads and `gsi2` "by state" reads (see infra/tables.ts).
 */
const pad = (value: number, width: number) => String(value).padStart(width, '0');

export const entity = {
  person: 'person',
  roleAssignment: 'role-assignment',
  place: 'place',
  request: 'request',
  task: 'task',
  link: 'link',
  ledgerItem: 'ledger-item',
  claim: 'claim',
  absence: 'absence',
  circulation: 'circulation',
  auditEvent: 'audit-event',
} as const;

export type PlaceKind = 'site' | 'branch' | 'department';

export const keys = {
  person: (id: string) => ({ pk: `PERSON#${id}`, sk: 'PROFILE' }),
  /** All people, for the directory listing. */
  people: () => 'PEOPLE',
  /** A person's current absence (代理承認): one per person. */
  absence: (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'ABSENCE' }),
  roleAssignment: (personId: string, role: string, scopeId: string) => ({ pk: `PERSON#${personId}`, sk: `ROLE#${role}#${scopeId}` }),
  /** gsi1 partition of the people holding a role in a scope. */
  roleHolders: (role: string, scopeId: string) => `ROLE#${role}#${scopeId}`,
  place: (kind: PlaceKind, id: string) => ({ pk: `${kind.toUpperCase()}#${id}`, sk: 'PROFILE' }),
  places: (kind: PlaceKind) => `PLACES#${kind}`,

  request: (id: string) => ({ pk: `REQUEST#${id}`, sk: 'REQUEST' }),
  requestPartition: (id: string) => `REQUEST#${id}`,
  task: (requestId: string, round: number, stage: number, approverId: string) => ({
    pk: `REQUEST#${requestId}`,
    sk: `TASK#${pad(round, 4)}#${pad(stage, 2)}#${approverId}`,
  }),
  taskPrefix: 'TASK#',
  /** gsi1 partitions. */
  byRequester: (userId: string) => `REQUESTER#${userId}`,
  inbox: (approverId: string) => `INBOX#${approverId}`,
  /** gsi2 partition of the requests the workflow still owes something (sparse). */
  needingWorkflow: () => 'WORKFLOW#pending',
  circulation: (requestId: string, personId: string) => ({ pk: `REQUEST#${requestId}`, sk: `CIRC#${personId}` }),
  /** gsi1: a person's circulations; gsi3: only the unread ones (sparse). */
  circulationsOf: (personId: string) => `CIRC#${personId}`,
  unreadCirculationsOf: (personId: string) => `CIRCUNREAD#${personId}`,
  /** gsi2 partition of pending tasks by reminder date (sparse). */
  tasksToRemind: () => 'TASKS#remind',

  link: (tokenHash: string) => ({ pk: `LINK#${tokenHash}`, sk: 'LINK' }),

  ledgerItem: (ledger: string, id: string) => ({ pk: `LEDGER#${ledger}`, sk: `ITEM#${id}` }),
  ledgerPartition: (ledger: string) => `LEDGER#${ledger}`,
  /** gsi1: a ledger's items at one site; gsi3: in one branch; gsi2: in one state (see LedgerDefinition.stateKey). */
  ledgerBySite: (ledger: string, siteId: string) => `LEDGERSITE#${ledger}#${siteId}`,
  ledgerByBranch: (ledger: string, branchId: string) => `LEDGERBRANCH#${ledger}#${branchId}`,
  ledgerByState: (ledger: string, partition: string) => `LEDGERSTATE#${ledger}#${partition}`,
  /** A unique name held by a request or an item (one person one ID). */
  claim: (key: string) => ({ pk: `CLAIM#${key}`, sk: 'CLAIM' }),

  /** The audit table's key: one partition per record, one item per event. */
  auditEvent: (record: string, seq: number) => ({ pk: record, seq }),
} as const;

/** Attributes that belong to the storage, not to the domain object. */
export const storageAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', 'expiresAtEpoch'] as const;

export function withoutStorage<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of storageAttributes) delete copy[attribute];
  return copy as T;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Decodes a page cursor; a cursor that is not ours is refused rather than passed to DynamoDB. */
export function decodeCursor(cursor: string | undefined, partition: { name: string; value: string }): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key && typeof key === 'object' && key[partition.name] === partition.value) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid for this list.');
    this.name = 'InvalidCursorError';
  }
}
