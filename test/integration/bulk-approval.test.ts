import { describe, expect, it } from 'vitest';
import { fileF1, signIn, taskFor } from './support';

describe('一括承認 (bulk approval) from the inbox', () => {
  it('approves each task on its own, audits each one, and reports the ones it could not approve', async () => {
    const tanaka = await signIn('u-tanaka');
    const requests = [await fileF1(tanaka), await fileF1(tanaka), await fileF1(tanaka)];
    const sato = await signIn('u-sato');
    const tasks = await Promise.all(requests.map((request) => taskFor(sato, request.id)));
    const someoneElses = `${requests[0].id}.1.1.u-kobayashi`;

    const response = await sato.call('POST', '/api/tasks/bulk-approval', { taskIds: [...tasks.map((t) => t.id), someoneElses, 'not-a-task'], comment: '定例のため一括承認' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ approved: 3, refused: 2 });
    const refused = response.body.results.filter((r: { ok: boolean }) => !r.ok);
    expect(refused.find((r: { taskId: string }) => r.taskId === 'not-a-task').status).toBe(404);
    // Someone else's task: 404 before the workflow opened it, 403 once it exists.
    expect([403, 404]).toContain(refused.find((r: { taskId: string }) => r.taskId === someoneElses).status);

    for (const request of requests) {
      const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
      const decided = detail.history.filter((e: { action: string }) => e.action === 'decided');
      expect(decided).toHaveLength(1);
      expect(decided[0].summary.ja).toContain('定例のため一括承認');
    }
    // The next stage opens for each request as usual.
    const kobayashi = await signIn('u-kobayashi');
    for (const request of requests) await taskFor(kobayashi, request.id);

    // A second bulk call finds them decided: nothing is recorded twice.
    const again = await sato.call('POST', '/api/tasks/bulk-approval', { taskIds: tasks.map((t) => t.id) });
    expect(again.body).toMatchObject({ approved: 0, refused: 3 });
    expect(again.body.results.every((r: { status: number }) => r.status === 409)).toBe(true);
  });

  it('refuses an empty or oversized list, and anything but approval', async () => {
    const sato = await signIn('u-sato');
    expect((await sato.call('POST', '/api/tasks/bulk-approval', { taskIds: [] })).status).toBe(400);
    expect((await sato.call('POST', '/api/tasks/bulk-approval', { taskIds: Array.from({ length: 51 }, (_, i) => `t${i}`) })).status).toBe(400);
    expect((await sato.call('POST', '/api/tasks/bulk-approval', { taskIds: ['x'], decision: 'reject' })).status).toBe(400);
  });
});
