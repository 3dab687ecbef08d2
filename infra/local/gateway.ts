import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteSpec } from '../../functions/http/routes';
import type { LocalAuth } from './local-auth';

export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** A local-only endpoint (/_local/...): gets the parsed JSON body, answers status + JSON or HTML. */
export type LocalEndpoint = (input: { body: unknown; params: Record<string, string> }) => Promise<{ status: number; json?: unknown; html?: string }>;

export interface GatewayOptions {
  port: number;
  host?: string;
  routes: readonly RouteSpec[];
  /** Loads a route's handler module (the same file the Lambda function bundles). */
  loadHandler(entry: string): Promise<ApiHandler>;
  auth: LocalAuth;
  /** Local endpoints by "METHOD /path" with `{name}` parameters. */
  local: Record<string, LocalEndpoint>;
  /** The built web page (web/dist). */
  webDir: string;
  /** What /config.json tells the web page. */
  webConfig: unknown;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** The same security headers CloudFront's response headers policy adds on AWS. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface CompiledRoute<T> {
  method: string;
  pattern: RegExp;
  names: string[];
  target: T;
}

function compile<T>(method: string, path: string, target: T): CompiledRoute<T> {
  const names: string[] = [];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, target };
}

/** A percent-decoded path segment, or null when it is not valid percent-encoded UTF-8. */
function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * The route a path matches, with its decoded parameters; `params` is null when a parameter is not
 * valid percent-encoding (API Gateway answers such a request 400 before any function runs).
 */
function match<T>(routes: CompiledRoute<T>[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (found) {
      const decoded = route.names.map((name, i) => [name, decodeSegment(found[i + 1])] as const);
      const params = decoded.every(([, value]) => value !== null) ? (Object.fromEntries(decoded) as Record<string, string>) : null;
      return { route, params };
    }
  }
  return null;
}

/** API Gateway's own answer to a request it cannot read. */
const BAD_REQUEST = { message: 'Bad Request' };

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('Payload too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  send(response, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, JSON.stringify(value));

/** API Gateway v2's payload: multi-value headers joined with commas, names in lower case. */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function lambdaContext(functionName: string) {
  const deadline = Date.now() + 30_000;
  return {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * The local stand-in for API Gateway (HTTP API + JWT authorizer) and CloudFront: it turns HTTP
 * requests into the same v2 events and calls the same handler modules; it serves the web page with
 * the same security headers.
 */
export async function startGateway(options: GatewayOptions): Promise<{ url: string; close(): Promise<void> }> {
  const apiRoutes = options.routes.map((spec) => compile(spec.method, spec.path, spec));
  const localRoutes = Object.entries(options.local).map(([key, endpoint]) => {
    const [method, path] = key.split(' ');
    return compile(method, path, endpoint);
  });
  const webRoot = resolve(options.webDir);
  const log = options.log ?? (() => undefined);

  async function serveApi(request: IncomingMessage, response: ServerResponse, url: URL) {
    const method = request.method ?? 'GET';
    const found = match(apiRoutes, method, url.pathname);
    if (!found) return sendJson(response, 404, { message: 'Not Found' });
    if (!found.params) return sendJson(response, 400, BAD_REQUEST);
    const spec = found.route.target;
    const headers = headersOf(request);
    const claims = spec.public ? null : await options.auth.verify(headers.authorization);
    // The JWT authorizer answers before any function runs, in API Gateway's own shape.
    if (!spec.public && !claims) return sendJson(response, 401, { message: 'Unauthorized' });
    const body = await readBody(request);
    const routeKey = `${spec.method} ${spec.path}`;
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      queryStringParameters: url.searchParams.size > 0 ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: Object.keys(found.params).length > 0 ? found.params : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        authorizer: claims ? { jwt: { claims, scopes: null } } : undefined,
      },
      body: body.length > 0 ? body.toString('utf8') : undefined,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const handler = await options.loadHandler(spec.entry);
    const result = await handler(event, lambdaContext(spec.name));
    send(response, result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>, result.body ?? '');
  }

  async function serveLocal(request: IncomingMessage, response: ServerResponse, url: URL) {
    const found = match(localRoutes, request.method ?? 'GET', url.pathname);
    if (!found) return sendJson(response, 404, { message: 'Not Found' });
    if (!found.params) return sendJson(response, 400, BAD_REQUEST);
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    } catch {
      return sendJson(response, 400, { error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } });
    }
    const result = await found.route.target({ body, params: found.params });
    if (result.html !== undefined) {
      // The mail page shows captured HTML mail in sandboxed frames; it needs its own inline styles.
      return send(response, result.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about: data:; base-uri 'none'; form-action 'none'" }, result.html);
    }
    sendJson(response, result.status, result.json ?? null);
  }

  function serveWeb(response: ServerResponse, url: URL) {
    if (url.pathname === '/config.json') return sendJson(response, 200, options.webConfig);
    const decoded = decodeSegment(url.pathname);
    if (decoded === null) return sendJson(response, 400, BAD_REQUEST);
    const wanted = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(webRoot, wanted);
    if (!file.startsWith(webRoot + sep) && file !== webRoot) return sendJson(response, 404, { message: 'Not Found' });
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(webRoot, 'index.html');
    if (!existsSync(file)) {
      return send(response, 503, { 'content-type': 'text/plain; charset=utf-8' }, 'The web page is not built yet: run `npm run build:web`.');
    }
    const immutable = /\/assets\//.test(file);
    send(response, 200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' }, readFileSync(file));
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const work = url.pathname.startsWith('/api/')
      ? serveApi(request, response, url)
      : url.pathname.startsWith('/_local/')
        ? serveLocal(request, response, url)
        : Promise.resolve(serveWeb(response, url));
    work.catch((error: unknown) => {
      const status = (error as { status?: number }).status === 413 ? 413 : 500;
      log('gateway error', { path: url.pathname, error: String(error) });
      if (!response.headersSent) {
        sendJson(response, status, { error: { code: status === 413 ? 'too_large' : 'internal', message: status === 413 ? 'The request body is too large.' : 'Something went wrong on our side.' } });
      } else {
        response.end();
      }
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
