import { describe, expect, it } from 'vitest';
import { taskIdOf } from '../../../functions/domain/approval';
import { decideByLink, decideTask, getTask, listMyTasks, openLink } from '../../../functions/domain/decisions';
import { DomainError } from '../../../functions/domain/errors';
import { hashLinkToken, newLinkToken } from '../../../functions/domain/link-token';
import { withdrawRequest } from '../../../functions/domain/requests';
import { advance } from '../../../functions/domain/workflow-steps';
import type { TestDeps } from './in-memory-deps';
import { DAY, MINUTE, advanceAndNotify, allItCatalog, inMemoryDeps, linkTokenOf, person, submitValid } from './in-memory-deps';
import { refusal } from './refusal';

async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error.status;
}

/** A request waiting on its first stage (u-sato), with the link e-mailed to u-sato. */
async function waiting(t: TestDeps) {
  const id = await submitValid(t);
  const { token } = await advanceAndNotify(t, id);
  const mail = t.mailer.to(person('u-sato').email).at(-1)!;
  return { id, token: token!, link: linkTokenOf(mail), taskId: taskIdOf(id, 1, 0, 'u-sato') };
}

/** A request waiting on the IT infrastructure stage, where u-yamada and u-ito each hold a task and a link. */
async function waitingOnIt(t: TestDeps) {
  const id = await submitValid(t);
  await advanceAndNotify(t, id);
  await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
  await advanceAndNotify(t, id);
  await decideTask(t.deps, person('u-kobayashi'), taskIdOf(id, 1, 1, 'u-kobayashi'), { decision: 'approve' });
  const { token } = await advanceAndNotify(t, id);
  const linkOf = (who: string) => linkTokenOf(t.mailer.to(person(who).email).at(-1)!);
  return { id, token: token!, yamadaLink: linkOf('u-yamada'), itoLink: linkOf('u-ito') };
}

describe('decideTask', () => {
  it('records the approver decision and wakes the waiting workflow when it completes the stage', async () => {
    const t = inMemoryDeps();
    const { id, token, taskId } = await waiting(t);
    const result = await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve', comment: '確認しました' });
    expect(result.task).toMatchObject({ id: taskId, status: 'approved', decision: 'approve', comment: '確認しました' });
    expect(result.request.stages[0].status).toBe('approved');
    expect(result.request.status).toBe('in_review'); // the workflow moves the request on
    expect(t.workflow.resumes).toEqual([{ token, output: { requestId: id, round: 1, stage: 0 } }]);
    expect((await t.store.history(id)).at(-1)).toMatchObject({ action: 'decided', actor: { id: 'u-sato' } });
  });

  it('does not show the task token or the version in what it returns', async () => {
    const t = inMemoryDeps();
    const { token, taskId } = await waiting(t);
    const result = await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    expect(JSON.stringify(result)).not.toContain(token);
    expect(result.request).not.toHaveProperty('version');
  });

  it('answers 409 to the second of two decisions', async () => {
    const t = inMemoryDeps();
    const { taskId } = await waiting(t);
    await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    expect(await statusOf(decideTask(t.deps, person('u-sato'), taskId, { decision: 'reject', comment: 'やはり' }))).toBe(409);
    expect(t.workflow.resumes).toHaveLength(1);
  });

  it('records one decision when the same approver double-clicks', async () => {
    const t = inMemoryDeps();
    const { id, taskId } = await waiting(t);
    const outcomes = await Promise.allSettled([
      decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' }),
      decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409 });
    expect((await t.store.history(id)).filter((e) => e.action === 'decided')).toHaveLength(1);
  });

  it('lets only one of two approvers of an "any" stage decide when both click at once', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingOnIt(t);
    const outcomes = await Promise.allSettled([
      decideTask(t.deps, person('u-yamada'), taskIdOf(id, 1, 2, 'u-yamada'), { decision: 'approve' }),
      decideTask(t.deps, person('u-ito'), taskIdOf(id, 1, 2, 'u-ito'), { decision: 'reject', comment: 'NG' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    const statuses = t.store.tasksOf(id).filter((task) => task.stage === 2).map((task) => task.status).sort();
    expect(statuses).toContain('superseded');
    expect(t.workflow.resumes).toHaveLength(3);
  });

  it('refuses a decision from someone who is not the stage approver (403)', async () => {
    const t = inMemoryDeps();
    const { taskId } = await waiting(t);
    expect(await statusOf(decideTask(t.deps, person('u-kobayashi'), taskId, { decision: 'approve' }))).toBe(403);
  });

  it('refuses the requester deciding their own request (403)', async () => {
    const t = inMemoryDeps();
    const { taskId } = await waiting(t);
    expect(await statusOf(decideTask(t.deps, person('u-tanaka'), taskId, { decision: 'approve' }))).toBe(403);
  });

  it('answers 404 for an unknown or malformed task id', async () => {
    const t = inMemoryDeps();
    const { id } = await waiting(t);
    expect(await statusOf(decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-nobody'), { decision: 'approve' }))).toBe(404);
    expect(await statusOf(decideTask(t.deps, person('u-sato'), taskIdOf('R-20261125-ZZZZZZ', 1, 0, 'u-sato'), { decision: 'approve' }))).toBe(404);
    expect(await statusOf(decideTask(t.deps, person('u-sato'), 'not-a-task', { decision: 'approve' }))).toBe(404);
  });

  it('answers 409 for a task of a withdrawn request', async () => {
    const t = inMemoryDeps();
    const { id, taskId } = await waiting(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect(await statusOf(decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' }))).toBe(409);
  });

  it('does not wake the workflow while an "all" stage waits for more approvals', async () => {
    const t = inMemoryDeps({ forms: allItCatalog });
    const id = await submitValid(t);
    const { token } = await advanceAndNotify(t, id);
    await decideTask(t.deps, person('u-ito'), taskIdOf(id, 1, 0, 'u-ito'), { decision: 'approve' });
    expect(t.workflow.resumes).toEqual([]);
    await decideTask(t.deps, person('u-yamada'), taskIdOf(id, 1, 0, 'u-yamada'), { decision: 'approve' });
    expect(t.workflow.resumes).toEqual([{ token, output: { requestId: id, round: 1, stage: 0 } }]);
    expect((await t.store.load(id))!.request.stages[0].approvals.map((a) => a.by.id)).toEqual(['u-ito', 'u-yamada']);
  });

  it('keeps the decision when the waiting execution is gone (the runtime restarted)', async () => {
    const t = inMemoryDeps();
    const { taskId, id } = await waiting(t);
    t.workflow.waiting = false;
    await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    expect((await t.store.load(id))!.request.stages[0].status).toBe('approved');
  });

  it('does not wake anything when the decision comes before AwaitDecision stored a token', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
    expect(t.workflow.resumes).toEqual([]);
    expect((await t.store.load(id))!.request.stages[0].status).toBe('approved');
  });
});

describe('getTask and listMyTasks', () => {
  it('show the approver their task with its request and history', async () => {
    const t = inMemoryDeps();
    const { id, taskId } = await waiting(t);
    const shown = await getTask(t.deps, person('u-sato'), taskId);
    expect(shown.task).toMatchObject({ id: taskId, status: 'pending', stageLabel: { ja: '拠点管理者', en: 'Site manager' } });
    expect(shown.request.id).toBe(id);
    expect(shown.request.history?.map((e) => e.action)).toEqual(['submitted', 'stage_opened']);
  });

  it('refuse another person the task (403)', async () => {
    const t = inMemoryDeps();
    const { taskId } = await waiting(t);
    expect(await statusOf(getTask(t.deps, person('u-tanaka'), taskId))).toBe(403);
  });

  it('list the pending tasks of the caller with a summary of each request, and drop decided ones', async () => {
    const t = inMemoryDeps();
    const { id, taskId } = await waiting(t);
    const inbox = await listMyTasks(t.deps, person('u-sato'), { limit: 10 });
    expect(inbox.items).toEqual([expect.objectContaining({ id: taskId, request: expect.objectContaining({ id, formCode: 'F1', status: 'in_review' }) })]);
    expect(inbox).not.toHaveProperty('nextCursor');
    expect((await listMyTasks(t.deps, person('u-kobayashi'), { limit: 10 })).items).toEqual([]);
    await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    expect((await listMyTasks(t.deps, person('u-sato'), { limit: 10 })).items).toEqual([]);
  });

  it('page through the inbox with a cursor', async () => {
    const t = inMemoryDeps();
    for (let i = 0; i < 3; i++) await waiting(t);
    const first = await listMyTasks(t.deps, person('u-sato'), { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = await listMyTasks(t.deps, person('u-sato'), { limit: 2, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(new Set([...first.items, ...second.items].map((task) => task.id)).size).toBe(3);
  });
});

describe('links', () => {
  it('open to the task and request without changing anything', async () => {
    const t = inMemoryDeps();
    const { id, link, taskId } = await waiting(t);
    const before = t.store.snapshot();
    const writes = t.store.writes;
    const shown = await openLink(t.deps, person('u-sato'), link);
    await openLink(t.deps, person('u-sato'), link); // a mail scanner, then the person
    expect(shown.task.id).toBe(taskId);
    expect(shown.request.id).toBe(id);
    expect(shown.link.expiresAt).toBe(new Date(t.clock.now().getTime() + 7 * DAY).toISOString());
    expect(t.store.writes).toBe(writes);
    expect(t.store.snapshot()).toEqual(before);
    expect(t.workflow.resumes).toEqual([]);
  });

  it('decide once and are marked used in the same change', async () => {
    const t = inMemoryDeps();
    const { id, link, token, taskId } = await waiting(t);
    t.clock.advance(5 * MINUTE);
    const result = await decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' });
    expect(result.task).toMatchObject({ id: taskId, status: 'approved' });
    expect(result.link.expiresAt).toBeDefined();
    expect((await t.store.link(hashLinkToken(link)))!.usedAt).toBe(t.clock.now().toISOString());
    expect((await t.store.history(id)).at(-1)?.after).toMatchObject({ viaLink: true });
    expect(t.workflow.resumes).toEqual([{ token, output: { requestId: id, round: 1, stage: 0 } }]);
  });

  it('answer 410 once used, to opening and to deciding', async () => {
    const t = inMemoryDeps();
    const { link } = await waiting(t);
    await decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' });
    const opened = await refusal(openLink(t.deps, person('u-sato'), link));
    expect(opened.status).toBe(410);
    expect(opened.messages).toEqual({ ja: 'このリンクは既に使用されています。', en: 'This link has already been used.' });
    expect(await statusOf(decideByLink(t.deps, person('u-sato'), link, { decision: 'reject', comment: 'x' }))).toBe(410);
  });

  it('answer 410 to the second of two decisions sent at once', async () => {
    const t = inMemoryDeps();
    const { id, link } = await waiting(t);
    const outcomes = await Promise.allSettled([
      decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' }),
      decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ status: 410 });
    expect((await t.store.history(id)).filter((e) => e.action === 'decided')).toHaveLength(1);
  });

  it('answer 410 once expired (7 days and a minute later), and change nothing', async () => {
    const t = inMemoryDeps();
    const { link } = await waiting(t);
    t.clock.advance(7 * DAY + MINUTE);
    const before = t.store.snapshot();
    const opened = await refusal(openLink(t.deps, person('u-sato'), link));
    expect(opened.status).toBe(410);
    expect(opened.messages).toEqual({ ja: 'このリンクは有効期限が切れています。', en: 'This link has expired.' });
    expect(await statusOf(decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' }))).toBe(410);
    expect(t.store.snapshot()).toEqual(before);
  });

  it('answer 410 at the very moment they expire, and work a minute before', async () => {
    const t = inMemoryDeps();
    const { link } = await waiting(t);
    t.clock.advance(7 * DAY - MINUTE);
    await expect(openLink(t.deps, person('u-sato'), link)).resolves.toBeDefined();
    t.clock.advance(MINUTE);
    expect(await statusOf(openLink(t.deps, person('u-sato'), link))).toBe(410);
  });

  it("answer 403 to someone else's session, and change nothing", async () => {
    const t = inMemoryDeps();
    const { link } = await waiting(t);
    const before = t.store.snapshot();
    expect(await statusOf(openLink(t.deps, person('u-kobayashi'), link))).toBe(403);
    expect(await statusOf(decideByLink(t.deps, person('u-kobayashi'), link, { decision: 'approve' }))).toBe(403);
    expect(await statusOf(decideByLink(t.deps, person('u-tanaka'), link, { decision: 'approve' }))).toBe(403);
    expect(t.store.snapshot()).toEqual(before);
  });

  it('answer 404 to an unknown token and to a malformed one', async () => {
    const t = inMemoryDeps();
    await waiting(t);
    expect(await statusOf(openLink(t.deps, person('u-sato'), newLinkToken()))).toBe(404);
    expect(await statusOf(decideByLink(t.deps, person('u-sato'), newLinkToken(), { decision: 'approve' }))).toBe(404);
    expect(await statusOf(openLink(t.deps, person('u-sato'), 'short'))).toBe(404);
    expect(await statusOf(openLink(t.deps, person('u-sato'), `${'a'.repeat(42)}/`))).toBe(404);
  });

  it('do not work by their stored hash', async () => {
    const t = inMemoryDeps();
    const { link } = await waiting(t);
    expect(await statusOf(openLink(t.deps, person('u-sato'), hashLinkToken(link)))).toBe(404);
  });

  it('answer 410 when another approver of an "any" stage decided first, and stay unused', async () => {
    const t = inMemoryDeps();
    const { yamadaLink, itoLink } = await waitingOnIt(t);
    await decideByLink(t.deps, person('u-ito'), itoLink, { decision: 'approve' });
    expect(await statusOf(openLink(t.deps, person('u-yamada'), yamadaLink))).toBe(410);
    expect(await statusOf(decideByLink(t.deps, person('u-yamada'), yamadaLink, { decision: 'approve' }))).toBe(410);
    expect((await t.store.link(hashLinkToken(yamadaLink)))!.usedAt).toBeNull();
  });

  it('answer 410 after the request was withdrawn', async () => {
    const t = inMemoryDeps();
    const { id, link } = await waiting(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect(await statusOf(openLink(t.deps, person('u-sato'), link))).toBe(410);
    expect(await statusOf(decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' }))).toBe(410);
  });

  it('answer 410 when the task was decided from the inbox', async () => {
    const t = inMemoryDeps();
    const { link, taskId } = await waiting(t);
    await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    expect(await statusOf(decideByLink(t.deps, person('u-sato'), link, { decision: 'approve' }))).toBe(410);
  });
});
