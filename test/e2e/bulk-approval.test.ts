/**
 * 一括承認 from the inbox: 田中 files three F1 requests (and a fourth that he withdraws while 佐藤 is
 * confirming); 佐藤 selects everything in 承認待ち, approves in bulk with a comment after the
 * confirmation, reads 「…件を承認しました」 and why the withdrawn one could not be approved (in either
 * language), the inbox no longer lists them, and each request's history shows its own decision.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, fileF1, launch, openPage, shot, signInAs, tokenFor, waitForTask } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

interface HistoryEvent {
  action: string;
  actor: { id: string } | null;
  summary: { ja: string; en: string };
}

describe('一括承認 (bulk approval) in the inbox', () => {
  it('approves the selected requests after one confirmation, each with its own decision', async () => {
    const tanaka = await tokenFor(baseUrl, 'u-tanaka');
    const sato = await tokenFor(baseUrl, 'u-sato');
    const purposes = ['一括承認の確認 1：販売管理の月次集計', '一括承認の確認 2：在庫照会の棚卸準備', '一括承認の確認 3：出荷実績の確認'];
    const approvedIds: string[] = [];
    for (const purpose of purposes) approvedIds.push(await fileF1(baseUrl, tanaka, purpose));
    const withdrawnId = await fileF1(baseUrl, tanaka, '一括承認の確認 4：途中で取り下げる申請');
    for (const id of [...approvedIds, withdrawnId]) await waitForTask(baseUrl, sato, id);

    const { page, problems } = await openPage(browser);
    const bulkPosts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/tasks/bulk-approval')) bulkPosts.push(request.postData() ?? '');
    });
    await page.goto(`${baseUrl}/#/inbox`);
    await signInAs(page, 'u-sato');
    await page.getByRole('heading', { name: '承認待ち', level: 1 }).waitFor();
    for (const id of [...approvedIds, withdrawnId]) await page.locator('.inbox-table tbody tr', { hasText: id }).waitFor();
    const rows = await page.locator('.inbox-table tbody tr').count();

    // Nothing selected: the button is disabled and the help says why only approval is offered.
    const bulkButton = page.getByRole('button', { name: '一括承認' });
    await expect(bulkButton.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#bulk-help').textContent()).resolves.toContain('却下・差し戻しは申請ごとに理由が必要');

    // One row by its checkbox (named after the request), then all of them with the keyboard.
    await page.getByRole('checkbox', { name: new RegExp(approvedIds[0]!) }).check();
    await page.getByText('1 件を選択中').waitFor();
    await expect(bulkButton.isDisabled()).resolves.toBe(false);
    await expect(page.locator('#select-all').evaluate((box) => (box as HTMLInputElement).indeterminate)).resolves.toBe(rows > 1);
    await page.locator('#select-all').focus();
    await page.keyboard.press('Space');
    await page.getByText(`${rows} 件を選択中`).waitFor();
    await expect(page.locator('.inbox-table tbody input[type="checkbox"]:not(:checked)').count()).resolves.toBe(0);
    await shot(page, '60-inbox-selected');

    // On a phone the rows are cards with their checkbox, and nothing runs off the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await shot(page, '65-inbox-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    // The confirmation lists every selected request; focus starts on キャンセル; the comment is optional.
    await bulkButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `選択した ${rows} 件の申請を承認しますか？` }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('キャンセル');
    for (const id of [...approvedIds, withdrawnId]) await dialog.locator('.bulk-list li', { hasText: id }).waitFor();
    await dialog.getByLabel('コメント（任意）').fill('定例の接続申請のため一括で承認します。');
    await shot(page, '61-bulk-confirm');

    // Meanwhile 田中 takes one request back: that one cannot be approved any more.
    const withdrawn = await api(baseUrl, `/api/requests/${encodeURIComponent(withdrawnId)}/withdraw`, { token: tanaka, body: { comment: '不要になりました' } });
    expect(withdrawn.status).toBe(200);

    await dialog.getByRole('button', { name: `${rows} 件を承認する` }).click();
    const outcome = page.locator('.bulk-report');
    await outcome.getByRole('heading', { name: `${rows - 1}件を承認しました` }).waitFor();
    expect(bulkPosts, 'one bulk call').toHaveLength(1);
    const sent = JSON.parse(bulkPosts[0]!) as { taskIds: string[]; comment?: string };
    expect(sent.taskIds).toHaveLength(rows);
    expect(sent.comment).toBe('定例の接続申請のため一括で承認します。');
    // The refused one, with the server's reason in Japanese; the outcome is announced and focused.
    await expect(outcome.locator('.bulk-refused li').count()).resolves.toBe(1);
    await expect(outcome.locator('.bulk-refused li').textContent()).resolves.toContain(withdrawnId);
    await expect(outcome.locator('.bulk-refused li').textContent()).resolves.toContain('既に処理されています');
    expect(await page.locator('.bulk-live').getAttribute('aria-live')).toBe('polite');
    await expect(page.evaluate(() => document.activeElement?.classList.contains('bulk-report'))).resolves.toBe(true);

    // The inbox was read again: none of them is waiting any more.
    await page.locator('.empty', { hasText: '承認待ちの申請はありません' }).waitFor();
    for (const id of [...approvedIds, withdrawnId]) await expect(page.locator('.inbox-table tbody tr', { hasText: id }).count()).resolves.toBe(0);
    await shot(page, '62-bulk-done');

    // The outcome follows the language switch, the server's reason too.
    await page.getByRole('button', { name: 'English' }).click();
    await outcome.getByRole('heading', { name: `Approved ${rows - 1} requests` }).waitFor();
    await expect(outcome.locator('.bulk-refused li').textContent()).resolves.toContain('already been decided');
    await shot(page, '63-bulk-done-english');
    await page.getByRole('button', { name: '日本語' }).click();

    // Each request's history has its own decision by 佐藤, with the comment, exactly once.
    for (const id of approvedIds) {
      const detail = await api<{ history: HistoryEvent[] }>(baseUrl, `/api/requests/${encodeURIComponent(id)}`, { token: tanaka });
      const decided = detail.body.history.filter((event) => event.action === 'decided' && event.actor?.id === 'u-sato');
      expect(decided, id).toHaveLength(1);
      expect(decided[0]!.summary.ja).toContain('定例の接続申請のため一括で承認します。');
    }
    await page.goto(`${baseUrl}/#/requests/${encodeURIComponent(approvedIds[1]!)}`);
    await page.getByRole('heading', { name: /サーバ接続利用申請/, level: 1 }).waitFor();
    const decidedLine = page.locator('.history li[data-action="decided"]');
    await decidedLine.first().waitFor();
    await expect(decidedLine.count()).resolves.toBe(1);
    await expect(decidedLine.textContent()).resolves.toContain('佐藤 花子');
    await expect(decidedLine.textContent()).resolves.toContain('定例の接続申請のため一括で承認します。');
    await page.locator('.stage-approved .seal').first().waitFor();
    await shot(page, '64-bulk-request-history');

    expect(problems).toEqual([]);
  });
});
