import { describe, expect, it } from 'vitest';
import { taskIdOf } from '../../../functions/domain/approval';
import { verifyChain } from '../../../functions/domain/audit';
import { decideTask, openLink } from '../../../functions/domain/decisions';
import { DomainError } from '../../../functions/domain/errors';
import type { Person } from '../../../functions/domain/organisation';
import { refOf } from '../../../functions/domain/organisation';
import { exportOrganisationCsv, getOrganisation, getPersonAdmin, importOrganisationCsv, savePerson, savePlace } from '../../../functions/domain/organisation-admin';
import { rerouteOpenTasks } from '../../../functions/domain/stage-reassignment';
import type { TestDeps } from './in-memory-deps';
import { advanceAndNotify, allItCatalog, inMemoryDeps, linkTokenOf, person, submitValid } from './in-memory-deps';
import { inMemoryOrganisation } from './in-memory-organisation';

const yamada = person('u-yamada');

/** A person as the admin API takes them (roles as stored, 利用者 left to be implied). */
const input = (p: Person, changes: Partial<Person> = {}) => {
  const { branchId: _branch, ...rest } = { ...p, ...changes };
  return { ...rest, roles: rest.roles.filter((r) => r.role !== 'employee') };
};

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const siteManager = (siteId: string) => ({ role: 'siteManager' as const, scope: { kind: 'site' as const, id: siteId } });

function setup(options: Parameters<typeof inMemoryDeps>[0] = {}) {
  const t = inMemoryDeps(options);
  return { t, org: inMemoryOrganisation(t) };
}

/** Each task of a request as [approver, status], by approver. */
const statuses = (t: TestDeps, id: string) =>
  t.store
    .tasksOf(id)
    .map((task) => [task.approverId, task.status])
    .sort(([a], [b]) => (a < b ? -1 : 1));

/** 田中's F1 request waiting at its first stage (拠点管理者 of 東京本社: 佐藤). */
async function waitingAtSato(t: TestDeps) {
  const id = await submitValid(t);
  const { token } = await advanceAndNotify(t, id);
  return { id, token: token! };
}

describe('organisation administration: who may', () => {
  it('is refused to anyone but IT infrastructure, and writes nothing', async () => {
    const { t, org } = setup();
    const sato = person('u-sato');
    expect((await refusal(getOrganisation(org, sato))).status).toBe(403);
    expect((await refusal(savePerson(t.deps, org, sato, { person: input(sato, { email: 'x@example.co.jp' }), version: 0 }, sato.id))).status).toBe(403);
    expect((await refusal(importOrganisationCsv(t.deps, org, sato, { file: 'places', csv: '種別,ID,名称,名称（英語）,支社ID\r\n' }))).status).toBe(403);
    expect(org.commits).toHaveLength(0);
  });

  it('lists people, places and roles with the articles the page implements', async () => {
    const { org } = setup();
    const listing = await getOrganisation(org, yamada);
    expect(listing.people.find((p) => p.id === 'u-sato')).toMatchObject({ siteId: 'site-tokyo', branchId: 'br-east', version: 0, roles: expect.arrayContaining([expect.objectContaining({ role: 'siteManager', label: { ja: '拠点管理者', en: 'Site manager' } })]) });
    expect(listing.sites.map((s) => s.id)).toEqual(['site-osaka', 'site-sendai', 'site-tokyo']);
    expect(listing.roles.find((r) => r.id === 'siteResponsible')).toMatchObject({ scope: 'branch' });
    expect(listing.articles.map((a) => a.ref)).toEqual(['S3', 'S5-3', 'A2', 'A14']);
  });
});

describe('registering and changing a person', () => {
  const newcomer = { id: 'u-okada', name: { ja: '岡田 玲', en: 'Rei Okada' }, email: 'okada@example.co.jp', siteId: 'site-sendai', departmentId: 'dep-sales', roles: [] };

  it('registers a person whose branch follows their site, as 利用者, with the first event of their own chain', async () => {
    const { t, org } = setup();
    const saved = await savePerson(t.deps, org, yamada, { person: newcomer, reason: '4月入社' });
    expect(saved).toMatchObject({ applied: true, person: { id: 'u-okada', branchId: 'br-east', version: 1, roles: [{ role: 'employee', scope: { kind: 'company', id: '*' } }] } });
    const { history } = await getPersonAdmin(org, yamada, 'u-okada');
    expect(history).toMatchObject([{ seq: 1, action: 'created', actor: { id: 'u-yamada' }, summary: { ja: '山田 次郎 が登録しました：4月入社' } }]);
    expect(verifyChain(t.ledgers.audit.get('person#u-okada')!)).toBeNull();
  });

  it('reports every problem on its field, in Japanese and English: unknown places, a role held in the wrong kind of place, an unknown scope, a role twice', async () => {
    const { t, org } = setup();
    const error = await refusal(
      savePerson(t.deps, org, yamada, {
        person: {
          ...newcomer,
          siteId: 'site-nagoya',
          departmentId: 'dep-nowhere',
          roles: [
            { role: 'siteManager', scope: { kind: 'branch', id: 'br-east' } },
            { role: 'deptHead', scope: { kind: 'department', id: 'dep-nowhere' } },
            { role: 'wizard', scope: { kind: 'company', id: '*' } },
            siteManager('site-tokyo'),
            siteManager('site-tokyo'),
          ],
        },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.path)).toEqual(['person.siteId', 'person.departmentId', 'person.roles.0.scope.kind', 'person.roles.1.scope.id', 'person.roles.2.role', 'person.roles.4']);
    expect(error.issues[0].messages).toEqual({ ja: '拠点「site-nagoya」は登録されていません。', en: 'There is no site "site-nagoya".' });
    expect(error.issues[2].messages.ja).toBe('拠点管理者の範囲は拠点です（支社ではありません）。');
    expect(org.commits).toHaveLength(0);
  });

  it('names each half of a bilingual name on its own', async () => {
    const { t, org } = setup();
    const error = await refusal(savePerson(t.deps, org, yamada, { person: { ...newcomer, name: { ja: '岡田 玲', en: '' } } }));
    expect(error.issues).toEqual([{ path: 'person.name.en', messages: { ja: '「氏名（英語）」を入力してください。', en: 'Enter Name (English).' } }]);
  });

  it('refuses a person without a site, a taken id and a shared e-mail address', async () => {
    const { t, org } = setup();
    const { siteId: _site, ...withoutSite } = newcomer;
    const noSite = await refusal(savePerson(t.deps, org, yamada, { person: withoutSite }));
    expect(noSite.issues).toEqual([{ path: 'person.siteId', messages: { ja: '「拠点」を入力してください。', en: 'Enter Site.' } }]);
    const taken = await refusal(savePerson(t.deps, org, yamada, { person: { ...newcomer, id: 'u-sato', email: 'sato@example.co.jp' } }));
    expect(taken.issues.map((i) => i.path)).toEqual(['person.id']);
    expect(taken.issues[0].messages.ja).toContain('既に登録されています');
    const shared = await refusal(savePerson(t.deps, org, yamada, { person: { ...newcomer, email: 'SATO@example.co.jp' } }));
    expect(shared.issues.map((i) => i.path)).toEqual(['person.email']);
    expect(shared.issues[0].messages.ja).toContain('佐藤 花子');
  });

  it('refuses a change made over someone else’s (409) and leaves an unchanged person without a new event', async () => {
    const { t, org } = setup();
    const sato = person('u-sato');
    expect((await refusal(savePerson(t.deps, org, yamada, { person: input(sato, { name: { ja: '佐藤 花', en: 'Hana Sato' } }), version: 3 }, sato.id))).status).toBe(409);
    const same = await savePerson(t.deps, org, yamada, { person: input(sato), version: 0 }, sato.id);
    expect(same).toMatchObject({ applied: false, unchanged: true });
    expect(org.commits).toHaveLength(0);
  });

  it('never lets IT infrastructure become empty: the last member keeps the role', async () => {
    const { t, org } = setup();
    const ito = person('u-ito');
    await savePerson(t.deps, org, yamada, { person: input(ito, { roles: [] }), version: 0 }, ito.id);
    const last = await refusal(savePerson(t.deps, org, yamada, { person: input(yamada, { roles: [] }), version: 0 }, yamada.id));
    expect(last.issues).toEqual([expect.objectContaining({ path: 'person.roles', messages: expect.objectContaining({ ja: expect.stringContaining('一人もいなくなる') }) })]);
    expect(await t.directory.holders('itInfra', '*')).toEqual([refOf(yamada)]);
  });
});

describe('a change of roles re-resolves the open stages it affects', () => {
  it('moves 佐藤’s waiting task to the new site manager: superseded task and dead link for one, a task and a link for the other, everyone told', async () => {
    const { t, org } = setup();
    const { id, token } = await waitingAtSato(t);
    const satoLink = linkTokenOf(t.mailer.to('sato@example.co.jp').at(-1)!);
    const hayashi = person('u-hayashi');
    await savePerson(t.deps, org, yamada, { person: input(hayashi, { roles: [...hayashi.roles, siteManager('site-tokyo')] }), version: 0 }, hayashi.id);
    // Adding a holder leaves a stage that still has a valid approver alone.
    expect(t.store.tasksOf(id).map((task) => [task.approverId, task.status])).toEqual([['u-sato', 'pending']]);

    const sato = person('u-sato');
    const preview = await savePerson(t.deps, org, yamada, { person: input(sato, { roles: [] }), version: 0, dryRun: true }, sato.id);
    expect(preview).toMatchObject({ applied: false, rerouted: [{ requestId: id, stage: 0, from: [{ id: 'u-sato' }], to: [{ id: 'u-hayashi' }], completed: false }], warnings: [] });
    expect(t.store.tasksOf(id).map((task) => task.status)).toEqual(['pending']);

    const mailsBefore = t.mailer.sent.length;
    const saved = await savePerson(t.deps, org, yamada, { person: input(sato, { roles: [] }), version: 0, reason: '異動' }, sato.id);
    expect(saved.rerouted).toHaveLength(1);
    expect(statuses(t, id)).toEqual([
      ['u-hayashi', 'pending'],
      ['u-sato', 'superseded'],
    ]);
    const { request } = (await t.store.load(id))!;
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-hayashi']);
    expect(request.stages[0].note?.ja).toBe('組織変更により、佐藤 花子 から 林 和夫 に担当を変更しました。');
    const event = (await t.store.history(id)).at(-1)!;
    expect(event).toMatchObject({ action: 'reassigned', actor: { id: 'u-yamada' }, after: { superseded: [taskIdOf(id, 1, 0, 'u-sato')], joined: ['u-hayashi'] } });
    expect(verifyChain(await t.store.history(id))).toBeNull();

    // The old link answers 410. The workflow is woken: coming round to AwaitDecision, it e-mails the
    // new holder a link that opens their task.
    expect((await refusal(openLink(t.deps, sato, satoLink))).status).toBe(410);
    expect(t.workflow.resumes.at(-1)).toEqual({ token, output: { requestId: id, round: 1, stage: 0 } });
    expect((await advanceAndNotify(t, id)).result.next).toBe('await');
    const mails = t.mailer.sent.slice(mailsBefore);
    const toHayashi = mails.filter((m) => m.to.includes('hayashi@example.co.jp') && m.subject.includes('承認依頼'));
    expect(toHayashi).toHaveLength(1);
    expect((await openLink(t.deps, hayashi, linkTokenOf(toHayashi[0]))).task.approverId).toBe('u-hayashi');
    expect(mails.some((m) => m.to.includes('sato@example.co.jp') && m.subject.includes('承認依頼'))).toBe(false);
    expect(mails.find((m) => m.to.includes('sato@example.co.jp') && m.subject.startsWith('【担当変更】'))?.text).toContain('新しい担当: 林 和夫');
    expect(mails.find((m) => m.to.includes('sato@example.co.jp') && m.subject.startsWith('【役割の変更】'))?.text).toContain('外れた役割: 拠点管理者（東京本社）');

    // Idempotent: judging again changes nothing.
    const commits = t.store.commits.length;
    const again = await rerouteOpenTasks(t.deps, { people: ['u-sato'], directory: t.directory, absences: org, actor: refOf(yamada), apply: true });
    expect(again).toEqual({ reassignments: [], blocked: [] });
    expect(t.store.commits).toHaveLength(commits);
  });

  it('finishes a hand-over that an interruption left half done when the person is saved again, unchanged', async () => {
    const { t, org } = setup();
    const { id } = await waitingAtSato(t);
    // The directory was written, then the process stopped before the open stages were re-resolved.
    const sato = person('u-sato');
    t.directory.people.set('u-sato', { ...sato, roles: sato.roles.filter((r) => r.role !== 'siteManager') });
    expect(statuses(t, id)).toEqual([['u-sato', 'pending']]);
    const again = await savePerson(t.deps, org, yamada, { person: input(sato, { roles: [] }), version: 0 }, 'u-sato');
    expect(again).toMatchObject({ unchanged: true, rerouted: [{ requestId: id, from: [{ id: 'u-sato' }] }] });
    expect(statuses(t, id)).toEqual([
      ['u-ito', 'pending'],
      ['u-sato', 'superseded'],
      ['u-yamada', 'pending'],
    ]);
    expect(org.commits).toHaveLength(0);
  });

  it('sends the stage to IT infrastructure when the last holder leaves, and warns of it beforehand', async () => {
    const { t, org } = setup();
    const { id } = await waitingAtSato(t);
    const sato = person('u-sato');
    const preview = await savePerson(t.deps, org, yamada, { person: input(sato, { roles: [] }), version: 0, dryRun: true }, sato.id);
    expect(preview.warnings).toEqual([{ ja: '東京本社の拠点管理者が誰もいなくなります。その間の申請は情報システム部インフラ担当に回付されます。', en: 'Nobody will be Site manager of Tokyo Head Office; requests meanwhile go to IT infrastructure.' }]);
    expect(preview.rerouted[0].to.map((p) => p.id)).toEqual(['u-ito', 'u-yamada']);
    await savePerson(t.deps, org, yamada, { person: input(sato, { roles: [] }), version: 0 }, sato.id);
    const { request } = (await t.store.load(id))!;
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-ito', 'u-yamada']);
    expect(request.stages[0].note?.ja).toContain('情報システム部インフラ担当に回付しました');
  });

  it('refuses a change that would leave an open stage with nobody to decide, and writes nothing', async () => {
    const { t, org } = setup();
    // 山田 (IT) files F1: its IT stage goes to 伊藤 alone; without 伊藤 nobody but the requester is left.
    const id = await submitValid(t, 'u-yamada');
    await advanceAndNotify(t, id);
    const ito = person('u-ito');
    const { request: before } = (await t.store.load(id))!;
    expect(before.stages[0].approvers.map((a) => a.id)).toEqual(['u-sato']);
    await decideTask(t.deps, person('u-sato'), taskIdOf(id, 1, 0, 'u-sato'), { decision: 'approve' });
    await advanceAndNotify(t, id);
    await decideTask(t.deps, person('u-kobayashi'), taskIdOf(id, 1, 1, 'u-kobayashi'), { decision: 'approve' });
    await advanceAndNotify(t, id);
    expect(t.store.tasksOf(id).filter((task) => task.stage === 2).map((task) => task.approverId)).toEqual(['u-ito']);

    const error = await refusal(savePerson(t.deps, org, yamada, { person: input(ito, { roles: [] }), version: 0 }, ito.id));
    expect(error.status).toBe(409);
    expect(error.messages.ja).toContain(id);
    expect(org.commits).toHaveLength(0);
    expect(hasItInfra(await t.directory.person('u-ito'))).toBe(true);
  });

  it('completes an 合議 stage whose remaining approvers have all approved, and wakes the workflow', async () => {
    const { t, org } = setup({ forms: allItCatalog });
    const { id, token } = await waitingAtSato(t);
    expect(t.store.tasksOf(id).map((task) => task.approverId)).toEqual(['u-ito', 'u-yamada']);
    await decideTask(t.deps, yamada, taskIdOf(id, 1, 0, 'u-yamada'), { decision: 'approve' });
    expect((await t.store.load(id))!.request.stages[0].status).toBe('open');

    const ito = person('u-ito');
    const saved = await savePerson(t.deps, org, yamada, { person: input(ito, { roles: [] }), version: 0 }, ito.id);
    expect(saved.rerouted).toMatchObject([{ completed: true, from: [{ id: 'u-ito' }], to: [] }]);
    const { request, tasks } = (await t.store.load(id))!;
    expect(request.stages[0]).toMatchObject({ status: 'approved', decision: { by: { id: 'u-yamada' }, decision: 'approve' } });
    expect(tasks.find((task) => task.approverId === 'u-ito')?.status).toBe('superseded');
    expect(t.workflow.resumes.at(-1)).toEqual({ token, output: { requestId: id, round: 1, stage: 0 } });
  });

  it('takes a task from the delegate of someone who lost the role, and the delegate is told', async () => {
    const { t, org } = setup();
    org.absences.set('u-sato', { personId: 'u-sato', from: '2026-11-01', to: '2026-12-31', delegate: { id: 'u-kimura', name: person('u-kimura').name } });
    const { id } = await waitingAtSato(t);
    expect(t.store.tasksOf(id).map((task) => [task.approverId, task.onBehalfOf?.id])).toEqual([['u-kimura', 'u-sato']]);
    const abe = person('u-abe');
    await savePerson(t.deps, org, yamada, { person: input(abe, { roles: [...abe.roles, siteManager('site-tokyo')] }), version: 0 }, abe.id);
    await savePerson(t.deps, org, yamada, { person: input(person('u-sato'), { roles: [] }), version: 0 }, 'u-sato');
    expect(statuses(t, id)).toEqual([
      ['u-abe', 'pending'],
      ['u-kimura', 'superseded'],
    ]);
    expect(t.mailer.to('kimura@example.co.jp').some((m) => m.subject.startsWith('【担当変更】'))).toBe(true);
  });
});

const hasItInfra = (p: Person | null) => Boolean(p?.roles.some((r) => r.role === 'itInfra'));

describe('places', () => {
  it('registers a site in an existing branch and renames it, each change in the place’s own chain', async () => {
    const { t, org } = setup();
    const created = await savePlace(t.deps, org, yamada, 'site', { place: { id: 'site-nagoya', name: { ja: '名古屋営業所', en: 'Nagoya Office' }, branchId: 'br-west' } });
    expect(created.place).toMatchObject({ kind: 'site', branchId: 'br-west', version: 1 });
    const renamed = await savePlace(t.deps, org, yamada, 'site', { place: { id: 'site-nagoya', name: { ja: '名古屋支店', en: 'Nagoya Branch Office' }, branchId: 'br-west' }, version: 1 }, 'site-nagoya');
    expect(renamed.history.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(renamed.history[1].after).toEqual({ name: { ja: '名古屋支店', en: 'Nagoya Branch Office' } });
  });

  it('refuses a site without a known branch, a taken id, and a new branch for a site people belong to', async () => {
    const { t, org } = setup();
    const noBranch = await refusal(savePlace(t.deps, org, yamada, 'site', { place: { id: 'site-kobe', name: { ja: '神戸', en: 'Kobe' }, branchId: 'br-south' } }));
    expect(noBranch.issues.map((i) => i.path)).toEqual(['place.branchId']);
    const taken = await refusal(savePlace(t.deps, org, yamada, 'department', { place: { id: 'dep-it', name: { ja: '情報', en: 'IT' } } }));
    expect(taken.issues.map((i) => i.path)).toEqual(['place.id']);
    const moved = await refusal(savePlace(t.deps, org, yamada, 'site', { place: { id: 'site-sendai', name: { ja: '仙台営業所', en: 'Sendai Office' }, branchId: 'br-west' }, version: 0 }, 'site-sendai'));
    expect(moved.issues[0].messages.ja).toContain('所属しているため');
    expect((await refusal(savePlace(t.deps, org, yamada, 'region', { place: {} }))).status).toBe(404);
  });
});

describe('CSV', () => {
  const header = '社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割';

  it('exports people in the columns it imports, so a round trip changes nothing', async () => {
    const { t, org } = setup();
    const { csv } = await exportOrganisationCsv(org, yamada, 'people.csv');
    expect(csv.startsWith('\uFEFF社員ID,')).toBe(true);
    expect(csv).toContain('u-sato,佐藤 花子,Hanako Sato,sato@example.co.jp,site-tokyo,dep-general,siteManager@site-tokyo');
    const report = await importOrganisationCsv(t.deps, org, yamada, { file: 'people', csv });
    expect(report).toMatchObject({ imported: 0, rejected: 0, applied: true });
    expect(report.unchanged).toBe(report.rows.length);
    expect(org.commits).toHaveLength(0);
  });

  it('reports each rejected row with its reasons and imports nothing, unless asked for the valid rows', async () => {
    const { t, org } = setup();
    const csv = [
      header,
      'u-okada,岡田 玲,Rei Okada,okada@example.co.jp,site-sendai,dep-sales,拠点管理者',
      'u-okada,岡田 玲,Rei Okada,okada2@example.co.jp,site-sendai,dep-sales,',
      'u-mura,村 一,Hajime Mura,mura@example.co.jp,,dep-sales,',
      'u-ueda,上田 進,Susumu Ueda,ueda@example.co.jp,site-osaka,dep-sales,siteResponsible@br-east;deptHead',
      'u-noda,野田 光,Hikari Noda,noda@example.co.jp,site-osaka,dep-sales,siteResponsible@br-west;deptHead@site-osaka',
    ].join('\r\n');
    const checked = await importOrganisationCsv(t.deps, org, yamada, { file: 'people', csv, dryRun: true });
    expect(checked.rows.map((r) => [r.row, r.outcome, r.issues.map((i) => i.path)])).toEqual([
      [2, 'created', []],
      [3, 'rejected', ['id']],
      [4, 'rejected', ['siteId']],
      [5, 'created', []],
      [6, 'rejected', ['roles.1.scope.id']],
    ]);
    expect(checked.applied).toBe(false);
    expect((await importOrganisationCsv(t.deps, org, yamada, { file: 'people', csv })).applied).toBe(false);
    expect(org.commits).toHaveLength(0);

    const done = await importOrganisationCsv(t.deps, org, yamada, { file: 'people', csv, validRowsOnly: true });
    expect(done).toMatchObject({ imported: 2, rejected: 3, applied: true });
    // A scoped role without @ is held where the person is.
    expect((await t.directory.holders('siteManager', 'site-sendai')).map((p) => p.id)).toEqual(['u-abe', 'u-okada']);
    expect((await t.directory.person('u-ueda'))?.roles).toEqual([
      { role: 'employee', scope: { kind: 'company', id: '*' } },
      { role: 'deptHead', scope: { kind: 'department', id: 'dep-sales' } },
      { role: 'siteResponsible', scope: { kind: 'branch', id: 'br-east' } },
    ]);
  });

  it('refuses a file whose header is not the export’s', async () => {
    const { t, org } = setup();
    const error = await refusal(importOrganisationCsv(t.deps, org, yamada, { file: 'people', csv: 'id,name\r\nu-x,x\r\n' }));
    expect(error.issues.map((i) => i.path)).toEqual(['csv']);
  });

  it('imports places, branches before the sites that name them, and reports a site in an unknown branch', async () => {
    const { t, org } = setup();
    const csv = ['種別,ID,名称,名称（英語）,支社ID', '拠点,site-fukuoka,福岡営業所,Fukuoka Office,br-kyushu', 'branch,br-kyushu,九州支社,Kyushu Branch,', 'site,site-naha,那覇営業所,Naha Office,br-okinawa', 'department,dep-legal,法務部,Legal,'].join('\n');
    const report = await importOrganisationCsv(t.deps, org, yamada, { file: 'places', csv, validRowsOnly: true });
    expect(report.rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'rejected'],
      [5, 'created'],
    ]);
    expect(await org.placeRecord('site', 'site-fukuoka')).toMatchObject({ branchId: 'br-kyushu', version: 1 });
  });
});
