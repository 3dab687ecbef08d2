import { describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, signIn, taskFor } from './support';

/** Digits only: a login id with letters from a random suffix could spell a forbidden word such as "sa". */
const suffix = () => String(Math.floor(100000 + Math.random() * 900000));

interface Issue {
  path: string;
  messages: { ja: string; en: string };
}

async function file(session: Session, formId: string, data: Record<string, unknown>) {
  return session.call('POST', '/api/requests', { formId, data });
}

async function filed(session: Session, formId: string, data: Record<string, unknown>): Promise<string> {
  const response = await file(session, formId, data);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

/** The field issues of a refused submission (400, nothing stored). */
async function refused(session: Session, formId: string, data: Record<string, unknown>): Promise<Issue[]> {
  const response = await file(session, formId, data);
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error.code).toBe('validation_failed');
  // Each issue also carries `message` in the caller's language; the bilingual pair is what is compared.
  return (response.body.error.issues as (Issue & { message: string })[]).map(({ path, messages }) => ({ path, messages }));
}

async function approveAs(userId: string, requestId: string) {
  const approver = await signIn(userId);
  const task = await taskFor(approver, requestId);
  const decided = await approver.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve', comment: '承認します。' });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
}

/** Waits until the request is approved and its ledger effects are written. */
async function applied(session: Session, requestId: string) {
  return eventually(async () => {
    const { body } = await session.call('GET', `/api/requests/${requestId}`);
    return body.status === 'approved' && body.history.some((event: { action: string }) => event.action === 'effects_applied') ? body : undefined;
  }, `${requestId} to be approved and applied`);
}

async function ledgerItem(session: Session, ledger: string, id: string) {
  const response = await session.call('GET', `/api/ledgers/${ledger}/${encodeURIComponent(id)}`);
  expect(response.status, `${ledger}/${id}`).toBe(200);
  return response.body as { item: Record<string, any>; version: number; history: { action: string; summary: { ja: string } }[] };
}

/** A licensed client application with its own licence and two company PCs, so that the seat counts are this test's own. */
async function ownLicensedApplication(seats: number) {
  const yamada = await signIn('u-yamada');
  const s = suffix();
  const ids = { product: `prd-it-${s}`, licence: `lic-it-${s}`, pc: `pc-it-${s}`, pc2: `pc-it2-${s}` };
  const create = async (ledger: string, item: Record<string, unknown>) => {
    const response = await yamada.call('POST', `/api/ledgers/${ledger}`, { item, reason: '結合テスト用' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  await create('products', { id: ids.product, name: { ja: `検証アプリ ${s}`, en: `Test app ${s}` }, vendor: '検証', category: 'tool', target: 'client', latestVersion: '1.0', licenceId: ids.licence, status: 'managed' });
  await create('licences', { id: ids.licence, productId: ids.product, name: { ja: `検証ライセンス ${s}`, en: `Test licence ${s}` }, seatsBought: seats, seatsUsed: 0, seatsHeld: 0, seatsFree: seats, status: 'active' });
  for (const [id, label] of [
    [ids.pc, '検証端末1'],
    [ids.pc2, '検証端末2'],
  ]) {
    await create('clients', { id, label, kind: 'terminal', ownership: 'company', siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales', userId: 'u-tanaka', model: 'ThinkPad L14', serialNumber: `SN-${id}`, status: 'active', serverAccessApproved: false });
  }
  return ids;
}

const seatsOf = async (session: Session, licenceId: string) => {
  const { item } = await ledgerItem(session, 'licences', licenceId);
  return { used: item.seatsUsed, held: item.seatsHeld, free: item.seatsFree };
};

/** Files F9 for a new registration and has the licence manager approve it; returns the registration id. */
async function registered(tanaka: Session, clientId: string, productId: string, usage = '集計表の作成') {
  const requestId = await filed(tanaka, 'application-use-registration', { clientId, productId, usage });
  await approveAs('u-kato', requestId);
  await applied(tanaka, requestId);
  return requestId.replace(/^R-/, 'LR-');
}

describe('F9 アプリケーション使用登録申請 through the API', () => {
  it('holds a seat while in review and, on the licence manager\'s approval, registers the use with the seat taken', async () => {
    const ids = await ownLicensedApplication(2);
    const tanaka = await signIn('u-tanaka');
    const requestId = await filed(tanaka, 'application-use-registration', { clientId: ids.pc, productId: ids.product, usage: '売上集計表の作成' });
    expect(await seatsOf(tanaka, ids.licence)).toEqual({ used: 0, held: 1, free: 1 });
    const request = (await tanaka.call('GET', `/api/requests/${requestId}`)).body;
    expect(request.stages.map((stage: { role: string }) => stage.role)).toEqual(['licenseManager']);

    await approveAs('u-kato', requestId);
    await applied(tanaka, requestId);
    const registration = await ledgerItem(tanaka, 'licence-registrations', requestId.replace(/^R-/, 'LR-'));
    expect(registration.item).toMatchObject({
      userId: 'u-tanaka',
      clientId: ids.pc,
      productId: ids.product,
      licenceId: ids.licence,
      usage: '売上集計表の作成',
      status: 'active',
      revision: 1,
      siteId: 'site-tokyo',
      branchId: 'br-east',
      requestId,
    });
    expect(JSON.stringify(registration.history)).toContain(requestId);
    expect(await seatsOf(tanaka, ids.licence)).toEqual({ used: 1, held: 0, free: 1 });
  });

  it('keeps the registration in force unchanged while a change is in review, refuses a second change, and applies it as revision 2 on approval', async () => {
    const ids = await ownLicensedApplication(3);
    const tanaka = await signIn('u-tanaka');
    const registrationId = await registered(tanaka, ids.pc, ids.product, '売上集計表の作成');
    const before = await ledgerItem(tanaka, 'licence-registrations', registrationId);
    const seatsBefore = await seatsOf(tanaka, ids.licence);

    const change = { registrationId, clientId: ids.pc2, productId: ids.product, usage: '売上集計表と予算管理表の作成' };
    const changeId = await filed(tanaka, 'application-use-registration', change);

    // S41-3: until the change is approved, the registration in force stays exactly as it was, and no other seat is taken.
    const during = await ledgerItem(tanaka, 'licence-registrations', registrationId);
    expect(during.item).toEqual(before.item);
    expect(during.version).toBe(before.version);
    expect(await seatsOf(tanaka, ids.licence)).toEqual(seatsBefore);

    const second = await refused(tanaka, 'application-use-registration', { ...change, usage: '別の変更' });
    expect(second).toEqual([{ path: 'data.registrationId', messages: { ja: 'この使用登録は変更の承認待ちです（第41条第3項）。', en: expect.stringContaining('Art. 41-3') } }]);
    const byOther = await refused(await signIn('u-sato'), 'application-use-registration', { ...change, usage: '他人による変更' });
    expect(byOther.map((issue) => issue.path)).toEqual(['data.registrationId']);
    expect(byOther[0].messages.ja).toContain('他の利用者の使用登録は変更できません');

    await approveAs('u-kato', changeId);
    await applied(tanaka, changeId);
    const after = await ledgerItem(tanaka, 'licence-registrations', registrationId);
    expect(after.item).toMatchObject({ clientId: ids.pc2, usage: '売上集計表と予算管理表の作成', revision: 2, status: 'active', registeredAt: before.item.registeredAt, requestId: changeId });
    expect(after.item.changedAt).toEqual(expect.any(String));
    expect(after.history.at(-1)?.summary.ja).toContain('第2版');
    expect(await seatsOf(tanaka, ids.licence)).toEqual(seatsBefore);

    // The approval gave the registration back for later changes.
    const later = await filed(tanaka, 'application-use-registration', { ...change, usage: '予算管理表のみ' });
    expect((await tanaka.call('POST', `/api/requests/${later}/withdraw`, { comment: '不要になりました' })).status).toBe(200);
  });

  it('refuses a personal PC (S48) and a product that is not managed (S38-3)', async () => {
    const tanaka = await signIn('u-tanaka');
    const personal = await refused(tanaka, 'application-use-registration', { clientId: 'pc-tokyo-101', productId: 'prd-excel', usage: '自宅での集計' });
    expect(personal).toEqual([{ path: 'data.clientId', messages: { ja: expect.stringContaining('個人所有のパソコン'), en: expect.stringContaining('Art. 48') } }]);
    expect(personal[0].messages.ja).toContain('（第48条）');
    const retired = await refused(tanaka, 'application-use-registration', { clientId: 'pc-tokyo-002', productId: 'prd-old-viewer', usage: '帳票閲覧' });
    expect(retired).toEqual([{ path: 'data.productId', messages: { ja: expect.stringContaining('第38条第3項'), en: expect.stringContaining('Art. 38-3') } }]);
  });

  it('refuses a new registration when no seat of the licence is free', async () => {
    const ids = await ownLicensedApplication(1);
    const tanaka = await signIn('u-tanaka');
    await filed(tanaka, 'application-use-registration', { clientId: ids.pc, productId: ids.product, usage: '集計' });
    const issues = await refused(tanaka, 'application-use-registration', { clientId: ids.pc2, productId: ids.product, usage: '集計' });
    expect(issues.map((issue) => issue.path)).toEqual(['data.productId']);
    expect(issues[0].messages.ja).toContain(ids.licence);
  });
});

describe('F10 ライセンス違反・PC移動報告 through the API', () => {
  it('revokes a registration on a violation, after the site manager and the licence manager, and gives its seat back', async () => {
    const ids = await ownLicensedApplication(2);
    const tanaka = await signIn('u-tanaka');
    const registrationId = await registered(tanaka, ids.pc, ids.product);
    expect(await seatsOf(tanaka, ids.licence)).toEqual({ used: 1, held: 0, free: 1 });

    const report = { kind: 'violation', registrationId, description: '業務外の用途でアプリケーションを複製していたことが判明した。' };
    const requestId = await filed(tanaka, 'licence-violation-report', report);
    const second = await refused(tanaka, 'licence-violation-report', report);
    expect(second).toEqual([{ path: 'data.registrationId', messages: { ja: expect.stringContaining('既に報告が提出されています'), en: expect.stringContaining('Art. 44') } }]);

    await approveAs('u-sato', requestId);
    await approveAs('u-kato', requestId);
    const approved = await applied(tanaka, requestId);
    expect(approved.stages.map((stage: { role: string; decision: { by: { id: string } } }) => [stage.role, stage.decision.by.id])).toEqual([
      ['siteManager', 'u-sato'],
      ['licenseManager', 'u-kato'],
    ]);
    const registration = await ledgerItem(tanaka, 'licence-registrations', registrationId);
    expect(registration.item).toMatchObject({ status: 'revoked', requestId });
    expect(registration.item.endedAt).toEqual(expect.any(String));
    expect(await seatsOf(tanaka, ids.licence)).toEqual({ used: 0, held: 0, free: 2 });

    // An ended registration is reported no more.
    const again = await refused(tanaka, 'licence-violation-report', report);
    expect(again.map((issue) => issue.path)).toEqual(['data.registrationId']);
  });

  it('lets a registration lapse when its PC moves, asking where it moved to', async () => {
    const ids = await ownLicensedApplication(2);
    const tanaka = await signIn('u-tanaka');
    const registrationId = await registered(tanaka, ids.pc, ids.product);
    const report = { kind: 'pc-move', registrationId, description: '11月20日に仙台営業所へ移動した。' };
    const nowhere = await refused(tanaka, 'licence-violation-report', report);
    expect(nowhere).toEqual([{ path: 'data.newClientId', messages: { ja: expect.stringContaining('第45条第2項'), en: expect.stringContaining('Art. 45-2') } }]);

    const requestId = await filed(tanaka, 'licence-violation-report', { ...report, newClientId: 'pc-sendai-001' });
    await approveAs('u-sato', requestId);
    await approveAs('u-kato', requestId);
    await applied(tanaka, requestId);
    expect((await ledgerItem(tanaka, 'licence-registrations', registrationId)).item.status).toBe('lapsed');
    expect(await seatsOf(tanaka, ids.licence)).toEqual({ used: 0, held: 0, free: 2 });
  });
});

const issueRequest = (personId: string, system: string, loginId: string) => ({
  personId,
  system,
  loginId,
  accessRights: '販売管理（参照・更新）',
  reason: '受注入力業務のため。',
});

/** F12 through its whole route: the department head of u-tanaka (u-watanabe), then the network administrator. */
async function issued(personId: string, system: string, loginId: string) {
  const tanaka = await signIn('u-tanaka');
  const requestId = await filed(tanaka, 'user-id-issue-request', issueRequest(personId, system, loginId));
  await approveAs('u-watanabe', requestId);
  await approveAs('u-inoue', requestId);
  await applied(tanaka, requestId);
  return { requestId, entryId: `${system}:${loginId}` };
}

describe('F12 ユーザID発行申請 through the API', () => {
  it('issues an ID through the department head and the network administrator, with the person\'s access rights', async () => {
    const login = `takahashi.${suffix()}`;
    const { requestId, entryId } = await issued('u-takahashi', 'mail', login);
    const tanaka = await signIn('u-tanaka');
    const entry = await ledgerItem(tanaka, 'user-ids', entryId);
    expect(entry.item).toMatchObject({
      system: 'mail',
      loginId: login,
      personId: 'u-takahashi',
      personName: { ja: '高橋 優', en: 'Yu Takahashi' },
      accessRights: '販売管理（参照・更新）',
      status: 'active',
      siteId: 'site-sendai',
      branchId: 'br-east',
      requestId,
    });
    expect(entry.item.passwordChangedAt).toBe(entry.item.issuedAt);
    const request = (await tanaka.call('GET', `/api/requests/${requestId}`)).body;
    expect(request.stages.map((stage: { decision: { by: { id: string } } }) => stage.decision.by.id)).toEqual(['u-watanabe', 'u-inoue']);

    // One person, one ID on the system (A16-3).
    const second = await refused(tanaka, 'user-id-issue-request', issueRequest('u-takahashi', 'mail', `takahashi2.${suffix()}`));
    expect(second.map((issue) => issue.path)).toEqual(['data.personId']);
    expect(second[0].messages.ja).toContain('第16条第3項');
  });

  it('refuses guest01 and other shared or anonymous IDs (A16-2)', async () => {
    const tanaka = await signIn('u-tanaka');
    for (const loginId of ['guest01', 'test_user', 'shared-sales']) {
      const issues = await refused(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'core-db', loginId));
      expect(issues).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('安全管理細則 第16条第2項'), en: expect.stringContaining('Art. 16-2') } }]);
    }
  });

  it('refuses a second ID for a person who has one, and for a person whose request is in review', async () => {
    const tanaka = await signIn('u-tanaka');
    const existing = await refused(tanaka, 'user-id-issue-request', issueRequest('u-tanaka', 'core-business', `tanaka.${suffix()}`));
    expect(existing).toEqual([{ path: 'data.personId', messages: { ja: expect.stringContaining('1ユーザ1ID'), en: expect.stringContaining('Art. 16-3') } }]);

    const pending = await filed(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'mail', `abe.${suffix()}`));
    const claimed = await refused(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'mail', `hikaru.${suffix()}`));
    expect(claimed).toEqual([{ path: 'data.personId', messages: { ja: expect.stringContaining('審査中'), en: expect.stringContaining('Art. 16-3') } }]);
    // The login claimed by another request in review is refused as well.
    const login = (await tanaka.call('GET', `/api/requests/${pending}`)).body.data.loginId;
    const sameLogin = await refused(tanaka, 'user-id-issue-request', issueRequest('u-watanabe', 'mail', login));
    expect(sameLogin).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('申請中'), en: expect.stringContaining('Art. 16-3') } }]);
    expect((await tanaka.call('POST', `/api/requests/${pending}/withdraw`, {})).status).toBe(200);
    // Withdrawn: the person and the login are free again.
    const refiled = await filed(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'mail', login));
    expect((await tanaka.call('POST', `/api/requests/${refiled}/withdraw`, {})).status).toBe(200);
  });

  it('accepts exactly one of two concurrent requests for the same person and system', async () => {
    const tanaka = await signIn('u-tanaka');
    const responses = await Promise.all([
      file(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'dev-db', `abe.a${suffix()}`)),
      file(tanaka, 'user-id-issue-request', issueRequest('u-abe', 'dev-db', `abe.b${suffix()}`)),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 400]);
    const refusal = responses.find((response) => response.status === 400)!;
    expect(refusal.body.error.issues).toEqual([{ path: 'data.personId', message: expect.stringContaining('第16条第3項'), messages: { ja: expect.stringContaining('第16条第3項'), en: expect.stringContaining('Art. 16-3') } }]);
  });

  it('refuses an ID for someone of another department, or someone the directory does not know', async () => {
    const tanaka = await signIn('u-tanaka');
    const other = await refused(tanaka, 'user-id-issue-request', issueRequest('u-saito', 'mail', `saito.${suffix()}`));
    expect(other.map((issue) => issue.path)).toEqual(['data.personId']);
    expect(other[0].messages.ja).toContain('所属部門');
    const unknown = await refused(tanaka, 'user-id-issue-request', issueRequest('u-nobody', 'mail', `nobody.${suffix()}`));
    expect(unknown[0].messages.ja).toContain('組織の名簿にありません');
  });
});

/** The day in Japan, `days` from today (the regulations' days are Japanese days). */
const tokyoDay = (days: number) => {
  const date = new Date(Date.now() + 9 * 3600_000 + days * 86_400_000);
  return date.toISOString().slice(0, 10);
};

describe('F13 ユーザID削除・利用停止申請 through the API', () => {
  it('suspends an ID until its scheduled deletion date, through the department head and the system administrator', async () => {
    const saito = await signIn('u-saito');
    const base = { userIdEntry: 'core-business:saito', action: 'suspend', reason: '月末の締め処理が終わるまで削除できないため。' };
    const undated = await refused(saito, 'user-id-deletion-request', base);
    expect(undated).toEqual([{ path: 'data.scheduledDeletionOn', messages: { ja: expect.stringContaining('削除予定日'), en: expect.stringContaining('Art. 16-5') } }]);
    const past = await refused(saito, 'user-id-deletion-request', { ...base, scheduledDeletionOn: tokyoDay(-1) });
    expect(past[0].messages.ja).toContain('明日以降');

    const on = tokyoDay(30);
    const requestId = await filed(saito, 'user-id-deletion-request', { ...base, scheduledDeletionOn: on });
    await approveAs('u-ogawa', requestId);
    await approveAs('u-matsumoto', requestId);
    await applied(saito, requestId);
    const entry = await ledgerItem(saito, 'user-ids', 'core-business:saito');
    expect(entry.item).toMatchObject({ status: 'suspended', scheduledDeletionOn: on, requestId });
    expect(entry.item.suspendedAt).toEqual(expect.any(String));
    // Suspended, the person still holds the ID on the system.
    const another = await refused(saito, 'user-id-issue-request', issueRequest('u-saito', 'core-business', `saito.${suffix()}`));
    expect(another.map((issue) => issue.path)).toEqual(['data.personId']);
  });

  it('deletes an ID, after which the person may be issued a new one (but the old login is not reused)', async () => {
    const login = `takahashi.${suffix()}`;
    const { entryId } = await issued('u-takahashi', 'network', login);
    const tanaka = await signIn('u-tanaka');
    expect((await refused(tanaka, 'user-id-issue-request', issueRequest('u-takahashi', 'network', `yu.${suffix()}`))).map((issue) => issue.path)).toEqual(['data.personId']);

    const deletion = { userIdEntry: entryId, action: 'delete', reason: '異動によりネットワークを使わなくなったため。' };
    const requestId = await filed(tanaka, 'user-id-deletion-request', deletion);
    const twice = await refused(tanaka, 'user-id-deletion-request', deletion);
    expect(twice).toEqual([{ path: 'data.userIdEntry', messages: { ja: expect.stringContaining('審査中'), en: expect.stringContaining('Art. 16-5') } }]);
    await approveAs('u-watanabe', requestId);
    await approveAs('u-matsumoto', requestId);
    await applied(tanaka, requestId);
    const entry = await ledgerItem(tanaka, 'user-ids', entryId);
    expect(entry.item).toMatchObject({ status: 'deleted', requestId });
    expect(entry.item.deletedAt).toEqual(expect.any(String));

    const reused = await refused(tanaka, 'user-id-issue-request', issueRequest('u-takahashi', 'network', login));
    expect(reused.map((issue) => issue.path)).toEqual(['data.loginId']);
    const renewed = await filed(tanaka, 'user-id-issue-request', issueRequest('u-takahashi', 'network', `yu.${suffix()}`));
    expect((await tanaka.call('POST', `/api/requests/${renewed}/withdraw`, {})).status).toBe(200);
  });
});

/** The number of active privileged IDs the F14 form shows for a system (by its Japanese name). */
async function privilegedCount(session: Session, systemJa: string): Promise<number> {
  const response = await session.call('GET', '/api/forms/privileged-id-request/context');
  expect(response.status).toBe(200);
  const line = (response.body.notices as { ja: string }[]).find((notice) => notice.ja.startsWith(`${systemJa}: `));
  const count = /有効な特権ID (\d+)件/.exec(line?.ja ?? '')?.[1];
  expect(count, JSON.stringify(response.body)).toBeDefined();
  return Number(count);
}

describe('F14 特権ID付与申請 through the API', () => {
  it('shows how many privileged IDs each system has (A15-3) and counts a new one once granted', async () => {
    const yamada = await signIn('u-yamada');
    const context = (await yamada.call('GET', '/api/forms/privileged-id-request/context')).body.notices as { ja: string; en: string }[];
    expect(context.at(-1)?.ja).toContain('必要最小限にとどめます（安全管理細則 第15条第3項）');
    const coreDb = await privilegedCount(yamada, '基幹DB');
    expect(coreDb).toBeGreaterThanOrEqual(1);
    expect(await privilegedCount(yamada, '基幹業務システム')).toBeGreaterThanOrEqual(1);

    const login = `sysdba_ito_${suffix()}`;
    const data = { personId: 'u-ito', system: 'core-db', loginId: login, privilege: 'SYSDBA', reason: '基幹DBの保守担当を2名体制にするため。' };
    const requestId = await filed(yamada, 'privileged-id-request', data);
    const twice = await refused(yamada, 'privileged-id-request', data);
    expect(twice).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('申請中'), en: expect.stringContaining('Art. 15') } }]);

    await approveAs('u-matsumoto', requestId);
    await approveAs('u-yamaguchi', requestId);
    await applied(yamada, requestId);
    const entry = await ledgerItem(yamada, 'privileged-ids', `core-db:${login}`);
    expect(entry.item).toMatchObject({ personId: 'u-ito', personName: { ja: '伊藤 美咲', en: 'Misaki Ito' }, privilege: 'SYSDBA', status: 'active', requestId });
    expect(entry.item.grantedAt).toEqual(expect.any(String));
    expect(await privilegedCount(yamada, '基幹DB')).toBe(coreDb + 1);

    const granted = await refused(yamada, 'privileged-id-request', data);
    expect(granted.map((issue) => issue.path)).toEqual(['data.loginId']);
  });

  it('refuses shared logins such as root (A16-2) and a login the demo data already grants', async () => {
    const yamada = await signIn('u-yamada');
    const base = { personId: 'u-ito', system: 'core-db', privilege: 'SYSDBA', reason: '保守のため。' };
    const root = await refused(yamada, 'privileged-id-request', { ...base, loginId: 'root' });
    expect(root).toEqual([{ path: 'data.loginId', messages: { ja: expect.stringContaining('第16条第2項'), en: expect.stringContaining('Art. 16-2') } }]);
    const demo = await refused(yamada, 'privileged-id-request', { ...base, loginId: 'sysdba_yamada' });
    expect(demo[0].messages.ja).toContain('既に使われています');
  });
});
