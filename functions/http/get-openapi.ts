import middy from '@middy/core';
import { languageOf } from '../domain/text';
import type { ApiEvent, ApiResult } from './http';
import { json, toErrorResult } from './http';
import { openApiDocument } from './openapi';

// Built on the first call rather than at import: it derives the JSON Schema of every form and body.
let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /api/openapi.json — public: the API's own description. */
export const handler = middy<ApiEvent, ApiResult>()
  .use({ onError: async (request) => void (request.response = toErrorResult(request.error, languageOf(request.event.headers?.['accept-language']))) })
  .handler(async () => json(200, (document ??= openApiDocument()), { 'cache-control': 'public, max-age=300' }));
