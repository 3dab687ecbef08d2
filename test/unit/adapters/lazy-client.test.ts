import { describe, expect, it } from 'vitest';
import type { LoadedClient } from '../../../functions/adapters/lazy-client';
import { deferred, lazyClient } from '../../../functions/adapters/lazy-client';

/** A stand-in SDK: commands record their input, the client records what it sent and its middleware. */
class FakeGet {
  constructor(readonly input: unknown) {}
}
function fakeSdk() {
  const sent: unknown[] = [];
  const middleware: unknown[][] = [];
  let loads = 0;
  let destroyed = false;
  const client = {
    async send(command: unknown) {
      sent.push(command);
      return { echoed: command };
    },
    destroy() {
      destroyed = true;
    },
    middlewareStack: { add: (...args: unknown[]) => middleware.push(args) },
    region: 'ap-northeast-1',
  };
  const load = async (): Promise<LoadedClient> => {
    loads++;
    return { client, commands: { FakeGet } };
  };
  return { sent, middleware, load, loads: () => loads, destroyed: () => destroyed };
}

type Client = { send(command: unknown): Promise<{ echoed: unknown }>; destroy(): void; middlewareStack: { add(...args: unknown[]): void }; region?: string };

describe('lazyClient', () => {
  it('loads the SDK on the first send, not before, and only once', async () => {
    const sdk = fakeSdk();
    const client = lazyClient<Client>(sdk.load);
    expect(sdk.loads()).toBe(0);
    await Promise.all([client.send(new FakeGet({ a: 1 })), client.send(new FakeGet({ a: 2 }))]);
    await client.send(new FakeGet({ a: 3 }));
    expect(sdk.loads()).toBe(1);
    expect(sdk.sent).toHaveLength(3);
  });

  it('turns a deferred command into the SDK command of the same name, with the same input', async () => {
    const sdk = fakeSdk();
    const client = lazyClient<Client>(sdk.load);
    const Get = deferred<typeof FakeGet>('FakeGet');
    const { echoed } = await client.send(new Get({ TableName: 't', Key: { pk: 'a' } }));
    expect(echoed).toBeInstanceOf(FakeGet);
    expect((echoed as FakeGet).input).toEqual({ TableName: 't', Key: { pk: 'a' } });
  });

  it('passes an SDK command through unchanged', async () => {
    const sdk = fakeSdk();
    const client = lazyClient<Client>(sdk.load);
    const own = new FakeGet({ x: 1 });
    expect((await client.send(own)).echoed).toBe(own);
  });

  it('refuses a deferred command the package does not have', async () => {
    const client = lazyClient<Client>(fakeSdk().load);
    const Scan = deferred<typeof FakeGet>('ScanCommand');
    await expect(client.send(new Scan({}))).rejects.toThrow('no command ScanCommand');
  });

  it('applies middleware added before the first call when the client is built, and directly after', async () => {
    const sdk = fakeSdk();
    const client = lazyClient<Client>(sdk.load);
    client.middlewareStack.add('before', { name: 'one' });
    expect(sdk.middleware).toEqual([]);
    await client.send(new FakeGet({}));
    expect(sdk.middleware).toEqual([['before', { name: 'one' }]]);
    client.middlewareStack.add('after', { name: 'two' });
    expect(sdk.middleware).toEqual([['before', { name: 'one' }], ['after', { name: 'two' }]]);
  });

  it('loads again after a failed load instead of failing for ever', async () => {
    const sdk = fakeSdk();
    let fail = true;
    const client = lazyClient<Client>(async () => {
      if (fail) throw new Error('module not found');
      return sdk.load();
    });
    await expect(client.send(new FakeGet({}))).rejects.toThrow('module not found');
    fail = false;
    await expect(client.send(new FakeGet({}))).resolves.toBeDefined();
  });

  it('offers the SDK client\'s other members once loaded, and is not mistaken for a promise before', async () => {
    const sdk = fakeSdk();
    const client = lazyClient<Client>(sdk.load);
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
    expect(client.region).toBeUndefined();
    client.destroy(); // nothing to destroy yet
    expect(sdk.destroyed()).toBe(false);
    await client.send(new FakeGet({}));
    expect(client.region).toBe('ap-northeast-1');
    client.destroy();
    expect(sdk.destroyed()).toBe(true);
  });
});
