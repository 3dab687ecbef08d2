import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadClient } from '../../bench/lib/http';
import { loadClient } from '../../bench/lib/http';

describe('the bench load client on its own thread', () => {
  let base = '';
  let client: LoadClient;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      // Busy for 20 ms on this thread: the client's clock runs on the other one.
      const until = performance.now() + 20;
      while (performance.now() < until);
      response.writeHead(request.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, auth: request.headers.authorization ?? null, body: body ? JSON.parse(body) : null }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = await loadClient();
  });
  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, token and body and returns the parsed answer with its time', async () => {
    const reply = await client.call(base, 'POST', '/echo', { token: 't', body: { a: 'あ' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ method: 'POST', auth: 'Bearer t', body: { a: 'あ' } });
    expect(reply.ms).toBeGreaterThanOrEqual(20);
  });

  it('refuses an answer with another status than the expected one', async () => {
    await expect(client.expectCall(200, base, 'GET', '/missing')).rejects.toThrow(/expected 200, got 404/);
  });

  it('brings back only the fields asked for, and a refusal whole', async () => {
    expect((await client.call(base, 'POST', '/echo', { token: 't', body: { a: 1 }, keep: ['method'] })).body).toEqual({ method: 'POST' });
    expect((await client.call(base, 'GET', '/missing', { keep: ['method'] })).body).toEqual({ method: 'GET', auth: null, body: null });
  });

  it('runs calls at once: sixteen answers arrive, each with its own time', async () => {
    const replies = await Promise.all(Array.from({ length: 16 }, (_, i) => client.call(base, 'POST', '/echo', { body: { i } })));
    expect(replies.map((r) => r.body.body.i)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});
