import { describe, expect, it } from 'vitest';
import { decideTask } from '../../../functions/domain/decisions';
import { remindOpenTasks } from '../../../functions/domain/reminders';
import { advance } from '../../../functions/domain/workflow-steps';
import { inMemoryDeps, person, submitValid } from './in-memory-deps';

// 09:00 in Japan on a given date.
const morning = (date: string) => `${date}T00:00:00.000Z`;

async function waitingForSato(start: string) {
  const t = inMemoryDeps({ start: morning(start) });
  const id = await submitValid(t);
  await advance(t.deps, id);
  return { t, id, taskId: `${id}.1.0.u-sato` };
}

describe('督促 and escalation of waiting approvals', () => {
  it('reminds the approver after 3 working days, counting across Golden Week', async () => {
    // Opened Mon 2026-04-27: 4/28, 4/30 (4/29 昭和の日), 5/1 → first reminder on Fri 5/1.
    const { t, taskId } = await waitingForSato('2026-04-27');
    expect(t.store.tasks.get(taskId)?.remindOn).toBe('2026-05-01');

    t.clock.set(morning('2026-04-30'));
    expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 0, escalated: 0 });

    t.clock.set(morning('2026-05-01'));
    expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    const mail = t.mailer.to('sato@example.co.jp').at(-1);
    expect(mail?.subject).toContain('【督促】');
    expect(mail?.text).toContain(`/#/tasks/${taskId}`);
    // 5/2–5/6 closed: the next reminder is three working days later, Mon 5/11.
    expect(t.store.tasks.get(taskId)?.remindOn).toBe('2026-05-11');

    // The same day again sends nothing twice.
    expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 0, escalated: 0 });
  });

  it('escalates to the stage role\'s superior after 10 working days, who can then decide', async () => {
    const { t, id } = await waitingForSato('2026-11-02');
    // Opened Mon 11/2 (11/3 文化の日): reminded 11/6, 11/11, 11/16; 10 working days are up on Tue 11/17.
    for (const day of ['2026-11-06', '2026-11-11', '2026-11-16']) {
      t.clock.set(morning(day));
      expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    }
    expect(t.store.tasks.get(`${id}.1.0.u-sato`)?.remindOn).toBe('2026-11-17');
    t.clock.set(morning('2026-11-17'));
    expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 0, escalated: 1 });
    const request = t.store.requests.get(id)!;
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-sato', 'u-kobayashi']);
    expect(request.stages[0].note?.ja).toContain('拠点責任者');
    expect(t.mailer.to('kobayashi@example.co.jp').at(-1)?.subject).toContain('【承認依頼】');

    // The superior decides; the stage completes and the original approver's task is superseded.
    await decideTask(t.deps, person('u-kobayashi'), `${id}.1.0.u-kobayashi`, { decision: 'approve', comment: '上申により承認' });
    expect(t.store.tasks.get(`${id}.1.0.u-sato`)?.status).toBe('superseded');
    const events = (await t.deps.requests.history(id)).map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(['reminded', 'escalated', 'decided']));
  });

  it('sends nothing for a task decided before its reminder date', async () => {
    const { t, taskId } = await waitingForSato('2026-11-24');
    await decideTask(t.deps, person('u-sato'), taskId, { decision: 'approve' });
    t.clock.set(morning('2026-12-10'));
    expect(await remindOpenTasks(t.deps)).toEqual({ reminded: 0, escalated: 0 });
  });
});
