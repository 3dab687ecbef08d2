/**
 * 月次点検 in the browser: the month's run (fired by hand, as `npm run schedule -- monthly-review
 * --month 2026-10` does) e-mails the security manager; she opens the link from the captured mail,
 * signs in, sees the entry that looks wrong highlighted, is told what is missing, records the cause
 * and the action, confirms, and the review is completed — the month of that logbook is closed. Then
 * the month view and its CSV, and the page on a phone in English.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, launch, openPage, shot, signInAs, tokenFor } from './helpers';

const baseUrl = inject('baseUrl');

/** Two months back in Japan: long over, and before the previous month the demo seed keeps logbooks for. */
function monthsAgo(n: number): string {
  const now = new Date(Date.now() + 9 * 3600_000);
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
const MONTH = monthsAgo(2);
const [YEAR, M] = MONTH.split('-').map(Number);
const MONTH_JA = `${YEAR}年${M}月`;
const MONTH_EN = new Date(Date.UTC(YEAR, M - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
let browser: Browser;

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function waitForMail(to: string, subjectStart: string): Promise<Mail> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { body } = await api<{ items: Mail[] }>(baseUrl, '/_local/mail');
    const found = (body.items ?? []).find((mail) => mail.to.includes(to) && mail.subject.startsWith(subjectStart));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} starting ${subjectStart}`);
}

describe('a monthly review from the e-mailed link', () => {
  it('is completed by the security manager with the cause and action of the flagged entry', async () => {
    // At 東京本社 that month: one cabinet locked again, one left open (A4(3)).
    const tanaka = await tokenFor(baseUrl, 'u-tanaka');
    for (const fields of [
      { cabinet: '総務部 書庫A', purpose: '契約書の取り出し', openedAt: '10:00', lockedAt: '10:06' },
      { cabinet: '人事キャビネット', purpose: '履歴書の確認', openedAt: '16:10' },
    ]) {
      const added = await api(baseUrl, `/api/logbooks/L1/site-tokyo/${MONTH}`, { token: tanaka, body: { date: fields.lockedAt ? `${MONTH}-05` : `${MONTH}-14`, fields } });
      expect(added.status).toBe(201);
    }
    const fired = await api<{ fired: string }>(baseUrl, '/_local/schedules/monthly-review', { body: { month: MONTH } });
    expect(fired).toEqual({ status: 200, body: { fired: 'monthly-review' } });

    const mail = await waitForMail('yamaguchi@example.co.jp', `【月次点検依頼】${MONTH_JA}分`);
    expect(mail.text).toContain('L1 キャビネット開施錠記録簿（東京本社） 要確認 1 件');
    const link = new RegExp(`(https?://[^\\s]+/#/reviews/${MONTH}/L1/site-tokyo)`).exec(mail.text)?.[1];
    expect(link).toBeDefined();

    const { page, problems } = await openPage(browser);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/')) posts.push(request.url());
    });
    await page.goto(link!.replace(/^https?:\/\/[^/]+/, baseUrl));
    await shot(page, '90-review-link-signin');
    await signInAs(page, 'u-yamaguchi');
    await page.getByRole('heading', { name: `月次点検 ${MONTH_JA}分 L1 キャビネット開施錠記録簿（東京本社）` }).waitFor();
    await page.getByRole('heading', { name: '要確認 1 件' }).waitFor();
    expect(posts, 'opening the link must not POST').toEqual([]);

    // The unlocked cabinet's row is marked, in words as well as colour.
    const flagged = page.locator('tr.rv-entry-flagged');
    await expect(flagged.count()).resolves.toBe(1);
    await expect(flagged.textContent()).resolves.toContain('人事キャビネット');
    await expect(flagged.textContent()).resolves.toContain('要確認');
    await expect(page.locator('.rv-articles').textContent()).resolves.toContain('A4(3)');
    await shot(page, '91-review-flagged');

    // 異常あり without a cause or an action: the page says what is missing and sends nothing.
    await page.getByLabel(/^異常あり/).check();
    await page.getByRole('button', { name: '点検を完了する' }).click();
    const summary = page.getByRole('alert').filter({ hasText: '入力内容を確認してください（2 件）' });
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('原因を入力してください');
    await expect(page.getByRole('dialog').isVisible()).resolves.toBe(false);
    await shot(page, '92-review-errors');

    await page.locator('#rv-findings-0-cause').fill('施錠時の記入漏れ。警備記録で 16:35 の施錠を確認した。');
    await page.locator('#rv-findings-0-action').fill('施錠時に記録することを総務部の朝礼で周知した。');
    await page.getByRole('button', { name: '点検を完了する' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('以後この月の記録の追加・訂正はできなくなります', { exact: false }).waitFor();
    await expect(dialog.textContent()).resolves.toContain('結論: 異常あり');
    await shot(page, '93-review-confirm');
    await dialog.getByRole('button', { name: '完了する' }).dblclick();
    await page.getByText(`点検を完了しました。${MONTH_JA}の記録簿は締められました。`).waitFor();
    expect(posts).toHaveLength(1);
    await page.getByRole('heading', { name: '点検結果' }).waitFor();
    await expect(page.locator('.rv-findings').textContent()).resolves.toContain('警備記録で 16:35 の施錠を確認した');
    await page.locator('.history li', { hasText: '月次点検を完了しました（異常 1 件、原因と対処を記録）' }).waitFor();
    await shot(page, '94-review-completed');

    // The month of that logbook is closed for everyone.
    const late = await api(baseUrl, `/api/logbooks/L1/site-tokyo/${MONTH}`, { token: tanaka, body: { date: `${MONTH}-30`, fields: { cabinet: '総務部 書庫A', purpose: '追記', openedAt: '09:00', lockedAt: '09:01' } } });
    expect(late.status).toBe(409);

    // The month view: one completed, the rest in review; the CSV opens in Excel.
    await expect(page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '月次点検' }).count()).resolves.toBe(1);
    await page.locator('.breadcrumb').getByRole('link', { name: MONTH_JA }).click();
    await page.getByRole('heading', { name: `月次点検の状況 ${MONTH_JA}` }).waitFor();
    await page.getByText('完了 1').waitFor();
    // Counted from the API: another test may register sites, each with its own reviews.
    const { body: view } = await api<{ counts: { open: number } }>(baseUrl, `/api/reviews?month=${MONTH}`, { token: await tokenFor(baseUrl, 'u-yamaguchi') });
    expect(view.counts.open).toBeGreaterThanOrEqual(10);
    await page.getByText(`点検中 ${view.counts.open}`).waitFor();
    const row = page.locator('tr', { hasText: 'キャビネット開施錠記録簿' }).filter({ hasText: '東京本社' });
    await expect(row.textContent()).resolves.toContain('完了');
    await shot(page, '95-review-month');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV ダウンロード' }).click()]);
    expect(download.suggestedFilename()).toBe(`monthly-reviews-${MONTH}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('対象月,拠点,記録簿,記録簿名,根拠条文,状況,記録件数,異常件数,点検者,期限,上申,結論,完了日時,完了者');
    expect(lines.find((line) => line.includes(',東京本社,L1,'))).toContain(',完了,2,1,山口 恵,');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('reads well on a phone in English, and is read-only for an auditor', async () => {
    const { page, problems } = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/reviews/${MONTH}/L2/site-tokyo`);
    await signInAs(page, 'u-yamada');
    await page.getByRole('heading', { name: new RegExp(`月次点検 ${MONTH_JA}分`) }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: new RegExp(`Monthly review, ${MONTH_EN}`) }).waitFor();
    // No last-exit check was kept that month: every working day is flagged, and an auditor cannot complete.
    await page.getByRole('heading', { name: /^\d+ to look at$/ }).waitFor();
    await page.getByText('This review is not assigned to you; you may read it only.').waitFor();
    await expect(page.getByRole('button', { name: 'Complete the review' }).count()).resolves.toBe(0);
    await shot(page, '96-review-phone-english');
    await page.getByRole('button', { name: '日本語' }).click();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
