import { describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, linkTokenFor, requestStatus, signIn, taskFor } from './support';

/**
 * 合議: F11 構成変更申請 for a server goes to every member of 情報システム部インフラ担当 (S3: they
 * all manage the servers), in one stage whose rule is `all`. Filed by 田中 (営業部), so both members,
 * 山田 and 伊藤, are its approvers.
 */
const daysFromToday = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
const serverChange = (note: string) => ({
  target: 'server',
  targetId: 'srv-app',
  summary: `JVM ヒープを 8GB に拡張する（合議の試験 ${note}）。`,
  newConfiguration: 'CPU 16コア / メモリ 64GB / Tomcat 10 / JVM 8GB',
  testPlan: '開発・研修用DBサーバで受注の回帰テストを1日実施する。',
  fallback: '起動オプションを戻して再起動する。',
  trainingNeeded: false,
  affectedDepartments: ['dep-sales'],
  plannedOn: daysFromToday(10),
  securityChecked: true,
});

interface Filed {
  id: string;
  stages: { role: string; rule: string; approvers: { id: string }[] }[];
}

async function fileServerChange(tanaka: Session, note: string): Promise<Filed> {
  const response = await tanaka.call('POST', '/api/requests', { formId: 'configuration-change-request', data: serverChange(note) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as Filed;
}

async function decide(session: Session, requestId: string, decision: 'approve' | 'reject', comment?: string) {
  const task = await taskFor(session, requestId);
  const response = await session.call('POST', `/api/tasks/${task.id}/decision`, { decision, ...(comment ? { comment } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { task: { status: string }; request: { status: string; stages: { status: string; approvals: unknown[] }[] } };
}

describe('合議 (an `all` stage) on F11 through the HTTP API', () => {
  it('stays open after the first approval and completes with the second', async () => {
    const [tanaka, yamada, ito] = await Promise.all([signIn('u-tanaka'), signIn('u-yamada'), signIn('u-ito')]);
    const request = await fileServerChange(tanaka, 'approve');
    expect(request.stages).toMatchObject([{ role: 'itInfra', rule: 'all' }]);
    expect(request.stages[0].approvers.map((a) => a.id).sort()).toEqual(['u-ito', 'u-yamada']);

    const first = await decide(yamada, request.id, 'approve', 'サーバ側の設定を確認しました');
    expect(first.request.stages[0]).toMatchObject({ status: 'open', approvals: [expect.objectContaining({ by: expect.objectContaining({ id: 'u-yamada' }) })] });
    // Still waiting for 伊藤: the request stays in review and 伊藤's task is still theirs to decide.
    const waiting = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
    expect(waiting.status).toBe('in_review');
    expect(waiting.stages[0].status).toBe('open');
    await taskFor(ito, request.id);

    await decide(ito, request.id, 'approve');
    const approved = await requestStatus(tanaka, request.id, 'approved');
    expect(approved.stages[0]).toMatchObject({ status: 'approved', decision: { by: { id: 'u-ito' }, decision: 'approve' } });
    expect(approved.stages[0].approvals.map((a: { by: { id: string } }) => a.by.id)).toEqual(['u-yamada', 'u-ito']);
    expect(approved.history.filter((e: { action: string }) => e.action === 'decided')).toHaveLength(2);
  });

  it('ends with the first approver’s rejection; the other task is superseded and its link answers 410', async () => {
    const [tanaka, yamada, ito] = await Promise.all([signIn('u-tanaka'), signIn('u-yamada'), signIn('u-ito')]);
    const request = await fileServerChange(tanaka, 'reject first');
    const itoLink = await linkTokenFor('ito@example.co.jp', request.id);
    await decide(yamada, request.id, 'reject', 'フォールバック手順が不十分です');
    const rejected = await requestStatus(tanaka, request.id, 'rejected');
    expect(rejected.stages[0]).toMatchObject({ status: 'rejected', decision: { by: { id: 'u-yamada' }, decision: 'reject' } });
    await eventually(async () => !(await ito.call('GET', '/api/tasks')).body.items.some((t: { requestId: string }) => t.requestId === request.id), '伊藤’s task to leave the inbox');
    expect((await ito.call('GET', `/api/links/${itoLink}`)).status).toBe(410);
  });

  it('ends with the second approver’s rejection even after the first approved', async () => {
    const [tanaka, yamada, ito] = await Promise.all([signIn('u-tanaka'), signIn('u-yamada'), signIn('u-ito')]);
    const request = await fileServerChange(tanaka, 'reject second');
    await decide(ito, request.id, 'approve');
    await decide(yamada, request.id, 'reject', '実施日を繁忙期から外してください');
    const rejected = await requestStatus(tanaka, request.id, 'rejected');
    expect(rejected.stages[0]).toMatchObject({ status: 'rejected', decision: { by: { id: 'u-yamada' } } });
    // Nothing went into the configuration-change ledger.
    expect((await yamada.call('GET', `/api/ledgers/configuration-changes/${request.id.replace(/^R-/, 'CC-')}`)).status).toBe(404);
  });

  it('keeps a client change to one approver of IT infrastructure (any one decides)', async () => {
    const tanaka = await signIn('u-tanaka');
    const response = await tanaka.call('POST', '/api/forms/configuration-change-request/route-preview', { data: { ...serverChange('client'), target: 'client', targetId: 'pc-tokyo-001' } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain('"rule":"any"');
    expect(JSON.stringify(response.body)).not.toContain('"rule":"all"');
  });
});
