import { describe, expect, it } from 'vitest';
import { taskIdOf } from '../../../functions/domain/approval';
import { decideTask } from '../../../functions/domain/decisions';
import { DomainError, StaleWriteError } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import {
  formFacts,
  formOf,
  getRequest,
  listMyRequests,
  mayRead,
  resubmitRequest,
  submitRequest,
  validData,
  withFreshRead,
  withdrawRequest,
} from '../../../functions/domain/requests';
import { advance, applyOutcome } from '../../../functions/domain/workflow-steps';
import type { TestDeps } from './in-memory-deps';
import { z } from 'zod';
import { advanceAndNotify, inMemoryDeps, person, submitValid, validServerConnection } from './in-memory-deps';
import { catalogWith, testForm } from './test-forms';
import { refusal } from './refusal';

/** A request that u-sato sent back at the first stage, with the outcome applied. */
async function sentBack(t: TestDeps) {
  const id = await submitValid(t);
  await advanceAndNotify(t, id);
  await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'send_back', comment: '期間を短くしてください' });
  expect((await advance(t.deps, id)).next).toBe('sent_back');
  await applyOutcome(t.deps, { requestId: id, round: 1, outcome: 'sent_back' });
  return id;
}

describe('submitRequest', () => {
  it('stores a valid request in review with its whole route and starts exactly one workflow', async () => {
    const t = inMemoryDeps();
    const view = await submitRequest(t.deps, person('u-tanaka'), { formId: 'server-connection-request', data: validServerConnection() });
    expect(view).toMatchObject({ formId: 'server-connection-request', formCode: 'F1', formVersion: 1, status: 'in_review', round: 1, currentStage: 0 });
    expect(view.requester).toEqual({ id: 'u-tanaka', name: person('u-tanaka').name, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales' });
    expect(view.stages.map((s) => s.approvers.map((a) => a.id))).toEqual([['u-sato'], ['u-kobayashi'], ['u-ito', 'u-yamada']]);
    expect(view.data).toEqual(validServerConnection());
    expect(view).not.toHaveProperty('version');
    expect(t.workflow.starts).toEqual([{ requestId: view.id, round: 1 }]);
    expect(t.store.requests.size).toBe(1);
    expect(t.store.tasks.size).toBe(0);
    expect((await t.store.history(view.id)).map((e) => e.action)).toEqual(['submitted']);
  });

  it('names the request by its filing date in Japan', async () => {
    const t = inMemoryDeps({ start: '2026-11-24T15:30:00.000Z' }); // 00:30 on 25 November in Tokyo
    const id = await submitValid(t);
    expect(id).toBe('R-20261125-AAAAAA');
    expect(await submitValid(t)).toBe('R-20261125-AAAAAB');
  });

  it('stores the trimmed data, not the raw input', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t, 'u-tanaka', { ...validServerConnection(), purpose: '  調査のため  ' });
    expect(t.store.requests.get(id)!.data.purpose).toBe('調査のため');
  });

  it('stores nothing and starts no workflow on invalid data (400 with every issue)', async () => {
    const t = inMemoryDeps();
    const error = await refusal(
      submitRequest(t.deps, person('u-tanaka'), {
        formId: 'server-connection-request',
        data: { ...validServerConnection(), purpose: '', protocol: 'rdp', startDate: '2026-12-10', endDate: '2026-12-01' },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.messages).toEqual({ ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['data.endDate', 'data.protocol', 'data.purpose']);
    expect(t.store.writes).toBe(0);
    expect(t.store.requests.size).toBe(0);
    expect(t.workflow.starts).toEqual([]);
  });

  it('stores nothing for a server that is not in the ledger (400 naming Art. 7)', async () => {
    const t = inMemoryDeps();
    const error = await refusal(submitRequest(t.deps, person('u-tanaka'), { formId: 'server-connection-request', data: { ...validServerConnection(), serverId: 'srv-ghost' } }));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'data.serverId' })]);
    expect(error.issues[0].messages.en).toContain('Art. 7');
    expect(t.store.writes).toBe(0);
    expect(t.workflow.starts).toEqual([]);
  });

  it('answers 404 for an unknown form', async () => {
    const t = inMemoryDeps();
    const error = await refusal(submitRequest(t.deps, person('u-tanaka'), { formId: 'no-such-form', data: {} }));
    expect(error.status).toBe(404);
    expect(error.messages.ja).toContain('no-such-form');
    expect(t.workflow.starts).toEqual([]);
  });

  it('fails loudly and stores nothing when a stage has nobody to decide it', async () => {
    const t = inMemoryDeps();
    for (const id of ['u-sato', 'u-yamada', 'u-ito']) t.directory.people.delete(id);
    await expect(submitValid(t)).rejects.toMatchObject({ name: 'Route.Unresolvable' });
    expect(t.store.writes).toBe(0);
    expect(t.workflow.starts).toEqual([]);
  });
});

describe('formOf and validData', () => {
  it('finds a form by id, or answers 404', async () => {
    const t = inMemoryDeps();
    expect(formOf(t.deps, 'server-connection-request').form.code).toBe('F1');
    expect(() => formOf(t.deps, 'x')).toThrow(DomainError);
  });

  it('returns the parsed data when the data is valid and its lookups pass', async () => {
    const t = inMemoryDeps();
    expect(await validData(t.deps, formOf(t.deps, 'server-connection-request'), validServerConnection())).toEqual(validServerConnection());
  });

  it('does not run the lookups when the data does not parse', async () => {
    const t = inMemoryDeps();
    const error = await refusal(validData(t.deps, formOf(t.deps, 'server-connection-request'), { ...validServerConnection(), serverId: 'srv-ghost', purpose: '' }));
    expect(error.issues.map((i) => i.path)).toEqual(['data.purpose']);
  });
});

describe('getRequest and listMyRequests', () => {
  it('let the requester, the approvers on the route and IT infrastructure read a request, with its history', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    for (const reader of ['u-tanaka', 'u-sato', 'u-kobayashi', 'u-yamada']) {
      const view = await getRequest(t.deps, person(reader), id);
      expect(view.id).toBe(id);
      expect(view.history?.map((e) => e.action)).toEqual(['submitted']);
    }
  });

  it('refuse anyone else (403) and answer 404 for an unknown request', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    expect((await refusal(getRequest(t.deps, person('u-saito'), id))).status).toBe(403);
    expect((await refusal(getRequest(t.deps, person('u-tanaka'), 'R-20261125-ZZZZZZ'))).status).toBe(404);
  });

  it('let anyone who holds or held a task on the request read it', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advance(t.deps, id);
    const request = t.store.requests.get(id)!;
    const heldBySaito = { ...t.store.tasksOf(id)[0], approverId: 'u-saito' };
    expect(mayRead(person('u-saito'), request, [heldBySaito])).toBe(true);
    expect(mayRead(person('u-saito'), request, t.store.tasksOf(id))).toBe(false);
  });

  it("list the caller's own requests, newest first", async () => {
    const t = inMemoryDeps();
    const first = await submitValid(t);
    t.clock.advance(60_000);
    const second = await submitValid(t);
    await submitValid(t, 'u-saito');
    const mine = await listMyRequests(t.deps, person('u-tanaka'), { limit: 10 });
    expect(mine.items.map((r) => r.id)).toEqual([second, first]);
    expect(mine).not.toHaveProperty('nextCursor');
    expect(mine.items[0]).not.toHaveProperty('version');
  });
});

describe('withdrawRequest', () => {
  it('ends the waiting workflow with Request.Withdrawn when a task token is stored', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    const { token } = await advanceAndNotify(t, id);
    const view = await withdrawRequest(t.deps, person('u-tanaka'), id, '不要になりました');
    expect(view.status).toBe('withdrawn');
    expect(t.workflow.aborts).toEqual([{ token, error: 'Request.Withdrawn', cause: 'Withdrawn by u-tanaka' }]);
    expect(t.store.tasksOf(id).map((task) => task.status)).toEqual(['cancelled']);
    expect((await t.store.history(id)).at(-1)).toMatchObject({ action: 'withdrawn', actor: { id: 'u-tanaka' } });
  });

  it('aborts nothing when no workflow waits on a token yet', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect(t.workflow.aborts).toEqual([]);
    expect(t.store.requests.get(id)!.status).toBe('withdrawn');
  });

  it('empties the approvers inbox', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advanceAndNotify(t, id);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect((await t.store.inbox('u-sato', { limit: 10 })).items).toEqual([]);
  });

  it('closes a sent-back request without touching a workflow', async () => {
    const t = inMemoryDeps();
    const id = await sentBack(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '再申請しません');
    expect(t.store.requests.get(id)!.status).toBe('withdrawn');
    expect(t.workflow.aborts).toEqual([]);
  });

  it('refuses anyone but the requester (403) and changes nothing', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advanceAndNotify(t, id);
    const before = t.store.snapshot();
    expect((await refusal(withdrawRequest(t.deps, person('u-sato'), id, ''))).status).toBe(403);
    expect(t.store.snapshot()).toEqual(before);
    expect(t.workflow.aborts).toEqual([]);
  });

  it('refuses a request that is already withdrawn (409)', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await withdrawRequest(t.deps, person('u-tanaka'), id, '');
    expect((await refusal(withdrawRequest(t.deps, person('u-tanaka'), id, ''))).status).toBe(409);
  });

  it('answers 404 for an unknown request', async () => {
    const t = inMemoryDeps();
    expect((await refusal(withdrawRequest(t.deps, person('u-tanaka'), 'R-20261125-ZZZZZZ', ''))).status).toBe(404);
  });

  it('wins or loses cleanly against a decision racing it', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    await advanceAndNotify(t, id);
    const outcomes = await Promise.allSettled([
      withdrawRequest(t.deps, person('u-tanaka'), id, ''),
      decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' }),
    ]);
    const request = t.store.requests.get(id)!;
    const [task] = t.store.tasksOf(id);
    if (outcomes[1].status === 'fulfilled') {
      expect(task.status).toBe('approved');
    } else {
      expect((outcomes[1].reason as DomainError).status).toBe(409);
      expect(task.status).toBe('cancelled');
    }
    expect(outcomes[0].status).toBe('fulfilled');
    expect(request.status).toBe('withdrawn');
  });
});

describe('resubmitRequest', () => {
  it('starts a new round from the first stage with the edited data, and a new workflow', async () => {
    const t = inMemoryDeps();
    const id = await sentBack(t);
    t.workflow.starts.length = 0;
    const edited = { ...validServerConnection(), endDate: '2026-12-15' };
    const view = await resubmitRequest(t.deps, person('u-tanaka'), id, edited);
    expect(view).toMatchObject({ status: 'in_review', round: 2, currentStage: 0, data: edited });
    expect(view.stages.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(t.workflow.starts).toEqual([{ requestId: id, round: 2 }]);
    expect(await advance(t.deps, id)).toEqual({ requestId: id, next: 'await', round: 2, stage: 0 });
    expect(t.store.tasksOf(id).map((task) => [task.id, task.status])).toEqual([
      [taskIdOf(id, 1, 0, 'u-sato'), 'sent_back'],
      [taskIdOf(id, 2, 0, 'u-sato'), 'pending'],
    ]);
  });

  it('refuses invalid data (400) and leaves the request sent back', async () => {
    const t = inMemoryDeps();
    const id = await sentBack(t);
    const before = t.store.snapshot();
    const error = await refusal(resubmitRequest(t.deps, person('u-tanaka'), id, { ...validServerConnection(), protocol: 'rdp' }));
    expect(error.status).toBe(400);
    expect(t.store.snapshot()).toEqual(before);
  });

  it('refuses anyone but the requester (403)', async () => {
    const t = inMemoryDeps();
    const id = await sentBack(t);
    expect((await refusal(resubmitRequest(t.deps, person('u-sato'), id, validServerConnection()))).status).toBe(403);
  });

  it('refuses a request that was not sent back (409)', async () => {
    const t = inMemoryDeps();
    const id = await submitValid(t);
    expect((await refusal(resubmitRequest(t.deps, person('u-tanaka'), id, validServerConnection()))).status).toBe(409);
    expect(t.workflow.starts).toHaveLength(1);
  });
});

describe('withFreshRead', () => {
  it('runs the operation again after a lost race, from a fresh read', async () => {
    let calls = 0;
    const result = await withFreshRead(async () => {
      calls++;
      if (calls < 3) throw new StaleWriteError();
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the given number of attempts, with the StaleWriteError named Request.Conflict', async () => {
    let calls = 0;
    const error = await withFreshRead(async () => {
      calls++;
      throw new StaleWriteError();
    }, 3).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as Error).name).toBe('Request.Conflict');
  });

  it('does not retry any other error', async () => {
    let calls = 0;
    await expect(
      withFreshRead(async () => {
        calls++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});

describe('formFacts', () => {
  const contexts: FormContext[] = [];
  const counting = testForm('facts-test', z.object({}).strict(), {
    async context(context) {
      contexts.push(context);
      const ids = await context.ledgers.list('privileged-ids', { limit: 100 });
      return [{ ja: `特権IDは現在 ${ids.items.length} 件です（${context.now.toISOString()}）。`, en: `${ids.items.length} privileged IDs exist.` }];
    },
  });
  const forms = catalogWith(counting as never);

  it('shows the facts a form computes from the ledgers before it is filled in', async () => {
    const t = inMemoryDeps({ forms });
    const facts = await formFacts(t.deps, 'facts-test');
    expect(facts).toEqual({ notices: [{ ja: `特権IDは現在 2 件です（${t.clock.now().toISOString()}）。`, en: '2 privileged IDs exist.' }] });
  });

  it('gives the form the ledgers, the directory and the clock’s time, and no requester', async () => {
    const t = inMemoryDeps({ forms, start: '2027-01-05T09:00:00.000Z' });
    contexts.length = 0;
    await formFacts(t.deps, 'facts-test');
    expect(contexts).toHaveLength(1);
    expect(contexts[0].requester).toBeUndefined();
    expect(contexts[0].ledgers).toBe(t.ledgers);
    expect(contexts[0].directory).toBe(t.directory);
    expect(contexts[0].now.toISOString()).toBe('2027-01-05T09:00:00.000Z');
  });

  it('shows no facts for a form that computes none', async () => {
    const t = inMemoryDeps();
    expect(await formFacts(t.deps, 'server-connection-request')).toEqual({ notices: [] });
  });

  it('answers 404 for an unknown form', async () => {
    const t = inMemoryDeps();
    expect((await refusal(formFacts(t.deps, 'no-such-form'))).status).toBe(404);
  });
});

describe('the form version a request keeps', () => {
  it('shows the request with the schema of the version it was filed under after the form changed', async () => {
    const v1 = testForm('versioned-test', z.object({ note: z.string().meta({ 'x-label': { ja: '備考', en: 'Note' } }) }).strict());
    const t = inMemoryDeps({ forms: catalogWith(v1 as never) });
    const { id } = await submitRequest(t.deps, person('u-tanaka'), { formId: 'versioned-test', data: { note: 'v1' } });
    const v2 = {
      ...v1,
      version: 2,
      schema: z.object({ note: z.string().meta({ 'x-label': { ja: '説明', en: 'Explanation' } }) }).strict(),
      previousVersions: [{ version: 1, schema: v1.schema }],
    };
    t.deps.forms = catalogWith(v2 as never);
    const view = await getRequest(t.deps, person('u-tanaka'), id);
    expect(view.formVersion).toBe(1);
    expect(JSON.stringify(view.formSchema)).toContain('備考');
    expect(JSON.stringify(view.formSchema)).not.toContain('説明');
  });
});
