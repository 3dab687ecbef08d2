/** The language switch: English labels on the form page, remembered across a reload, and back to Japanese. */
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

describe('language switch', () => {
  it('shows the form page in English and back in Japanese', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/#/forms/server-connection-request`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: /サーバ接続利用申請/, level: 1 }).waitFor();
    await expect(page.locator('label[for="field-purpose"]').textContent()).resolves.toContain('利用目的');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /Server connection request/, level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(page.locator('label[for="field-serverId"]').textContent()).resolves.toContain('Server');
    await expect(page.locator('label[for="field-protocol"]').textContent()).resolves.toContain('Protocol');
    await expect(page.locator('label[for="field-purpose"]').textContent()).resolves.toContain('Purpose');
    await expect(page.locator('label[for="field-startDate"]').textContent()).resolves.toContain('Start date');
    await expect(page.locator('.route-box').textContent()).resolves.toContain('Approval route for this request');
    await expect(page.getByRole('link', { name: 'My requests' }).count()).resolves.toBe(1);
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');

    // What was typed survives the switch, and client-side messages come in English.
    await page.locator('#field-purpose').fill('Monthly sales figures over ODBC.');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.locator('#field-serverId-error').textContent()).resolves.toContain('Choose a Server');
    await page.getByRole('button', { name: '日本語' }).click();
    await expect(page.locator('#field-purpose').inputValue()).resolves.toBe('Monthly sales figures over ODBC.');
    await page.getByRole('button', { name: 'English' }).click();
    await shot(page, '21-form-english');

    // Remembered after a reload (localStorage), and the server's messages follow (Accept-Language).
    await page.reload();
    await page.getByRole('heading', { name: /Server connection request/, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'My requests' }).click();
    await page.getByRole('heading', { name: 'My requests', level: 1 }).waitFor();
    await shot(page, '22-my-requests-english');

    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: '自分の申請', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(problems).toEqual([]);
  });

  it('reads well on a phone', async () => {
    const { page, problems } = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/forms/server-connection-request`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: /サーバ接続利用申請/, level: 1 }).waitFor();
    await page.locator('#field-serverId option[value="srv-core-db"]').waitFor({ state: 'attached' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, '23-form-phone');
    await page.locator('.main-nav').getByRole('link', { name: '自分の申請' }).click();
    await page.getByRole('heading', { name: '自分の申請', level: 1 }).waitFor();
    await page.locator('.list-table, .empty').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, '25-my-requests-phone');
    const first = page.locator('.list-table a').first();
    if ((await first.count()) > 0) {
      await first.click();
      await page.locator('.timeline').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await shot(page, '26-request-phone');
    }
    expect(problems).toEqual([]);
  });
});
