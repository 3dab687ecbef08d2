/** A 400 from the server: its issues appear next to the fields, in the chosen language, and nothing typed is lost. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { jstDate, launch, openPage, shot, signInAs } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('server-side validation', () => {
  it('shows error.issues[] next to the fields and keeps the entries', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/#/forms/server-connection-request`);
    await signInAs(page, 'u-tanaka');
    await page.locator('#field-serverId option[value="srv-app"]').waitFor({ state: 'attached' });
    await page.locator('#field-serverId').selectOption('srv-app');
    await page.locator('#field-protocol').selectOption('ftp');
    await page.locator('#field-purpose').fill('帳票データの受け渡しのため。');
    await page.locator('#field-startDate').fill(jstDate(10));
    await page.locator('#field-endDate').fill(jstDate(40));
    await page.getByRole('button', { name: '入力内容を確認' }).click();

    // Stand in for a server that has since been removed from the ledger: the server must refuse it.
    await page.route('**/api/requests', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { data: Record<string, unknown> };
      body.data.serverId = 'srv-retired';
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByRole('button', { name: 'この内容で申請する' }).click();
    await page.locator('#field-serverId-error').waitFor();
    await expect(page.locator('#field-serverId-error').textContent()).resolves.toContain('サーバ台帳にありません');
    await expect(page.locator('#field-purpose').inputValue()).resolves.toBe('帳票データの受け渡しのため。');
    await shot(page, '24-server-issues');

    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('#field-serverId-error').textContent()).resolves.toContain('not in the server ledger');
    await page.getByRole('button', { name: '日本語' }).click();
    expect(problems).toEqual([]);
  });
});
