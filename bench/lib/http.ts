import http from 'node:http';
import { Worker } from 'node:worker_threads';

/** One keep-alive agent for every call of the bench: connection set-up is not what is measured. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Reply {
  status: number;
  body: any;
  /** Time from sending the request to the last byte of the response, in ms. */
  ms: number;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /**
   * The fields of a JSON object body the caller reads; the others are left out of the reply. From a
   * load client's thread the reply is copied to the server's thread, whose time is what is measured.
   */
  keep?: readonly string[];
}

/** Only the `keep` fields of a JSON object body. */
function kept(body: unknown, keep: readonly string[] | undefined): unknown {
  if (!keep || typeof body !== 'object' || body === null) return body;
  return Object.fromEntries(keep.filter((field) => field in body).map((field) => [field, (body as Record<string, unknown>)[field]]));
}

/** An HTTP/1.1 call over loopback, timed from the first byte written to the last byte read. */
export function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const url = new URL(path, base);
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      url,
      {
        method,
        agent,
        headers: {
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, body: (response.statusCode ?? 0) < 300 ? kept(body, options.keep) : body, ms });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Like {@link call}, but throws unless the status is the expected one. */
export async function expectCall(expected: number, base: string, method: string, path: string, options: CallOptions = {}, via: typeof call = call): Promise<Reply> {
  const reply = await via(base, method, path, options);
  if (reply.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${reply.status}: ${JSON.stringify(reply.body).slice(0, 400)}`);
  }
  return reply;
}

export function closeAgent(): void {
  agent.destroy();
}

/** {@link call} and {@link expectCall} made from another thread; `close` ends the thread. */
export interface LoadClient {
  call: typeof call;
  expectCall(expected: number, base: string, method: string, path: string, options?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * An HTTP client on a worker thread of its own. The local runtime serves the API from this process's
 * event loop; a load generator on the same loop would take its turns from the server it measures,
 * where on AWS the callers are other machines. Times are taken in the worker, around the call.
 */
export async function loadClient(): Promise<LoadClient> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { entry: new URL('./http-worker.ts', import.meta.url).href } });
  const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let serial = 0;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  worker.on('message', (answer: { id: number; reply?: Reply; error?: string } | 'ready') => {
    if (answer === 'ready') return;
    const pending = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.reply) pending?.resolve(answer.reply);
    else pending?.reject(new Error(answer.error));
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  });
  const remote: typeof call = (base, method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const id = serial++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, base, method, path, options });
    });
  await ready;
  return {
    call: remote,
    expectCall: (expected, base, method, path, options = {}) => expectCall(expected, base, method, path, options, remote),
    async close() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}
