import { describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, requestStatus, signIn, taskFor } from './support';

/**
 * F4, F5, F7, F8 and F15 through the HTTP API, the workflow and DynamoDB Local. Other groups' tests
 * share the runtime, so every test makes its own licences, products, clients and installations (as
 * 山田, 情報システム部インフラ担当) and never counts on the demo ledgers' totals.
 */

const suffix = () => Math.random().toString(36).slice(2, 8);

const sessions = new Map<string, Promise<Session>>();
const as = (userId: string) => {
  if (!sessions.has(userId)) sessions.set(userId, signIn(userId));
  return sessions.get(userId) as Promise<Session>;
};

type Item = Record<string, any>;

async function create(ledger: string, item: Item): Promise<Item> {
  const response = await (await as('u-yamada')).call('POST', `/api/ledgers/${ledger}`, { item });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.item;
}

async function ledgerItem(ledger: string, id: string): Promise<{ item: Item; history: { action: string; summary: { ja: string; en: string } }[] }> {
  const response = await (await as('u-yamada')).call('GET', `/api/ledgers/${ledger}/${id}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Every item of a ledger holding the word, over all pages (a page is filtered after it is read). */
async function itemsWith(ledger: string, word: string): Promise<Item[]> {
  const yamada = await as('u-yamada');
  const found: Item[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await yamada.call('GET', `/api/ledgers/${ledger}?limit=100&q=${encodeURIComponent(word)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    found.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return found;
}

const seatsOf = async (licenceId: string) => {
  const { seatsBought, seatsUsed, seatsHeld, seatsFree } = (await ledgerItem('licences', licenceId)).item;
  return { seatsBought, seatsUsed, seatsHeld, seatsFree };
};

/** A licence of its own with a product on it, so that seat counts are this test's alone. */
async function licensedProduct(seats: number, used = 0) {
  const id = suffix();
  const licence = await create('licences', {
    id: `lic-test-${id}`,
    productId: `prd-test-${id}`,
    name: { ja: `試験用ライセンス ${id}`, en: `Test licence ${id}` },
    seatsBought: seats,
    seatsUsed: used,
    seatsHeld: 0,
    seatsFree: seats - used,
    status: 'active',
  });
  const product = await create('products', {
    id: `prd-test-${id}`,
    name: { ja: `試験用ツール ${id}`, en: `Test tool ${id}` },
    vendor: '試験',
    category: 'tool',
    target: 'client',
    latestVersion: '1.0',
    licenceId: licence.id,
    status: 'managed',
  });
  return { licenceId: licence.id as string, productId: product.id as string };
}

/** A company terminal at 東京本社 (営業部), not yet approved for server access. */
const companyClient = (overrides: Item = {}) =>
  create('clients', {
    id: `pc-test-${suffix()}`,
    label: '試験用端末',
    kind: 'terminal',
    ownership: 'company',
    siteId: 'site-tokyo',
    branchId: 'br-east',
    departmentId: 'dep-sales',
    userId: 'u-tanaka',
    model: 'ThinkPad L14',
    serialNumber: `TEST-${suffix()}`,
    cpu: 'Core i5',
    memoryGb: 16,
    storageGb: 512,
    os: 'Windows 11',
    status: 'active',
    serverAccessApproved: false,
    ...overrides,
  });

/** 田中's installation of the product on the client, as the client product ledger records one. */
const installedOn = (clientId: string, productId: string, licenceId: string) =>
  create('client-products', {
    id: `cp-test-${suffix()}`,
    clientId,
    productId,
    version: '1.0',
    licenceId,
    userId: 'u-tanaka',
    status: 'installed',
    installedAt: '2026-04-01T00:00:00.000Z',
    siteId: 'site-tokyo',
    branchId: 'br-east',
  });

async function submit(userId: string, formId: string, data: Item) {
  return (await as(userId)).call('POST', '/api/requests', { formId, data });
}

async function file(userId: string, formId: string, data: Item): Promise<string> {
  const response = await submit(userId, formId, data);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** Each approver in turn approves their stage from the inbox. */
async function approveThrough(requestId: string, approvers: string[]) {
  for (const approverId of approvers) {
    const approver = await as(approverId);
    const task = await taskFor(approver, requestId);
    const decided = await approver.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'approve' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  }
}

/** The request's stages as decided, and its ledger effects applied. */
async function approvedWithEffects(requesterId: string, requestId: string) {
  const requester = await as(requesterId);
  return eventually(async () => {
    const { body } = await requester.call('GET', `/api/requests/${requestId}`);
    return body.status === 'approved' && body.history.some((e: { action: string }) => e.action === 'effects_applied') ? body : undefined;
  }, `the effects of ${requestId}`);
}

function issueOn(response: { status: number; body: any }, path: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  const issue = response.body.error.issues.find((i: { path: string }) => i.path === path);
  expect(issue, JSON.stringify(response.body.error.issues)).toBeDefined();
  return issue as { path: string; message: string; messages: { ja: string; en: string } };
}

const idFrom = (requestId: string, prefix: string) => requestId.replace(/^R-/, `${prefix}-`);

// 田中 (東京本社・営業部): 部門責任者 渡辺, 拠点管理者 佐藤, 拠点責任者 小林 (東日本支社), インフラ担当 山田.
const F7_APPROVERS = ['u-watanabe', 'u-sato', 'u-kobayashi', 'u-yamada'];

const validF7 = (clientId: string, productId: string, overrides: Item = {}) => ({
  clientId,
  productId,
  version: '1.0',
  purpose: '受注データの集計に使います。',
  ...overrides,
});

describe('F4 クライアント利用申請', () => {
  it('goes from the site manager and branch responsible to IT infrastructure and records the client with its configuration', async () => {
    const serial = `TK-${suffix()}`;
    const requestId = await file('u-tanaka', 'client-usage-request', {
      kind: 'terminal',
      label: '営業部 受注入力端末',
      model: 'ThinkPad L14 Gen 5',
      serialNumber: serial,
      cpu: 'Core i5-1335U',
      memoryGb: 16,
      storageGb: 512,
      os: 'Windows 11 Pro',
      purpose: '受注入力担当の増員に伴い、基幹業務システムに接続する端末が1台必要です。',
    });
    await approveThrough(requestId, ['u-sato', 'u-kobayashi', 'u-yamada']);
    const approved = await approvedWithEffects('u-tanaka', requestId);
    expect(approved.stages.map((s: { decision: { by: { id: string } } }) => s.decision.by.id)).toEqual(['u-sato', 'u-kobayashi', 'u-yamada']);

    const { item, history } = await ledgerItem('clients', idFrom(requestId, 'CL'));
    expect(item).toMatchObject({
      kind: 'terminal',
      ownership: 'company',
      siteId: 'site-tokyo',
      branchId: 'br-east',
      departmentId: 'dep-sales',
      userId: 'u-tanaka',
      serialNumber: serial,
      cpu: 'Core i5-1335U',
      memoryGb: 16,
      storageGb: 512,
      os: 'Windows 11 Pro',
      status: 'active',
      serverAccessApproved: false,
      requestId,
    });
    expect(history.map((e) => e.action)).toEqual(['created']);
    expect(history[0].summary.ja).toContain(requestId);
  });

  it('asks a terminal for its hardware configuration (S14-2)', async () => {
    const response = await submit('u-tanaka', 'client-usage-request', {
      kind: 'terminal',
      label: '構成不明の端末',
      model: 'ThinkPad',
      serialNumber: 'TK-NOCPU',
      purpose: '試験',
    });
    expect(issueOn(response, 'data.cpu').message).toContain('第14条第2項');
    expect(response.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['data.cpu', 'data.memoryGb', 'data.storageGb', 'data.os']);
  });
});

describe('F5 クライアント利用終了届', () => {
  it('retires the client, removes its installed products and gives their seats back', async () => {
    const { licenceId, productId } = await licensedProduct(3, 1);
    const client = await companyClient();
    const installation = await installedOn(client.id, productId, licenceId);
    const requestId = await file('u-tanaka', 'client-end-notice', { clientId: client.id, reason: '端末の更新により返却します。', endDate: '2026-12-25' });
    await approveThrough(requestId, ['u-sato', 'u-yamada']);
    await approvedWithEffects('u-tanaka', requestId);

    const retired = await ledgerItem('clients', client.id);
    expect(retired.item.status).toBe('retired');
    expect(retired.history.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(retired.history[1].summary.ja).toContain(requestId);
    const removed = await ledgerItem('client-products', installation.id);
    expect(removed.item).toMatchObject({ status: 'removed', removedAt: expect.any(String) });
    expect(removed.history[1].summary.ja).toContain(requestId);
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 3, seatsUsed: 0, seatsHeld: 0, seatsFree: 3 });
  });

  it('refuses a client of another site, a client not in the ledger and a retired client', async () => {
    const osaka = await submit('u-tanaka', 'client-end-notice', { clientId: 'pc-osaka-001', reason: '不要', endDate: '2026-12-25' });
    expect(issueOn(osaka, 'data.clientId').message).toContain('第16条第5項');
    const unknown = await submit('u-tanaka', 'client-end-notice', { clientId: 'pc-nowhere', reason: '不要', endDate: '2026-12-25' });
    expect(issueOn(unknown, 'data.clientId').message).toContain('クライアント台帳にありません');
    const retired = await companyClient({ status: 'retired' });
    const again = await submit('u-tanaka', 'client-end-notice', { clientId: retired.id, reason: '不要', endDate: '2026-12-25' });
    expect(issueOn(again, 'data.clientId').message).toContain('稼働中ではありません');
  });
});

describe('F7 クライアント用プロダクト利用申請', () => {
  it('holds a seat while in review, goes through the department head, site manager, branch responsible and IT infrastructure, and records the installation', async () => {
    const { licenceId, productId } = await licensedProduct(2);
    const client = await companyClient();
    const requestId = await file('u-tanaka', 'client-product-request', validF7(client.id, productId, { version: '1.0.3' }));
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 2, seatsUsed: 0, seatsHeld: 1, seatsFree: 1 });

    await approveThrough(requestId, F7_APPROVERS);
    const approved = await approvedWithEffects('u-tanaka', requestId);
    expect(approved.stages.map((s: { role: string }) => s.role)).toEqual(['deptHead', 'siteManager', 'siteResponsible', 'itInfra']);

    const { item, history } = await ledgerItem('client-products', idFrom(requestId, 'CP'));
    expect(item).toMatchObject({ clientId: client.id, productId, version: '1.0.3', licenceId, userId: 'u-tanaka', status: 'installed', siteId: 'site-tokyo', branchId: 'br-east', requestId });
    expect(history[0].summary.ja).toContain(requestId);
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 2, seatsUsed: 1, seatsHeld: 0, seatsFree: 1 });

    // Installed now: the same product cannot be requested again for that client.
    const twice = await submit('u-tanaka', 'client-product-request', validF7(client.id, productId));
    expect(issueOn(twice, 'data.productId').message).toContain('既にインストールされています');
  });

  it('refuses the personal MacBook of 田中 (pc-tokyo-101) with Article 35-5, holding no seat', async () => {
    const { licenceId, productId } = await licensedProduct(2);
    const response = await submit('u-tanaka', 'client-product-request', validF7('pc-tokyo-101', productId));
    const issue = issueOn(response, 'data.clientId');
    expect(issue.messages.ja).toBe('個人所有のクライアントには管理プロダクトをインストールできません（第35条第5項・第48条）。');
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 2, seatsUsed: 0, seatsHeld: 0, seatsFree: 2 });
  });

  it('refuses a retired product (prd-old-viewer) and a product not in the ledger with Article 38-3', async () => {
    const client = await companyClient();
    const retired = await submit('u-tanaka', 'client-product-request', validF7(client.id, 'prd-old-viewer'));
    expect(issueOn(retired, 'data.productId').messages.ja).toContain('第38条第3項');
    const unknown = await submit('u-tanaka', 'client-product-request', validF7(client.id, 'prd-freeware-x'));
    expect(issueOn(unknown, 'data.productId').messages.ja).toContain('第38条第3項');
    const server = await submit('u-tanaka', 'client-product-request', validF7(client.id, 'prd-zabbix'));
    expect(issueOn(server, 'data.productId').messages.ja).toContain('第38条第3項');
  });

  it('never installs more than the seats bought, under concurrent submissions and approvals (S38-2)', async () => {
    const { licenceId, productId } = await licensedProduct(3);
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 3, seatsUsed: 0, seatsHeld: 0, seatsFree: 3 });
    const clients = await Promise.all(Array.from({ length: 12 }, () => companyClient()));

    // The counters, sampled throughout: never negative, always adding up to the seats bought.
    const samples: Awaited<ReturnType<typeof seatsOf>>[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await seatsOf(licenceId));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const responses = await Promise.all(clients.map((client) => submit('u-tanaka', 'client-product-request', validF7(client.id, productId))));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201), JSON.stringify(responses.filter((r) => r.status !== 201 && r.status !== 400).map((r) => r.body))).toHaveLength(3);
    expect(statuses.filter((s) => s === 400)).toHaveLength(9);
    for (const refused of responses.filter((r) => r.status === 400)) {
      expect(issueOn(refused, 'data.productId').messages.ja).toContain('第38条第2項');
    }
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 3, seatsUsed: 0, seatsHeld: 3, seatsFree: 0 });

    const accepted = responses.filter((r) => r.status === 201).map((r) => r.body.id as string);
    await Promise.all(accepted.map((requestId) => approveThrough(requestId, F7_APPROVERS)));
    await Promise.all(accepted.map((requestId) => approvedWithEffects('u-tanaka', requestId)));
    sampling = false;
    await sampler;

    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 3, seatsUsed: 3, seatsHeld: 0, seatsFree: 0 });
    const installations = (await itemsWith('client-products', licenceId)).filter((item) => item.licenceId === licenceId);
    expect(installations).toHaveLength(3);
    expect(installations.map((i) => i.requestId).sort()).toEqual([...accepted].sort());
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(Math.min(sample.seatsUsed, sample.seatsHeld, sample.seatsFree)).toBeGreaterThanOrEqual(0);
      expect(sample.seatsUsed + sample.seatsHeld + sample.seatsFree).toBe(3);
    }

    // Full: one more request is refused with the article.
    const extra = await companyClient();
    expect(issueOn(await submit('u-tanaka', 'client-product-request', validF7(extra.id, productId)), 'data.productId').messages.ja).toContain('第38条第2項');
  });

  it('gives the seat back when a request is rejected, so that a new request then succeeds', async () => {
    const { licenceId, productId } = await licensedProduct(1);
    const [first, second] = await Promise.all([companyClient(), companyClient()]);
    const requestId = await file('u-tanaka', 'client-product-request', validF7(first.id, productId));
    expect(issueOn(await submit('u-tanaka', 'client-product-request', validF7(second.id, productId)), 'data.productId').messages.ja).toContain('第38条第2項');

    const watanabe = await as('u-watanabe');
    const task = await taskFor(watanabe, requestId);
    expect((await watanabe.call('POST', `/api/tasks/${task.id}/decision`, { decision: 'reject', comment: '業務上の必要性が認められません。' })).status).toBe(200);
    await requestStatus(await as('u-tanaka'), requestId, 'rejected');
    await eventually(async () => (await seatsOf(licenceId)).seatsFree === 1, 'the seat to come back');
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 1, seatsUsed: 0, seatsHeld: 0, seatsFree: 1 });

    await file('u-tanaka', 'client-product-request', validF7(second.id, productId));
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 1, seatsUsed: 0, seatsHeld: 1, seatsFree: 0 });
  });

  it('refuses a second request for the same product and client while the first is in review, holding one seat', async () => {
    const { licenceId, productId } = await licensedProduct(5);
    const client = await companyClient();
    await file('u-tanaka', 'client-product-request', validF7(client.id, productId));
    const twice = await submit('u-tanaka', 'client-product-request', validF7(client.id, productId));
    expect(issueOn(twice, 'data.productId').messages.ja).toContain('既に審査中です');
    expect((await seatsOf(licenceId)).seatsHeld).toBe(1);
  });
});

describe('F8 プロダクト利用終了・アンインストール届', () => {
  it('goes from the site manager to IT infrastructure, marks the installation removed and releases its seat', async () => {
    const { licenceId, productId } = await licensedProduct(2, 1);
    const client = await companyClient();
    const installation = await installedOn(client.id, productId, licenceId);
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 2, seatsUsed: 1, seatsHeld: 0, seatsFree: 1 });

    const requestId = await file('u-tanaka', 'product-uninstall-notice', { installationId: installation.id, reason: '担当業務の変更により不要になりました。' });
    await approveThrough(requestId, ['u-sato', 'u-yamada']);
    await approvedWithEffects('u-tanaka', requestId);

    const { item, history } = await ledgerItem('client-products', installation.id);
    expect(item).toMatchObject({ status: 'removed', removedAt: expect.any(String) });
    expect(history.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(history[1].summary.ja).toContain(requestId);
    expect(await seatsOf(licenceId)).toEqual({ seatsBought: 2, seatsUsed: 0, seatsHeld: 0, seatsFree: 2 });

    const again = await submit('u-tanaka', 'product-uninstall-notice', { installationId: installation.id, reason: '再度' });
    expect(issueOn(again, 'data.installationId').message).toContain('既にアンインストール済です');
  });

  it('refuses an installation that is not in the ledger', async () => {
    const response = await submit('u-tanaka', 'product-uninstall-notice', { installationId: 'cp-nowhere', reason: '不要' });
    expect(issueOn(response, 'data.installationId').message).toContain('クライアントプロダクト台帳にありません');
  });
});

describe('F15 クライアントPC接続承認申請', () => {
  const checklist = { loginAndAccessLog: true, antivirus: true, screenPosition: true, screensaver: true, theftPrevention: true };

  it('goes from the site manager to the system administrator and marks the PC approved for server access', async () => {
    const client = await companyClient();
    const requestId = await file('u-tanaka', 'client-pc-connection-request', { clientId: client.id, ...checklist, note: '覗き見防止フィルタ装着済み' });
    await approveThrough(requestId, ['u-sato', 'u-matsumoto']);
    const approved = await approvedWithEffects('u-tanaka', requestId);
    expect(approved.stages.map((s: { role: string }) => s.role)).toEqual(['siteManager', 'sysAdmin']);

    const { item, history } = await ledgerItem('clients', client.id);
    expect(item).toMatchObject({ serverAccessApproved: true, serverAccessApprovedAt: expect.any(String) });
    expect(history[1].summary.ja).toContain(requestId);

    const twice = await submit('u-tanaka', 'client-pc-connection-request', { clientId: client.id, ...checklist });
    expect(issueOn(twice, 'data.clientId').message).toContain('既にサーバ接続が承認されています');
  });

  it('refuses the personal MacBook of 田中 (pc-tokyo-101) with Article 11', async () => {
    const response = await submit('u-tanaka', 'client-pc-connection-request', { clientId: 'pc-tokyo-101', ...checklist });
    const issue = issueOn(response, 'data.clientId');
    expect(issue.messages.ja).toContain('個人所有のPC');
    expect(issue.messages.ja).toContain('安全管理細則第11条');
  });

  it('refuses a checklist with an item left unticked', async () => {
    const client = await companyClient();
    const response = await submit('u-tanaka', 'client-pc-connection-request', { clientId: client.id, ...checklist, screensaver: false });
    expect(response.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['data.screensaver']);
    expect(issueOn(response, 'data.screensaver').message).toBe('「パスワード付きスクリーンセーバー（10分以内）」にチェックを入れてください。');
  });
});
