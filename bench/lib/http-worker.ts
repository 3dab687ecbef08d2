/**
 * The API bench's HTTP client, on a thread of its own (started by {@link loadClient} in ./http.ts).
 * Says `ready` once it listens, then answers each `{ id, base, method, path, options }` message with
 * `{ id, reply }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { call, closeAgent, type CallOptions } from './http';

interface Ask {
  id: number;
  base: string;
  method: string;
  path: string;
  options: CallOptions;
}

parentPort!.on('message', (ask: Ask | 'close') => {
  if (ask === 'close') {
    closeAgent();
    parentPort!.close();
    return;
  }
  call(ask.base, ask.method, ask.path, ask.options).then(
    (reply) => parentPort!.postMessage({ id: ask.id, reply }),
    (error: unknown) => parentPort!.postMessage({ id: ask.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

parentPort!.postMessage('ready');
