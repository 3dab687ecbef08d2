/**
 * 予定・期限: the daily run opens the recurring duties of the demo ledgers; 松本 (システム管理者) sees
 * every duty of the month, the earlier months' overdue ones on top, and moves between months; 加藤
 * sees the overdue-count badge, confirms his password change (「変更しました」 after a confirmation)
 * and the ledger takes the date; 松本 confirms a suspended ID deleted (「削除しました」); 山田 reads a
 * usage analysis with its ledger figures and completes it with findings; a colleague is refused.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, launch, openPage, shot, signInAs, tokenFor, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];

const KATO = 'password.mail:kato.2026-11-11';
const YOSHIDA = 'id-deletion.dev-db:yoshida.2026-11-30';

async function user(userId: string, options: { width?: number; height?: number } = {}): Promise<UserPage> {
  const result = await openPage(browser, options);
  opened.push(result);
  await result.page.goto(`${baseUrl}/#/duties?month=2026-11`);
  await signInAs(result.page, userId);
  return result;
}

beforeAll(async () => {
  browser = await launch();
  const fired = await fetch(`${baseUrl}/_local/schedules/OpenRecurringDuties`, { method: 'POST' });
  expect(fired.status).toBe(200);
});

afterAll(async () => {
  for (const { context } of opened) await context.close().catch(() => undefined);
  await browser?.close();
});

describe('the calendar of recurring duties', () => {
  it('shows the system administrator every duty of the month, with the earlier overdue ones on top', async () => {
    const { page, problems } = await user('u-matsumoto');
    await page.locator('h1', { hasText: '予定・期限' }).waitFor();
    await page.locator('.duty-month', { hasText: '2026年11月' }).waitFor();
    // Earlier months' overdue duties first: the analyses of the first half and last year's audit.
    const sections = page.locator('.duty-section h2');
    await expect.poll(() => sections.first().textContent(), { timeout: 10_000 }).toContain('前月以前からの期限超過');
    const earlier = page.locator('.duty-section-overdue tbody tr');
    await expect.poll(() => earlier.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    await expect.poll(() => page.locator('.duty-section-overdue').textContent(), { timeout: 10_000 }).toContain('サーバ利用状況の把握と分析（2026年度上期）');
    // November: 加藤's overdue password change and the deletion of 吉田's suspended ID.
    const kato = page.locator(`tr[data-duty-id="${KATO}"]`);
    await kato.waitFor();
    expect(await kato.getAttribute('class')).toContain('duty-overdue');
    expect(await kato.textContent()).toContain('加藤 隆');
    expect(await kato.textContent()).toContain('期限超過');
    // Due on 2026-11-30 (the demo ledger's date): still open before that day, overdue after it.
    const japanToday = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    expect(await page.locator(`tr[data-duty-id="${YOSHIDA}"]`).textContent()).toContain(japanToday > '2026-11-30' ? '期限超過' : '未完了');
    expect(await page.locator('.lead').textContent()).toContain('第17条第2項');
    await shot(page, '90-duties-calendar');

    // The next month holds the core-business passwords due 12/1; back again.
    await page.getByRole('link', { name: /次の月/ }).click();
    await page.locator('.duty-month', { hasText: '2026年12月' }).waitFor();
    expect(page.url()).toContain('month=2026-12');
    await page.locator('tr[data-duty-id="password.core-business:tanaka.2026-12-01"]').waitFor();
    await page.getByRole('link', { name: /前の月/ }).click();
    await page.locator('.duty-month', { hasText: '2026年11月' }).waitFor();

    // 自分の担当だけ: only what 松本 must do (the deletion), not 加藤's password.
    await page.getByLabel('自分の担当だけ表示').check();
    await expect.poll(() => page.locator(`tr[data-duty-id="${KATO}"]`).count(), { timeout: 10_000 }).toBe(0);
    expect(await page.locator(`tr[data-duty-id="${YOSHIDA}"]`).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('lets the owner confirm a password change after a confirmation step, and the ledger records it', async () => {
    const { page, problems } = await user('u-kato');
    const badge = page.locator('.main-nav a[href="#/duties"] .count-badge');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('1');
    await page.locator(`tr[data-duty-id="${KATO}"] a`).click();
    await page.locator('h1', { hasText: 'パスワード変更（kato / メール）' }).waitFor();
    expect(await page.locator('.articles').textContent()).toContain('6ヶ月に一度');
    expect(await page.locator('.meta').textContent()).toContain('2026/11/11');

    await page.getByRole('button', { name: '変更しました' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('パスワード変更日が今日になり');
    await dialog.getByRole('button', { name: '変更しました' }).click();
    await page.locator('.alert-success', { hasText: '記録しました。' }).waitFor();
    await page.locator('.meta .badge', { hasText: '完了' }).waitFor();
    await expect.poll(() => page.locator('.history li').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => badge.count(), { timeout: 10_000 }).toBe(0);
    await shot(page, '91-duty-password-confirmed');

    const token = await tokenFor(baseUrl, 'u-kato');
    const item = await api<{ item: { passwordChangedAt: string } }>(baseUrl, `/api/ledgers/user-ids/${encodeURIComponent('mail:kato')}`, { token });
    expect(item.body.item.passwordChangedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(problems).toEqual([]);
  });

  it('lets the system administrator confirm the deletion of a suspended ID on its date', async () => {
    const { page, problems } = await user('u-matsumoto');
    await page.locator(`tr[data-duty-id="${YOSHIDA}"] a`).click();
    await page.locator('h1', { hasText: '利用停止IDの削除' }).waitFor();
    expect(await page.locator('.duty-confirm').textContent()).toContain('yoshida');
    await page.getByRole('button', { name: '削除しました' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('「削除」になり');
    await dialog.getByRole('button', { name: '削除しました' }).click();
    await page.locator('.alert-success', { hasText: '記録しました。' }).waitFor();
    const token = await tokenFor(baseUrl, 'u-matsumoto');
    const item = await api<{ item: { status: string } }>(baseUrl, `/api/ledgers/user-ids/${encodeURIComponent('dev-db:yoshida')}`, { token });
    expect(item.body.item.status).toBe('deleted');
    expect(problems).toEqual([]);
  });

  it('shows a usage analysis with its ledger figures and completes it only with findings', async () => {
    const { page, problems } = await user('u-yamada');
    await page.locator('.duty-section-overdue a', { hasText: 'クライアント用プロダクト利用状況の把握と分析' }).click();
    await page.locator('.duty-figures').waitFor();
    const seats = page.locator('.figure-table', { hasText: 'ライセンスの購入数・使用数・空き' });
    expect(await seats.locator('tr', { hasText: 'Excel ボリュームライセンス' }).textContent()).toMatch(/50\s*3\s*0\s*47/);
    expect(await page.locator('.articles').textContent()).toContain('S39');
    await shot(page, '92-duty-usage-analysis');

    await page.getByRole('button', { name: '実施しました' }).click();
    await page.locator('#duty-note-error', { hasText: '所見を入力してください。' }).waitFor();
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await page.locator('#duty-note').fill('Excel の空きは47席で十分。ERP は空き2席のため来期に追加購入を検討。');
    await page.getByRole('button', { name: '実施しました' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: '実施しました' }).click();
    await page.locator('.alert-success', { hasText: '記録しました。' }).waitFor();
    expect(await page.locator('.duty-note').textContent()).toContain('来期に追加購入');

    // In English too.
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.duty-figures h2', { hasText: 'Ledger figures' }).waitFor();
    await page.goto(`${baseUrl}/#/duties?month=2030-01`);
    await page.locator('h1', { hasText: 'Schedule and deadlines' }).waitFor();
    await page.locator('.duty-month', { hasText: 'January 2030' }).waitFor();
    await page.getByRole('button', { name: '日本語' }).click();
    await page.locator('.empty', { hasText: 'この月が期限の業務はありません。' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('does not show a duty to a colleague it is not for', async () => {
    const { page } = await user('u-takahashi');
    await page.locator('h1', { hasText: '予定・期限' }).waitFor();
    await page.locator('.empty', { hasText: 'この月にあなたが担当する業務はありません。' }).waitFor();
    await page.goto(`${baseUrl}/#/duties/${encodeURIComponent(KATO)}`);
    await page.locator('.alert-error', { hasText: 'この業務は見つからないか、表示する権限がありません。' }).waitFor();
  });

  it('fits a phone', async () => {
    const { page } = await user('u-matsumoto', { width: 390, height: 844 });
    await page.locator(`tr[data-duty-id="${YOSHIDA}"]`).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, '93-duties-phone');
  });
});
