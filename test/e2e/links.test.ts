/**
 * E-mailed links: opening one changes nothing; a used link shows the 410 page; an unknown one the
 * 404 page; someone else's link the 403 page; a reject needs a comment.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, emailOf, jstDate, launch, openPage, shot, signInAs, tokenFor, waitForLinkToken } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

/** 田中 files an F1 request through the API; returns its id and 佐藤's link token. */
async function fileRequest(purpose: string): Promise<{ requestId: string; token: string }> {
  const tanaka = await tokenFor(baseUrl, 'u-tanaka');
  const { status, body } = await api<{ id: string }>(baseUrl, '/api/requests', {
    token: tanaka,
    body: {
      formId: 'server-connection-request',
      data: { serverId: 'srv-app', protocol: 'ssh', purpose, startDate: jstDate(3), endDate: jstDate(30) },
    },
  });
  expect(status).toBe(201);
  const { token } = await waitForLinkToken(baseUrl, await emailOf(baseUrl, 'u-sato'), body.id);
  return { requestId: body.id, token };
}

describe('approval links', () => {
  it('shows the used-link page once the link has been used', async () => {
    const { requestId, token } = await fileRequest('リンクの再使用の確認');
    const { page, problems } = await openPage(browser);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/')) posts.push(request.url());
    });
    await page.goto(`${baseUrl}/#/links/${encodeURIComponent(token)}`);
    await signInAs(page, 'u-sato');
    await page.getByRole('heading', { name: '承認の判断' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '承認の判断' }).waitFor();
    expect(posts, 'opening the link must not POST').toEqual([]);

    // Reject without a comment is refused on the page; with one it goes through.
    await page.locator('button[data-decision="reject"]').click();
    await page.locator('#decision-comment-error').waitFor();
    await expect(page.getByRole('dialog').isVisible()).resolves.toBe(false);
    await page.locator('#decision-comment').fill('接続先はアプリケーションサーバではなく開発用DBサーバが適切です。');
    await page.locator('button[data-decision="send_back"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('差し戻すと取り消せません', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: '差し戻す' }).click();
    await page.getByRole('heading', { name: '差し戻しました。' }).waitFor();
    expect(posts).toHaveLength(1);

    await page.reload();
    await page.getByRole('heading', { name: 'このリンクは使用済みか期限切れです' }).waitFor();
    await shot(page, '30-link-used');

    // 田中 sees the send-back and its reason, and can resubmit with the data pre-filled.
    const tanaka = await openPage(browser);
    await tanaka.page.goto(`${baseUrl}/#/requests/${encodeURIComponent(requestId)}`);
    await signInAs(tanaka.page, 'u-tanaka');
    await tanaka.page.getByRole('heading', { name: 'この申請は差し戻されました' }).waitFor();
    await expect(tanaka.page.locator('.alert-warning').textContent()).resolves.toContain('開発用DBサーバが適切です');
    await tanaka.page.getByRole('button', { name: '再申請する' }).click();
    await expect(tanaka.page.locator('#field-purpose').inputValue()).resolves.toBe('リンクの再使用の確認');
    await tanaka.page.locator('#field-serverId').selectOption('srv-dev-db');
    await shot(tanaka.page, '31-resubmit-form');
    await tanaka.page.getByRole('button', { name: '入力内容を確認' }).click();
    await tanaka.page.getByText('この内容で再申請しますか？').waitFor();
    await tanaka.page.getByRole('button', { name: 'この内容で再申請する' }).click();
    await tanaka.page.getByText('再申請しました。').waitFor();
    await tanaka.page.locator('.badge-in_review').first().waitFor();
    await shot(tanaka.page, '32-resubmitted');

    // ... and withdraws it, with a reason.
    await tanaka.page.getByRole('button', { name: '引戻し（取下げ）' }).click();
    const withdrawDialog = tanaka.page.getByRole('dialog');
    await withdrawDialog.getByLabel('取下げの理由（任意）').fill('別の方法で対応することになったため。');
    await shot(tanaka.page, '33-withdraw-confirm');
    await withdrawDialog.getByRole('button', { name: '引き戻す' }).click();
    await tanaka.page.locator('.badge-withdrawn').first().waitFor();
    await shot(tanaka.page, '34-withdrawn');
    expect([...problems, ...tanaka.problems]).toEqual([]);
  });

  it('shows the not-found page and the other-approver page', async () => {
    const { token } = await fileRequest('別の承認者のリンクの確認');
    const { page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/#/links/no-such-token-0000000000000000`);
    await signInAs(page, 'u-kobayashi');
    await page.getByRole('heading', { name: 'リンクが見つかりません' }).waitFor();
    await shot(page, '35-link-not-found');

    await page.goto(`${baseUrl}/#/links/${encodeURIComponent(token)}`);
    await page.getByRole('heading', { name: 'このリンクは別の承認者宛てです' }).waitFor();
    await shot(page, '36-link-other-approver');
    expect(problems).toEqual([]);
  });
});
