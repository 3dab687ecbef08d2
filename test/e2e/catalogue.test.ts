/**
 * The catalogue groups the forms by the chapters of the regulations, and the form page shows what
 * the forms need: the route for the entries so far with the approvers' names (a conditional stage
 * appears when its condition holds), the facts to know first, and the checklist that must be ticked.
 * Forms other than F1 are checked when they exist, so that this test does not depend on them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, launch, openPage, shot, signInAs, tokenFor, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];

/** The regulations' order of the groups and their headings. */
const GROUPS: [string, string][] = [
  ['server', 'サーバ'],
  ['client', 'クライアント'],
  ['products', 'プロダクト'],
  ['licences', 'ライセンス'],
  ['ids', 'ID'],
  ['configuration', '構成変更'],
];

interface FormSummary {
  id: string;
  code: string;
  category: string;
  title: { ja: string };
  route: { role: string; label: { ja: string }; when?: { label: { ja: string } } }[];
  schema: { properties: Record<string, { const?: unknown; 'x-widget'?: string; 'x-label'?: { ja: string } }> };
}

let forms: FormSummary[] = [];
const form = (code: string) => forms.find((each) => each.code === code);

beforeAll(async () => {
  browser = await launch();
  const token = await tokenFor(baseUrl, 'u-tanaka');
  forms = (await api<{ items: FormSummary[] }>(baseUrl, '/api/forms', { token })).body.items;
});

afterAll(async () => {
  await browser?.close();
});

async function user(): Promise<UserPage> {
  const result = await openPage(browser);
  opened.push(result);
  return result;
}

describe('catalogue and form page', () => {
  it('groups the forms in the order of the regulations', async () => {
    const { page } = await user();
    await page.goto(`${baseUrl}/`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: '申請する', level: 1 }).waitFor();
    await page.locator('section.category').first().waitFor();

    // F1 is under サーバ.
    const server = page.locator('section.category', { has: page.getByRole('heading', { name: 'サーバ', level: 2, exact: true }) });
    await expect(server.getByRole('link', { name: 'サーバ接続利用申請' }).count()).resolves.toBe(1);

    // Every form that exists sits in the group of its category; groups come in the regulations' order, none empty.
    const headings = await page.locator('section.category h2').allTextContents();
    const expected = GROUPS.filter(([category]) => forms.some((each) => each.category === category)).map(([, heading]) => heading);
    expect(headings.slice(0, expected.length)).toEqual(expected);
    for (const each of forms) {
      const heading = GROUPS.find(([category]) => category === each.category)?.[1];
      if (!heading) continue;
      const group = page.locator('section.category', { has: page.getByRole('heading', { name: heading, level: 2, exact: true }) });
      await expect(group.locator('.card', { hasText: each.title.ja }).count(), `${each.code} under ${heading}`).resolves.toBeGreaterThan(0);
      await expect(group.locator('.card', { hasText: each.title.ja }).first().locator('.code').textContent()).resolves.toBe(each.code);
    }
    for (const section of await page.locator('section.category').all()) expect(await section.locator('.card').count()).toBeGreaterThan(0);
    await shot(page, '54-catalogue-groups');
  });

  it('previews the route for the entries so far, conditional stages included (F6, if present)', async () => {
    const f6 = form('F6');
    if (!f6 || !f6.route.some((stage) => stage.when)) return;
    const conditional = f6.route.find((stage) => stage.when)!;
    const { page } = await user();
    await page.goto(`${baseUrl}/#/forms/${f6.id}`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: new RegExp(f6.title.ja), level: 1 }).waitFor();
    // Before a product is chosen the DBA stage does not apply.
    await page.locator('.route-card.route-skipped', { hasText: conditional.label.ja }).waitFor();
    await page.locator('#field-productId option[value="prd-oracle-db"]').waitFor({ state: 'attached' });
    // x-source filter: only server products under management are offered.
    expect(await page.locator('#field-productId option[value="prd-excel"]').count()).toBe(0);
    await page.locator('#field-productId').selectOption('prd-oracle-db');
    const stage = page.locator('.route-card.route-applies.route-conditional', { hasText: conditional.label.ja });
    await stage.waitFor();
    await expect(stage.textContent()).resolves.toContain(conditional.when!.label.ja);
    await expect(stage.locator('.route-people').textContent()).resolves.toContain('吉田 修');
    await shot(page, '55-route-conditional');
    await page.locator('#field-productId').selectOption('prd-zabbix');
    await page.locator('.route-card.route-skipped', { hasText: conditional.label.ja }).waitFor();
  });

  it('asks for every item of the A11 checklist to be ticked (F15, if present)', async () => {
    const f15 = form('F15');
    if (!f15) return;
    const musts = Object.entries(f15.schema.properties).filter(([, schema]) => schema.const === true);
    if (musts.length === 0) return;
    const { page } = await user();
    await page.goto(`${baseUrl}/#/forms/${f15.id}`);
    await signInAs(page, 'u-tanaka');
    await page.getByRole('heading', { name: new RegExp(f15.title.ja), level: 1 }).waitFor();
    await page.getByRole('button', { name: '入力内容を確認' }).click();
    await page.locator('.error-summary').waitFor();
    for (const [name] of musts) {
      await expect(page.locator(`#field-${name}-error`).textContent()).resolves.toContain('チェックを入れてください');
      expect(await page.locator(`#field-${name}`).getAttribute('aria-invalid')).toBe('true');
    }
    await shot(page, '56-checklist-errors');
    for (const [name] of musts) await page.locator(`#field-${name}`).check();
    for (const [name] of musts) await expect(page.locator(`#field-${name}-error`).count()).resolves.toBe(0);
  });

  it('shows the facts to know before filling in (F14, if present)', async () => {
    const f14 = form('F14');
    if (!f14) return;
    const token = await tokenFor(baseUrl, 'u-tanaka');
    const context = await api<{ notices: { ja: string }[] }>(baseUrl, `/api/forms/${f14.id}/context`, { token });
    if (context.status !== 200 || context.body.notices.length === 0) return;
    const { page } = await user();
    await page.goto(`${baseUrl}/#/forms/${f14.id}`);
    await signInAs(page, 'u-tanaka');
    await page.locator('.context-notices').waitFor();
    await expect(page.locator('.context-notices').textContent()).resolves.toContain(context.body.notices[0]!.ja);
    await shot(page, '57-context-notices');
  });

  it('had no console errors or CSP violations', () => {
    for (const each of opened) expect(each.problems, 'console errors / CSP violations').toEqual([]);
  });
});
