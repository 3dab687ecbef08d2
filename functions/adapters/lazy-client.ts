/**
 * AWS SDK clients that load their package on first use.
 *
 * Loading the SDK v3 packages takes 120–220 ms in a fresh Node process (client-dynamodb with
 * lib-dynamodb alone over 100 ms), which every function paid at cold start, whether or not it called
 * AWS, when its modules imported the SDK at the top. Here the package is imported by the first
 * `send`, and the command objects the stores build before that are light stand-ins
 * (functions/adapters/sdk-commands.ts) that the client turns into the SDK's own commands.
 */

/** A command built without the SDK: the name of the SDK's command class and its input. */
export interface DeferredCommand {
  readonly deferredCommand: string;
  readonly input: unknown;
}

const isDeferred = (command: unknown): command is DeferredCommand =>
  typeof command === 'object' && command !== null && typeof (command as DeferredCommand).deferredCommand === 'string';

/**
 * A stand-in for the SDK command class `name`, typed as that class so that code reads exactly as
 * with the SDK (`client.send(new GetCommand({...}))`). Only the clients of aws-clients.ts can send it.
 */
export function deferred<CommandClass>(name: string): CommandClass {
  return class {
    readonly deferredCommand = name;
    constructor(readonly input: unknown) {}
  } as unknown as CommandClass;
}

type Constructor = new (input: unknown) => unknown;

interface SdkClient {
  send(command: unknown, ...rest: unknown[]): Promise<unknown>;
  destroy(): void;
  middlewareStack: { add(...args: unknown[]): unknown };
}

/** What loading a client yields: the client, and the module its command classes come from. */
export interface LoadedClient {
  client: SdkClient;
  commands: Record<string, unknown>;
}

/**
 * A client whose SDK package is imported on the first `send`. Before that, `middlewareStack.add`
 * is remembered and applied when the client is built (the local runtime and the bench meter the
 * functions' own client this way) and `destroy` does nothing; once loaded, every member is the SDK
 * client's own.
 *
 * @param load imports the package and builds the client; called once (again only if it failed).
 */
export function lazyClient<Client extends object>(load: () => Promise<LoadedClient>): Client {
  let loading: Promise<LoadedClient> | undefined;
  let loaded: LoadedClient | undefined;
  const middleware: unknown[][] = [];
  const ensure = () =>
    (loading ??= load().then(
      (result) => {
        for (const args of middleware) result.client.middlewareStack.add(...args);
        loaded = result;
        return result;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const own: Record<string | symbol, unknown> = {
    async send(command: unknown, ...rest: unknown[]) {
      const { client, commands } = await ensure();
      if (!isDeferred(command)) return client.send(command, ...rest);
      const Command = commands[command.deferredCommand] as Constructor | undefined;
      if (typeof Command !== 'function') throw new Error(`The SDK package has no command ${command.deferredCommand}`);
      return client.send(new Command(command.input), ...rest);
    },
    middlewareStack: {
      add(...args: unknown[]) {
        if (loaded) return loaded.client.middlewareStack.add(...args);
        middleware.push(args);
      },
    },
    destroy() {
      loaded?.client.destroy();
    },
  };
  return new Proxy(own, {
    get(target, name) {
      if (name in target) return target[name];
      if (loaded) return (loaded.client as unknown as Record<string | symbol, unknown>)[name];
      // Not a thenable, and nothing else is there before the first call.
      return undefined;
    },
  }) as unknown as Client;
}
