import { describe, expect, it } from 'vitest';
import { eventually, fileF1, mails, requestStatus, signIn, taskFor } from './support';

describe('回覧 (circulation) after approval', () => {
  it('sends the approved request to the named role, read-only, to be marked read', async () => {
    const tanaka = await signIn('u-tanaka');
    const yamaguchi = await signIn('u-yamaguchi'); // 安全管理責任者: F1 circulates to the security manager
    const request = await fileF1(tanaka);
    for (const approver of ['u-sato', 'u-kobayashi', 'u-yamada']) {
      const session = await signIn(approver);
      expect((await session.call('POST', `/api/tasks/${(await taskFor(session, request.id)).id}/decision`, { decision: 'approve' })).status).toBe(200);
    }
    await requestStatus(tanaka, request.id, 'approved');

    const unread = await eventually(async () => {
      const { body } = await yamaguchi.call('GET', '/api/circulations?unread=true');
      return (body.items as { requestId: string }[]).find((c) => c.requestId === request.id);
    }, 'the circulation');
    expect(unread).toMatchObject({ personId: 'u-yamaguchi', role: 'securityManager', readAt: null, request: { id: request.id, status: 'approved' } });
    await eventually(async () => (await mails()).find((m) => m.to.includes('yamaguchi@example.co.jp') && m.subject.includes('【回覧】') && m.subject.includes(request.id)), 'the circulation mail');

    // Read-only: the recipient may read the request but has no task on it.
    expect((await yamaguchi.call('GET', `/api/requests/${request.id}`)).status).toBe(200);
    expect((await yamaguchi.call('GET', '/api/tasks')).body.items.some((t: { requestId: string }) => t.requestId === request.id)).toBe(false);

    expect((await yamaguchi.call('POST', `/api/circulations/${request.id}/read`)).status).toBe(200);
    expect((await yamaguchi.call('POST', `/api/circulations/${request.id}/read`)).status).toBe(404);
    expect((await yamaguchi.call('GET', '/api/circulations?unread=true')).body.items.some((c: { requestId: string }) => c.requestId === request.id)).toBe(false);
    const all = (await yamaguchi.call('GET', '/api/circulations')).body.items.find((c: { requestId: string }) => c.requestId === request.id);
    expect(all.readAt).not.toBeNull();

    const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
    expect(detail.history.map((e: { action: string }) => e.action)).toContain('circulated');
    expect(detail.circulations).toEqual([expect.objectContaining({ personId: 'u-yamaguchi', readAt: expect.any(String) })]);
    // Someone it was not sent to cannot mark it read.
    expect((await (await signIn('u-saito')).call('POST', `/api/circulations/${request.id}/read`)).status).toBe(404);
  });
});
