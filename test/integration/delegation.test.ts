import { describe, expect, it } from 'vitest';
import { japanDate } from '../../functions/domain/dates';
import { eventually, fileF1, mails, signIn, taskFor } from './support';

const today = japanDate(new Date());
const inDays = (days: number) => japanDate(new Date(Date.now() + days * 24 * 60 * 60 * 1000));

describe('代理承認 (delegation)', () => {
  it('sends tasks arriving during an absence to the delegate, who decides on the approver\'s behalf', async () => {
    const sato = await signIn('u-sato');
    const hayashi = await signIn('u-hayashi');
    const tanaka = await signIn('u-tanaka');
    expect((await sato.call('PUT', '/api/me/absence', { from: today, to: inDays(3), delegateId: 'u-hayashi' })).status).toBe(200);
    try {
      expect((await sato.call('GET', '/api/me/absence')).body.absence).toMatchObject({ from: today, delegate: { id: 'u-hayashi' } });

      const request = await fileF1(tanaka);
      expect(request).toMatchObject({ stages: [{ approvers: [{ id: 'u-hayashi', onBehalfOf: { id: 'u-sato' } }] }, {}, {}] });
      const task = await taskFor(hayashi, request.id);
      expect((await sato.call('GET', '/api/tasks')).body.items.some((t: { requestId: string }) => t.requestId === request.id)).toBe(false);
      await eventually(async () => (await mails()).find((m) => m.to.includes('hayashi@example.co.jp') && m.subject.includes(request.id)), 'the delegate\'s mail');

      expect((await hayashi.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve', comment: '代理で承認' })).status).toBe(200);
      const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
      expect(detail.stages[0].decision.by).toMatchObject({ id: 'u-hayashi', onBehalfOf: { id: 'u-sato' } });
      expect(detail.history.find((e: { action: string }) => e.action === 'decided').summary.ja).toContain('佐藤 花子 の代理');

      // The delegate's own request never comes to them: it stays with the absent approver.
      const own = await fileF1(hayashi);
      expect((own as unknown as { stages: { approvers: { id: string }[] }[] }).stages[0].approvers.map((a) => a.id)).toEqual(['u-sato']);
      await taskFor(sato, own.id);
    } finally {
      expect((await sato.call('DELETE', '/api/me/absence')).status).toBe(200);
    }
    const after = await fileF1(tanaka);
    expect((after as unknown as { stages: { approvers: { id: string }[] }[] }).stages[0].approvers.map((a) => a.id)).toEqual(['u-sato']);
  });

  it('refuses an absence without a valid delegate or with dates the wrong way round', async () => {
    const sato = await signIn('u-sato');
    const self = await sato.call('PUT', '/api/me/absence', { from: today, to: inDays(1), delegateId: 'u-sato' });
    expect(self.status).toBe(400);
    expect(self.body.error.issues[0].path).toBe('delegateId');
    expect((await sato.call('PUT', '/api/me/absence', { from: today, to: inDays(1), delegateId: 'u-nobody' })).status).toBe(400);
    expect((await sato.call('PUT', '/api/me/absence', { from: inDays(2), to: inDays(1), delegateId: 'u-hayashi' })).body.error.issues[0].path).toBe('to');
    expect((await sato.call('DELETE', '/api/me/absence')).status).toBe(404);
  });
});
