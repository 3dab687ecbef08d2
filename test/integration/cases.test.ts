import { describe, expect, it } from 'vitest';
import { demoPeople } from '../../infra/local/seed-data';
import type { Mail, Session } from './support';
import { mails, recordsUnder, runtime, signIn } from './support';

/**
 * Cases through the HTTP API against DynamoDB Local: an incident (C1) from its occurrence to its
 * report and closing, with every notice read back from the captured mail (/_local/mail); and a
 * laptop checkout (C2) returned by 総務.
 */

interface DirectoryPerson {
  id: string;
  email: string;
  departmentId: string;
  roles: { role: string; scope: { id: string } }[];
}

/** The directory as it stands now: other tests may register people in the demo departments. */
async function directoryNow(): Promise<DirectoryPerson[]> {
  const answer = await fetch(`${runtime.url}/_local/users`);
  return ((await answer.json()) as { items: DirectoryPerson[] }).items;
}

const emailOf = (id: string, people: readonly { id: string; email: string }[] = demoPeople) => people.find((p) => p.id === id)!.email;
const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000).toISOString();

/** Whom S10-4 tells: the head and every member of each affected department, and IT infrastructure. */
async function departmentRecipients(departments: string[]): Promise<string[]> {
  const people = await directoryNow();
  const ids = new Set<string>();
  for (const person of people) {
    if (departments.includes(person.departmentId)) ids.add(person.id);
    if (person.roles.some((r) => (r.role === 'deptHead' && departments.includes(r.scope.id)) || r.role === 'itInfra')) ids.add(person.id);
  }
  return [...ids].map((id) => emailOf(id, people)).sort();
}

/** The mails about one case, by the tag in their subject. */
async function mailsAbout(id: string, tag: string): Promise<Mail[]> {
  return (await mails()).filter((m) => m.subject.includes(id) && m.subject.includes(tag));
}

const recipientsOf = (list: Mail[]) => list.flatMap((m) => m.to).sort();

async function report(session: Session, overrides: Record<string, unknown> = {}) {
  const answer = await session.call('POST', '/api/cases/incidents', {
    kind: 'server',
    title: 'アプリケーションサーバが応答しない',
    description: '販売管理の画面が開かない。',
    siteId: 'site-tokyo',
    systems: [{ ledger: 'servers', id: 'srv-app' }, { name: '本社-大阪間 VPN 回線' }],
    affectedDepartments: ['dep-sales', 'dep-production'],
    startedAt: hoursAgo(2),
    personalInfoRisk: false,
    ...overrides,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; version: number; status: string };
}

describe('C1 障害報告 through the API', () => {
  it('an incident from occurrence to report with every notice sent to the right people', async () => {
    const [tanaka, yamada, takahashi, kimura] = await Promise.all(['u-tanaka', 'u-yamada', 'u-takahashi', 'u-kimura'].map(signIn));
    const incident = await report(tanaka);
    expect(incident.id).toMatch(/^INC-\d{8}-[0-9A-Z]{6}$/);

    // The occurrence report: IT infrastructure and the system administrator (a server incident), nobody else.
    const received = await mailsAbout(incident.id, '【障害発生報告】');
    expect(recipientsOf(received)).toEqual([emailOf('u-ito'), emailOf('u-matsumoto'), emailOf('u-yamada')].sort());
    expect(received[0].text).toContain('本社-大阪間 VPN 回線');
    expect((await mails()).filter((m) => m.subject.includes(incident.id) && m.to.includes(emailOf('u-kimura')))).toEqual([]);

    // Only IT infrastructure records phases, only the next one, only at the version shown.
    expect((await tanaka.call('POST', `/api/cases/incidents/${incident.id}/phases`, { phase: 'notified', version: 1 })).status).toBe(403);
    const early = await yamada.call('POST', `/api/cases/incidents/${incident.id}/phases`, { phase: 'recovered', version: 1, recoveredAt: hoursAgo(1), action: '再起動' }, { 'accept-language': 'en' });
    expect(early.status).toBe(409);
    expect(early.body.error.messages.ja).toContain('影響部署への発生連絡');
    expect(early.body.error.message).toBe(early.body.error.messages.en);
    const bad = await yamada.call('POST', `/api/cases/incidents/${incident.id}/phases`, { phase: 'notified', version: 'one', message: 'x'.repeat(2001) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['message', 'version']);
    expect(bad.body.error.issues[0].messages).toEqual({ ja: expect.stringMatching(/「.+」/), en: expect.any(String) });

    // The preview names whom the occurrence notice will reach.
    const before = (await yamada.call('GET', `/api/cases/incidents/${incident.id}`)).body;
    const people = await directoryNow();
    const told = await departmentRecipients(['dep-sales', 'dep-production']);
    expect(before.preview.recipients.map((r: { id: string }) => emailOf(r.id, people)).sort()).toEqual(told);

    const step = async (body: Record<string, unknown>) => {
      const current = (await yamada.call('GET', `/api/cases/incidents/${incident.id}`)).body;
      const answer = await yamada.call('POST', `/api/cases/incidents/${incident.id}/phases`, { ...body, version: current.version });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.status).toBe(body.phase);
      return answer.body;
    };

    await step({ phase: 'notified', message: '復旧見込みは 1 時間後です。' });
    const notice = await mailsAbout(incident.id, '【障害発生のお知らせ】');
    expect(recipientsOf(notice)).toEqual(told);
    expect(notice[0].text).toContain('復旧見込みは 1 時間後です。');

    // A member told of it may now read the case; someone not concerned may not.
    expect((await takahashi.call('GET', `/api/cases/incidents/${incident.id}`)).status).toBe(200);
    expect((await kimura.call('GET', `/api/cases/incidents/${incident.id}`)).status).toBe(403);

    await step({ phase: 'recovered', recoveredAt: hoursAgo(0.5), action: 'Tomcat を再起動した。' });
    await step({ phase: 'recovery-notified' });
    const recovery = await mailsAbout(incident.id, '【復旧のお知らせ】');
    expect(recipientsOf(recovery)).toEqual(told);
    expect(recovery[0].text).toContain('Tomcat を再起動した。');

    await step({ phase: 'timeline-reported', summary: 'メモリ不足で Tomcat が停止した。', lines: [{ at: hoursAgo(1.5), text: '監視で応答なしを検知' }] });
    const timeline = await mailsAbout(incident.id, '【障害経緯のご報告】');
    expect(recipientsOf(timeline)).toEqual(told);
    expect(timeline[0].text).toContain(`/#/cases/incidents/${incident.id}/report`);
    expect(timeline[0].text).toContain('監視で応答なしを検知');

    await step({ phase: 'cause-recorded', cause: 'ヒープ領域の設定が小さかった。', prevention: 'ヒープを拡張し、監視の閾値を追加した。' });
    const closed = await step({ phase: 'closed', comment: '対応完了' });
    expect(closed.phases.map((p: { phase: string }) => p.phase)).toEqual(['reported', 'notified', 'recovered', 'recovery-notified', 'timeline-reported', 'cause-recorded', 'closed']);
    expect((await yamada.call('POST', `/api/cases/incidents/${incident.id}/phases`, { phase: 'closed', version: closed.version })).status).toBe(409);

    // The reporter sees their case, its timeline and an audit event per phase; no notice went out twice.
    const mine = await tanaka.call('GET', `/api/cases/incidents/${incident.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.history.map((e: { action: string }) => e.action)).toEqual(
      ['reported', 'notified', 'recovered', 'recovery-notified', 'timeline-reported', 'cause-recorded', 'closed'].map((p) => `incident.${p}`),
    );
    expect(mine.body.timelineEntries[0]).toMatchObject({ kind: 'started' });
    expect((await tanaka.call('GET', '/api/cases/incidents?scope=mine')).body.items.map((i: { id: string }) => i.id)).toContain(incident.id);
    expect((await tanaka.call('GET', '/api/cases/incidents?scope=all')).status).toBe(403);
    expect((await mails()).filter((m) => m.subject.includes(incident.id))).toHaveLength(received.length + notice.length + recovery.length + timeline.length);
    expect((await mails()).filter((m) => m.subject.includes(incident.id) && m.to.includes(emailOf('u-kimura')))).toEqual([]);
  });

  it('a personal-information risk reaches the privacy manager at once, in a mail of their own (A18-4)', async () => {
    const saito = await signIn('u-saito');
    const incident = await report(saito, {
      kind: 'client',
      title: '端末がウイルスに感染した疑い',
      siteId: 'site-osaka',
      systems: [{ ledger: 'clients', id: 'pc-osaka-001' }],
      affectedDepartments: ['dep-production'],
      personalInfoRisk: true,
      personalInfoNote: '顧客の住所録が保存されている',
    });
    const privacy = await mailsAbout(incident.id, '【個人情報リスク】');
    expect(recipientsOf(privacy)).toEqual([emailOf('u-kimura')]);
    expect(privacy[0].text).toContain('顧客の住所録が保存されている');
    // A client incident goes to IT infrastructure and the site's manager (S20), not the system administrator.
    expect(recipientsOf(await mailsAbout(incident.id, '【障害発生報告】'))).toEqual([emailOf('u-ito'), emailOf('u-shimizu'), emailOf('u-yamada')].sort());
    expect((await (await signIn('u-kimura')).call('GET', `/api/cases/incidents/${incident.id}`)).status).toBe(200);
  });

  it('refuses a report with field-level messages in both languages and stores nothing', async () => {
    const inoue = await signIn('u-inoue');
    // Other tests may file incidents as 井上 too: what matters is that these refusals add none.
    const before = await recordsUnder('gsi1', 'CASES#incident#person#u-inoue');
    const answer = await inoue.call('POST', '/api/cases/incidents', { kind: 'printer', title: '', siteId: 'site-nowhere', systems: [], affectedDepartments: ['dep-sales'], startedAt: 'yesterday', personalInfoRisk: 'no' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['description', 'kind', 'personalInfoRisk', 'startedAt', 'systems', 'title']);
    const unknown = await inoue.call('POST', '/api/cases/incidents', {
      kind: 'network', title: '回線断', description: '本社の回線が切れた', siteId: 'site-nowhere', systems: [{ ledger: 'servers', id: 'srv-nowhere' }], affectedDepartments: ['dep-sales'], startedAt: hoursAgo(1), personalInfoRisk: false,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['siteId', 'systems.0.id']);
    expect(await recordsUnder('gsi1', 'CASES#incident#person#u-inoue')).toEqual(before);
  });
});

describe('C2 ノートPC・可搬媒体持ち出し through the API', () => {
  it('records a checkout with its return reminder, lists it as out for 総務, and lets only 総務 record the return', async () => {
    const [watanabe, hayashi] = await Promise.all(['u-watanabe', 'u-hayashi'].map(signIn));
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const created = await watanabe.call('POST', '/api/cases/media-checkouts', { mediaKind: 'laptop', clientId: 'pc-tokyo-002', purpose: '顧客先での説明', destination: '大阪支店', expectedReturnOn: today });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const checkout = created.body as { id: string; version: number; dutyId: string };

    // The same laptop cannot be out twice.
    expect((await watanabe.call('POST', '/api/cases/media-checkouts', { mediaKind: 'laptop', clientId: 'pc-tokyo-002', purpose: '再度', destination: '本社', expectedReturnOn: today })).status).toBe(409);

    const out = await hayashi.call('GET', '/api/cases/media-checkouts?scope=out');
    expect(out.body.items.find((c: { id: string }) => c.id === checkout.id)).toMatchObject({ status: 'out', overdue: false, borrower: { id: 'u-watanabe' } });
    expect((await watanabe.call('GET', '/api/cases/media-checkouts?scope=out')).status).toBe(403);
    const duty = await recordsUnder(null, `DUTY#${checkout.dutyId}`);
    expect(duty[0]).toMatchObject({ kind: 'media-return', status: 'open', dueOn: today, role: 'generalAffairs' });

    expect((await watanabe.call('POST', `/api/cases/media-checkouts/${checkout.id}/return`, { version: checkout.version })).status).toBe(403);
    const returned = await hayashi.call('POST', `/api/cases/media-checkouts/${checkout.id}/return`, { version: checkout.version, note: '異常なし' });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body).toMatchObject({ status: 'returned', returnedTo: { id: 'u-hayashi' } });
    expect((await hayashi.call('POST', `/api/cases/media-checkouts/${checkout.id}/return`, { version: returned.body.version })).status).toBe(409);

    const detail = await watanabe.call('GET', `/api/cases/media-checkouts/${checkout.id}`);
    expect(detail.body.duty).toMatchObject({ status: 'done' });
    expect(detail.body.history.map((e: { action: string }) => e.action)).toEqual(['media.checked-out', 'media.returned']);
    expect((await hayashi.call('GET', '/api/cases/media-checkouts?scope=out')).body.items.some((c: { id: string }) => c.id === checkout.id)).toBe(false);
  });
});
