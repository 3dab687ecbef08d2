import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../functions/domain/audit';
import { caseMailTo } from '../../../functions/domain/case-mails';
import type { Incident, IncidentPhaseInput } from '../../../functions/domain/incidents';
import {
  departmentNoticeRecipients,
  getIncident,
  incidentPhases,
  incidentTimeline,
  listIncidents,
  nextPhaseOf,
  recordIncidentPhase,
  reportIncident,
} from '../../../functions/domain/incidents';
import type { Person } from '../../../functions/domain/organisation';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps, person } from './in-memory-deps';
import { refusal } from './refusal';

const emailOf = (id: string) => person(id).email;

/** A server incident at 東京本社 affecting 営業部, begun an hour before the test clock's now. */
const serverIncident = (overrides: Record<string, unknown> = {}) => ({
  kind: 'server',
  title: '基幹DBサーバに接続できない',
  description: '09:00 頃から販売管理画面がタイムアウトする。',
  siteId: 'site-tokyo',
  systems: [{ ledger: 'servers', id: 'srv-core-db' }],
  affectedDepartments: ['dep-sales'],
  startedAt: '2026-11-25T00:00:00.000Z',
  personalInfoRisk: false,
  ...overrides,
});

const yamada = () => person('u-yamada');

/** The steps of an incident after its report, in order, as IT infrastructure fills them in. */
const steps = (version: number): IncidentPhaseInput[] => [
  { phase: 'notified', version, message: '復旧見込みは 11:00 です。' },
  { phase: 'recovered', version: version + 1, recoveredAt: '2026-11-25T00:50:00.000Z', action: 'DB リスナーを再起動した。' },
  { phase: 'recovery-notified', version: version + 2 },
  {
    phase: 'timeline-reported',
    version: version + 3,
    summary: 'リスナーの停止により 90 分間接続できなかった。',
    lines: [
      { at: '2026-11-25T00:40:00.000Z', text: '保守業者に連絡' },
      { at: '2026-11-25T00:10:00.000Z', text: '監視で接続エラーを検知' },
    ],
  },
  { phase: 'cause-recorded', version: version + 4, cause: 'リスナーのログ領域が満杯になった。', prevention: 'ログの自動ローテーションを設定した。' },
  { phase: 'closed', version: version + 5, comment: '対応完了' },
];

async function reported(t: TestDeps, reporter = 'u-tanaka', overrides: Record<string, unknown> = {}) {
  return reportIncident(t.deps, person(reporter), serverIncident(overrides));
}

describe('the phases of an incident (C1)', () => {
  it('go in one order from the report to closing, and none after closing', () => {
    expect(incidentPhases).toEqual(['reported', 'notified', 'recovered', 'recovery-notified', 'timeline-reported', 'cause-recorded', 'closed']);
    expect(nextPhaseOf('reported')).toBe('notified');
    expect(nextPhaseOf('cause-recorded')).toBe('closed');
    expect(nextPhaseOf('closed')).toBeNull();
  });

  it('are recorded one after another by IT infrastructure, each with who and when, in an unbroken audit chain', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    expect(incident).toMatchObject({ status: 'reported', version: 1, reporter: { id: 'u-tanaka' }, siteName: { ja: '東京本社' } });
    expect(incident.id).toMatch(/^INC-20261125-[A-Z]{6}$/);
    expect(incident.systems).toEqual([{ ledger: 'servers', id: 'srv-core-db', name: '基幹DBサーバ' }]);

    for (const [index, step] of steps(1).entries()) {
      t.clock.advance(10 * 60 * 1000);
      const after = await recordIncidentPhase(t.deps, yamada(), incident.id, step);
      expect(after.status).toBe(step.phase);
      expect(after.version).toBe(index + 2);
      expect(after.phases.at(-1)).toMatchObject({ phase: step.phase, by: { id: 'u-yamada' }, at: t.clock.now().toISOString() });
    }
    const stored = t.cases.incidentsById.get(incident.id) as Incident;
    expect(stored.phases.map((p) => p.phase)).toEqual(incidentPhases);
    expect(stored).toMatchObject({ recovery: { action: 'DB リスナーを再起動した。' }, cause: { prevention: 'ログの自動ローテーションを設定した。' }, closingComment: '対応完了' });
    const chain = await t.cases.history(`incident#${incident.id}`);
    expect(chain.map((e) => e.action)).toEqual(incidentPhases.map((p) => `incident.${p}`));
    expect(verifyChain(chain)).toBeNull();
    expect(stored.audit).toEqual({ seq: chain.length, hash: chain.at(-1)!.hash });
  });

  it('refuses a phase out of order with a 409 naming the phase that comes next, and changes nothing', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    const error = await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'recovered', version: 1, recoveredAt: '2026-11-25T00:30:00.000Z', action: '再起動' }));
    expect(error.status).toBe(409);
    expect(error.messages.ja).toContain('影響部署への発生連絡');
    expect(error.messages.en).toContain('Occurrence notice to affected departments');
    expect(t.cases.incidentsById.get(incident.id)?.version).toBe(1);
    expect((await t.cases.history(`incident#${incident.id}`)).length).toBe(1);
  });

  it('refuses a phase recorded twice and any phase after closing', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    await recordIncidentPhase(t.deps, yamada(), incident.id, steps(1)[0]);
    expect((await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'notified', version: 2 }))).status).toBe(409);
    for (const step of steps(1).slice(1)) await recordIncidentPhase(t.deps, yamada(), incident.id, step);
    const closed = await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'closed', version: 7 }));
    expect(closed.status).toBe(409);
    expect(closed.messages.ja).toContain('完了しています');
  });

  it('lets only IT infrastructure record a phase: the reporter and a department head get 403', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    for (const id of ['u-tanaka', 'u-watanabe', 'u-matsumoto']) {
      expect((await refusal(recordIncidentPhase(t.deps, person(id), incident.id, steps(1)[0]))).status).toBe(403);
    }
    expect(t.mailer.sent.filter((m) => m.subject.includes('障害発生のお知らせ'))).toEqual([]);
  });

  it('refuses a step made on a version the caller did not see, and one that lost a race, with 409', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    expect((await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'notified', version: 7 }))).status).toBe(409);

    // 伊藤 records the notice while 山田's step is on its way: 山田's write is refused, not doubled.
    t.cases.beforeCommit = async () => {
      t.cases.beforeCommit = null;
      await recordIncidentPhase(t.deps, person('u-ito'), incident.id, { phase: 'notified', version: 1 });
    };
    const lost = await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'notified', version: 1, message: '二重' }));
    expect(lost.status).toBe(409);
    const stored = t.cases.incidentsById.get(incident.id) as Incident;
    expect(stored.phases.filter((p) => p.phase === 'notified')).toEqual([expect.objectContaining({ by: expect.objectContaining({ id: 'u-ito' }) })]);
    expect(t.mailer.sent.filter((m) => m.subject.includes('障害発生のお知らせ'))).toHaveLength(1);
  });

  it('answers 404 for an incident that does not exist, or an id that is not an incident id', async () => {
    const t = inMemoryDeps();
    expect((await refusal(recordIncidentPhase(t.deps, yamada(), 'INC-20261125-ZZZZZZ', steps(1)[0]))).status).toBe(404);
    expect((await refusal(getIncident(t.deps, yamada(), 'R-20261125-AAAAAA'))).status).toBe(404);
  });
});

describe('who is told of an incident', () => {
  it('on a server incident report: IT infrastructure and the system administrator, and not the privacy manager without a risk', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    expect(t.mailer.sent).toHaveLength(1);
    const [received] = t.mailer.sent;
    expect(received.subject).toBe(`【障害発生報告】サーバ障害 基幹DBサーバに接続できない（${incident.id}）`);
    expect(received.to.sort()).toEqual([emailOf('u-ito'), emailOf('u-matsumoto'), emailOf('u-yamada')].sort());
    expect(received.text).toContain(`/#/cases/incidents/${incident.id}`);
    expect(t.mailer.to(emailOf('u-kimura'))).toEqual([]);
    expect(incident.phases[0].recipients?.map((r) => r.id).sort()).toEqual(['u-ito', 'u-matsumoto', 'u-yamada']);
  });

  it('on a client incident report: IT infrastructure and the manager of the site, not the system administrator (S20)', async () => {
    const t = inMemoryDeps();
    await reported(t, 'u-saito', { kind: 'client', siteId: 'site-osaka', systems: [{ ledger: 'clients', id: 'pc-osaka-001' }], affectedDepartments: ['dep-production'] });
    expect(t.mailer.sent.map((m) => m.to.sort())).toEqual([[emailOf('u-ito'), emailOf('u-shimizu'), emailOf('u-yamada')].sort()]);
  });

  it('with a personal-information risk: the privacy manager at once, in a mail of their own (A18-4)', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t, 'u-tanaka', { personalInfoRisk: true, personalInfoNote: '顧客名簿のテーブルを含む' });
    const privacy = t.mailer.to(emailOf('u-kimura'));
    expect(privacy).toHaveLength(1);
    expect(privacy[0].to).toEqual([emailOf('u-kimura')]);
    expect(privacy[0].subject).toBe(`【個人情報リスク】基幹DBサーバに接続できない（${incident.id}）`);
    expect(privacy[0].text).toContain('第18条第4項');
    expect(privacy[0].text).toContain('顧客名簿のテーブルを含む');
    expect(incident.phases[0].recipients?.find((r) => r.id === 'u-kimura')?.because).toEqual([{ role: 'privacyManager' }]);
    // The privacy manager may then read the case.
    await expect(getIncident(t.deps, person('u-kimura'), incident.id)).resolves.toMatchObject({ id: incident.id });
  });

  it('of the occurrence (S10-4): the head and every member of each affected department, and IT infrastructure, once each', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t, 'u-tanaka', { affectedDepartments: ['dep-sales', 'dep-production'] });
    t.mailer.sent.length = 0;
    const after = await recordIncidentPhase(t.deps, yamada(), incident.id, steps(1)[0]);
    const notice = after.phases.at(-1)!;
    expect(notice.recipients?.map((r) => r.id).sort()).toEqual(
      ['u-watanabe', 'u-tanaka', 'u-takahashi', 'u-abe', 'u-ogawa', 'u-saito', 'u-shimizu', 'u-yamada', 'u-ito'].sort(),
    );
    expect(notice.recipients?.find((r) => r.id === 'u-watanabe')?.because).toEqual([
      { role: 'deptHead', departmentId: 'dep-sales' },
      { role: 'member', departmentId: 'dep-sales' },
    ]);
    expect(t.mailer.sent).toHaveLength(1);
    expect(t.mailer.sent[0].subject).toBe(`【障害発生のお知らせ】基幹DBサーバに接続できない（${incident.id}）`);
    expect(t.mailer.sent[0].to.sort()).toEqual(notice.recipients!.map((r) => emailOf(r.id)).sort());
    expect(t.mailer.sent[0].text).toContain('復旧見込みは 11:00 です。');
    expect(t.mailer.sent[0].text).toContain('第10条第4項');
    // Nobody of 経理部 or the privacy manager: they are not affected.
    expect(t.mailer.to(emailOf('u-nakamura'))).toEqual([]);
    expect(t.mailer.to(emailOf('u-kimura'))).toEqual([]);
  });

  it('names a department in which nobody can be found, and still tells IT infrastructure', async () => {
    const t = inMemoryDeps();
    const lookup = { directory: t.directory, cases: t.cases };
    const { recipients, unreachedDepartments } = await departmentNoticeRecipients(lookup, { affectedDepartments: [{ id: 'dep-empty', name: { ja: '空', en: 'Empty' } }] });
    expect(unreachedDepartments).toEqual(['dep-empty']);
    expect(recipients.map((r) => r.id).sort()).toEqual(['u-ito', 'u-yamada']);
  });

  it('of the recovery (S10-5) and the timeline report (S10-6): the same people as the occurrence notice', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    const notified = await recordIncidentPhase(t.deps, yamada(), incident.id, steps(1)[0]);
    const told = notified.phases.at(-1)!.recipients!.map((r) => r.id).sort();
    // Someone joins 営業部 after the notice: the later notices still go to those told of the occurrence.
    const newcomer: Person = { ...person('u-tanaka'), id: 'u-newcomer', name: { ja: '新人', en: 'Newcomer' }, email: 'newcomer@example.co.jp' };
    t.directory.people.set(newcomer.id, newcomer);
    t.mailer.sent.length = 0;
    for (const step of steps(1).slice(1, 4)) await recordIncidentPhase(t.deps, yamada(), incident.id, step);
    const [recovery, report] = t.mailer.sent;
    expect(t.mailer.sent).toHaveLength(2);
    expect(recovery.subject).toContain('【復旧のお知らせ】');
    expect(report.subject).toContain('【障害経緯のご報告】');
    for (const mail of [recovery, report]) expect(mail.to.sort()).toEqual(told.map(emailOf).sort());
    expect(recovery.text).toContain('DB リスナーを再起動した。');
    expect(report.text).toContain(`/#/cases/incidents/${incident.id}/report`);
    expect(report.text).toContain('監視で接続エラーを検知');
    const stored = t.cases.incidentsById.get(incident.id) as Incident;
    for (const phase of ['recovery-notified', 'timeline-reported'] as const) {
      expect(stored.phases.find((p) => p.phase === phase)?.recipients?.map((r) => r.id).sort()).toEqual(told);
    }
  });

  it('in messages of at most 50 addresses, each address once', () => {
    const emails = Array.from({ length: 120 }, (_, i) => `p${i}@example.co.jp`);
    const batches = caseMailTo([...emails, emails[0]]);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(new Set(batches.flat()).size).toBe(120);
  });
});

describe('an incident report that is not right', () => {
  it('is refused with every field problem at once, in Japanese and English, and nothing stored or sent', async () => {
    const t = inMemoryDeps();
    const error = await refusal(reportIncident(t.deps, person('u-tanaka'), { ...serverIncident(), title: '', siteId: 'site-nowhere', affectedDepartments: [] }));
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['affectedDepartments', 'title']);
    expect(error.issues.find((i) => i.path === 'title')?.messages).toEqual({ ja: '「件名（何が起きたか）」を入力してください。', en: 'Enter Title (what happened).' });
    const lookups = await refusal(
      reportIncident(t.deps, person('u-tanaka'), {
        ...serverIncident(),
        siteId: 'site-nowhere',
        affectedDepartments: ['dep-sales', 'dep-nowhere'],
        systems: [{ ledger: 'servers', id: 'srv-missing' }, {}],
        startedAt: '2026-11-26T00:00:00.000Z',
      }),
    );
    expect(lookups.issues.map((i) => i.path).sort()).toEqual(['affectedDepartments.1', 'siteId', 'startedAt', 'systems.0.id', 'systems.1.name']);
    expect(lookups.issues.find((i) => i.path === 'systems.0.id')?.messages.ja).toBe('サーバ台帳に「srv-missing」はありません。');
    expect(t.cases.incidentsById.size).toBe(0);
    expect(t.mailer.sent).toEqual([]);
  });

  it('refuses a recovery time before the incident began', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    await recordIncidentPhase(t.deps, yamada(), incident.id, steps(1)[0]);
    const error = await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'recovered', version: 2, recoveredAt: '2026-11-24T23:00:00.000Z', action: '再起動' }));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([{ path: 'recoveredAt', messages: { ja: '復旧日時は発生日時より後にしてください。', en: 'The recovery time must be after the incident began.' } }]);
  });

  it('refuses an unknown phase with a field-level message', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    const error = await refusal(recordIncidentPhase(t.deps, yamada(), incident.id, { phase: 'skipped', version: 1 }));
    expect(error.status).toBe(400);
    expect(error.issues[0].path).toBe('phase');
    expect(error.issues[0].messages.ja).toContain('記録する段階');
  });
});

describe('reading incidents', () => {
  it('shows the reporter, IT infrastructure and those notified the case, and refuses others', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    await expect(getIncident(t.deps, person('u-tanaka'), incident.id)).resolves.toMatchObject({ mayHandle: false, preview: null });
    const forInfra = await getIncident(t.deps, yamada(), incident.id);
    expect(forInfra.mayHandle).toBe(true);
    expect(forInfra.preview?.recipients.map((r) => r.id)).toContain('u-watanabe');
    expect((await refusal(getIncident(t.deps, person('u-ogawa'), incident.id))).status).toBe(403);
    await recordIncidentPhase(t.deps, yamada(), incident.id, steps(1)[0]);
    await expect(getIncident(t.deps, person('u-takahashi'), incident.id)).resolves.toMatchObject({ status: 'notified' });
  });

  it('lists my own reports to anyone, and every incident only to IT infrastructure', async () => {
    const t = inMemoryDeps();
    const mine = await reported(t);
    t.clock.advance(60_000);
    const other = await reported(t, 'u-saito');
    expect((await listIncidents(t.deps, person('u-tanaka'), 'mine', { limit: 50 })).items.map((i) => i.id)).toEqual([mine.id]);
    expect((await listIncidents(t.deps, yamada(), 'all', { limit: 50 })).items.map((i) => i.id)).toEqual([other.id, mine.id]);
    expect((await refusal(listIncidents(t.deps, person('u-tanaka'), 'all', { limit: 50 }))).status).toBe(403);
  });

  it('puts the whole course in time order for the report: begun, IT infrastructure’s own lines, recovery and each phase', async () => {
    const t = inMemoryDeps();
    const incident = await reported(t);
    for (const step of steps(1).slice(0, 4)) {
      t.clock.advance(60 * 60 * 1000);
      await recordIncidentPhase(t.deps, yamada(), incident.id, step);
    }
    const timeline = incidentTimeline(t.cases.incidentsById.get(incident.id) as Incident);
    expect(timeline.map((e) => [e.at, e.kind, e.label.ja])).toEqual([
      ['2026-11-25T00:00:00.000Z', 'started', '障害発生'],
      ['2026-11-25T00:10:00.000Z', 'line', '経緯'],
      ['2026-11-25T00:40:00.000Z', 'line', '経緯'],
      ['2026-11-25T00:50:00.000Z', 'recovered', '復旧'],
      ['2026-11-25T01:00:00.000Z', 'phase', '発生報告（3名へ連絡）'],
      ['2026-11-25T02:00:00.000Z', 'phase', '影響部署への発生連絡（6名へ連絡）'],
      ['2026-11-25T03:00:00.000Z', 'phase', '復旧の記録'],
      ['2026-11-25T04:00:00.000Z', 'phase', '影響部署への復旧連絡（6名へ連絡）'],
      ['2026-11-25T05:00:00.000Z', 'phase', '経緯報告（発生から完了まで）（6名へ連絡）'],
    ]);
  });
});
