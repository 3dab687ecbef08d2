/**
 * Node 20 lacks Promise.withResolvers (Node 22 has it); aws-local-stepfunctions calls it. Lambda
 * runs nodejs22.x, so this only matters for the local runtime and tests.
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
export {};

// The SDK warns on Node 20 at every client creation; Lambda runs Node 22, and the local runtime is
// pinned by package-lock.json, so the warning tells a local user nothing they can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
