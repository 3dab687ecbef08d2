import { describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, fileF1, linkTokenFor, mails, requestStatus, runtime, signIn, taskFor } from './support';

/**
 * Organisation administration through the HTTP API, on a branch, site and department of this file's
 * own (so that the demo organisation the other files rely on stays as it is).
 */
const tag = `oa${Date.now().toString(36)}`;
const ids = {
  branch: `br-${tag}`,
  site: `site-${tag}`,
  department: `dep-${tag}`,
  requester: `u-${tag}-req`,
  first: `u-${tag}-sm1`,
  second: `u-${tag}-sm2`,
  responsible: `u-${tag}-sr`,
  imported: `u-${tag}-csv`,
};
const email = (id: string) => `${id}@example.co.jp`;

const person = (id: string, name: string, roles: { role: string; scope: { kind: string; id: string } }[] = []) => ({
  id,
  name: { ja: `${name} ${tag}`, en: `${name} ${tag}` },
  email: email(id),
  siteId: ids.site,
  departmentId: ids.department,
  roles,
});
const siteManager = { role: 'siteManager', scope: { kind: 'site', id: ids.site } };

async function must(session: Session, method: string, path: string, body: unknown, status: number) {
  const response = await session.call(method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

async function personVersion(yamada: Session, id: string): Promise<number> {
  return (await must(yamada, 'GET', `/api/admin/people/${id}`, undefined, 200)).person.version;
}

describe('組織管理 (organisation administration) through the HTTP API', () => {
  it('is for IT infrastructure only', async () => {
    const tanaka = await signIn('u-tanaka');
    expect((await tanaka.call('GET', '/api/admin/organisation')).status).toBe(403);
    expect((await tanaka.call('GET', '/api/admin/organisation/people.csv')).status).toBe(403);
    expect((await tanaka.call('POST', '/api/admin/people', { person: person(`u-${tag}-x`, '不正') })).status).toBe(403);
    expect((await tanaka.call('PUT', '/api/admin/places/site/site-tokyo', { place: { id: 'site-tokyo', name: { ja: 'x', en: 'x' }, branchId: 'br-east' }, version: 0 })).status).toBe(403);
    const yamada = await signIn('u-yamada');
    const listing = await must(yamada, 'GET', '/api/admin/organisation', undefined, 200);
    expect(listing.people.find((p: { id: string }) => p.id === 'u-sato')).toMatchObject({ siteId: 'site-tokyo', branchId: 'br-east' });
    expect(listing.articles.map((a: { ref: string }) => a.ref)).toContain('S5-3');
  });

  it('registers places and people, refuses bad ones field by field in both languages, and audits each change', async () => {
    const yamada = await signIn('u-yamada');
    await must(yamada, 'POST', '/api/admin/places/branch', { place: { id: ids.branch, name: { ja: `検証支社 ${tag}`, en: `Test branch ${tag}` } } }, 201);
    await must(yamada, 'POST', '/api/admin/places/site', { place: { id: ids.site, name: { ja: `検証拠点 ${tag}`, en: `Test site ${tag}` }, branchId: ids.branch } }, 201);
    await must(yamada, 'POST', '/api/admin/places/department', { place: { id: ids.department, name: { ja: `検証部 ${tag}`, en: `Test department ${tag}` } } }, 201);

    const bad = await yamada.call(
      'POST',
      '/api/admin/people',
      { person: { ...person(ids.first, '不正'), siteId: 'site-nowhere', roles: [{ role: 'siteManager', scope: { kind: 'branch', id: ids.branch } }] } },
      { 'accept-language': 'en' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['person.siteId', 'person.roles.0.scope.kind']);
    expect(bad.body.error.issues[0]).toMatchObject({ message: 'There is no site "site-nowhere".', messages: { ja: '拠点「site-nowhere」は登録されていません。' } });
    expect((await yamada.call('GET', `/api/admin/people/${ids.first}`)).status).toBe(404);

    await must(yamada, 'POST', '/api/admin/people', { person: person(ids.requester, '申請') }, 201);
    const first = await must(yamada, 'POST', '/api/admin/people', { person: person(ids.first, '一番'), reason: '拠点開設' }, 201);
    expect(first.person).toMatchObject({ branchId: ids.branch, version: 1 });
    await must(yamada, 'POST', '/api/admin/people', { person: person(ids.second, '二番') }, 201);
    await must(yamada, 'POST', '/api/admin/people', { person: person(ids.responsible, '責任', [{ role: 'siteResponsible', scope: { kind: 'branch', id: ids.branch } }]) }, 201);
    // A taken id is a field error, not an overwrite.
    const taken = await yamada.call('POST', '/api/admin/people', { person: person(ids.first, '重複') });
    expect(taken.status).toBe(400);
    expect(taken.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['person.id']);

    const changed = await must(yamada, 'PUT', `/api/admin/people/${ids.first}`, { person: person(ids.first, '一番', [siteManager]), version: 1, reason: '拠点管理者に任命' }, 200);
    expect(changed.person.roles.map((r: { role: string }) => r.role)).toEqual(['employee', 'siteManager']);
    // Saving over a change one has not seen is refused.
    expect((await yamada.call('PUT', `/api/admin/people/${ids.first}`, { person: person(ids.first, '一番'), version: 1 })).status).toBe(409);
    const { history } = await must(yamada, 'GET', `/api/admin/people/${ids.first}`, undefined, 200);
    expect(history.map((e: { action: string; actor: { id: string } }) => [e.action, e.actor.id])).toEqual([
      ['created', 'u-yamada'],
      ['updated', 'u-yamada'],
    ]);
    expect(history[1]).toMatchObject({ summary: { ja: '山田 次郎 が変更しました：拠点管理者に任命' }, prevHash: history[0].hash });

    // The new person signs in and their request goes to the people of their own site and branch.
    const requester = await signIn(ids.requester);
    const preview = await must(requester, 'POST', '/api/forms/server-connection-request/route-preview', { data: { serverId: 'srv-core-db' } }, 200);
    expect(JSON.stringify(preview)).toContain(ids.first);
  });

  it('hands a waiting stage to the new holder when its approver loses the role: their task and link, 410 for the old link, everyone told', async () => {
    const yamada = await signIn('u-yamada');
    const requester = await signIn(ids.requester);
    const firstSession = await signIn(ids.first);
    const request = await fileF1(requester, { purpose: `組織変更の試験 ${tag}` });
    await taskFor(firstSession, request.id);
    const oldLink = await linkTokenFor(email(ids.first), request.id);

    await must(yamada, 'PUT', `/api/admin/people/${ids.second}`, { person: person(ids.second, '二番', [siteManager]), version: await personVersion(yamada, ids.second) }, 200);
    const version = await personVersion(yamada, ids.first);
    const preview = await must(yamada, 'PUT', `/api/admin/people/${ids.first}`, { person: person(ids.first, '一番'), version, dryRun: true }, 200);
    expect(preview).toMatchObject({ applied: false, rerouted: [{ requestId: request.id, from: [{ id: ids.first }], to: [{ id: ids.second }] }], warnings: [] });
    expect((await firstSession.call('GET', `/api/links/${oldLink}`)).status).toBe(200);

    const saved = await must(yamada, 'PUT', `/api/admin/people/${ids.first}`, { person: person(ids.first, '一番'), version, reason: '異動' }, 200);
    expect(saved).toMatchObject({ applied: true, rerouted: [{ requestId: request.id }] });

    const secondSession = await signIn(ids.second);
    const task = await taskFor(secondSession, request.id);
    expect((await firstSession.call('GET', '/api/tasks')).body.items.some((t: { requestId: string }) => t.requestId === request.id)).toBe(false);
    expect((await firstSession.call('GET', `/api/links/${oldLink}`)).status).toBe(410);
    await linkTokenFor(email(ids.second), request.id);
    const told = await eventually(async () => (await mails()).find((m) => m.to.includes(email(ids.first)) && m.subject.startsWith('【担当変更】') && m.subject.includes(request.id)), 'the notice to the old approver');
    expect(told.text).toContain(`新しい担当: 二番 ${tag}`);
    expect((await mails()).some((m) => m.to.includes(email(ids.first)) && m.subject.startsWith('【役割の変更】') && m.text.includes('外れた役割: 拠点管理者'))).toBe(true);

    const detail = (await requester.call('GET', `/api/requests/${request.id}`)).body;
    expect(detail.stages[0].approvers.map((a: { id: string }) => a.id)).toEqual([ids.second]);
    expect(detail.history.find((e: { action: string }) => e.action === 'reassigned')).toMatchObject({ actor: { id: 'u-yamada' } });

    // The workflow goes on with the new holder's decision: the branch responsible is next.
    await must(secondSession, 'POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' }, 200);
    await taskFor(await signIn(ids.responsible), request.id);
    await must(requester, 'POST', `/api/requests/${request.id}/withdraw`, { comment: '試験の後片付け' }, 200);
    await requestStatus(requester, request.id, 'withdrawn');
  });

  it('names the absent approver in the approval e-mail when the task goes to their delegate (代理承認)', async () => {
    const second = await signIn(ids.second);
    const requester = await signIn(ids.requester);
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    await must(second, 'PUT', '/api/me/absence', { from: today, to: today, delegateId: ids.responsible }, 200);
    try {
      const request = await fileF1(requester, { purpose: `代理承認のメール ${tag}` });
      const mail = await eventually(
        async () => (await mails()).find((m) => m.to.includes(email(ids.responsible)) && m.subject.includes('承認依頼') && m.subject.includes(request.id)),
        'the approval mail to the delegate',
      );
      expect(mail.text).toContain(`二番 ${tag}さんが不在のため、二番 ${tag}さんの代理として判断してください（代理承認）。`);
      expect(mail.text).toContain(`You decide as the delegate of 二番 ${tag}, who is away.`);
      await must(requester, 'POST', `/api/requests/${request.id}/withdraw`, { comment: '試験の後片付け' }, 200);
    } finally {
      await must(second, 'DELETE', '/api/me/absence', undefined, 200);
    }
  });

  it('refuses to take IT infrastructure’s last member away', async () => {
    const yamada = await signIn('u-yamada');
    const ito = (await must(yamada, 'GET', '/api/admin/people/u-ito', undefined, 200)).person;
    // With 伊藤 still a member, 山田 could leave; the check is on the result, so a dry run of both shows it.
    const csv = ['社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割', `u-ito,${ito.name.ja},${ito.name.en},${ito.email},site-tokyo,dep-it,`, 'u-yamada,山田 次郎,Jiro Yamada,yamada@example.co.jp,site-tokyo,dep-it,'].join('\r\n');
    const report = await must(yamada, 'POST', '/api/admin/organisation/import', { file: 'people', csv, dryRun: true }, 200);
    expect(report.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['rejected', 'rejected']);
    expect(report.rows[0].issues[0].messages.ja).toContain('一人もいなくなる');
  });

  it('exports people as CSV and imports them back with a row-by-row report, the valid rows only when asked', async () => {
    const yamada = await signIn('u-yamada');
    const exported = await fetchCsv(yamada, '/api/admin/organisation/people.csv');
    expect(exported.startsWith('\uFEFF社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割')).toBe(true);
    expect(exported).toContain(`${ids.responsible},責任 ${tag},責任 ${tag},${email(ids.responsible)},${ids.site},${ids.department},siteResponsible@${ids.branch}`);

    const csv = [
      '社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割',
      `${ids.imported},取込 ${tag},Imported ${tag},${email(ids.imported)},${ids.site},${ids.department},deptHead`,
      `${ids.imported}-2,取込 二,Imported 2,${email(ids.imported)},${ids.site},${ids.department},`,
      `${ids.imported}-3,取込 三,Imported 3,${email(`${ids.imported}-3`)},${ids.site},,`,
    ].join('\r\n');
    const checked = await must(yamada, 'POST', '/api/admin/organisation/import', { file: 'people', csv, dryRun: true }, 200);
    expect(checked.rows.map((r: { row: number; outcome: string; issues: { path: string }[] }) => [r.row, r.outcome, r.issues.map((i) => i.path)])).toEqual([
      [2, 'created', []],
      [3, 'rejected', ['email']],
      [4, 'rejected', ['departmentId']],
    ]);
    expect((await must(yamada, 'POST', '/api/admin/organisation/import', { file: 'people', csv }, 200)).applied).toBe(false);
    expect((await yamada.call('GET', `/api/admin/people/${ids.imported}`)).status).toBe(404);
    const done = await must(yamada, 'POST', '/api/admin/organisation/import', { file: 'people', csv, validRowsOnly: true }, 200);
    expect(done).toMatchObject({ applied: true, imported: 1, rejected: 2 });
    const imported = await must(yamada, 'GET', `/api/admin/people/${ids.imported}`, undefined, 200);
    expect(imported.person.roles).toContainEqual(expect.objectContaining({ role: 'deptHead', scope: { kind: 'department', id: ids.department } }));
    expect(imported.history[0].summary.ja).toBe('山田 次郎 がCSVから登録しました');
    // Importing the same file again changes nothing.
    expect(await must(yamada, 'POST', '/api/admin/organisation/import', { file: 'people', csv, validRowsOnly: true }, 200)).toMatchObject({ imported: 0, unchanged: 1 });
  });
});

async function fetchCsv(session: Session, path: string): Promise<string> {
  const response = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  // Keep the BOM (Response.text() would drop it): Excel needs it.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
}
