/**
 * 組織管理: 山田 (情報システム部インフラ担当) opens the organisation pages, registers a person (after
 * fixing the errors the page reports), takes a site manager's role away while a request waits for
 * them — the page shows whose task moves before saving — and imports people from CSV, the valid rows
 * only. 田中 has no entry for it. The site and people of the hand-over are this file's own, so the
 * demo organisation the other files rely on stays as it is.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, fileF1, launch, openPage, shot, signInAs, tokenFor, waitForTask, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
const stamp = Date.now().toString(36);
const site = `site-e2e-${stamp}`;
const department = `dep-e2e-${stamp}`;
const requester = `u-e2e-${stamp}-req`;
const leaving = `u-e2e-${stamp}-a`;
const successor = `u-e2e-${stamp}-b`;
const registered = `u-e2e-${stamp}-new`;
let browser: Browser;
let yamadaToken: string;
const opened: UserPage[] = [];

const person = (id: string, ja: string, en: string, roles: unknown[] = []) => ({
  id,
  name: { ja, en },
  email: `${id}@example.co.jp`,
  siteId: site,
  departmentId: department,
  roles,
});
const manager = { role: 'siteManager', scope: { kind: 'site', id: site } };

async function user(): Promise<UserPage> {
  const result = await openPage(browser);
  opened.push(result);
  return result;
}

beforeAll(async () => {
  browser = await launch();
  yamadaToken = await tokenFor(baseUrl, 'u-yamada');
  const post = async (path: string, body: unknown) => {
    const answer = await api(baseUrl, path, { token: yamadaToken, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };
  await post('/api/admin/places/site', { place: { id: site, name: { ja: `横浜営業所 ${stamp}`, en: `Yokohama Office ${stamp}` }, branchId: 'br-east' } });
  // A department of its own, so that the people registered here change no other test's routes or recipients.
  await post('/api/admin/places/department', { place: { id: department, name: { ja: `企画部 ${stamp}`, en: `Planning ${stamp}` } } });
  await post('/api/admin/people', { person: person(requester, '前田 陽', 'Hinata Maeda') });
  await post('/api/admin/people', { person: person(leaving, '岡本 学', 'Manabu Okamoto', [manager]) });
  await post('/api/admin/people', { person: person(successor, '石井 彩', 'Aya Ishii') });
});

afterAll(async () => {
  await browser?.close();
});

describe('organisation administration', () => {
  it('is only in the menu of IT infrastructure', async () => {
    const { page, problems } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-tanaka');
    expect(await page.locator('.main-nav').getByRole('link', { name: '組織管理' }).count()).toBe(0);
    await page.goto(`${baseUrl}/#/admin`);
    await page.getByText('組織の管理は情報システム部インフラ担当だけが行えます。').waitFor();
    expect(problems).toEqual([]);
  });

  it('registers a person after the page reports what is missing, on each field', async () => {
    const { page, problems } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-yamada');
    await page.locator('.main-nav').getByRole('link', { name: '組織管理' }).click();
    await page.getByRole('heading', { name: '組織管理', level: 1 }).waitFor();
    await page.locator('.admin-table tbody tr', { hasText: '佐藤 花子' }).waitFor();
    expect(await page.locator('.admin-table tbody tr', { hasText: '佐藤 花子' }).textContent()).toContain('拠点管理者（東京本社）');
    await shot(page, '100-organisation-people');

    await page.getByRole('link', { name: '社員を登録' }).click();
    await page.getByRole('heading', { name: '社員を登録', level: 1 }).waitFor();
    await page.fill('#person-id', registered);
    await page.fill('#person-email', 'sato@example.co.jp');
    await page.fill('#person-nameJa', '新井 健太');
    await page.getByRole('button', { name: '登録する' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const text = await summary.textContent();
    expect(text).toContain('「氏名（英語）」を入力してください。');
    expect(text).toContain('「拠点」を入力してください。');
    expect(text).toContain('「部署」を入力してください。');
    await shot(page, '101-person-errors');

    await page.fill('#person-nameEn', 'Kenta Arai');
    await page.selectOption('#person-siteId', 'site-sendai');
    await page.selectOption('#person-departmentId', department);
    await page.getByRole('button', { name: '役割を追加' }).click();
    await page.selectOption('#person-role-0', 'deptHead');
    await page.selectOption('#person-role-0-scope', department);
    await page.getByRole('button', { name: '登録する' }).click();
    // The address was 佐藤's: one person, one address.
    await page.locator('.error-summary', { hasText: '佐藤 花子' }).waitFor();
    await page.fill('#person-email', `${registered}@example.co.jp`);
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByText('登録しました。').waitFor();
    await page.getByRole('heading', { name: /社員の情報と役割: 新井 健太/ }).waitFor();
    await page.locator('.admin-history li', { hasText: '山田 次郎 が登録しました' }).waitFor();
    const stored = await api<{ person: { branchId: string; roles: { role: string; scope: { id: string } }[] } }>(baseUrl, `/api/admin/people/${registered}`, { token: yamadaToken });
    expect(stored.body.person.branchId).toBe('br-east');
    expect(stored.body.person.roles.map((r) => `${r.role}@${r.scope.id}`)).toEqual(['employee@*', `deptHead@${department}`]);
    expect(problems).toEqual([]);
  });

  it('shows whose waiting task moves before a role is taken away, then moves it', async () => {
    const requesterToken = await tokenFor(baseUrl, requester);
    const requestId = await fileF1(baseUrl, requesterToken, `組織変更のe2e ${stamp}`);
    const leavingToken = await tokenFor(baseUrl, leaving);
    await waitForTask(baseUrl, leavingToken, requestId);
    // 石井 is appointed after the stage opened: the task stays with 岡本, who still holds the role.
    const appointed = await api(baseUrl, `/api/admin/people/${successor}`, { token: yamadaToken, method: 'PUT', body: { person: person(successor, '石井 彩', 'Aya Ishii', [manager]), version: 1 } });
    expect(appointed.status, JSON.stringify(appointed.body)).toBe(200);
    const successorToken = await tokenFor(baseUrl, successor);

    const { page, problems } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-yamada');
    await page.goto(`${baseUrl}/#/admin/people/${leaving}`);
    await page.getByRole('heading', { name: /社員の情報と役割: 岡本 学/ }).waitFor();
    await page.getByRole('button', { name: '拠点管理者を削除' }).click();
    await page.fill('#person-reason', '4月1日付で本社へ異動');
    await page.getByRole('button', { name: '保存する' }).click();
    const dialog = page.getByRole('dialog', { name: 'この変更で承認待ちの申請の担当が変わります' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`${requestId}（F1 拠点管理者）: 岡本 学 → 石井 彩`);
    await shot(page, '102-reassign-confirm');
    await dialog.getByRole('button', { name: '変更して担当を移す' }).click();
    await page.getByText('保存しました。').waitFor();
    await page.getByText('承認待ちの申請 1 件の担当を移しました。').waitFor();
    await page.locator('.admin-history li', { hasText: '4月1日付で本社へ異動' }).waitFor();
    await shot(page, '103-reassigned');

    // 岡本's task is superseded; 石井 has one of their own.
    await waitForTask(baseUrl, successorToken, requestId);
    const tasks = await api<{ items: { requestId: string }[] }>(baseUrl, '/api/tasks?limit=100', { token: leavingToken });
    expect(tasks.body.items.some((task) => task.requestId === requestId)).toBe(false);
    const detail = await api<{ stages: { approvers: { id: string }[] }[]; history: { action: string }[] }>(baseUrl, `/api/requests/${requestId}`, { token: requesterToken });
    expect(detail.body.stages[0].approvers.map((a) => a.id)).toEqual([successor]);
    expect(detail.body.history.map((e) => e.action)).toContain('reassigned');
    expect(problems).toEqual([]);
  });

  it('lists the places and imports people from CSV, the valid rows only after a confirmation', async () => {
    const { page, problems } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-yamada');
    await page.goto(`${baseUrl}/#/admin/places`);
    await page.getByRole('heading', { name: '拠点', level: 2 }).waitFor();
    await page.locator('.admin-places tr', { hasText: site }).waitFor();
    await shot(page, '104-organisation-places');

    await page.getByRole('link', { name: 'CSV 取り込み' }).click();
    await page.getByRole('heading', { name: '組織の CSV 取り込み', level: 1 }).waitFor();
    const file = join(tmpdir(), `people-${stamp}.csv`);
    writeFileSync(
      file,
      '\uFEFF' +
        [
          '社員ID,氏名,氏名（英語）,メールアドレス,拠点ID,部署ID,役割',
          `u-e2e-${stamp}-csv,小野 晴,Haru Ono,u-e2e-${stamp}-csv@example.co.jp,${site},${department},拠点管理者`,
          `u-e2e-${stamp}-bad,誤り 一,Ichi Ayamari,u-e2e-${stamp}-bad@example.co.jp,site-nowhere,${department},`,
        ].join('\r\n') +
        '\r\n',
    );
    await page.setInputFiles('#organisation-file', file);
    await page.getByRole('heading', { name: '確認結果' }).waitFor();
    expect(await page.locator('.admin-report').textContent()).toContain('新規 1 ・ 更新 0 ・ 変更なし 0 ・ エラー 1');
    expect(await page.locator('.import-table tr.import-rejected').textContent()).toContain('拠点「site-nowhere」は登録されていません。');
    await shot(page, '105-organisation-import-report');
    await page.getByRole('button', { name: '正しい行だけ取り込む' }).click();
    const dialog = page.getByRole('dialog', { name: '正しい行だけ取り込みますか？' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '正しい行だけ取り込む' }).click();
    await page.getByText('1 件を取り込みました（変更なし 0 件、エラー 1 件）。').waitFor();
    await shot(page, '106-organisation-import-done');
    const imported = await api<{ person: { roles: { role: string; scope: { id: string } }[] } }>(baseUrl, `/api/admin/people/u-e2e-${stamp}-csv`, { token: yamadaToken });
    expect(imported.body.person.roles.map((r) => `${r.role}@${r.scope.id}`)).toContain(`siteManager@${site}`);
    expect(problems).toEqual([]);
  });
});
