import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { lazyClient } from './lazy-client';

/**
 * Per attempt: a connection within 1 s, the whole answer within 2.5 s; three attempts. A service
 * that accepts connections and never answers then fails as TimeoutError (503 with Retry-After)
 * after about 8 s, before the API functions' own 10 s timeout, instead of holding the caller until it.
 */
export const CLIENT_OPTIONS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true },
} as const;

/**
 * One client of each kind per process. Endpoints come from the SDK's standard configuration. Each
 * loads its SDK package on its first call (see lazy-client.ts): a function pays only for the
 * services it uses, and not at cold start. Send commands from ./sdk-commands.
 */
export const dynamo = lazyClient<DynamoDBDocumentClient>(async () => {
  const [{ DynamoDBClient }, document] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/lib-dynamodb')]);
  const client = document.DynamoDBDocumentClient.from(new DynamoDBClient(CLIENT_OPTIONS), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, commands: document };
});

export const sfn = lazyClient<SFNClient>(async () => {
  const module = await import('@aws-sdk/client-sfn');
  return { client: new module.SFNClient(CLIENT_OPTIONS), commands: module };
});

export const ses = lazyClient<SESv2Client>(async () => {
  const module = await import('@aws-sdk/client-sesv2');
  return { client: new module.SESv2Client(CLIENT_OPTIONS), commands: module };
});
