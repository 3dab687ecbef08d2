import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';

export const runtime = inject('runtime');

/** A signed-in demo user talking to the API the way the web page does. */
export interface Session {
  userId: string;
  token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function signIn(userId: string): Promise<Session> {
  const response = await fetch(`${runtime.url}/_local/login`, { method: 'POST', body: JSON.stringify({ userId }) });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return {
    userId,
    token,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
}

/** Polls until the check returns something truthy; the workflow runs asynchronously after each call. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const validF1 = (overrides: Record<string, unknown> = {}) => ({
  serverId: 'srv-core-db',
  protocol: 'odbc',
  purpose: '月次売上集計のため基幹DBへODBCで接続する。',
  startDate: '2026-12-01',
  endDate: '2027-03-31',
  ...overrides,
});

export async function fileF1(session: Session, overrides: Record<string, unknown> = {}) {
  const response = await session.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1(overrides) });
  expect(response.status).toBe(201);
  return response.body as { id: string; status: string };
}

/** The approver's pending task for a request, once the workflow has opened their stage. */
export async function taskFor(session: Session, requestId: string) {
  return eventually(async () => {
    const { body } = await session.call('GET', '/api/tasks');
    return (body.items as { id: string; requestId: string }[]).find((task) => task.requestId === requestId);
  }, `a task of ${requestId} for ${session.userId}`);
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

export async function mails(): Promise<Mail[]> {
  const response = await fetch(`${runtime.url}/_local/mail`);
  return ((await response.json()) as { items: Mail[] }).items;
}

/** The link token e-mailed to an approver for a request. */
export async function linkTokenFor(email: string, requestId: string): Promise<string> {
  const mail = await eventually(async () => (await mails()).find((m) => m.to.includes(email) && m.subject.includes(requestId) && m.subject.includes('承認依頼')), `the approval mail to ${email} for ${requestId}`);
  const token = /#\/links\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  expect(token).toBeDefined();
  return token as string;
}

export async function requestStatus(session: Session, requestId: string, status: string) {
  return eventually(async () => {
    const { body } = await session.call('GET', `/api/requests/${requestId}`);
    return body.status === status ? body : undefined;
  }, `${requestId} to become ${status}`);
}

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

/** Everything stored under a partition of the records table, read directly (to prove what was or was not written). */
export async function recordsUnder(gsi: 'gsi1' | 'gsi2' | null, partition: string) {
  const result = await db.send(
    new QueryCommand({
      TableName: runtime.tables.records,
      ...(gsi ? { IndexName: gsi, KeyConditionExpression: `${gsi}pk = :pk` } : { KeyConditionExpression: 'pk = :pk' }),
      ExpressionAttributeValues: { ':pk': partition },
    }),
  );
  return result.Items ?? [];
}
