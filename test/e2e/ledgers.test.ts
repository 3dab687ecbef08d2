/**
 * The ledgers (台帳): 山田 (情報システム部インフラ担当) opens the index, searches the server ledger,
 * filters it by site, opens an item with its history, edits it (and meets a conflict), downloads
 * the CSV, imports a CSV with a bad row (nothing imported), then imports the valid rows. 田中 sees
 * the same ledger without the edit and import buttons.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, jstDate, launch, openPage, shot, signInAs, tokenFor, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];
const stamp = Date.now().toString(36);
const osakaServer = `srv-osaka-${stamp}`;
const importedA = `srv-import-a-${stamp}`;
const importedB = `srv-import-b-${stamp}`;
const rejected = `srv-import-bad-${stamp}`;

async function user(options: { width?: number; height?: number } = {}): Promise<UserPage> {
  const result = await openPage(browser, options);
  opened.push(result);
  return result;
}

interface ItemView {
  item: Record<string, unknown>;
  version: number;
}

beforeAll(async () => {
  browser = await launch();
  // A server at another site, so that the site filter has something to tell apart (set up through the API).
  const token = await tokenFor(baseUrl, 'u-yamada');
  const created = await api(baseUrl, '/api/ledgers/servers', {
    token,
    body: {
      item: {
        id: osakaServer,
        name: { ja: '大阪ファイルサーバ', en: 'Osaka file server' },
        kind: 'other',
        hostname: 'osaka-fs01',
        os: 'Windows Server 2022',
        siteId: 'site-osaka',
        branchId: 'br-west',
        owner: 'u-ito',
        status: 'active',
      },
      reason: 'e2e: 大阪拠点のサーバ',
    },
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

describe('ledgers', () => {
  it('lets IT infrastructure search, filter, edit, export and import a ledger', async () => {
    const { page } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-yamada');

    // --- the index ------------------------------------------------------------------------------
    await page.locator('.main-nav').getByRole('link', { name: '台帳' }).click();
    await page.getByRole('heading', { name: '台帳', level: 1 }).waitFor();
    await page.locator('.ledger-cards .card').nth(10).waitFor();
    expect(await page.locator('.ledger-cards .card').count()).toBe(11);
    const serversCard = page.locator('.ledger-cards .card', { hasText: 'サーバ台帳' }).first();
    await expect(serversCard.textContent()).resolves.toContain('S7-2');
    await shot(page, '40-ledger-index');

    // --- the server ledger: search ----------------------------------------------------------
    await page.getByRole('link', { name: 'サーバ台帳', exact: true }).click();
    await page.getByRole('heading', { name: 'サーバ台帳', level: 1 }).waitFor();
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db' }).first().waitFor();
    await expect(page.locator('.ledger-table thead').textContent()).resolves.toContain('ホスト名');
    // Enum values read through the column's labels; the bilingual name is one column.
    await expect(page.locator('.ledger-table tbody tr', { hasText: 'srv-app' }).textContent()).resolves.toContain('稼働中');
    await expect(page.locator('.ledger-table thead').textContent()).resolves.not.toContain('名称（英語）');
    await shot(page, '41-ledger-servers');

    await page.locator('#ledger-q').fill('バックアップ');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.locator('#ledger-count', { hasText: '条件に一致する項目 1 件' }).waitFor();
    await expect(page.locator('.ledger-table tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('.ledger-table tbody').textContent()).resolves.toContain('srv-core-db-backup');
    expect(page.url()).toContain('q=');
    await shot(page, '42-ledger-search');

    // --- filter by site (the search cleared) ---------------------------------------------------
    await page.getByRole('button', { name: '条件をクリア' }).click();
    await page.locator('.ledger-table tbody tr', { hasText: osakaServer }).waitFor();
    await page.locator('#ledger-site').selectOption('site-osaka');
    await page.locator('#ledger-count', { hasText: '条件に一致する項目' }).waitFor();
    // The count may show before the filtered page replaces the rows: wait until only Osaka's remain.
    await expect
      .poll(async () => (await page.locator('.ledger-table tbody tr').allTextContents()).every((text) => text.includes('site-osaka')), { timeout: 10_000 })
      .toBe(true);
    await page.locator('.ledger-table tbody tr', { hasText: osakaServer }).waitFor();
    await page.locator('#ledger-site').selectOption('site-tokyo');
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db' }).first().waitFor();
    await expect(page.locator('.ledger-table tbody').textContent()).resolves.not.toContain(osakaServer);
    // Sort the loaded rows by a column: descending by server id puts srv-dev-db first among Tokyo's.
    await page.locator('th', { hasText: 'サーバID' }).getByRole('button').click();
    expect(await page.locator('th', { hasText: 'サーバID' }).getAttribute('aria-sort')).toBe('ascending');
    await page.locator('th', { hasText: 'サーバID' }).getByRole('button').click();
    expect(await page.locator('th', { hasText: 'サーバID' }).getAttribute('aria-sort')).toBe('descending');
    await expect(page.locator('.ledger-table tbody tr').first().textContent()).resolves.toContain('srv-dev-db');
    await shot(page, '43-ledger-site-filter');

    // --- an item with its history ----------------------------------------------------------
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db-backup' }).getByRole('link').click();
    await page.getByRole('heading', { name: '基幹DBバックアップサーバ', level: 1 }).waitFor();
    await expect(page.locator('.data-list').textContent()).resolves.toContain('core-db02');
    await page.locator('.ledger-history li', { hasText: '台帳の初期登録' }).waitFor();
    await shot(page, '44-ledger-item');

    // --- edit it -------------------------------------------------------------------------------
    const before = await api<ItemView>(baseUrl, '/api/ledgers/servers/srv-core-db-backup', { token: await tokenFor(baseUrl, 'u-yamada') });
    await page.getByRole('button', { name: '編集' }).click();
    await page.getByRole('heading', { name: '登録内容の編集' }).waitFor();
    await expect(page.locator('#edit-id').textContent()).resolves.toContain('srv-core-db-backup'); // the id is not editable
    await page.locator('#edit-os').fill('Oracle Linux 9.4');
    await page.locator('#ledger-reason').fill(`定期保守で OS を更新（${stamp}）`);
    await shot(page, '45-ledger-edit');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('保存しました。').waitFor();
    await expect(page.locator('.data-list').textContent()).resolves.toContain('Oracle Linux 9.4');
    await page.locator('.ledger-history li', { hasText: `山田 次郎 が直接編集しました：定期保守で OS を更新（${stamp}）` }).waitFor();
    await expect(page.locator('.item-meta').textContent()).resolves.toContain(`第${before.body.version + 1}版`);
    await shot(page, '46-ledger-saved');

    // Someone else changes the item while 山田 edits: the save is refused with a way to reload.
    await page.getByRole('button', { name: '編集' }).click();
    await page.locator('#edit-hostname').fill('core-db02-new');
    const token = await tokenFor(baseUrl, 'u-ito');
    const current = await api<ItemView>(baseUrl, '/api/ledgers/servers/srv-core-db-backup', { token });
    const meanwhile = await api(baseUrl, '/api/ledgers/servers/srv-core-db-backup', {
      token,
      method: 'PUT',
      body: { item: { ...current.body.item, maintenanceContract: `保守契約 HW-2025-${stamp}` }, version: current.body.version, reason: `契約更新 ${stamp}` },
    });
    expect(meanwhile.status).toBe(200);
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('他の人がこの項目を変更しました').waitFor();
    await shot(page, '47-ledger-conflict');
    await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
    await expect.poll(() => page.locator('#edit-maintenanceContract').inputValue()).toBe(`保守契約 HW-2025-${stamp}`);
    await expect(page.getByText('他の人がこの項目を変更しました').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'キャンセル' }).click();
    await page.locator('.ledger-history li', { hasText: `伊藤 美咲 が直接編集しました：契約更新 ${stamp}` }).waitFor();

    // --- CSV download (with the Bearer token, saved through a Blob) -----------------------------
    await page.locator('.breadcrumb').getByRole('link', { name: 'サーバ台帳' }).click();
    await page.getByRole('heading', { name: 'サーバ台帳', level: 1 }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV ダウンロード' }).click()]);
    expect(download.suggestedFilename()).toBe('servers.csv');
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1);
    const [header, ...lines] = csv.split('\r\n').filter(Boolean);
    expect(header).toContain('サーバID,名称,名称（英語）,種別,ホスト名');
    expect(lines.some((line) => line.startsWith('srv-core-db-backup,') && line.includes('Oracle Linux 9.4'))).toBe(true);
    await page.getByText('servers.csv を保存しました。').waitFor();

    // --- CSV import: one bad row, nothing imported ------------------------------------------------
    const row = (id: string, kind: string, host: string) => `${id},取込サーバ ${host},Imported ${host},${kind},${host},Ubuntu 24.04,site-osaka,br-west,u-ito,planned,,,,`;
    const file = join(tmpdir(), `servers-import-${stamp}.csv`);
    writeFileSync(file, `\uFEFF${[header, row(importedA, 'app', 'imp-a01'), row(rejected, 'mainframe', 'imp-x01'), row(importedB, 'other', 'imp-b01')].join('\r\n')}\r\n`);
    await page.getByRole('link', { name: 'CSV 取り込み' }).click();
    await page.getByRole('heading', { name: /CSV 取り込み/, level: 1 }).waitFor();
    await page.locator('#import-file').setInputFiles(file);
    await page.getByRole('heading', { name: '確認結果' }).waitFor();
    await page.getByText('エラーのある行が 1 行あります').waitFor();
    const bad = page.locator('.import-table tr.import-rejected');
    await expect(bad.count()).resolves.toBe(1);
    await expect(bad.textContent()).resolves.toContain('種別');
    await expect(bad.locator('td').first().textContent()).resolves.toBe('3'); // the CSV's row number
    await expect(page.locator('.import-table tr.import-created').count()).resolves.toBe(2);
    await expect(page.getByRole('button', { name: '取り込む', exact: true }).count()).resolves.toBe(0);
    await shot(page, '48-import-report');
    // The check wrote nothing.
    const yamada = await tokenFor(baseUrl, 'u-yamada');
    expect((await api(baseUrl, `/api/ledgers/servers/${importedA}`, { token: yamada })).status).toBe(404);

    // --- then the valid rows, after a confirmation ------------------------------------------------
    await page.getByRole('button', { name: '正しい行だけ取り込む' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('正しい 2 行を取り込み、エラーのある 1 行は取り込みません').waitFor();
    await shot(page, '49-import-confirm');
    await dialog.getByRole('button', { name: '正しい行だけ取り込む' }).click();
    await page.getByText('2 件を登録・更新しました').waitFor();
    await shot(page, '50-import-done');
    expect((await api(baseUrl, `/api/ledgers/servers/${importedA}`, { token: yamada })).status).toBe(200);
    expect((await api(baseUrl, `/api/ledgers/servers/${importedB}`, { token: yamada })).status).toBe(200);
    expect((await api(baseUrl, `/api/ledgers/servers/${rejected}`, { token: yamada })).status).toBe(404);
    await page.getByRole('link', { name: '台帳を見る' }).click();
    await page.locator('.ledger-table tbody tr', { hasText: importedA }).waitFor();
  });

  it('records an approved configuration change as done and revises the server (実施完了)', async () => {
    const change = `CC-${stamp}`;
    const token = await tokenFor(baseUrl, 'u-yamada');
    const created = await api(baseUrl, '/api/ledgers/configuration-changes', {
      token,
      body: {
        item: {
          id: change,
          target: 'server',
          targetId: 'srv-dev-db',
          summary: '開発・研修用DBサーバのメモリ増設',
          newConfiguration: 'CPU 8コア / メモリ 64GB',
          testPlan: '研修用データで夜間バッチを実行して確認する',
          fallback: '増設前のメモリ構成に戻す',
          trainingNeeded: false,
          affectedDepartments: ['dep-it'],
          plannedOn: jstDate(3),
          status: 'approved',
          approvedAt: new Date().toISOString(),
          siteId: 'site-tokyo',
          branchId: 'br-east',
        },
        reason: 'e2e: 承認済みの構成変更',
      },
    });
    expect(created.status).toBe(201);
    const { page } = await user();
    await page.goto(`${baseUrl}/#/ledgers/configuration-changes/items/${change}`);
    await signInAs(page, 'u-yamada');
    await page.getByRole('heading', { name: '開発・研修用DBサーバのメモリ増設', level: 1 }).waitFor();
    await expect(page.locator('.data-list').textContent()).resolves.toContain('承認済・未実施');
    await page.getByRole('button', { name: '実施完了' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('この構成変更を実施完了にしますか？').waitFor();
    await dialog.locator('#complete-note').fill('夜間メンテナンスで実施');
    await shot(page, '58-change-complete-confirm');
    await dialog.getByRole('button', { name: '実施完了にする' }).click();
    await page.getByText('実施完了として記録し、構成管理台帳を改訂しました。').waitFor();
    await expect(page.locator('.data-list').textContent()).resolves.toContain('実施済');
    await page.locator('.ledger-history li', { hasText: '山田 次郎 が実施完了を登録しました：夜間メンテナンスで実施' }).waitFor();
    await expect(page.getByRole('button', { name: '実施完了' }).count()).resolves.toBe(0);
    await shot(page, '59-change-completed');
    await page.getByRole('link', { name: '改訂された台帳の項目を見る' }).click();
    await page.getByRole('heading', { name: '開発・研修用DBサーバ', level: 1 }).waitFor();
    await expect(page.locator('.data-list').textContent()).resolves.toContain('CPU 8コア / メモリ 64GB');
    await page.locator('.ledger-history li', { hasText: `構成変更 ${change} の実施により構成情報を改訂しました` }).waitFor();
  });

  it('shows 田中 the ledgers without edit or import', async () => {
    const { page } = await user();
    await page.goto(`${baseUrl}/#/ledgers/servers`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: 'サーバ台帳', level: 1 }).waitFor();
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db' }).first().waitFor();
    await expect(page.getByRole('button', { name: 'CSV ダウンロード' }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: '新規登録' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'CSV 取り込み' }).count()).resolves.toBe(0);
    await shot(page, '51-ledger-tanaka');
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-app' }).getByRole('link').click();
    await page.getByRole('heading', { name: 'アプリケーションサーバ', level: 1 }).waitFor();
    await page.locator('.ledger-history li').first().waitFor();
    await expect(page.getByRole('button', { name: '編集' }).count()).resolves.toBe(0);
    // Typing the address of the import page does not help.
    await page.goto(`${baseUrl}/#/ledgers/servers/import`);
    await page.getByRole('heading', { name: 'この操作はできません', level: 1 }).waitFor();
  });

  it('reads well on a phone', async () => {
    const { page } = await user({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/ledgers/servers`);
    await signInAs(page, 'u-tanaka');
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db' }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, '52-ledger-phone');
    await page.locator('.ledger-table tbody tr', { hasText: 'srv-core-db-backup' }).getByRole('link').click();
    await page.locator('.ledger-history li').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, '53-ledger-item-phone');
  });

  it('had no console errors or CSP violations', () => {
    for (const each of opened) expect(each.problems, 'console errors / CSP violations').toEqual([]);
  });
});
