import http from 'node:http';

/** One keep-alive agent for every call of the bench: connection set-up is not what is measured. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Reply {
  status: number;
  body: any;
  /** Time from sending the request to the last byte of the response, in ms. */
  ms: number;
}

/** An HTTP/1.1 call over loopback, timed from the first byte written to the last byte read. */
export function call(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
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
          resolve({ status: response.statusCode ?? 0, body, ms });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Like {@link call}, but throws unless the status is the expected one. */
export async function expectCall(expected: number, base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const reply = await call(base, method, path, options);
  if (reply.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${reply.status}: ${JSON.stringify(reply.body).slice(0, 400)}`);
  }
  return reply;
}

export function closeAgent(): void {
  agent.destroy();
}
