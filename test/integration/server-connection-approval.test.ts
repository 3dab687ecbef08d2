import { describe, expect, it } from 'vitest';
import { eventually, fileF1, linkTokenFor, mails, recordsUnder, requestStatus, runtime, signIn, taskFor, validF1 } from './support';

describe('F1 サーバ接続利用申請 through the HTTP API, the workflow and DynamoDB Local', () => {
  it('goes through three stages, two by e-mailed link and one from the inbox, and ends in an access grant', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    expect(request.status).toBe('in_review');

    // Stage 1: 拠点管理者 of 東京本社, from the link in the e-mail.
    const sato = await signIn('u-sato');
    const satoLink = await linkTokenFor('sato@example.co.jp', request.id);
    const opened = await sato.call('GET', `/api/links/${satoLink}`);
    expect(opened.status).toBe(200);
    expect(opened.body.request.id).toBe(request.id);
    expect(opened.body.task.stageLabel.ja).toBe('拠点管理者');
    const first = await sato.call('POST', `/api/links/${satoLink}/decision`, { decision: 'approve', comment: '業務上必要と認めます。' });
    expect(first.status).toBe(200);
    expect(first.body.task.status).toBe('approved');

    // Stage 2: 拠点責任者 of 東日本支社, from the link in the e-mail.
    const kobayashi = await signIn('u-kobayashi');
    const kobayashiLink = await linkTokenFor('kobayashi@example.co.jp', request.id);
    expect((await kobayashi.call('POST', `/api/links/${kobayashiLink}/decision`, { decision: 'approve' })).status).toBe(200);

    // Stage 3: 情報システム部インフラ担当, from the inbox (either member may decide; the other's task is superseded).
    const yamada = await signIn('u-yamada');
    const task = await taskFor(yamada, request.id);
    expect((await yamada.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve', comment: '許可します' })).status).toBe(200);
    const ito = await signIn('u-ito');
    expect((await ito.call('GET', '/api/tasks')).body.items.some((t: { requestId: string }) => t.requestId === request.id)).toBe(false);

    const grant = await eventually(async () => {
      const { body } = await tanaka.call('GET', '/api/ledgers/server-access-grants?limit=100');
      return (body.items as { requestId: string }[]).find((item) => item.requestId === request.id);
    }, 'the access grant');
    expect(grant).toMatchObject({ serverId: 'srv-core-db', userId: 'u-tanaka', protocol: 'odbc', status: 'active', startDate: '2026-12-01', endDate: '2027-03-31' });

    const approved = await requestStatus(tanaka, request.id, 'approved');
    expect(approved.stages.map((s: { status: string }) => s.status)).toEqual(['approved', 'approved', 'approved']);
    expect(approved.stages.map((s: { decision: { by: { id: string } } }) => s.decision.by.id)).toEqual(['u-sato', 'u-kobayashi', 'u-yamada']);
    const actions = approved.history.map((event: { action: string }) => event.action);
    expect(actions).toEqual(['submitted', 'stage_opened', 'decided', 'stage_opened', 'decided', 'stage_opened', 'decided', 'approved', 'effects_applied', 'circulated']);
    // Each event carries the hash of the one before it.
    for (let i = 1; i < approved.history.length; i++) expect(approved.history[i].prevHash).toBe(approved.history[i - 1].hash);

    const outcome = await eventually(async () => (await mails()).find((m) => m.to.includes('tanaka@example.co.jp') && m.subject.includes(request.id)), 'the outcome mail');
    expect(outcome.subject).toContain('承認完了');
  });

  it('ends at stage 2 when the branch responsible rejects, and tells the requester why', async () => {
    const takahashi = await signIn('u-takahashi'); // 仙台営業所 → 阿部 (site) → 小林 (東日本支社)
    const request = await fileF1(takahashi, { protocol: 'ftp' });
    const abe = await signIn('u-abe');
    expect((await abe.call('POST', `/api/tasks/${(await taskFor(abe, request.id)).id}/decision`, { decision: 'approve' })).status).toBe(200);
    const kobayashi = await signIn('u-kobayashi');
    const rejection = await kobayashi.call('POST', `/api/tasks/${(await taskFor(kobayashi, request.id)).id}/decision`, { decision: 'reject', comment: 'FTP は認めません。SFTP で再検討してください。' });
    expect(rejection.status).toBe(200);

    const rejected = await requestStatus(takahashi, request.id, 'rejected');
    expect(rejected.stages.map((s: { status: string }) => s.status)).toEqual(['approved', 'rejected', 'pending']);
    const notice = await eventually(async () => (await mails()).find((m) => m.to.includes('takahashi@example.co.jp') && m.subject.includes('却下')), 'the rejection mail');
    expect(notice.text).toContain('SFTP で再検討してください');
    const grants = (await takahashi.call('GET', '/api/ledgers/server-access-grants?limit=100')).body.items;
    expect(grants.some((g: { requestId: string }) => g.requestId === request.id)).toBe(false);
  });

  it('refuses a rejection or a send-back without a comment', async () => {
    const saito = await signIn('u-saito');
    const request = await fileF1(saito);
    const shimizu = await signIn('u-shimizu');
    const task = await taskFor(shimizu, request.id);
    const response = await shimizu.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'send_back' });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].path).toBe('comment');
    expect((await shimizu.call('GET', '/api/tasks')).body.items.some((t: { id: string }) => t.id === task.id)).toBe(true);
  });

  it('lets the requester edit and resubmit a sent-back request, and the route starts again', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka, { purpose: '調査のため' });
    const sato = await signIn('u-sato');
    const sentBack = await sato.call('POST', `/api/tasks/${(await taskFor(sato, request.id)).id}/decision`, { decision: 'send_back', comment: '利用目的を具体的に書いてください。' });
    expect(sentBack.status).toBe(200);
    await requestStatus(tanaka, request.id, 'sent_back');
    const notice = await eventually(async () => (await mails()).find((m) => m.to.includes('tanaka@example.co.jp') && m.subject.includes('差し戻し') && m.subject.includes(request.id)), 'the send-back mail');
    expect(notice.text).toContain('利用目的を具体的に書いてください');

    // Someone else cannot resubmit it; invalid data is refused and changes nothing.
    expect((await sato.call('POST', `/api/requests/${request.id}/resubmit`, { data: validF1() })).status).toBe(403);
    const invalid = await tanaka.call('POST', `/api/requests/${request.id}/resubmit`, { data: validF1({ purpose: '' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['data.purpose']);

    const resubmitted = await tanaka.call('POST', `/api/requests/${request.id}/resubmit`, { data: validF1({ purpose: '販売管理システムの月次締め処理を検証するため、基幹DBへ読み取り専用で接続する。' }) });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'in_review', round: 2, currentStage: 0 });
    const secondRound = await taskFor(sato, request.id);
    expect(secondRound.id).toContain(`${request.id}.2.0.`);
    expect((await sato.call('POST', `/api/tasks/${secondRound.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const kobayashi = await signIn('u-kobayashi');
    await taskFor(kobayashi, request.id);
    const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
    expect(detail.history.map((e: { action: string }) => e.action)).toContain('resubmitted');
    expect(detail.data.purpose).toContain('販売管理システム');
  });

  it('lets the requester withdraw while in review; the approvers\' tasks disappear and the workflow ends', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    const sato = await signIn('u-sato');
    const task = await taskFor(sato, request.id);
    const token = await linkTokenFor('sato@example.co.jp', request.id);

    expect((await sato.call('POST', `/api/requests/${request.id}/withdraw`, {})).status).toBe(403);
    const withdrawn = await tanaka.call('POST', `/api/requests/${request.id}/withdraw`, { comment: '別の方法で対応します' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(withdrawn.body.stages[0].status).toBe('cancelled');

    expect((await sato.call('GET', '/api/tasks')).body.items.some((t: { id: string }) => t.id === task.id)).toBe(false);
    expect((await sato.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' })).status).toBe(409);
    expect((await sato.call('GET', `/api/links/${token}`)).status).toBe(410);
    expect((await tanaka.call('POST', `/api/requests/${request.id}/withdraw`, {})).status).toBe(409);
  });

  it('refuses a decision from a stranger and from the requester (403), and records nothing', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    const sato = await signIn('u-sato');
    const task = await taskFor(sato, request.id);

    const stranger = await signIn('u-kobayashi');
    const byStranger = await stranger.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' });
    expect(byStranger.status).toBe(403);
    expect(byStranger.body.error.code).toBe('forbidden');
    const byRequester = await tanaka.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' });
    expect(byRequester.status).toBe(403);
    expect(byRequester.body.error.message).toBe('自分の申請を承認・却下することはできません。');
    // English when asked for.
    const inEnglish = await tanaka.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(inEnglish.body.error.message).toBe('You cannot decide your own request.');

    const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
    expect(detail.stages[0]).toMatchObject({ status: 'open', decision: null });
    expect(detail.history.filter((e: { action: string }) => e.action === 'decided')).toHaveLength(0);
    // A stranger cannot read the request either.
    expect((await (await signIn('u-saito')).call('GET', `/api/requests/${request.id}`)).status).toBe(403);
  });

  it('records one decision when the same decision is sent twice, at once or again later (409)', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    const sato = await signIn('u-sato');
    const task = await taskFor(sato, request.id);
    const [a, b] = await Promise.all([
      sato.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' }),
      sato.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const again = await sato.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'reject', comment: 'やはり却下' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const detail = (await tanaka.call('GET', `/api/requests/${request.id}`)).body;
    expect(detail.history.filter((e: { action: string }) => e.action === 'decided')).toHaveLength(1);
    expect(detail.stages[0].status).toBe('approved');
  });

  it('answers a reused link with 410, and a link decided from the inbox with 410', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    const sato = await signIn('u-sato');
    const token = await linkTokenFor('sato@example.co.jp', request.id);
    expect((await sato.call('POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
    const reused = await sato.call('POST', `/api/links/${token}/decision`, { decision: 'approve' });
    expect(reused.status).toBe(410);
    expect(reused.body.error.code).toBe('gone');
    expect((await sato.call('GET', `/api/links/${token}`)).status).toBe(410);

    const kobayashi = await signIn('u-kobayashi');
    const second = await linkTokenFor('kobayashi@example.co.jp', request.id);
    expect((await kobayashi.call('POST', `/api/tasks/${(await taskFor(kobayashi, request.id)).id}/decision`, { decision: 'approve' })).status).toBe(200);
    expect((await kobayashi.call('POST', `/api/links/${second}/decision`, { decision: 'approve' })).status).toBe(410);
  });

  it('changes nothing when a link is opened, however often, and refuses unknown and foreign links', async () => {
    const tanaka = await signIn('u-tanaka');
    const request = await fileF1(tanaka);
    const sato = await signIn('u-sato');
    const token = await linkTokenFor('sato@example.co.jp', request.id);
    await taskFor(sato, request.id);
    const before = await recordsUnder(null, `REQUEST#${request.id}`);
    for (let i = 0; i < 3; i++) expect((await sato.call('GET', `/api/links/${token}`)).status).toBe(200);
    const after = await recordsUnder(null, `REQUEST#${request.id}`);
    expect(after).toEqual(before);

    expect((await sato.call('GET', `/api/links/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await sato.call('GET', '/api/links/not-a-token')).status).toBe(404);
    expect((await (await signIn('u-kobayashi')).call('GET', `/api/links/${token}`)).status).toBe(403);
    // The link still works for its approver afterwards.
    expect((await sato.call('POST', `/api/links/${token}/decision`, { decision: 'approve' })).status).toBe(200);
  });

  it('refuses invalid F1 data with a 400 naming each field, and stores nothing', async () => {
    const saito = await signIn('u-saito');
    const before = await recordsUnder('gsi1', 'REQUESTER#u-saito');
    const mailsBefore = new Set((await mails()).map((m) => m.sentAt + m.subject));
    const response = await saito.call('POST', '/api/requests', {
      formId: 'server-connection-request',
      data: { serverId: 'srv-nowhere', protocol: 'gopher', purpose: 'x'.repeat(2001), startDate: '2026-13-01', endDate: '2026-11-30', extra: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const paths = response.body.error.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(['data.extra', 'data.protocol', 'data.purpose', 'data.startDate']);
    const purpose = response.body.error.issues.find((i: { path: string }) => i.path === 'data.purpose');
    expect(purpose.messages).toEqual({ ja: '「利用目的」は2000文字以内で入力してください。', en: 'Purpose must be at most 2000 characters.' });

    const endBeforeStart = await saito.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1({ startDate: '2026-12-10', endDate: '2026-12-01' }) });
    expect(endBeforeStart.status).toBe(400);
    expect(endBeforeStart.body.error.issues).toEqual([expect.objectContaining({ path: 'data.endDate', message: '「利用終了日」は「利用開始日」以降の日付にしてください。' })]);

    const unknownServer = await saito.call('POST', '/api/requests', { formId: 'server-connection-request', data: validF1({ serverId: 'srv-nowhere' }) });
    expect(unknownServer.status).toBe(400);
    expect(unknownServer.body.error.issues[0].path).toBe('data.serverId');

    expect((await saito.call('POST', '/api/requests', '{"formId": ')).status).toBe(400);
    expect((await saito.call('POST', '/api/requests', { formId: 'no-such-form', data: {} })).status).toBe(404);

    expect(await recordsUnder('gsi1', 'REQUESTER#u-saito')).toEqual(before);
    // Other tests' workflows may still be mailing; none of the new mail may come from this requester.
    const newMail = (await mails()).filter((m) => !mailsBefore.has(m.sentAt + m.subject));
    expect(newMail.filter((m) => m.subject.includes('斎藤 翔'))).toEqual([]);
  });

  it('asks for a token on every API route but the OpenAPI document', async () => {
    expect((await fetch(`${runtime.url}/api/me`)).status).toBe(401);
    expect((await fetch(`${runtime.url}/api/requests`, { headers: { authorization: 'Bearer forged.token.here' } })).status).toBe(401);
    const openapi = await fetch(`${runtime.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    const document = (await openapi.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/api/links/{token}/decision');
  });

  it('tells the signed-in person who they are and lists the forms with their articles', async () => {
    const sato = await signIn('u-sato');
    const me = (await sato.call('GET', '/api/me')).body;
    expect(me).toMatchObject({ id: 'u-sato', site: { id: 'site-tokyo' }, branch: { id: 'br-east' }, department: { id: 'dep-general' } });
    expect(me.roles.map((r: { role: string }) => r.role)).toContain('siteManager');
    const forms = (await sato.call('GET', '/api/forms')).body.items;
    const f1 = forms.find((f: { code: string }) => f.code === 'F1');
    expect(f1.articles.map((a: { ref: string }) => a.ref)).toContain('S5-3');
    expect(f1.route.map((s: { role: string }) => s.role)).toEqual(['siteManager', 'siteResponsible', 'itInfra']);
    expect(f1.schema.properties.purpose.maxLength).toBe(2000);
    const servers = (await sato.call('GET', '/api/ledgers/servers')).body;
    expect(servers.items.map((s: { name: { ja: string } }) => s.name.ja)).toEqual(
      expect.arrayContaining(['基幹DBサーバ', '基幹DBバックアップサーバ', 'アプリケーションサーバ', '開発・研修用DBサーバ']),
    );
    expect((await sato.call('GET', '/api/ledgers/nothing')).status).toBe(404);
    expect((await sato.call('GET', '/api/ledgers/servers?limit=0')).status).toBe(400);
    expect((await sato.call('GET', '/api/ledgers/servers?cursor=bm9wZQ')).status).toBe(400);
  });
});
