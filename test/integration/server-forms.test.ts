import { describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, mails, requestStatus, signIn, taskFor } from './support';

const suffix = () => Math.random().toString(36).slice(2, 8);

/** The date n days from today in Japan, as forms take it. */
const daysFromToday = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

async function file(session: Session, formId: string, data: Record<string, unknown>) {
  const response = await session.call('POST', '/api/requests', { formId, data });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; status: string; stages: { role: string; approvers: { id: string }[] }[] };
}

/** A refused submission: 400 with its issues, by path. */
async function refused(session: Session, formId: string, data: Record<string, unknown>) {
  const response = await session.call('POST', '/api/requests', { formId, data });
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  return response.body.error.issues as { path: string; message: string; messages: { ja: string; en: string } }[];
}

/** The approver decides their task of the request from the inbox. */
async function approve(userId: string, requestId: string, comment?: string) {
  const session = await signIn(userId);
  const task = await taskFor(session, requestId);
  const response = await session.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve', ...(comment ? { comment } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

async function ledgerItem(session: Session, ledger: string, id: string) {
  return eventually(async () => {
    const response = await session.call('GET', `/api/ledgers/${ledger}/${id}`);
    return response.status === 200 ? (response.body as { item: Record<string, any>; version: number; history: { action: string; actor: { id: string } | null; summary: { ja: string } }[] }) : undefined;
  }, `${ledger}/${id}`);
}

async function create(yamada: Session, ledger: string, item: Record<string, unknown>) {
  const response = await yamada.call('POST', `/api/ledgers/${ledger}`, { item, reason: '結合テスト用に登録' });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const testServer = (id: string, configuration = 'CPU 8コア / メモリ 32GB / Tomcat 10.1.20') => ({
  id,
  name: { ja: `検証サーバ ${id}`, en: `Test server ${id}` },
  kind: 'app',
  hostname: id,
  os: 'Red Hat Enterprise Linux 9',
  siteId: 'site-tokyo',
  branchId: 'br-east',
  owner: 'u-yamada',
  status: 'active',
  configuration,
});

describe('F2 サーバ接続利用終了届 through the HTTP API', () => {
  const grant = (id: string, userId = 'u-tanaka', overrides: Record<string, unknown> = {}) => ({
    id,
    serverId: 'srv-core-db',
    serverName: { ja: '基幹DBサーバ', en: 'Core database server' },
    userId,
    userName: { ja: '田中 太郎', en: 'Taro Tanaka' },
    protocol: 'odbc',
    startDate: '2026-01-01',
    endDate: '2099-03-31',
    status: 'active',
    requestId: `R-TEST-${id}`,
    grantedAt: '2026-01-01T00:00:00.000Z',
    siteId: 'site-tokyo',
    branchId: 'br-east',
    ...overrides,
  });

  it('ends the requester’s grant when IT infrastructure approves the notice, with the request in its history', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const id = `G-F2-${suffix()}`;
    await create(yamada, 'server-access-grants', grant(id));

    const request = await file(tanaka, 'server-connection-end', { grantId: id, endDate: '2099-01-31', reason: '月次集計の担当を外れたため。' });
    expect(request.stages.map((stage) => stage.role)).toEqual(['itInfra']);
    await approve('u-yamada', request.id);
    await requestStatus(tanaka, request.id, 'approved');

    const ended = await eventually(async () => {
      const found = await ledgerItem(tanaka, 'server-access-grants', id);
      return found.item.status === 'revoked' ? found : undefined;
    }, 'the grant to be revoked');
    expect(ended.item).toMatchObject({ status: 'revoked', endDate: '2099-01-31', userId: 'u-tanaka' });
    expect(ended.item.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ended.history.map((event) => event.action)).toEqual(['created', 'updated']);
    expect(ended.history[1].summary.ja).toContain(request.id);

    // Ended is ended: another notice for it is refused.
    const again = await refused(tanaka, 'server-connection-end', { grantId: id, endDate: '2099-01-31', reason: '再提出' });
    expect(again[0]).toMatchObject({ path: 'data.grantId', message: expect.stringContaining('第5条第5項') });
  });

  it("refuses another person's grant, an unknown grant, an expired grant, and a second notice while the first is in review", async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const takahashi = await signIn('u-takahashi');
    const id = `G-F2-${suffix()}`;
    const expired = `G-F2-${suffix()}`;
    await create(yamada, 'server-access-grants', grant(id));
    await create(yamada, 'server-access-grants', grant(expired, 'u-tanaka', { status: 'expired' }));
    const data = { grantId: id, endDate: '2099-01-31', reason: '不要になったため。' };

    const foreign = await refused(takahashi, 'server-connection-end', data);
    expect(foreign).toEqual([expect.objectContaining({ path: 'data.grantId', message: '他の利用者の接続許可は終了できません。本人が終了届を提出してください（第5条第5項）。' })]);
    expect((await refused(tanaka, 'server-connection-end', { ...data, grantId: 'G-nowhere' }))[0].path).toBe('data.grantId');
    expect((await refused(tanaka, 'server-connection-end', { ...data, grantId: expired }))[0].message).toContain('既に終了または期限切れ');
    expect((await refused(tanaka, 'server-connection-end', { ...data, endDate: '2099-04-01' }))[0]).toMatchObject({ path: 'data.endDate', message: expect.stringContaining('2099-03-31') });

    await file(tanaka, 'server-connection-end', data);
    const second = await refused(tanaka, 'server-connection-end', data);
    expect(second).toEqual([expect.objectContaining({ path: 'data.grantId', message: 'この接続許可には既に終了届が提出されています（第5条第5項）。' })]);
  });
});

describe('F3 新規導入稟議 through the HTTP API', () => {
  const ringi = (overrides: Record<string, unknown> = {}) => ({
    assetType: 'client',
    name: '営業部 受注入力端末',
    vendor: 'Lenovo',
    model: 'ThinkPad L14 Gen 5',
    specification: 'Core i5 / メモリ 16GB / SSD 512GB / Windows 11',
    quantity: 2,
    estimatedCost: 360000,
    annualPlanRef: '2027年度 情報システム部年間運営計画 4.1 営業端末更新',
    maintenanceContract: 'Lenovo 引取修理保守 3年（契約 LN-2027-011）',
    purpose: '受注入力担当の増員に伴う端末の追加。',
    ...overrides,
  });

  it('goes to the department head, IT infrastructure and the ringi approver, and plans one client per unit at the requester’s site', async () => {
    const tanaka = await signIn('u-tanaka'); // 営業部, 東京本社
    const request = await file(tanaka, 'new-introduction-ringi', ringi());
    expect(request.stages.map((stage) => stage.role)).toEqual(['deptHead', 'itInfra', 'ringiApprover']);
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-watanabe']);
    expect(request.stages[2].approvers.map((a) => a.id)).toEqual(['u-nakamura']);

    await approve('u-watanabe', request.id);
    await approve('u-ito', request.id, '仕様に問題ありません（第15条第4項）。');
    await approve('u-nakamura', request.id);
    await requestStatus(tanaka, request.id, 'approved');

    const base = request.id.replace(/^R-/, 'CL-');
    for (const unit of [1, 2]) {
      const { item, history } = await ledgerItem(tanaka, 'clients', `${base}-${unit}`);
      expect(item).toMatchObject({
        status: 'planned',
        ownership: 'company',
        kind: 'terminal',
        model: 'ThinkPad L14 Gen 5',
        serialNumber: 'TBD',
        siteId: 'site-tokyo',
        branchId: 'br-east',
        departmentId: 'dep-sales',
        requestId: request.id,
      });
      expect(history[0]).toMatchObject({ action: 'created', summary: { ja: expect.stringContaining(request.id) } });
    }
  });

  it('plans a server at the site of a requester in Osaka', async () => {
    const saito = await signIn('u-saito'); // 製造部, 大阪支店
    const request = await file(saito, 'new-introduction-ringi', ringi({ assetType: 'server', name: '製造管理サーバ', quantity: 1, model: undefined }));
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-ogawa']);
    await approve('u-ogawa', request.id);
    await approve('u-yamada', request.id);
    await approve('u-nakamura', request.id);
    const { item } = await ledgerItem(saito, 'servers', request.id.replace(/^R-/, 'SRV-'));
    expect(item).toMatchObject({ status: 'planned', siteId: 'site-osaka', branchId: 'br-west', owner: 'u-saito', maintenanceContract: 'Lenovo 引取修理保守 3年（契約 LN-2027-011）' });
  });

  it('refuses a ringi without the annual plan reference and the maintenance contract, and a product without its category', async () => {
    const tanaka = await signIn('u-tanaka');
    const missing = await refused(tanaka, 'new-introduction-ringi', ringi({ annualPlanRef: '', maintenanceContract: '  ' }));
    expect(missing.map((issue) => issue.path)).toEqual(['data.annualPlanRef', 'data.maintenanceContract']);
    expect(missing[0].message).toBe('「年間運営計画の該当項目」を入力してください。');
    const product = await refused(tanaka, 'new-introduction-ringi', ringi({ assetType: 'product', productTarget: 'client' }));
    expect(product).toEqual([expect.objectContaining({ path: 'data.productCategory', message: expect.stringContaining('第24条') })]);
  });
});

describe('F6 サーバプロダクト利用申請 through the HTTP API', () => {
  const f6 = (serverId: string, productId: string, version = '19.22') => ({ serverId, productId, version, purpose: '結合テスト：サーバへのプロダクト導入。' });

  it('adds the database administrator for DB software and records the installation with its version', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const serverId = `srv-f6-${suffix()}`;
    await create(yamada, 'servers', testServer(serverId));

    const request = await file(tanaka, 'server-product-request', f6(serverId, 'prd-oracle-db'));
    expect(request.stages.map((stage) => stage.role)).toEqual(['itInfra', 'dba']);
    expect(request.stages[1].approvers.map((a) => a.id)).toEqual(['u-yoshida']);
    await approve('u-ito', request.id);
    await approve('u-yoshida', request.id);
    const approved = await requestStatus(tanaka, request.id, 'approved');
    expect(approved.stages.map((stage: { role: string; status: string }) => `${stage.role}:${stage.status}`)).toEqual(['itInfra:approved', 'dba:approved']);

    const { item, history } = await ledgerItem(tanaka, 'server-products', request.id.replace(/^R-/, 'SP-'));
    expect(item).toMatchObject({ serverId, productId: 'prd-oracle-db', version: '19.22', status: 'installed', siteId: 'site-tokyo', branchId: 'br-east', requestId: request.id });
    expect(history[0].summary.ja).toContain(request.id);

    // Now it is installed there: a second request for it is refused (S28-3).
    const twice = await refused(tanaka, 'server-product-request', f6(serverId, 'prd-oracle-db'));
    expect(twice[0]).toMatchObject({ path: 'data.productId', message: expect.stringContaining('既にこのサーバにインストール') });
  });

  it('goes to IT infrastructure alone for software that is not a database', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const serverId = `srv-f6-${suffix()}`;
    await create(yamada, 'servers', testServer(serverId));
    const request = await file(tanaka, 'server-product-request', f6(serverId, 'prd-zabbix', '7.0.4'));
    expect(request.stages.map((stage) => stage.role)).toEqual(['itInfra']);
    await approve('u-yamada', request.id);
    const { item } = await ledgerItem(tanaka, 'server-products', request.id.replace(/^R-/, 'SP-'));
    expect(item).toMatchObject({ productId: 'prd-zabbix', version: '7.0.4', status: 'installed' });
  });

  it('holds a seat of a licensed server product in review, refuses a request beyond the seats, and uses the seat on approval (S29-2)', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const tag = suffix();
    const [first, second] = [`srv-f6a-${tag}`, `srv-f6b-${tag}`];
    await create(yamada, 'servers', testServer(first));
    await create(yamada, 'servers', testServer(second));
    await create(yamada, 'licences', { id: `lic-f6-${tag}`, productId: `prd-f6-${tag}`, name: { ja: '検証ライセンス', en: 'Test licence' }, seatsBought: 1, seatsUsed: 0, seatsHeld: 0, seatsFree: 1, status: 'active' });
    await create(yamada, 'products', { id: `prd-f6-${tag}`, name: { ja: 'バックアップエージェント', en: 'Backup agent' }, vendor: 'Veritas', category: 'tool', target: 'server', licenceId: `lic-f6-${tag}`, status: 'managed' });

    const request = await file(tanaka, 'server-product-request', f6(first, `prd-f6-${tag}`, '10.3'));
    expect((await ledgerItem(yamada, 'licences', `lic-f6-${tag}`)).item).toMatchObject({ seatsHeld: 1, seatsFree: 0, seatsUsed: 0 });
    const beyond = await refused(tanaka, 'server-product-request', f6(second, `prd-f6-${tag}`, '10.3'));
    expect(beyond).toEqual([expect.objectContaining({ path: 'data.productId', message: expect.stringContaining('第29条第2項') })]);

    await approve('u-ito', request.id);
    await requestStatus(tanaka, request.id, 'approved');
    const licence = await eventually(async () => {
      const { item } = await ledgerItem(yamada, 'licences', `lic-f6-${tag}`);
      return item.seatsUsed === 1 ? item : undefined;
    }, 'the seat to be used');
    expect(licence).toMatchObject({ seatsBought: 1, seatsUsed: 1, seatsHeld: 0, seatsFree: 0 });
  });

  it('refuses an unmanaged, unknown or client product, and an unknown server', async () => {
    const tanaka = await signIn('u-tanaka');
    expect((await refused(tanaka, 'server-product-request', f6('srv-app', 'prd-old-viewer')))[0].message).toContain('管理対象ではありません');
    expect((await refused(tanaka, 'server-product-request', f6('srv-app', 'prd-freeware')))[0].message).toContain('第29条第3項');
    expect((await refused(tanaka, 'server-product-request', f6('srv-app', 'prd-excel')))[0].message).toContain('クライアント用');
    expect((await refused(tanaka, 'server-product-request', f6('srv-nowhere', 'prd-zabbix'))).map((issue) => issue.path)).toEqual(['data.serverId']);
  });
});

describe('F11 構成変更申請 through the HTTP API', () => {
  const change = (targetId: string, overrides: Record<string, unknown> = {}) => ({
    target: 'server',
    targetId,
    summary: 'Tomcat を 10.1.33 に更新し、JVM ヒープを 8GB に拡張する。',
    newConfiguration: `CPU 8コア / メモリ 32GB / Tomcat 10.1.33 / JVM 8GB (${targetId})`,
    testPlan: '開発・研修用DBサーバで受注・出荷の回帰テストを2日間実施する。',
    fallback: '旧版のディレクトリを残し、切替スクリプトで即時に戻せるようにする。',
    trainingNeeded: true,
    trainingPlan: '実施前週に営業部・製造部向けの操作説明会を開く。',
    affectedDepartments: ['dep-sales', 'dep-production'],
    plannedOn: daysFromToday(14),
    securityChecked: true,
    ...overrides,
  });

  it('tells the heads of the affected departments in advance, and completing the change revises the server’s configuration', async () => {
    const yamada = await signIn('u-yamada');
    const ito = await signIn('u-ito');
    const serverId = `srv-f11-${suffix()}`;
    await create(yamada, 'servers', testServer(serverId));

    const request = await file(ito, 'configuration-change-request', change(serverId));
    expect(request.stages.map((stage) => stage.role)).toEqual(['itInfra']);
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-yamada']);
    await approve('u-yamada', request.id);
    await requestStatus(ito, request.id, 'approved');

    const changeId = request.id.replace(/^R-/, 'CC-');
    const approved = await ledgerItem(ito, 'configuration-changes', changeId);
    expect(approved.item).toMatchObject({ status: 'approved', target: 'server', targetId: serverId, affectedDepartments: ['dep-sales', 'dep-production'], requestId: request.id });

    // S8-2: 渡辺 誠 (営業部) and 小川 直樹 (製造部) are told before the change.
    for (const email of ['watanabe@example.co.jp', 'ogawa@example.co.jp']) {
      const notice = await eventually(async () => (await mails()).find((m) => m.to.includes(email) && m.text.includes(request.id)), `the advance notice to ${email}`);
      expect(notice.subject).toContain('構成変更の事前通知');
      for (const text of [changeId, change(serverId).plannedOn, change(serverId).summary, change(serverId).fallback, '実施前週に営業部・製造部向けの操作説明会']) expect(notice.text).toContain(text);
    }

    // Only IT infrastructure records the completion.
    const tanaka = await signIn('u-tanaka');
    expect((await tanaka.call('POST', `/api/configuration-changes/${changeId}/complete`, {})).status).toBe(403);
    expect((await yamada.call('POST', '/api/configuration-changes/CC-nowhere/complete', {})).status).toBe(404);
    expect((await yamada.call('POST', `/api/configuration-changes/${changeId}/complete`, { note: 'x'.repeat(1001) })).status).toBe(400);

    const done = await yamada.call('POST', `/api/configuration-changes/${changeId}/complete`, { note: '計画どおり完了、旧版は1週間保持' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.change.item).toMatchObject({ status: 'done', completedBy: 'u-yamada' });

    const server = await ledgerItem(yamada, 'servers', serverId);
    expect(server.item.configuration).toBe(change(serverId).newConfiguration);
    expect(server.item.configurationRevisedAt).toBe(done.body.change.item.completedAt);
    expect(server.history.map((event) => event.action)).toEqual(['created', 'updated']);
    expect(server.history[1]).toMatchObject({ actor: { id: 'u-yamada' }, summary: { ja: expect.stringContaining(changeId) } });
    const history = (await ledgerItem(yamada, 'configuration-changes', changeId)).history;
    expect(history.map((event) => event.action)).toEqual(['created', 'updated']);
    expect(history[1].summary.ja).toContain('計画どおり完了');

    const again = await yamada.call('POST', `/api/configuration-changes/${changeId}/complete`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('既に実施完了');
  });

  it('goes to the site manager first for a client, and tells IT infrastructure for a department without a head', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const clientId = `pc-f11-${suffix()}`;
    await create(yamada, 'clients', {
      id: clientId,
      label: '営業部 検証端末',
      kind: 'terminal',
      ownership: 'company',
      siteId: 'site-tokyo',
      branchId: 'br-east',
      departmentId: 'dep-sales',
      model: 'ThinkPad L14',
      serialNumber: `SN-${clientId}`,
      status: 'active',
      serverAccessApproved: false,
      configuration: 'Windows 11 23H2',
    });

    const request = await file(tanaka, 'configuration-change-request', change(clientId, { target: 'client', trainingNeeded: false, trainingPlan: undefined, affectedDepartments: ['dep-accounting'], newConfiguration: 'Windows 11 24H2' }));
    expect(request.stages.map((stage) => stage.role)).toEqual(['siteManager', 'itInfra']);
    expect(request.stages[0].approvers.map((a) => a.id)).toEqual(['u-sato']);
    await approve('u-sato', request.id);
    await approve('u-ito', request.id);
    await requestStatus(tanaka, request.id, 'approved');

    const notice = await eventually(async () => (await mails()).find((m) => m.to.includes('yamada@example.co.jp') && m.text.includes(request.id) && m.subject.includes('事前通知')), 'the notice to IT infrastructure');
    expect(notice.to.sort()).toEqual(['ito@example.co.jp', 'yamada@example.co.jp']);
    expect(notice.text).toContain('経理部には部門責任者が登録されていないため');
    expect(notice.text).toContain('操作教育: なし');

    const changeId = request.id.replace(/^R-/, 'CC-');
    expect((await yamada.call('POST', `/api/configuration-changes/${changeId}/complete`, {})).status).toBe(200);
    expect((await ledgerItem(yamada, 'clients', clientId)).item).toMatchObject({ configuration: 'Windows 11 24H2', configurationRevisedAt: expect.any(String) });
  });

  it('refuses a missing training plan, a target in the wrong ledger, a past date and a missing security check', async () => {
    const ito = await signIn('u-ito');
    const issues = await refused(ito, 'configuration-change-request', change('pc-tokyo-001', { trainingPlan: undefined, plannedOn: daysFromToday(-1) }));
    expect(issues.map((issue) => issue.path)).toEqual(['data.targetId', 'data.trainingPlan', 'data.plannedOn']);
    expect(issues[1].message).toBe('操作教育が必要な場合は「操作教育の計画」を入力してください（第8条第4項）。');
    expect(issues[2].message).toContain('第8条第2項');
    const unchecked = await refused(ito, 'configuration-change-request', change('srv-app', { securityChecked: false }));
    expect(unchecked.map((issue) => issue.path)).toEqual(['data.securityChecked']);
    const noFallback = await refused(ito, 'configuration-change-request', change('srv-app', { fallback: '', testPlan: '' }));
    expect(noFallback.map((issue) => issue.path)).toEqual(['data.testPlan', 'data.fallback']);
  });
});

describe('the server forms in the catalogue', () => {
  it('lists F2, F3, F6 and F11 with their articles and routes, and the DBA stage’s condition', async () => {
    const tanaka = await signIn('u-tanaka');
    const forms = (await tanaka.call('GET', '/api/forms')).body.items as { code: string; category: string; articles: { ref: string }[]; route: { role: string; when?: { label: { ja: string } } }[] }[];
    const byCode = Object.fromEntries(forms.map((form) => [form.code, form]));
    expect(byCode.F2.route.map((stage) => stage.role)).toEqual(['itInfra']);
    expect(byCode.F3.route.map((stage) => stage.role)).toEqual(['deptHead', 'itInfra', 'ringiApprover']);
    expect(byCode.F6.route[1]).toMatchObject({ role: 'dba', when: { label: { ja: 'DBソフトの場合' } } });
    expect(byCode.F11.route[0]).toMatchObject({ role: 'siteManager', when: { label: { ja: 'クライアントの場合' } } });
    expect(byCode.F11.category).toBe('configuration');
    expect(byCode.F3.articles.map((a) => a.ref)).toEqual(expect.arrayContaining(['S4-3', 'S4-4']));
  });
});
