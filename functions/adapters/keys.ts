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
  duty: 'duty',
  logbookEntry: 'logbook-entry',
  review: 'review',
  incident: 'incident',
  mediaCheckout: 'media-checkout',
  caseLock: 'case-lock',
  directoryVersion: 'directory-version',
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
  /**
   * A counter raised in the same write as every change of people, places, role assignments or
   * absences: a process may keep what it read of the directory while this stays the same.
   */
  directoryVersion: () => ({ pk: 'DIRECTORY', sk: 'VERSION' }),

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

  /** A duty (see functions/domain/duties.ts): gsi1 by due month, gsi2 by reminder date and gsi3 open by due date (both sparse). */
  duty: (id: string) => ({ pk: `DUTY#${id}`, sk: 'DUTY' }),
  dutiesDueIn: (month: string) => `DUTIES#due#${month}`,
  dutiesToRemind: () => 'DUTIES#remind',
  openDuties: () => 'DUTIES#open',

  /** A case (incident or media checkout, see functions/domain/cases.ts): gsi1 by its person, gsi2 all of a kind, gsi3 checkouts still out (sparse). */
  caseItem: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  casesOf: (kind: string, personId: string) => `CASES#${kind}#person#${personId}`,
  casesOfKind: (kind: string) => `CASES#${kind}`,
  outstandingCheckouts: () => 'CASES#media-checkout#out',
  /** Held while a client from the ledger is taken out, so it cannot be taken out twice. */
  checkoutLock: (clientId: string) => ({ pk: `CASELOCK#clients#${clientId}`, sk: 'LOCK' }),

  /** A logbook entry: one partition per logbook, site and month, sorted by date (see functions/domain/logbooks.ts). */
  logbookEntry: (logbook: string, siteId: string, month: string, date: string, id: string) => ({ pk: `LOGBOOK#${logbook}#${siteId}#${month}`, sk: `ENTRY#${date}#${id}` }),
  logbookMonth: (logbook: string, siteId: string, month: string) => `LOGBOOK#${logbook}#${siteId}#${month}`,
  logbookEntryPrefix: 'ENTRY#',
  /** The monthly review of one logbook at one site: its `status` ('open' | 'completed') closes the month's entries. */
  review: (month: string, logbook: string, siteId: string) => ({ pk: `REVIEW#${month}`, sk: `${logbook}#${siteId}` }),
  /** Every review of a month: one partition, read by the month view and by the monthly run. */
  reviewMonth: (month: string) => `REVIEW#${month}`,

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

/** DynamoDB's limits on key attributes, in UTF-8 bytes. */
export const KEY_LIMITS = { partition: 2048, sort: 1024 } as const;

/**
 * Whether DynamoDB can store an item under this key. A key over the limits names nothing (no item
 * can have it): a read by it finds nothing, instead of DynamoDB refusing the request.
 */
export function keyFits(key: { pk: string; sk: string }): boolean {
  return Buffer.byteLength(key.pk, 'utf8') <= KEY_LIMITS.partition && Buffer.byteLength(key.sk, 'utf8') <= KEY_LIMITS.sort;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * The attributes of a LastEvaluatedKey when reading the partition named `name`: the table's key,
 * plus the index's own key for an index (`gsi1pk` → gsi1pk, gsi1sk, pk, sk). Every one is a string.
 */
function cursorAttributes(name: string): string[] {
  const index = /^(gsi\d+)pk$/.exec(name);
  return index ? [name, `${index[1]}sk`, 'pk', 'sk'] : ['pk', 'sk'];
}

/**
 * Decodes a page cursor. It must be exactly a key that a read of this partition could have given
 * out — its partition, the key attributes of the table or index and nothing else, each a string
 * within DynamoDB's limits — so that a forged or damaged cursor is refused here (400) rather than by
 * DynamoDB.
 */
export function decodeCursor(cursor: string | undefined, partition: { name: string; value: string }): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const expected = cursorAttributes(partition.name);
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    (key as Record<string, unknown>)[partition.name] === partition.value &&
    Object.keys(key).length === expected.length &&
    expected.every((attribute) => {
      const value = (key as Record<string, unknown>)[attribute];
      const limit = attribute.endsWith('pk') ? KEY_LIMITS.partition : KEY_LIMITS.sort;
      return typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= limit;
    });
  if (!valid) throw new InvalidCursorError();
  return key as Record<string, unknown>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid for this list.');
    this.name = 'InvalidCursorError';
  }
}
