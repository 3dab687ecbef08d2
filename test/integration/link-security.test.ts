import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { linkRecord } from '../../functions/adapters/dynamo-request-store';
import { openLink, decideByLink } from '../../functions/domain/decisions';
import type { ApprovalLink } from '../../functions/domain/link-token';
import { LINK_LIFETIME_DAYS, hashLinkToken, newLinkToken } from '../../functions/domain/link-token';
import type { Person } from '../../functions/domain/organisation';
import type { Deps } from '../../functions/domain/ports';
import { demoPeople } from '../../infra/local/seed-data';
import type { Session } from './support';
import { eventually, fileF1, linkTokenFor, mails, recordsUnder, requestStatus, runtime, signIn, taskFor } from './support';

/**
 * The e-mailed approval links (docs/decisions.md, "E-mailed links"): opening one changes nothing,
 * a link decides once, only for its approver, stage and round, expires, and a changed token is
 * unknown. Everything is checked against DynamoDB directly as well as through the API.
 */

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

const sessions = new Map<string, Promise<Session>>();
const as = (userId: string) => {
  if (!sessions.has(userId)) sessions.set(userId, signIn(userId));
  return sessions.get(userId) as Promise<Session>;
};

async function raw(session: Session | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(session ? { authorization: `Bearer ${session.token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const emailOf = (userId: string) => demoPeople.find((p) => p.id === userId)!.email;

/** Everything a request is, in DynamoDB: the request and its tasks, its audit chain, and the given links. */
async function stored(requestId: string, tokens: string[] = []) {
  const audit = await db.send(new QueryCommand({ TableName: runtime.tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `request#${requestId}` } }));
  const links = await Promise.all(tokens.map(async (token) => (await db.send(new GetCommand({ TableName: runtime.tables.records, Key: { pk: `LINK#${hashLinkToken(token)}`, sk: 'LINK' } }))).Item ?? null));
  return { partition: await recordsUnder(null, `REQUEST#${requestId}`), audit: audit.Items ?? [], links };
}

const decidedEvents = async (requestId: string) => (await stored(requestId)).audit.filter((event) => event.action === 'decided');

const filed: string[] = [];

// Requests left in review would stay in approvers' inboxes (read oldest first) for the files after this one.
afterAll(async () => {
  const tanaka = await as('u-tanaka');
  for (const id of filed) await raw(tanaka, 'POST', `/api/requests/${id}/withdraw`, { comment: '試験の後片付け' });
});

/** A request of 田中 (東京本社) waiting at 佐藤 with her e-mailed link, the workflow at rest. */
async function waitingAtSato(note: string) {
  const tanaka = await as('u-tanaka');
  const request = await fileF1(tanaka, { purpose: `リンクの安全性の試験：${note}` });
  filed.push(request.id);
  const sato = await as('u-sato');
  const task = await taskFor(sato, request.id);
  const token = await linkTokenFor(emailOf('u-sato'), request.id);
  await eventually(async () => (await recordsUnder(null, `REQUEST#${request.id}`)).some((item) => item.entity === 'task' && item.notifiedAt), 'the task to be marked notified');
  return { id: request.id, taskId: task.id, token };
}

/** The pending tasks of a stage, once the workflow has opened it and e-mailed its approvers. */
async function stageWaiting(requestId: string, approvers: string[]) {
  const tasks = await Promise.all(approvers.map(async (id) => taskFor(await as(id), requestId)));
  const tokens = await Promise.all(approvers.map((id) => linkTokenFor(emailOf(id), requestId)));
  await eventually(async () => {
    const items = await recordsUnder(null, `REQUEST#${requestId}`);
    return tasks.every((task) => items.some((item) => item.id === task.id && item.notifiedAt));
  }, 'the stage\'s tasks to be marked notified');
  return { tasks, tokens };
}

describe('e-mailed approval links', () => {
  it('never act when opened: 20 opens by the approver and 20 by others change nothing', async () => {
    const { id, token } = await waitingAtSato('GET');
    const before = await stored(id, [token]);
    const mailCount = (await mails()).filter((m) => m.subject.includes(id)).length;
    const sato = await as('u-sato');
    const others = await Promise.all(['u-kobayashi', 'u-yamada', 'u-tanaka', 'u-ito'].map(as));
    for (let i = 0; i < 20; i++) {
      const opened = await raw(sato, 'GET', `/api/links/${token}`);
      expect(opened.status).toBe(200);
      expect(opened.body.task.status).toBe('pending');
      const other = others[i % others.length];
      const refused = await raw(other, 'GET', `/api/links/${token}`);
      expect(refused.status, other.userId).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    // Concurrently, as a mail scanner would.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => raw(i % 2 ? sato : null, 'GET', `/api/links/${token}`)));
    expect(burst.map((r) => r.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(401)]);

    expect(await stored(id, [token])).toEqual(before);
    expect((await mails()).filter((m) => m.subject.includes(id)).length).toBe(mailCount);
    // The link still decides afterwards: opening used nothing up.
    expect((await raw(sato, 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
  });

  it('decide once: a used link answers 410 to every later use, and one decision is recorded', async () => {
    const { id, taskId, token } = await waitingAtSato('single use');
    const sato = await as('u-sato');
    const first = await raw(sato, 'POST', `/api/links/${token}/decision`, { decision: 'approve', comment: '一度目' });
    expect(first.status).toBe(200);
    const usedAt = (await stored(id, [token])).links[0]?.usedAt;
    expect(usedAt).toEqual(expect.any(String));
    for (const body of [{ decision: 'approve' }, { decision: 'reject', comment: '二度目' }, { decision: 'send_back', comment: '三度目' }]) {
      const again = await raw(sato, 'POST', `/api/links/${token}/decision`, body);
      expect(again.status).toBe(410);
      expect(again.body.error.code).toBe('gone');
    }
    expect((await raw(sato, 'GET', `/api/links/${token}`)).status).toBe(410);
    expect((await raw(sato, 'POST', `/api/tasks/${taskId}/decision`, { decision: 'reject', comment: '受信箱から' })).status).toBe(409);
    const decided = await decidedEvents(id);
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ actor: { id: 'u-sato' }, after: { decision: 'approve', viaLink: true } });
    expect((await stored(id, [token])).links[0]?.usedAt).toBe(usedAt);
  });

  it('are bound to their approver: another approver\'s token under my session is 403 and changes nothing', async () => {
    const { id, token } = await waitingAtSato('approver');
    const before = await stored(id, [token]);
    for (const userId of ['u-kobayashi', 'u-yamada', 'u-ito', 'u-abe', 'u-tanaka']) {
      const session = await as(userId);
      expect((await raw(session, 'GET', `/api/links/${token}`)).status, userId).toBe(403);
      const decided = await raw(session, 'POST', `/api/links/${token}/decision`, { decision: 'approve' });
      expect(decided.status, userId).toBe(403);
      expect(decided.body.error.messages.en).toBe('This link was sent to another approver.');
    }
    expect(await stored(id, [token])).toEqual(before);
  });

  it('are bound to their stage: a stage-1 link decides neither stage 2 nor anything after its stage closed', async () => {
    const { id, taskId, token } = await waitingAtSato('stage');
    const sato = await as('u-sato');
    // Stage 1 is decided from the inbox; the link was never used.
    expect((await raw(sato, 'POST', `/api/tasks/${taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    const { tokens: [kobayashiToken] } = await stageWaiting(id, ['u-kobayashi']);
    const before = await stored(id, [token, kobayashiToken]);
    expect((await raw(sato, 'GET', `/api/links/${token}`)).status).toBe(410);
    expect((await raw(sato, 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(410);
    // Stage 2's approver cannot borrow it either, nor can 佐藤 use 小林's.
    const kobayashi = await as('u-kobayashi');
    expect((await raw(kobayashi, 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await raw(sato, 'POST', `/api/links/${kobayashiToken}/decision`, { decision: 'approve' })).status).toBe(403);
    expect(await stored(id, [token, kobayashiToken])).toEqual(before);
    const detail = (await raw(await as('u-tanaka'), 'GET', `/api/requests/${id}`)).body;
    expect(detail.stages[1]).toMatchObject({ status: 'open', decision: null });
    expect(await decidedEvents(id)).toHaveLength(1);
  });

  it('of an "any one" stage: after one approver decides, the other\'s link answers 410 and decides nothing', async () => {
    const { id, token } = await waitingAtSato('any-one stage');
    expect((await raw(await as('u-sato'), 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
    const { tokens: [kobayashiToken] } = await stageWaiting(id, ['u-kobayashi']);
    expect((await raw(await as('u-kobayashi'), 'POST', `/api/links/${kobayashiToken}/decision`, { decision: 'approve' })).status).toBe(200);
    const { tokens: [yamadaToken, itoToken] } = await stageWaiting(id, ['u-yamada', 'u-ito']);
    expect((await raw(await as('u-yamada'), 'POST', `/api/links/${yamadaToken}/decision`, { decision: 'approve' })).status).toBe(200);
    const ito = await as('u-ito');
    expect((await raw(ito, 'GET', `/api/links/${itoToken}`)).status).toBe(410);
    expect((await raw(ito, 'POST', `/api/links/${itoToken}/decision`, { decision: 'reject', comment: '遅れて却下' })).status).toBe(410);
    const approved = await requestStatus(await as('u-tanaka'), id, 'approved');
    expect(approved.stages[2].decision.by.id).toBe('u-yamada');
    expect(await decidedEvents(id)).toHaveLength(3);
  });

  it('of an earlier round: after a send-back and resubmission, the first round\'s link answers 410', async () => {
    const { id, token } = await waitingAtSato('round');
    const sato = await as('u-sato');
    const tanaka = await as('u-tanaka');
    const { tasks: [firstTask] } = await stageWaiting(id, ['u-sato']);
    expect((await raw(sato, 'POST', `/api/tasks/${firstTask.id}/decision`, { decision: 'send_back', comment: '目的を具体的に' })).status).toBe(200);
    await requestStatus(tanaka, id, 'sent_back');
    const resubmitted = await raw(tanaka, 'POST', `/api/requests/${id}/resubmit`, { data: { serverId: 'srv-core-db', protocol: 'odbc', purpose: '月次締めの検証のため読み取り専用で接続する。', startDate: '2026-12-01', endDate: '2027-03-31' } });
    expect(resubmitted.status).toBe(200);
    const secondTask = await eventually(async () => {
      const { body } = await raw(sato, 'GET', '/api/tasks?limit=100');
      return (body.items as { id: string; requestId: string; round: number }[]).find((t) => t.requestId === id && t.round === 2);
    }, 'the second round\'s task');
    expect((await raw(sato, 'GET', `/api/links/${token}`)).status).toBe(410);
    expect((await raw(sato, 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(410);
    const partition = (await stored(id)).partition;
    expect(partition.find((item) => item.id === secondTask.id)).toMatchObject({ status: 'pending' });
  });

  it('expire: a link past its expiry answers 410 to GET and POST and decides nothing', async () => {
    const { id, taskId, token } = await waitingAtSato('expiry');
    // The e-mailed link lasts LINK_LIFETIME_DAYS.
    const opened = await raw(await as('u-sato'), 'GET', `/api/links/${token}`);
    const real = (await stored(id, [token])).links[0] as { createdAt: string; expiresAt: string };
    expect(opened.body.link.expiresAt).toBe(real.expiresAt);
    expect(Date.parse(real.expiresAt) - Date.parse(real.createdAt)).toBe(LINK_LIFETIME_DAYS * 24 * 3600 * 1000);

    // The runtime's clock cannot be moved: a link to the same task, expired a minute ago, written as NotifyApprovers writes one.
    const where = taskId.split('.');
    const expiredToken = newLinkToken();
    const link = (token: string, createdAt: Date, expiresAt: Date): ApprovalLink => ({
      tokenHash: hashLinkToken(token), taskId, requestId: id, round: Number(where[1]), stage: Number(where[2]), approverId: 'u-sato',
      createdAt: createdAt.toISOString(), expiresAt: expiresAt.toISOString(), usedAt: null,
    });
    await db.send(new PutCommand({ TableName: runtime.tables.records, Item: linkRecord(link(expiredToken, new Date(Date.now() - 8 * 86_400_000), new Date(Date.now() - 60_000))) }));
    const before = await stored(id, [token, expiredToken]);
    const sato = await as('u-sato');
    const get = await raw(sato, 'GET', `/api/links/${expiredToken}`);
    expect(get.status).toBe(410);
    expect(get.body.error.messages.en).toBe('This link has expired.');
    const post = await raw(sato, 'POST', `/api/links/${expiredToken}/decision`, { decision: 'approve' });
    expect(post.status).toBe(410);
    expect(await stored(id, [token, expiredToken])).toEqual(before);

    // One that expires in three seconds: usable now, gone after.
    const shortToken = newLinkToken();
    await db.send(new PutCommand({ TableName: runtime.tables.records, Item: linkRecord(link(shortToken, new Date(), new Date(Date.now() + 3_000))) }));
    expect((await raw(sato, 'GET', `/api/links/${shortToken}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await raw(sato, 'GET', `/api/links/${shortToken}`)).status).toBe(410);
    expect((await raw(sato, 'POST', `/api/links/${shortToken}/decision`, { decision: 'approve' })).status).toBe(410);
    expect(await decidedEvents(id)).toHaveLength(0);
    // The real link is untouched by all this.
    expect((await raw(sato, 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
  });

  it('expire at exactly expiresAt, by the domain\'s clock (openLink and decideByLink)', async () => {
    const token = newLinkToken();
    const expiresAt = '2026-12-08T00:00:00.000Z';
    const link: ApprovalLink = { tokenHash: hashLinkToken(token), taskId: 'not-a-task-id', requestId: 'R-20261201-AAAAAA', round: 1, stage: 0, approverId: 'u-sato', createdAt: '2026-12-01T00:00:00.000Z', expiresAt, usedAt: null };
    const sato = demoPeople.find((p) => p.id === 'u-sato') as Person;
    const depsAt = (now: string) => ({ requests: { link: async (hash: string) => (hash === link.tokenHash ? link : null), load: async () => null }, clock: { now: () => new Date(now) } }) as unknown as Deps;
    const outcome = (promise: Promise<unknown>) => promise.then(() => 200, (error: { status?: number }) => error.status ?? 500);
    // One millisecond before: past the expiry check (then the fake has no task: 404).
    expect(await outcome(openLink(depsAt('2026-12-07T23:59:59.999Z'), sato, token))).toBe(404);
    expect(await outcome(openLink(depsAt(expiresAt), sato, token))).toBe(410);
    expect(await outcome(openLink(depsAt('2027-01-01T00:00:00.000Z'), sato, token))).toBe(410);
    expect(await outcome(decideByLink(depsAt(expiresAt), sato, token, { decision: 'approve' }))).toBe(410);
  });

  it('refuse tampered tokens: one character changed, truncated, extended or re-cased is unknown (404), and the real one still works', async () => {
    const { id, token } = await waitingAtSato('tampering');
    const sato = await as('u-sato');
    const before = await stored(id, [token]);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const tampered = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 42 }), fc.constantFrom(...alphabet)).filter(([at, c]) => token[at] !== c).map(([at, c]) => token.slice(0, at) + c + token.slice(at + 1)),
      fc.integer({ min: 1, max: 42 }).map((n) => token.slice(0, n)),
      fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 5 }).map((extra) => token + extra),
      fc.constantFrom(token.toUpperCase(), token.toLowerCase(), ` ${token}`, `${token} `, `${token}%00`, `${token}=`, token.replaceAll('-', '+').replaceAll('_', '/'), [...token].reverse().join('')),
    ).filter((candidate) => candidate !== token);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(tampered, fc.boolean(), async (candidate, post) => {
        runs++;
        const path = `/api/links/${encodeURIComponent(candidate)}${post ? '/decision' : ''}`;
        const answer = await raw(sato, post ? 'POST' : 'GET', path, post ? { decision: 'approve' } : undefined);
        expect(answer.status, candidate).toBe(404);
        expect(answer.body.error.code).toBe('not_found');
      }),
      { seed: 20261125, numRuns: 60 },
    );
    expect(runs).toBeGreaterThanOrEqual(60);
    expect(await stored(id, [token])).toEqual(before);
    expect((await raw(sato, 'GET', `/api/links/${token}`)).status).toBe(200);
  });

  it('record exactly one of 50 parallel decisions on one task (25 by link, 25 from the inbox): one 200, 49 × 409/410, one audit event', async () => {
    const { id, taskId, token } = await waitingAtSato('50 parallel');
    const sato = await as('u-sato');
    const bodies = [{ decision: 'approve' }, { decision: 'reject', comment: '並行して却下' }, { decision: 'send_back', comment: '並行して差し戻し' }];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? raw(sato, 'POST', `/api/links/${token}/decision`, bodies[i % 3]).then((answer) => ({ via: 'link', body: bodies[i % 3], answer }))
          : raw(sato, 'POST', `/api/tasks/${taskId}/decision`, bodies[i % 3]).then((answer) => ({ via: 'task', body: bodies[i % 3], answer })),
      ),
    );
    const statuses = answers.map((a) => a.answer.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const { via, answer } of answers.filter((a) => a.answer.status !== 200)) expect(via === 'link' ? [410] : [409], JSON.stringify(answer.body)).toContain(answer.status);
    const winner = answers.find((a) => a.answer.status === 200)!;
    const decided = await decidedEvents(id);
    expect(decided).toHaveLength(1);
    expect(decided[0].after).toMatchObject({ task: taskId, decision: winner.body.decision, viaLink: winner.via === 'link' });
    const state = await stored(id, [token]);
    const task = state.partition.find((item) => item.id === taskId);
    expect(task?.decision).toBe(winner.body.decision);
    expect(Boolean(state.links[0]?.usedAt)).toBe(winner.via === 'link');
    console.log(`[link-security] 50 parallel decisions: ${JSON.stringify(statuses.reduce<Record<number, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {}))}, winner by ${winner.via} (${winner.body.decision})`);
  });

  it('record exactly one decision of an "any one" stage when both of its approvers decide 25 times each at once', async () => {
    const { id, token } = await waitingAtSato('two approvers racing');
    expect((await raw(await as('u-sato'), 'POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
    const { tokens: [kobayashiToken] } = await stageWaiting(id, ['u-kobayashi']);
    expect((await raw(await as('u-kobayashi'), 'POST', `/api/links/${kobayashiToken}/decision`, { decision: 'approve' })).status).toBe(200);
    const { tasks } = await stageWaiting(id, ['u-yamada', 'u-ito']);
    const [yamada, ito] = await Promise.all([as('u-yamada'), as('u-ito')]);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? raw(yamada, 'POST', `/api/tasks/${tasks[0].id}/decision`, { decision: 'approve' }) : raw(ito, 'POST', `/api/tasks/${tasks[1].id}/decision`, { decision: 'approve' }))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
    const stage3 = (await decidedEvents(id)).filter((event) => String(event.after?.task ?? '').includes('.1.2.'));
    expect(stage3).toHaveLength(1);
    const statuses = (await stored(id)).partition.filter((item) => item.entity === 'task' && String(item.id).includes('.1.2.')).map((item) => item.status).sort();
    expect(statuses).toEqual(['approved', 'superseded']);
  });
});
