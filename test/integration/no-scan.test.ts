import { describe, expect, it } from 'vitest';
import { fileF1, requestStatus, runtime, signIn, taskFor } from './support';

describe('request paths', () => {
  it('read DynamoDB by key or index only: not one Scan, on any route, in the whole run', async () => {
    // Walk every read route and one approval here, so the count covers them whatever order files run in.
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    for (const approver of ['u-sato', 'u-kobayashi', 'u-yamada']) {
      const session = await signIn(approver);
      const task = await taskFor(session, request.id);
      expect((await session.call('GET', `/api/tasks/${task.id}`)).status).toBe(200);
      expect((await session.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' })).status).toBe(200);
    }
    await requestStatus(tanaka, request.id, 'approved');
    const ledgers = (await tanaka.call('GET', '/api/ledgers')).body.items as { name: string }[];
    for (const { name } of ledgers) {
      expect((await tanaka.call('GET', `/api/ledgers/${name}?limit=5`)).status).toBe(200);
      expect((await tanaka.call('GET', `/api/ledgers/${name}?siteId=site-tokyo&q=a`)).status).toBe(200);
      expect((await tanaka.call('GET', `/api/ledgers/${name}?branchId=br-east`)).status).toBe(200);
    }
    for (const path of ['/api/me', '/api/forms', '/api/requests?scope=mine', `/api/requests/${request.id}`, '/api/tasks', '/api/ledgers/servers/srv-core-db']) {
      expect((await tanaka.call('GET', path)).status).toBeLessThan(300);
    }

    expect((await fetch(`${runtime.url}/api/ledgers/servers.csv`, { headers: { authorization: `Bearer ${tanaka.token}` } })).status).toBe(200);

    const { dynamodb } = (await (await fetch(`${runtime.url}/_local/metrics`)).json()) as { dynamodb: Record<string, number> };
    expect(dynamodb.Query).toBeGreaterThan(10);
    expect(dynamodb.Scan ?? 0).toBe(0);
  });
});
