/**
 * The main path, as the people would walk it: 田中 files F1 サーバ接続利用申請, 佐藤 (拠点管理者) and
 * 小林 (拠点責任者) approve from the links in their e-mail, 山田 (情報システム部インフラ担当) approves
 * from the inbox, and 田中 sees the request approved with three seals and the grant in the ledger.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { emailOf, jstDate, launch, openPage, shot, signInAs, waitForLinkToken, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];

async function user(): Promise<UserPage> {
  const result = await openPage(browser);
  opened.push(result);
  return result;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('F1 server connection request, from filing to the access grant', () => {
  it('goes through three approvals and lands in the grants ledger', async () => {
    // --- 田中 files the request ---------------------------------------------------------------
    const tanaka = await user();
    const page = tanaka.page;
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'デモユーザーでサインイン' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await page.locator('button[data-user-id="u-tanaka"]').waitFor();
    await shot(page, '01-signin');

    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: '申請する', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'サーバ接続利用申請' }).waitFor();
    await expect(page.locator('.user-name').textContent()).resolves.toContain('田中 太郎');
    await shot(page, '02-catalogue');

    await page.getByRole('link', { name: 'サーバ接続利用申請' }).click();
    await page.getByRole('heading', { name: /サーバ接続利用申請/, level: 1 }).waitFor();
    await expect(page.locator('.route-box .route-role').allTextContents()).resolves.toEqual(['拠点管理者', '拠点責任者', '情報システム部インフラ担当']);
    // The route preview names the approvers for 田中 (東京本社, 東日本支社).
    await page.locator('.route-box .route-people', { hasText: '佐藤 花子' }).waitFor();
    await expect(page.locator('.route-box').textContent()).resolves.toContain('小林 健');
    await expect(page.locator('.articles').textContent()).resolves.toContain('S5-3');
    await page.locator('#field-serverId option[value="srv-core-db"]').waitFor({ state: 'attached' });
    await shot(page, '03-form');

    // Empty submission: Japanese messages next to the fields, nothing sent.
    await page.getByRole('button', { name: '入力内容を確認' }).click();
    await page.locator('.error-summary').waitFor();
    await expect(page.locator('#field-serverId-error').textContent()).resolves.toContain('接続先サーバを選択してください');
    await expect(page.locator('#field-purpose-error').textContent()).resolves.toContain('利用目的を入力してください');
    await expect(page.locator('#field-startDate-error').textContent()).resolves.toContain('利用開始日');
    expect(await page.locator('#field-purpose').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '04-form-errors');

    const start = jstDate(7);
    const end = jstDate(120);
    await page.locator('#field-serverId').selectOption('srv-core-db');
    await page.locator('#field-protocol').selectOption('odbc');
    await page.locator('#field-purpose').fill('月次の売上集計を Excel から ODBC で取得するため。営業部の集計担当者のみが利用します。');
    await page.locator('#field-startDate').fill(start);
    await page.locator('#field-endDate').fill(end);
    await expect(page.locator('.error-summary').count()).resolves.toBe(0);
    await shot(page, '05-form-filled');

    await page.getByRole('button', { name: '入力内容を確認' }).click();
    await page.getByText('この内容で申請しますか？').waitFor();
    await expect(page.locator('.confirm').textContent()).resolves.toContain('基幹DBサーバ');
    await expect(page.locator('.confirm').textContent()).resolves.toContain('ODBC');
    await shot(page, '06-confirm');

    await page.getByRole('button', { name: 'この内容で申請する' }).click();
    await page.waitForURL(/#\/requests\/R-/);
    const requestId = decodeURIComponent(page.url().split('#/requests/')[1]!);
    await page.locator('.badge-in_review').first().waitFor();
    await expect(page.locator('.timeline').textContent()).resolves.toContain('拠点管理者');
    await expect(page.locator('.timeline').textContent()).resolves.toContain('佐藤 花子');
    await expect(page.locator('.data-list').textContent()).resolves.toContain('基幹DBサーバ');
    await page.locator('.stage-open').waitFor(); // the workflow opens the first stage (the page polls)
    await shot(page, '07-request-in-review');

    // --- 佐藤 (拠点管理者) approves from the e-mailed link --------------------------------------
    const satoMail = await waitForLinkToken(baseUrl, await emailOf(baseUrl, 'u-sato'), requestId);
    const sato = await user();
    await sato.page.goto(`${baseUrl}/#/links/${encodeURIComponent(satoMail.token)}`);
    await sato.page.getByRole('heading', { name: 'デモユーザーでサインイン' }).waitFor();
    await expect(sato.page.getByText('サインイン後、開こうとしていたページに戻ります。').count()).resolves.toBe(1);
    await sato.page.locator('button[data-user-id="u-sato"]').waitFor();
    await shot(sato.page, '08-link-needs-signin');
    await signInAs(sato.page, 'u-sato');
    await sato.page.getByRole('heading', { name: '承認の判断' }).waitFor();
    await expect(sato.page.locator('.data-list').textContent()).resolves.toContain('月次の売上集計');
    await sato.page.locator('.data-list', { hasText: '基幹DBサーバ' }).waitFor(); // the server's name from the ledger
    await shot(sato.page, '09-link-page-sato');
    await approve(sato, '内容を確認しました。承認します。', '10-confirm-sato', '11-approved-sato');

    // --- 小林 (拠点責任者) approves from the e-mailed link --------------------------------------
    const kobayashiMail = await waitForLinkToken(baseUrl, await emailOf(baseUrl, 'u-kobayashi'), requestId);
    const kobayashi = await user();
    await kobayashi.page.goto(`${baseUrl}/#/links/${encodeURIComponent(kobayashiMail.token)}`);
    await signInAs(kobayashi.page, 'u-kobayashi');
    await kobayashi.page.getByRole('heading', { name: '承認の判断' }).waitFor();
    await expect(kobayashi.page.locator('.stage-approved').count()).resolves.toBe(1);
    await shot(kobayashi.page, '12-link-page-kobayashi');
    await approve(kobayashi, '支社として問題ありません。', null, '13-approved-kobayashi');

    // --- 山田 (情報システム部インフラ担当) approves from the inbox ------------------------------
    const yamada = await user();
    await yamada.page.goto(`${baseUrl}/`);
    await signInAs(yamada.page, 'u-yamada');
    await waitFor(async () => {
      await yamada.page.reload();
      await yamada.page.locator('.user-name').waitFor();
      await yamada.page.locator('.main-nav').getByRole('link', { name: /承認待ち/ }).click();
      await yamada.page.getByRole('heading', { name: '承認待ち', level: 1 }).waitFor();
      return (await yamada.page.locator('.list-table', { hasText: requestId }).count()) > 0;
    }, 'the task in 山田’s inbox');
    // The inbox's own count (IT infrastructure also sees a count of overdue duties in the menu).
    await yamada.page.locator('.main-nav').getByRole('link', { name: /承認待ち/ }).locator('.count-badge').waitFor();
    await shot(yamada.page, '14-inbox-yamada');
    await yamada.page.locator('tr', { hasText: requestId }).getByRole('link').click();
    await yamada.page.getByRole('heading', { name: '承認の判断' }).waitFor();
    await expect(yamada.page.locator('.stage-approved').count()).resolves.toBe(2);
    await approve(yamada, '', '15-confirm-yamada', null);
    // The outcome follows the workflow: the last approval makes the request 承認済 within moments.
    await yamada.page.locator('.outcome .badge-approved').waitFor();
    await shot(yamada.page, '16-approved-yamada');
    await yamada.page.getByRole('link', { name: '承認待ち一覧へ戻る' }).click();
    await yamada.page.getByText('承認待ちの申請はありません').waitFor();
    await shot(yamada.page, '17-inbox-empty');

    // --- 田中 sees it approved, with three seals, and the grant in the ledger -------------------
    await page.locator('.badge-approved').first().waitFor({ timeout: 30_000 }); // the page refreshes itself while in review
    // On screen (the route cards); the printed stamp row has its own seals, hidden on screen.
    await expect(page.locator('.timeline .seal-approve').count()).resolves.toBe(3);
    await expect(page.locator('.history').textContent()).resolves.toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    await shot(page, '18-request-approved');

    await page.locator('.main-nav').getByRole('link', { name: '自分の申請' }).click();
    await page.locator('tr', { hasText: requestId }).locator('.badge-approved').waitFor();
    await shot(page, '19-my-requests');

    await waitFor(async () => {
      await page.goto(`${baseUrl}/#/ledgers/server-access-grants`);
      await page.reload();
      await page.locator('.ledger-table, .empty').first().waitFor();
      return (await page.locator('.ledger-table tr', { hasText: requestId }).count()) > 0;
    }, 'the grant in the ledger');
    await expect(page.locator('.ledger-table tr', { hasText: requestId }).textContent()).resolves.toContain('基幹DBサーバ');
    await page.locator('.ledger-table tr', { hasText: 'ODBC' }).waitFor();
    await page.locator('#ledger-q').fill('田中');
    await page.locator('#ledger-q').press('Enter');
    await page.locator('#ledger-count', { hasText: '条件に一致する項目' }).waitFor();
    await page.locator('.ledger-table tr', { hasText: requestId }).waitFor();
    await shot(page, '20-ledger-grants');
    // The grant's page: its fields and history, the request linked (田中 filed it, so may open it).
    await page.locator('.ledger-table tr', { hasText: requestId }).getByRole('link').first().click();
    await page.locator('.ledger-history li', { hasText: requestId }).waitFor();
    await page.locator(`.ledger-history a[href="#/requests/${requestId}"]`).first().waitFor();
    await expect(page.locator(`.data-list a[href="#/requests/${requestId}"]`).count()).resolves.toBe(1);
    await shot(page, '60-grant-item');

    for (const each of opened) expect(each.problems, 'console errors / CSP violations').toEqual([]);
  });
});

/** Comment, press 承認, read the confirmation, confirm, and see the outcome. */
async function approve(who: UserPage, comment: string, confirmShot: string | null, doneShot: string | null): Promise<void> {
  const page = who.page;
  if (comment) await page.locator('#decision-comment').fill(comment);
  await page.locator('button[data-decision="approve"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('承認すると取り消せません', { exact: false }).waitFor();
  if (confirmShot) await shot(page, confirmShot);
  // A double click must send once: the button is disabled as soon as the first click lands.
  let posts = 0;
  const count = (request: { method(): string; url(): string }) => {
    if (request.method() === 'POST' && /\/decision$/.test(request.url())) posts += 1;
  };
  page.on('request', count);
  await dialog.getByRole('button', { name: '承認する' }).dblclick();
  await page.getByRole('heading', { name: '承認しました。' }).waitFor();
  page.off('request', count);
  expect(posts).toBe(1);
  if (doneShot) await shot(page, doneShot);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
