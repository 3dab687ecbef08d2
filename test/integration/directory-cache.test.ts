import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedClient } from '../../functions/adapters/lazy-client';
import { lazyClient } from '../../functions/adapters/lazy-client';
import { CachedDirectory } from '../../functions/adapters/cached-directory';
import { DynamoDirectory, directoryVersionRaise, personRecords } from '../../functions/adapters/dynamo-directory';
import { inRequestScope } from '../../functions/adapters/request-scope';
import type { Person } from '../../functions/domain/organisation';
import { runtime } from './support';

const local = { endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/**
 * A client like the functions' own (lazy-client.ts: it takes the SDK's commands by name) over a
 * DocumentClient of its own whose calls are counted by operation.
 */
function countedClient() {
  const sdk = DynamoDBDocumentClient.from(new DynamoDBClient(local), { marshallOptions: { removeUndefinedValues: true } });
  const calls: string[] = [];
  sdk.middlewareStack.add((next, context) => (args) => (calls.push(String(context.commandName).replace(/Command$/, '')), next(args)), { step: 'initialize' });
  const client = lazyClient<DynamoDBDocumentClient>(async () => ({ client: sdk as unknown as LoadedClient['client'], commands: await import('@aws-sdk/lib-dynamodb') }));
  return { client, sdk, calls, reset: () => calls.splice(0) };
}

const { client, sdk, calls, reset } = countedClient();
const writerSdk = DynamoDBDocumentClient.from(new DynamoDBClient(local), { marshallOptions: { removeUndefinedValues: true } });
const writer = lazyClient<DynamoDBDocumentClient>(async () => ({ client: writerSdk as unknown as LoadedClient['client'], commands: await import('@aws-sdk/lib-dynamodb') }));
afterAll(() => (sdk.destroy(), writerSdk.destroy()));
const table = runtime.tables.records;
/** Every request reads the version (no read of it is used again), so that each step below is seen at once. */
const strict = { versionMaxAgeMs: 0 };

/** A person of this test's own department, holding a role in a scope nobody else uses. */
function person(id: string, scopeId: string): Person {
  return {
    id,
    name: { ja: `試験 ${id}`, en: `Test ${id}` },
    email: `${id}@example.jp`,
    siteId: 'site-tokyo',
    branchId: 'br-east',
    departmentId: 'dep-cache-test',
    roles: [{ role: 'siteManager', scope: { kind: 'site', id: scopeId } }],
  } as Person;
}

/**
 * Writes people behind the cache's back, raising the directory's version as every directory write
 * does. Their profiles stay out of the people listing, so that other tests' counts are not theirs.
 */
async function store(people: Person[], { raise }: { raise: boolean }) {
  for (const item of people.flatMap(personRecords)) {
    const listed = item.entity === 'person' ? { ...item, gsi1pk: undefined, gsi1sk: undefined } : item;
    await writer.send(new PutCommand({ TableName: table, Item: listed }));
  }
  if (raise) await writer.send(new UpdateCommand(directoryVersionRaise(table).Update));
}

describe('the directory kept by a process', () => {
  it('reads role holders once across requests while the directory version stays the same', async () => {
    const scope = `site-cache-${Date.now()}`;
    await store([person('u-cache-a1', scope)], { raise: true });
    const directory = new CachedDirectory(client, table, strict);
    await inRequestScope(() => directory.holders('siteManager', scope));
    reset();
    const again = await inRequestScope(() => directory.holders('siteManager', scope));
    expect(again.map((p) => p.id)).toEqual(['u-cache-a1']);
    // Only the version item was read: the holders came from what the process kept.
    expect(calls).toEqual(['GetItem']);
  });

  it('reads the version once per request, however many reads the request makes', async () => {
    const scope = `site-cache-once-${Date.now()}`;
    await store([person('u-cache-b1', scope)], { raise: true });
    const directory = new CachedDirectory(client, table, strict);
    await inRequestScope(async () => (await directory.holders('siteManager', scope), await directory.person('u-cache-b1')));
    reset();
    await inRequestScope(async () => {
      await directory.holders('siteManager', scope);
      await directory.person('u-cache-b1');
      await directory.absencesOn(['u-cache-b1'], '2026-12-07');
      await directory.absencesOn(['u-cache-b1'], '2026-12-08');
    });
    expect(calls.filter((c) => c === 'GetItem')).toHaveLength(1);
    expect(calls.filter((c) => c !== 'GetItem')).toEqual(['BatchGetItem']);
  });

  it('sees a new role holder in the first request after the change', async () => {
    const scope = `site-cache-change-${Date.now()}`;
    await store([person('u-cache-c1', scope)], { raise: true });
    const directory = new CachedDirectory(client, table, strict);
    expect((await inRequestScope(() => directory.holders('siteManager', scope))).map((p) => p.id)).toEqual(['u-cache-c1']);
    await store([person('u-cache-c2', scope)], { raise: true });
    expect((await inRequestScope(() => directory.holders('siteManager', scope))).map((p) => p.id).sort()).toEqual(['u-cache-c1', 'u-cache-c2']);
  });

  it('sees an absence set through another process at once, since setting it raises the version', async () => {
    const scope = `site-cache-absence-${Date.now()}`;
    await store([person('u-cache-d1', scope)], { raise: true });
    const mine = new CachedDirectory(client, table, strict);
    const other = new DynamoDirectory(writer, table);
    expect((await inRequestScope(() => mine.absencesOn(['u-cache-d1'], '2026-12-10'))).size).toBe(0);
    await other.setAbsence({ personId: 'u-cache-d1', from: '2026-12-09', to: '2026-12-11', delegate: { id: 'u-sato', name: { ja: '佐藤', en: 'Sato' } } } as never);
    expect([...(await inRequestScope(() => mine.absencesOn(['u-cache-d1'], '2026-12-10'))).keys()]).toEqual(['u-cache-d1']);
    await other.clearAbsence('u-cache-d1');
    expect((await inRequestScope(() => mine.absencesOn(['u-cache-d1'], '2026-12-10'))).size).toBe(0);
  });

  it('keeps nothing outside a request scope', async () => {
    const scope = `site-cache-unscoped-${Date.now()}`;
    await store([person('u-cache-e1', scope)], { raise: true });
    const directory = new CachedDirectory(client, table, strict);
    await directory.holders('siteManager', scope);
    // A change that did not raise the version is still seen: nothing was kept.
    await store([person('u-cache-e2', scope)], { raise: false });
    reset();
    expect((await directory.holders('siteManager', scope)).map((p) => p.id).sort()).toEqual(['u-cache-e1', 'u-cache-e2']);
    expect(calls).toEqual(['Query']);
  });

  it('re-reads after its own write within the same request, so a handed-over role is followed at once', async () => {
    const scope = `site-cache-own-${Date.now()}`;
    await store([person('u-cache-f1', scope)], { raise: true });
    const directory = new CachedDirectory(client, table, strict);
    await inRequestScope(async () => {
      expect(await directory.absenceOn('u-cache-f1', '2026-12-10')).toBeNull();
      await directory.setAbsence({ personId: 'u-cache-f1', from: '2026-12-10', to: '2026-12-10', delegate: { id: 'u-sato', name: { ja: '佐藤', en: 'Sato' } } } as never);
      expect((await directory.absenceOn('u-cache-f1', '2026-12-10'))?.delegate.id).toBe('u-sato');
      await directory.clearAbsence('u-cache-f1');
    });
  });

  it('uses a read of the version for a second: requests within it make no call at all', async () => {
    const scope = `site-cache-recent-${Date.now()}`;
    await store([person('u-cache-g1', scope)], { raise: true });
    let now = 1_000_000;
    const directory = new CachedDirectory(client, table, { now: () => now });
    await inRequestScope(() => directory.holders('siteManager', scope));
    reset();
    now += 900;
    expect((await inRequestScope(() => directory.holders('siteManager', scope))).map((p) => p.id)).toEqual(['u-cache-g1']);
    expect(calls).toEqual([]);
    now += 200;
    await inRequestScope(() => directory.holders('siteManager', scope));
    expect(calls).toEqual(['GetItem']);
  });

  it('sees a change made elsewhere once its read of the version is a second old', async () => {
    const scope = `site-cache-later-${Date.now()}`;
    await store([person('u-cache-h1', scope)], { raise: true });
    let now = 2_000_000;
    const directory = new CachedDirectory(client, table, { now: () => now });
    await inRequestScope(() => directory.holders('siteManager', scope));
    await store([person('u-cache-h2', scope)], { raise: true });
    now += 500;
    expect((await inRequestScope(() => directory.holders('siteManager', scope))).map((p) => p.id)).toEqual(['u-cache-h1']);
    now += 600;
    expect((await inRequestScope(() => directory.holders('siteManager', scope))).map((p) => p.id).sort()).toEqual(['u-cache-h1', 'u-cache-h2']);
  });

  it('does not use a read of the version made before this process changed the directory', async () => {
    const scope = `site-cache-mine-${Date.now()}`;
    await store([person('u-cache-i1', scope)], { raise: true });
    const now = 3_000_000;
    const directory = new CachedDirectory(client, table, { now: () => now });
    const other = new CachedDirectory(client, table, { now: () => now });
    expect(await inRequestScope(() => directory.absenceOn('u-cache-i1', '2026-12-10'))).toBeNull();
    // Another store of this process sets the absence: the clock has not moved, the version is read again.
    await inRequestScope(() => other.setAbsence({ personId: 'u-cache-i1', from: '2026-12-10', to: '2026-12-10', delegate: { id: 'u-sato', name: { ja: '佐藤', en: 'Sato' } } } as never));
    expect((await inRequestScope(() => directory.absenceOn('u-cache-i1', '2026-12-10')))?.delegate.id).toBe('u-sato');
    await other.clearAbsence('u-cache-i1');
  });
});
