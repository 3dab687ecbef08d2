import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { inRequestScope } from '../adapters/request-scope';
import { core } from '../adapters/core-deps';
import { InvalidCursorError } from '../adapters/keys';
import { logger } from '../adapters/logger';
import { isUnavailable } from '../adapters/service-errors';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors';
import type { PageRequest } from '../domain/ledgers';
import type { Person } from '../domain/organisation';
import type { Lang, Text } from '../domain/text';
import { languageOf } from '../domain/text';
import { describeIssue } from '../domain/validation';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** A CSV download (the domain's `formatCsv` output) under the file name it is saved as. */
export const csvFile = ({ filename, csv }: { filename: string; csv: string }): ApiResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  body: csv,
});

function errorBody(lang: Lang, code: string, messages: Text, issues: { path: string; messages: Text }[] = []) {
  return {
    error: {
      code,
      message: messages[lang],
      messages,
      ...(issues.length > 0 ? { issues: issues.map((issue) => ({ path: issue.path, message: issue.messages[lang], messages: issue.messages })) } : {}),
    },
  };
}

/** Maps every error to the documented shape, once: DomainErrors keep their status, the rest never show internals. */
export function toErrorResult(error: unknown, lang: Lang): ApiResult {
  if (error instanceof DomainError) return json(error.status, errorBody(lang, error.code, error.messages, error.issues));
  if (error instanceof InvalidCursorError) {
    return json(400, errorBody(lang, 'validation_failed', { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' }, [
      { path: 'cursor', messages: { ja: 'ページ指定（cursor）が正しくありません。', en: 'The page cursor is not valid.' } },
    ]));
  }
  if (isUnavailable(error)) {
    logger.warn('backing service unavailable', { error: error as Error });
    return json(
      503,
      errorBody(lang, 'unavailable', { ja: '一時的に処理できません。しばらくしてから再度お試しください。', en: 'Temporarily unavailable; please try again shortly.' }),
      { 'retry-after': '5' },
    );
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, errorBody(lang, 'internal', { ja: 'システムエラーが発生しました。', en: 'Something went wrong on our side.' }));
}

export interface RouteInput<B, Q> {
  event: ApiEvent;
  caller: Person;
  body: B;
  lang: Lang;
  params: Record<string, string>;
  query: Q;
}

const bodyLabels: Record<string, Text> = {
  formId: { ja: '申請書', en: 'Form' },
  data: { ja: '申請内容', en: 'Form data' },
  decision: { ja: '判断', en: 'Decision' },
  comment: { ja: 'コメント', en: 'Comment' },
  limit: { ja: '件数', en: 'Limit' },
  cursor: { ja: 'ページ', en: 'Cursor' },
  scope: { ja: '範囲', en: 'Scope' },
};

function parse<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw validationFailed(result.error.issues.map((issue) => describeIssue(issue, bodyLabels, prefix)));
  return result.data;
}

/** The body as JSON; `undefined` only when there is none (the JSON `null` is a body, and not an object). */
function parseBody(event: ApiEvent): unknown {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch {
    throw new DomainError(400, 'malformed_json', { ja: 'リクエスト本文が JSON として読めません。', en: 'The request body is not valid JSON.' });
  }
}

/** The signed-in person, from the JWT the authorizer verified; they must be in the directory. */
async function callerOf(event: ApiEvent): Promise<Person> {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const username = String(claims.username ?? claims['cognito:username'] ?? '');
  const person = username ? await core.directory.person(username) : null;
  if (!person) {
    throw forbidden({ ja: 'この利用者は組織名簿に登録されていません。', en: 'You are not in the organisation directory.' });
  }
  return person;
}

/**
 * The most a path parameter may weigh, in UTF-8 bytes. The longest ids are ledger item ids (128
 * characters, up to 384 bytes); DynamoDB refuses a sort key over 1,024 bytes (a partition key over
 * 2,048), and an id that could never be stored must not reach it as a key.
 */
export const MAX_PATH_PARAMETER_BYTES = 512;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Path parameters that cannot name anything — empty, over {@link MAX_PATH_PARAMETER_BYTES}, or not
 * well-formed Unicode — answer 404 before any handler reads: there is nothing at such an address,
 * whoever asks. Checked once here, for every route.
 */
function checkPathParameters(params: Record<string, string>): void {
  for (const value of Object.values(params)) {
    if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value, 'utf8') > MAX_PATH_PARAMETER_BYTES || LONE_SURROGATE.test(value)) {
      throw notFound({ ja: '指定されたものは見つかりません（URL の識別子が正しくありません）。', en: 'Nothing was found at this address (the identifier in the URL is not valid).' });
    }
  }
}

/** What a route's `prefetch` receives: the validated request, before the caller is known. */
export interface PrefetchInput<B, Q> {
  body: B;
  params: Record<string, string>;
  query: Q;
}

/**
 * A thin HTTP adapter: parse and validate, find the caller, call the domain, map the result. Every
 * error leaves through toErrorResult, so no route can answer in another shape.
 *
 * `prefetch` starts reads that do not depend on who calls (e.g. the request a task belongs to) while
 * the caller is looked up, so the two round trips overlap; its result reaches `run` as `prefetched`,
 * and nothing of it reaches the caller unless `run` passes it on after its own checks.
 */
export function route<B = undefined, Q = Record<string, string>, P = undefined>(
  options: { body?: z.ZodType<B>; query?: z.ZodType<Q>; prefetch?: (input: PrefetchInput<B, Q>) => Promise<P> },
  run: (input: RouteInput<B, Q> & { prefetched: P }) => Promise<ApiResult>,
) {
  return middy<ApiEvent, ApiResult>()
    .use({
      onError: async (request) => {
        request.response = toErrorResult(request.error, languageOf(request.event.headers?.['accept-language']));
      },
    })
    // One scope per call: the directory is checked against its stored version once in it.
    .handler((event) => inRequestScope(async () => {
      const lang = languageOf(event.headers?.['accept-language']);
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      checkPathParameters(params);
      const raw = options.body ? parseBody(event) : undefined;
      const body = options.body ? parse(options.body, raw === undefined ? {} : raw) : (undefined as B);
      const query = options.query ? parse(options.query, event.queryStringParameters ?? {}) : ((event.queryStringParameters ?? {}) as Q);
      const [caller, prefetched] = await Promise.allSettled([callerOf(event), options.prefetch?.({ body, params, query })]);
      // Who calls is settled first: a stranger learns nothing from what the prefetch found or failed at.
      if (caller.status === 'rejected') throw caller.reason;
      if (prefetched.status === 'rejected') throw prefetched.reason;
      return run({ event, caller: caller.value, body, lang, params, query, prefetched: prefetched.value as P });
    }));
}

/** Query parameters of list routes: `limit` 1–100 (default 50) and an opaque `cursor`. */
export const pageOf = (query: { limit?: number; cursor?: string }): PageRequest => ({ limit: query.limit ?? 50, cursor: query.cursor });
