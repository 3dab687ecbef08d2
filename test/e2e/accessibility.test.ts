/**
 * Accessibility (issue 6): axe-core checks the main pages against WCAG 2 A/AA — in Japanese at desktop
 * width, then in English, then on a 390 px phone. A page fails on a `serious` or `critical`
 * violation; the message lists rule, impact and the elements.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, signInAs, type UserPage } from './helpers';
import { axeViolations, blocking, describeViolations } from './accessibility';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];

beforeAll(async () => {
  browser = await launch();
});

// axe-core goes in through the DevTools protocol, so the pages must still run without a CSP report or error.
afterEach(() => {
  expect(opened.flatMap(({ problems }) => problems)).toEqual([]);
});

afterAll(async () => {
  for (const { context } of opened) await context.close();
  await browser?.close();
});

/** A signed-in page for `userId` on the catalogue, in Japanese unless asked for English. */
async function signedIn(userId: string, options: { lang?: 'ja' | 'en'; width?: number; height?: number } = {}): Promise<Page> {
  const result = await openPage(browser, options);
  opened.push(result);
  await result.page.goto(`${baseUrl}/`);
  await signInAs(result.page, userId);
  if (options.lang === 'en') {
    await result.page.getByRole('button', { name: 'English' }).click();
    await result.page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  return result.page;
}

/** Opens `hash`, waits for its heading and for the data to arrive, then returns the blocking violations. */
async function check(page: Page, hash: string, lang: 'ja' | 'en' = 'ja'): Promise<string> {
  await page.evaluate((target) => {
    window.location.hash = target;
  }, hash);
  await page.locator('main h1, h1').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.loading') === null);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
  return describeViolations(blocking(await axeViolations(page)));
}

/** The pages each kind of user works on, by the user who sees them. */
const PAGES: [string, string[]][] = [
  ['u-tanaka', ['#/', '#/forms/server-connection-request', '#/requests', '#/inbox', '#/logbooks/server-room-access']],
  ['u-yamada', ['#/ledgers', '#/ledgers/servers', '#/logbooks', '#/duties', '#/cases', '#/admin']],
  ['u-yamaguchi', ['#/reviews']],
];

describe('accessibility of the main pages in Japanese', () => {
  it('reports a planted unlabelled field and unreadable text with rule, impact and selector', async () => {
    const result = await openPage(browser);
    opened.push(result);
    await result.page.goto(`${baseUrl}/`);
    await result.page.locator('button[data-user-id="u-tanaka"]').waitFor();
    // Built through the DOM, not markup: the product's CSP refuses inline styles and scripts.
    await result.page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'planted-input';
      const faint = document.createElement('p');
      faint.id = 'planted-faint';
      faint.textContent = '読みにくい文字';
      faint.style.color = '#eeeeee';
      faint.style.background = '#ffffff';
      document.querySelector('main')?.append(input, faint);
    });
    const found = blocking(await axeViolations(result.page));
    expect(found.find((violation) => violation.id === 'label')).toMatchObject({ impact: 'critical', targets: ['#planted-input'] });
    expect(found.find((violation) => violation.id === 'color-contrast')).toMatchObject({ impact: 'serious', targets: ['#planted-faint'] });
    expect(describeViolations(found)).toContain('label (critical)');
  });

  it('finds no serious or critical violation on the sign-in page', async () => {
    const result = await openPage(browser);
    opened.push(result);
    await result.page.goto(`${baseUrl}/`);
    await result.page.locator('button[data-user-id="u-tanaka"]').waitFor();
    expect(describeViolations(blocking(await axeViolations(result.page)))).toBe('');
  });

  it('finds none on the pages of a requester: catalogue, a form, my requests, the inbox', async () => {
    const page = await signedIn('u-tanaka');
    for (const hash of ['#/', '#/forms/server-connection-request', '#/requests', '#/inbox']) {
      expect(await check(page, hash), hash).toBe('');
    }
  });

  it('finds none on a form that shows its errors', async () => {
    const page = await signedIn('u-tanaka');
    await check(page, '#/forms/server-connection-request');
    await page.getByRole('button', { name: '入力内容を確認' }).click();
    await page.locator('[id^="field-"][id$="-error"]').first().waitFor();
    expect(describeViolations(blocking(await axeViolations(page)))).toBe('');
  });

  it('finds none on the ledgers, logbooks, duties and cases pages', async () => {
    const page = await signedIn('u-yamada');
    for (const hash of ['#/ledgers', '#/ledgers/servers', '#/logbooks', '#/logbooks/server-room-access', '#/duties', '#/cases']) {
      expect(await check(page, hash), hash).toBe('');
    }
  });

  it('finds none on the monthly reviews for the reviewer', async () => {
    const page = await signedIn('u-yamaguchi');
    expect(await check(page, '#/reviews'), '#/reviews').toBe('');
  });

  it('finds none on the organisation admin pages', async () => {
    const page = await signedIn('u-yamada');
    expect(await check(page, '#/admin'), '#/admin').toBe('');
  });
});

describe('accessibility in English and on a phone', () => {
  for (const [userId, hashes] of PAGES) {
    it(`finds none in English on the pages of ${userId}: ${hashes.join(' ')}`, async () => {
      const page = await signedIn(userId, { lang: 'en' });
      for (const hash of hashes) expect(await check(page, hash, 'en'), hash).toBe('');
    });

    it(`finds none at 390 × 844 on the pages of ${userId}`, async () => {
      const page = await signedIn(userId, { width: 390, height: 844 });
      for (const hash of hashes) expect(await check(page, hash), hash).toBe('');
    });
  }
});
