import { describe, expect, it } from 'vitest';
import { taskIdOf } from '../../../functions/domain/approval';
import { verifyChain } from '../../../functions/domain/audit';
import { decideTask } from '../../../functions/domain/decisions';
import { hashLinkToken } from '../../../functions/domain/link-token';
import { submitRequest, withdrawRequest } from '../../../functions/domain/requests';
import { UnresolvableStageError } from '../../../functions/domain/routing';
import { advance, applyOutcome, notifyApprovers, resumeRequests } from '../../../functions/domain/workflow-steps';
import { z } from 'zod';
import type { FormContext, Notice } from '../../../functions/domain/form-definition';
import { refOf } from '../../../functions/domain/organisation';
import type { TestDeps } from './in-memory-deps';
import { catalogWith, testForm } from './test-forms';
import { DAY, MINUTE, WEB_BASE_URL, advanceAndNotify, allItCatalog, inMemoryDeps, linkTokenOf, newTaskToken, person, submitValid } from './in-memory-deps';

const email = (id: string) => person(id).email;

/** A submitted request whose first stage is open and notified; returns its id and the waiting token. */
async function waitingAtFirstStage(t: TestDeps, requester = 'u-tanaka') {
  const id = await submitValid(t, requester);
  const { token } = await advanceAndNotify(t, id);
  return { id, token: token! };
}

/** Decides the current stage with one approval from each given approver, then advances. */
async function approveStage(t: TestDeps, id: string, approverId: string) {
  const { request } = (await t.store.load(id))!;
  await decideTask(t.deps, person(approverId), taskIdOf(id, request.round, request.currentStage, approverId), { decision: 'approve' });
}

async function approvedRequest(t: TestDeps) {
  const { id } = await waitingAtFirstStage(t);
  await approveStage(t, id, 'u-sato');
  await advanceAndNotify(t, id);
  await approveStage(t, id, 'u-kobayashi');
  await advanceAndNotify(t, id);
  await approveStage(t, id, 'u-yamada');
  const result = await advance(t.deps, id);
  expect(result.next).toBe('approved');
  return id;
}

describe('advance', () => {
  it('opens the first stage of a submitted request for the site manager', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    expect(await advance(t.deps, id)).toEqual({ requestId: id, next: 'await', round: 1, stage: 0 });
    const { request, tasks } = (await t.store.load(id))!;
    expect(request.stages[0].status).toBe('open');
    expect(tasks.map((task) => [task.id, task.status])).toEqual([[taskIdOf(id, 1, 0, 'u-sato'), 'pending']]);
    expect((await t.store.history(id)).map((e) => e.action)).toEqual(['submitted', 'stage_opened']);
  });

  it('is idempotent: running it twice for the same step creates no duplicate task and no second event', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const first = await advance(t.deps, id);
    const snapshot = t.store.snapshot();
    const writes = t.store.writes;
    const second = await advance(t.deps, id);
    expect(second).toEqual(first);
    expect(t.store.writes).toBe(writes);
    expect(t.store.snapshot()).toEqual(snapshot);
    expect(t.store.tasksOf(id)).toHaveLength(1);
    expect((await t.store.history(id)).filter((e) => e.action === 'stage_opened')).toHaveLength(1);
  });

  it('opens the stage once when two runs race, the loser re-reading and waiting', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    let attempts = 0;
    t.store.beforeCommit = () => {
      attempts++;
    };
    const results = await Promise.all([advance(t.deps, id), advance(t.deps, id)]);
    expect(results.map((r) => r.next)).toEqual(['await', 'await']);
    expect(attempts).toBe(2); // both computed the same change; the second lost on the version
    expect(t.store.tasksOf(id)).toHaveLength(1);
    expect((await t.store.history(id)).filter((e) => e.action === 'stage_opened')).toHaveLength(1);
  });

  it('waits while the stage is open', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    expect((await advance(t.deps, id)).next).toBe('await');
  });

  it('opens the next stage once the current one is approved', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await approveStage(t, id, 'u-sato');
    expect(await advance(t.deps, id)).toEqual({ requestId: id, next: 'await', round: 1, stage: 1 });
    expect(t.store.tasksOf(id).map((task) => task.approverId)).toContain('u-kobayashi');
  });

  it('resolves the approvers again when the stage opens', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    t.directory.people.delete('u-sato'); // the site manager left after the request was filed
    await advance(t.deps, id);
    const { request, tasks } = (await t.store.load(id))!;
    expect(tasks.map((task) => task.approverId).sort()).toEqual(['u-ito', 'u-yamada']);
    expect(request.stages[0].note?.en).toBe('No Site manager was found for the requester, so the stage went to IT infrastructure.');
  });

  it('fails loudly as Route.Unresolvable, storing nothing, when nobody may decide a stage', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    for (const gone of ['u-sato', 'u-yamada', 'u-ito']) t.directory.people.delete(gone);
    const before = t.store.snapshot();
    const error = await advance(t.deps, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnresolvableStageError);
    expect((error as Error).name).toBe('Route.Unresolvable');
    expect(t.store.snapshot()).toEqual(before);
  });

  it('finishes as approved after the last stage, then reports done once the outcome is applied', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    expect((await t.store.load(id))!.request.status).toBe('approved');
    expect((await advance(t.deps, id)).next).toBe('approved'); // outcome not applied yet: go to ApplyOutcome again
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect((await advance(t.deps, id)).next).toBe('done');
  });

  it('finishes as rejected after a rejection', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'reject', comment: '不要' });
    expect(await advance(t.deps, id)).toEqual({ requestId: id, next: 'rejected', round: 1, stage: 0 });
    expect((await t.store.load(id))!.request.status).toBe('rejected');
  });

  it('finishes as sent back after a send-back', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'send_back' });
    expect((await advance(t.deps, id)).next).toBe('sent_back');
    expect((await advance(t.deps, id)).next).toBe('sent_back'); // outcome not applied yet
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'sent_back' });
    expect((await advance(t.deps, id)).next).toBe('done');
  });

  it('reports a withdrawn request as withdrawn', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect((await advance(t.deps, id)).next).toBe('withdrawn');
  });

  it('fails for a request that is not stored', async () => {
    const t = inMemoryDeps();
    await expect(advance(t.deps, 'R-20261125-ZZZZZZ')).rejects.toThrow(/does not exist/);
  });

  // A crash between finishing and ApplyOutcome must not leave the requester untold.
  it('sends a rejected request whose outcome was never applied to ApplyOutcome again', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'reject' });
    await advance(t.deps, id); // finishes as rejected; ApplyOutcome does not run
    expect((await advance(t.deps, id)).next).toBe('rejected');
  });
});

describe('notifyApprovers', () => {
  it('e-mails each pending approver once with a link whose hash is the one stored', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const { stage, round } = await advance(t.deps, id);
    const result = await notifyApprovers(t.deps, { requestId: id, round, stage, taskToken: 'token-a' });
    expect(result).toEqual({ notified: 1 });
    expect(t.mailer.sent).toHaveLength(1);
    const [mail] = t.mailer.sent;
    expect(mail.to).toEqual([email('u-sato')]);
    expect(mail.text).toMatch(new RegExp(`${WEB_BASE_URL.replaceAll('.', '\\.')}/#/links/[A-Za-z0-9_-]{43}\\n`));
    const token = linkTokenOf(mail);
    expect(token).toHaveLength(43);
    const link = await t.store.link(hashLinkToken(token));
    expect(link).toEqual({
      tokenHash: hashLinkToken(token),
      taskId: taskIdOf(id, 1, 0, 'u-sato'),
      requestId: id,
      round: 1,
      stage: 0,
      approverId: 'u-sato',
      createdAt: t.clock.now().toISOString(),
      expiresAt: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
      usedAt: null,
    });
    // Only the hash is stored, never the token.
    expect(JSON.stringify(t.store.snapshot())).not.toContain(token);
  });

  it('keeps the task token on the stage and marks the task notified', async () => {
    const t = inMemoryDeps();
    const { id, token } = await waitingAtFirstStage(t);
    const { request, tasks } = (await t.store.load(id))!;
    expect(request.stages[0].taskToken).toBe(token);
    expect(tasks[0].notifiedAt).toBe(t.clock.now().toISOString());
  });

  it('sends nothing new when it runs again', async () => {
    const t = inMemoryDeps();
    const { id, token } = await waitingAtFirstStage(t);
    const links = t.store.links.size;
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: token })).toEqual({ notified: 0 });
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: newTaskToken() })).toEqual({ notified: 0 });
    expect(t.mailer.sent).toHaveLength(1);
    expect(t.store.links.size).toBe(links);
  });

  it('keeps the newest task token when it runs again with another one', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'after-restart' });
    expect((await t.store.load(id))!.request.stages[0].taskToken).toBe('after-restart');
  });

  it('e-mails every approver of a stage with several, each a distinct link', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await approveStage(t, id, 'u-sato');
    await advanceAndNotify(t, id);
    await approveStage(t, id, 'u-kobayashi');
    t.mailer.sent.length = 0;
    await advanceAndNotify(t, id);
    expect(t.mailer.sent.map((m) => m.to[0]).sort()).toEqual([email('u-ito'), email('u-yamada')].sort());
    const [a, b] = t.mailer.sent.map(linkTokenOf);
    expect(a).not.toBe(b);
    expect((await t.store.link(hashLinkToken(a)))!.approverId).not.toBe((await t.store.link(hashLinkToken(b)))!.approverId);
  });

  it('names the stage and the articles in the e-mail', async () => {
    const t = inMemoryDeps();
    await waitingAtFirstStage(t);
    const [mail] = t.mailer.sent;
    expect(mail.text).toContain('承認段階: 拠点管理者（1/3）');
    expect(mail.text).toContain('S5-3');
  });

  it('releases the execution at once when the stage was already decided', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id);
    // The approver decided from the inbox before the workflow reached AwaitDecision.
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
    expect(t.workflow.resumes).toEqual([]);
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'late-token' })).toEqual({ notified: 0 });
    expect(t.workflow.resumes).toEqual([{ token: 'late-token', output: { requestId: id, round: 1, stage: 0 } }]);
    expect(t.mailer.sent).toEqual([]);
  });

  it('releases the execution when it is called for a stage that is no longer current', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await approveStage(t, id, 'u-sato');
    await advanceAndNotify(t, id);
    const sent = t.mailer.sent.length;
    await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'old-stage' });
    expect(t.workflow.resumes.at(-1)).toEqual({ token: 'old-stage', output: { requestId: id, round: 1, stage: 0 } });
    expect(t.mailer.sent).toHaveLength(sent);
  });

  it('aborts the execution with Request.Withdrawn when the request was withdrawn', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'token-w' })).toEqual({ notified: 0 });
    expect(t.workflow.aborts).toEqual([{ token: 'token-w', error: 'Request.Withdrawn', cause: expect.any(String) }]);
    expect(t.mailer.sent).toEqual([]);
    expect(t.store.links.size).toBe(0);
  });

  it('does not e-mail an approver who already decided from the inbox', async () => {
    const t = inMemoryDeps({ forms: allItCatalog });
    const id = await submitValid(t);
    await advance(t.deps, id);
    await decideTask(t.deps, person('u-ito'), taskIdOf(id, 1, 0, 'u-ito'), { decision: 'approve' });
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'x' })).toEqual({ notified: 1 });
    expect(t.mailer.sent.map((m) => m.to)).toEqual([[email('u-yamada')]]);
  });

  it('skips an approver who left the directory', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id);
    t.directory.people.delete('u-sato');
    expect(await notifyApprovers(t.deps, { requestId: id, round: 1, stage: 0, taskToken: 'x' })).toEqual({ notified: 0 });
    expect(t.mailer.sent).toEqual([]);
  });

  // AwaitDecision times out after 604800 s (the links' lifetime) and comes round again.
  it('sends fresh links when the stage is still open after the AwaitDecision timeout', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    const [first] = t.mailer.sent;
    t.clock.advance(7 * DAY + MINUTE); // States.Timeout → Advance → AwaitDecision again
    const { token } = await advanceAndNotify(t, id);
    expect(token).not.toBeNull();
    expect(t.mailer.sent).toHaveLength(2);
    expect(linkTokenOf(t.mailer.sent[1])).not.toBe(linkTokenOf(first));
    expect(t.mailer.sent[1].to).toEqual([email('u-sato')]);
    const fresh = await t.store.link(hashLinkToken(linkTokenOf(t.mailer.sent[1])));
    expect(fresh!.expiresAt > t.clock.now().toISOString()).toBe(true);
  });

  it('sends no second link while the first is still valid (a restart within the week)', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    t.clock.advance(6 * DAY);
    await advanceAndNotify(t, id);
    expect(t.mailer.sent).toHaveLength(1);
  });
});

describe('applyOutcome', () => {
  it('writes one active grant for the requester and tells them', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    t.mailer.sent.length = 0;
    expect(await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' })).toEqual({ requestId: id, outcome: 'approved' });
    expect(t.ledgers.all('server-access-grants')).toEqual([
      expect.objectContaining({ id: id.replace('R-', 'G-'), serverId: 'srv-core-db', userId: 'u-tanaka', status: 'active', requestId: id, protocol: 'odbc' }),
    ]);
    // The requester's outcome and F1's circulation to the security manager.
    expect(t.mailer.sent).toHaveLength(2);
    expect(t.mailer.sent[1].to).toEqual([email('u-yamaguchi')]);
    expect(t.mailer.sent[1].subject).toContain('【回覧】');
    expect(t.mailer.sent[0].to).toEqual([email('u-tanaka')]);
    expect(t.mailer.sent[0].subject).toContain('【承認完了】');
    expect(t.mailer.sent[0].text).toContain(`${WEB_BASE_URL}/#/requests/${id}`);
    expect((await t.store.load(id))!.request.outcomeAppliedRound).toBe(1);
  });

  it('gives the grant its own audit chain and records effects_applied on the request', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    const grantEvents = t.store.audit.get(`server-access-grants#${id.replace('R-', 'G-')}`)!;
    expect(grantEvents).toHaveLength(1);
    expect(verifyChain(grantEvents)).toBeNull();
    const history = await t.store.history(id);
    expect(history.slice(-2).map((e) => e.action)).toEqual(['effects_applied', 'circulated']);
    expect(verifyChain(history)).toBeNull();
  });

  it('applies once when run twice', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    const sent = t.mailer.sent.length;
    const snapshot = t.store.snapshot();
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect(t.ledgers.all('server-access-grants')).toHaveLength(1);
    expect(t.mailer.sent).toHaveLength(sent);
    expect(t.store.snapshot()).toEqual(snapshot);
  });

  it('applies once when two runs race', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    const sent = t.mailer.sent.length;
    await Promise.all([applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' }), applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' })]);
    expect(t.ledgers.all('server-access-grants')).toHaveLength(1);
    expect(t.mailer.sent).toHaveLength(sent + 2); // the outcome and the circulation, once each
  });

  it('changes nothing for another round or another outcome than the stored one', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    const snapshot = t.store.snapshot();
    const sent = t.mailer.sent.length;
    await applyOutcome(t.deps, { requestId: id, round: 2, outcome: 'approved' });
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'rejected' });
    expect(t.store.snapshot()).toEqual(snapshot);
    expect(t.mailer.sent).toHaveLength(sent);
  });

  it('writes no ledger item for a rejection but still tells the requester', async () => {
    const t = inMemoryDeps();
    const { id } = await waitingAtFirstStage(t);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'reject', comment: '不要です' });
    await advance(t.deps, id);
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'rejected' });
    expect(t.ledgers.all('server-access-grants')).toEqual([]);
    const mail = t.mailer.to(email('u-tanaka'));
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('【却下】');
    expect(mail[0].text).toContain('コメント: 不要です');
    expect((await t.store.load(id))!.request.outcomeAppliedRound).toBe(1);
  });
});

describe('applyOutcome: notices and the form context', () => {
  const seen: { facts: unknown; now: string; requester: unknown }[] = [];
  const notice: Notice = {
    to: [refOf(person('u-yamaguchi')), refOf(person('u-kimura')), { id: 'u-left-the-company', name: { ja: '退職者', en: 'Former employee' } }],
    subject: { ja: '構成変更の事前通知', en: 'Advance notice of a configuration change' },
    body: { ja: '12月1日に構成を変更します。\n影響部署は営業部です。', en: 'The configuration changes on 1 December.' },
  };
  const noticing = testForm('notice-test', z.object({ note: z.string() }).strict(), {
    async onApproved(facts, context: FormContext) {
      seen.push({ facts, now: context.now.toISOString(), requester: context.requester });
      return [];
    },
    async notices() {
      return [notice];
    },
  });
  const forms = catalogWith(noticing as never);
  const tanakaAsRequester = { id: 'u-tanaka', name: person('u-tanaka').name, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales' };

  async function decided(t: TestDeps, decision: 'approve' | 'reject') {
    const view = await submitRequest(t.deps, person('u-tanaka'), { formId: 'notice-test', data: { note: 'x' } });
    await advanceAndNotify(t, view.id);
    await decideTask(t.deps, person('u-sato'), taskIdOf(view.id, 1, 0, 'u-sato'), { decision });
    const { next } = await advance(t.deps, view.id);
    t.mailer.sent.length = 0;
    return { id: view.id, outcome: next as 'approved' | 'rejected' };
  }

  it('tells the people a form’s notices name, once each notice, besides telling the requester', async () => {
    const t = inMemoryDeps({ forms });
    const { id } = await decided(t, 'approve');
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    const noticeMails = t.mailer.sent.filter((mail) => mail.subject.startsWith('【お知らせ】'));
    expect(noticeMails).toHaveLength(1);
    expect(noticeMails[0].to).toEqual([email('u-yamaguchi'), email('u-kimura')]);
    expect(noticeMails[0].subject).toBe('【お知らせ】構成変更の事前通知 / Advance notice of a configuration change');
    expect(noticeMails[0].text).toContain('影響部署は営業部です。');
    expect(noticeMails[0].text).toContain(id);
    expect(t.mailer.to(email('u-tanaka'))).toHaveLength(1);
  });

  it('sends the notices once however often the outcome is applied', async () => {
    const t = inMemoryDeps({ forms });
    const { id } = await decided(t, 'approve');
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect(t.mailer.sent.filter((mail) => mail.subject.startsWith('【お知らせ】'))).toHaveLength(1);
  });

  it('sends no notice for a rejection', async () => {
    const t = inMemoryDeps({ forms });
    const { id } = await decided(t, 'reject');
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'rejected' });
    expect(t.mailer.sent.map((mail) => mail.to)).toEqual([[email('u-tanaka')]]);
  });

  it('gives the form the approval facts, the requester and the clock’s time', async () => {
    const t = inMemoryDeps({ forms });
    const { id } = await decided(t, 'approve');
    t.clock.advance(DAY);
    seen.length = 0;
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect(seen).toEqual([
      {
        facts: { requestId: id, requester: tanakaAsRequester, reservations: [], data: { note: 'x' }, approvedAt: t.clock.now().toISOString() },
        now: t.clock.now().toISOString(),
        requester: tanakaAsRequester,
      },
    ]);
  });
});

describe('the whole approval path', () => {
  it('advance → notify → decide ×3 → advance → applyOutcome writes one grant, mails each approver once and the requester once', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    expect(t.workflow.starts).toEqual([{ requestId: id, round: 1 }]);

    const decisions: [string, number][] = [
      ['u-sato', 0],
      ['u-kobayashi', 1],
      ['u-ito', 2],
    ];
    for (const [approverId, stage] of decisions) {
      const { result, token } = await advanceAndNotify(t, id);
      expect(result).toEqual({ requestId: id, next: 'await', round: 1, stage });
      t.clock.advance(30 * MINUTE);
      await decideTask(t.deps, person(approverId), taskIdOf(id, 1, stage, approverId), { decision: 'approve', comment: `OK ${stage}` });
      expect(t.workflow.resumes.at(-1)).toEqual({ token, output: { requestId: id, round: 1, stage } });
    }
    const final = await advance(t.deps, id);
    expect(final.next).toBe('approved');
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    expect((await advance(t.deps, id)).next).toBe('done');

    expect(t.ledgers.all('server-access-grants')).toHaveLength(1);
    const recipients = t.mailer.sent.map((mail) => mail.to.join(','));
    expect(recipients.sort()).toEqual(['u-sato', 'u-kobayashi', 'u-yamada', 'u-ito', 'u-tanaka', 'u-yamaguchi'].map(email).sort());
    expect(t.workflow.resumes).toHaveLength(3);
    expect(t.workflow.aborts).toEqual([]);

    const { request, tasks } = (await t.store.load(id))!;
    expect(request.stages.map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
    expect(tasks.map((task) => [task.approverId, task.status]).sort()).toEqual(
      [
        ['u-sato', 'approved'],
        ['u-kobayashi', 'approved'],
        ['u-ito', 'approved'],
        ['u-yamada', 'superseded'],
      ].sort(),
    );
    const history = await t.store.history(id);
    expect(verifyChain(history)).toBeNull();
    expect(history.map((e) => e.action)).toEqual([
      'submitted',
      'stage_opened',
      'decided',
      'stage_opened',
      'decided',
      'stage_opened',
      'decided',
      'approved',
      'effects_applied',
      'circulated',
    ]);
    expect(request.version).toBe(t.store.commits.length);
  });
});

describe('resumeRequests', () => {
  it('starts the workflow again for every request in review, page after page, and for no other', async () => {
    const t = inMemoryDeps();
    const ids: string[] = [];
    for (let i = 0; i < 103; i++) ids.push(await submitValid(t, i % 2 ? 'u-tanaka' : 'u-saito'));
    await withdrawRequest(t.deps, person('u-saito'), ids[0], '');
    t.workflow.starts.length = 0;
    expect(await resumeRequests(t.deps)).toBe(102);
    expect(t.workflow.starts.map((s) => s.requestId).sort()).toEqual(ids.slice(1).sort());
    expect(t.workflow.starts.every((s) => s.round === 1)).toBe(true);
  });

  // A request whose execution died between Advance finishing it and ApplyOutcome is started again.
  it('starts the workflow again for a finished request whose outcome was never applied', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t); // Advance finished it as approved; ApplyOutcome did not run
    t.workflow.starts.length = 0;
    await resumeRequests(t.deps);
    expect(t.workflow.starts).toEqual([{ requestId: id, round: 1 }]);
  });

  it('does not start the workflow again for a request whose outcome was applied', async () => {
    const t = inMemoryDeps();
    const id = await approvedRequest(t);
    await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'approved' });
    t.workflow.starts.length = 0;
    expect(await resumeRequests(t.deps)).toBe(0);
    expect(t.workflow.starts).toEqual([]);
  });
});
