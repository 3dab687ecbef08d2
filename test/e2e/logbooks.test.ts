/** 記録簿 on a phone: the server-room entry and exit of A13(1), each in a few taps, well under 30 seconds. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, shot, signInAs } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('logbooks on a phone', () => {
  it('records entering and leaving the server room from the logbook page', async () => {
    const { page, problems } = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/logbooks`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: '記録簿', level: 1 }).waitFor();
    await expect(page.locator('.lb-site-line').textContent()).resolves.toContain('東京本社');
    expect(await page.locator('.lb-card').count()).toBe(5);
    await shot(page, '110-logbooks-phone');

    // The person's way in: the card's button, straight to the page where the entry is made.
    const started = Date.now();
    await page.locator('.lb-card', { hasText: 'サーバルーム入退記録簿' }).getByRole('link', { name: '入室' }).click();
    await page.getByRole('heading', { name: /サーバルーム入退記録簿/, level: 1 }).waitFor();
    await expect(page.locator('.lb-articles').textContent()).resolves.toContain('A13(1)');
    // The time is already now in Japan, and the site is the person's.
    const time = await page.locator('#lb-enteredAt').inputValue();
    expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    await expect(page.locator('.lb-place').textContent()).resolves.toContain('東京本社');

    // One screen: the button is in sight without scrolling.
    const button = page.getByRole('button', { name: '入室', exact: true });
    const box = await button.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(844);

    await page.locator('#lb-purpose').fill('バックアップ媒体の交換');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/logbooks/')) posts.push(request.url());
    });
    await button.dblclick();
    await page.getByText('記録しました。').waitFor();
    expect(posts).toHaveLength(1);
    const open = page.locator('.lb-open-item', { hasText: 'バックアップ媒体の交換' });
    await expect(open.locator('.lb-badge-open').textContent()).resolves.toBe('未退室');
    await expect(page.locator('.lb-entry-open', { hasText: 'バックアップ媒体の交換' }).count()).resolves.toBe(1);
    // The form is ready for the next entry.
    await expect(page.locator('#lb-purpose').inputValue()).resolves.toBe('');
    expect(Date.now() - started).toBeLessThan(30_000);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '111-logbook-entered-phone');

    // 退室: one tap on the open entry.
    await open.getByRole('button', { name: /退室/ }).click();
    await page.getByText('退室を記録しました。').waitFor();
    await page.locator('.lb-open').waitFor({ state: 'detached' });
    await expect(page.locator('.lb-entry-open').count()).resolves.toBe(0);
    await shot(page, '112-logbook-left-phone');

    // The entry keeps both events in its history.
    await page.locator('.lb-entry', { hasText: 'バックアップ媒体の交換' }).locator('.lb-entry-date').click();
    await page.getByRole('heading', { name: /サーバルーム入退記録簿の記録/, level: 1 }).waitFor();
    expect(await page.locator('.lb-history li').count()).toBe(2);
    await expect(page.locator('.lb-history').textContent()).resolves.toContain('田中 太郎 が退室時刻を記録しました');
    await shot(page, '113-logbook-entry-phone');

    // English on the same switch as every page.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /Server room access log entry/, level: 1 }).waitFor();
    await expect(page.locator('.lb-history').textContent()).resolves.toContain('Taro Tanaka recorded Left at');
    await page.getByRole('button', { name: '日本語' }).click();
    expect(problems).toEqual([]);
  });

  it('records the last exit check with four taps, and offers the receiving employee as the visitor’s escort', async () => {
    const { page, problems } = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/logbooks/last-exit-check`);
    await signInAs(page, 'u-sato');
    await page.getByRole('heading', { name: /最終退出点検表/, level: 1 }).waitFor();
    for (const check of ['窓を閉め施錠した', '照明を消した', '不要な電源を切った', '出入口を施錠した']) await page.getByText(check, { exact: true }).click();
    await shot(page, '114-last-exit-check-phone');
    await page.getByRole('button', { name: '点検を記録', exact: true }).click();
    await page.getByText('記録しました。').waitFor();
    const row = page.locator('.lb-entry').first();
    await expect(row.textContent()).resolves.toContain('出入口を施錠した済');
    await expect(row.textContent()).resolves.toContain('佐藤 花子');

    await page.locator('.breadcrumb a', { hasText: '記録簿' }).click();
    await page.locator('.lb-card', { hasText: '入退受付票' }).getByRole('link', { name: '受付', exact: true }).click();
    await page.getByRole('heading', { name: /入退受付票/, level: 1 }).waitFor();
    await expect(page.locator('#lb-escortId').inputValue()).resolves.toBe('u-sato');
    await expect(page.locator('#lb-escortId option:checked').textContent()).resolves.toContain('佐藤 花子');
    await shot(page, '115-visitor-reception-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
