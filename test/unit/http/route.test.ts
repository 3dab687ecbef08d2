import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';

/** The directory the route asks for the caller: u-tanaka exists, anyone else does not. */
const person = vi.hoisted(() => vi.fn());
vi.mock('../../../functions/adapters/core-deps', () => ({ core: { directory: { person } } }));

const { json, MAX_PATH_PARAMETER_BYTES, route } = await import('../../../functions/http/http');
import type { ApiEvent, ApiResult } from '../../../functions/http/http';

const tanaka = { id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' }, email: 't@example.co.jp', siteId: 's', branchId: 'b', departmentId: 'd', roles: [] };

function eventOf(options: { body?: string; params?: Record<string, string>; user?: string; lang?: string } = {}): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'POST /api/things/{id}',
    rawPath: '/api/things/x',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(options.lang ? { 'accept-language': options.lang } : {}) },
    pathParameters: options.params,
    body: options.body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' }, authorizer: { jwt: { claims: { username: options.user ?? 'u-tanaka' }, scopes: null } } },
  } as unknown as ApiEvent;
}

const invoke = (handler: (event: ApiEvent, context: unknown) => Promise<ApiResult>, event: ApiEvent) =>
  handler(event, {}).then((result) => ({ status: result.statusCode, body: JSON.parse(String(result.body)) }));

const Body = z.strictObject({ comment: z.string().max(10).optional() });

beforeEach(() => {
  person.mockReset();
  person.mockImplementation(async (id: string) => (id === 'u-tanaka' ? tanaka : null));
});

describe('route(): the request body', () => {
  const handler = route({ body: Body }, async ({ body }) => json(200, { got: body }));

  it('refuses the JSON body null with 400 and a message about the body, as it refuses 5 or []', async () => {
    for (const raw of ['null', '5', '[]']) {
      const answer = await invoke(handler, eventOf({ body: raw, lang: 'en' }));
      expect(answer.status, raw).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
      expect(answer.body.error.issues).toEqual([{ path: '', message: 'The request body must be a JSON object.', messages: { ja: expect.any(String), en: 'The request body must be a JSON object.' } }]);
    }
  });

  it('reads no body at all as an empty object', async () => {
    expect(await invoke(handler, eventOf())).toEqual({ status: 200, body: { got: {} } });
    expect(await invoke(handler, eventOf({ body: '' }))).toEqual({ status: 200, body: { got: {} } });
  });
});

describe('route(): path parameters', () => {
  const run = vi.fn(async () => json(200, { ok: true }));
  const handler = route({}, run);
  beforeEach(() => run.mockClear());

  it(`answers 404 to a parameter over ${MAX_PATH_PARAMETER_BYTES} bytes before reading anything`, async () => {
    for (const id of ['x'.repeat(MAX_PATH_PARAMETER_BYTES + 1), 'あ'.repeat(171), 'x'.repeat(1100)]) {
      const answer = await invoke(handler, eventOf({ params: { name: 'servers', id }, lang: 'en' }));
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    expect(person).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it('answers 404 to a parameter that is not well-formed Unicode, or empty', async () => {
    for (const id of ['abc\uD800', '\uDC00x', '']) {
      expect((await invoke(handler, eventOf({ params: { id } }))).status).toBe(404);
    }
    expect(run).not.toHaveBeenCalled();
  });

  it('passes a parameter at the limit, and ids with any characters, to the route', async () => {
    for (const id of ['x'.repeat(MAX_PATH_PARAMETER_BYTES), 'あ'.repeat(170), '../%00 𠮷']) {
      expect((await invoke(handler, eventOf({ params: { id } }))).status).toBe(200);
    }
    expect(run).toHaveBeenCalledTimes(3);
  });
});

describe('route(): prefetch', () => {
  it('reads beside the caller lookup, not after it, and hands the result to the route', async () => {
    const order: string[] = [];
    let releaseCaller!: () => void;
    person.mockImplementation(async () => {
      order.push('caller asked');
      await new Promise<void>((resolve) => (releaseCaller = resolve));
      order.push('caller known');
      return tanaka;
    });
    const handler = route(
      { prefetch: async ({ params }) => (order.push(`prefetch ${params.id}`), releaseCaller(), { request: params.id }) },
      async ({ caller, prefetched }) => json(200, { caller: caller.id, prefetched }),
    );
    const answer = await invoke(handler, eventOf({ params: { id: 'R-1' } }));
    expect(answer).toEqual({ status: 200, body: { caller: 'u-tanaka', prefetched: { request: 'R-1' } } });
    expect(order).toEqual(['caller asked', 'prefetch R-1', 'caller known']);
  });

  it('answers a caller outside the directory 403, whatever the prefetch found or failed at', async () => {
    const handler = route({ prefetch: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })) }, async () => json(200, {}));
    expect((await invoke(handler, eventOf({ params: { id: 'R-1' }, user: 'u-stranger' }))).status).toBe(403);
  });

  it('maps a failed prefetch like any other error once the caller is known (an outage: 503)', async () => {
    const handler = route({ prefetch: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })) }, async () => json(200, {}));
    const result = await handler(eventOf({ params: { id: 'R-1' } }), {});
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('5');
  });
});
