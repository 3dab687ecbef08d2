/** Shared steps of the browser tests: Chromium, signing in as a demo user, screenshots, mail. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh browser context (its own sessionStorage and localStorage) with a page. */
export async function openPage(browser: Browser, options: { width?: number; height?: number } = {}): Promise<UserPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // An API answer that a test provokes on purpose (400, 404, 410, 403) is logged by Chromium as a failed resource.
    if (/Failed to load resource: the server responded with a status of (400|401|403|404|409|410)/.test(text)) return;
    problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { context, page, problems };
}

export async function shot(page: Page, name: string): Promise<void> {
  // Let fonts and transitions settle so that the picture shows what a person would see.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** On the sign-in page (local mode): pick the demo user. */
export async function signInAs(page: Page, userId: string): Promise<void> {
  await page.locator(`button[data-user-id="${userId}"]`).click();
  await page.locator('.user-name').waitFor();
}

export async function api<T>(baseUrl: string, path: string, init: { token?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      Accept: 'application/json',
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function tokenFor(baseUrl: string, userId: string): Promise<string> {
  const { status, body } = await api<{ token: string }>(baseUrl, '/_local/login', { body: { userId } });
  if (status !== 200) throw new Error(`login ${userId}: ${status}`);
  return body.token;
}

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

/** Waits for an e-mail to `to` whose text mentions `mentions`, and returns the approval-link token in it. */
export async function waitForLinkToken(baseUrl: string, to: string, mentions: string, timeoutMs = 30_000): Promise<{ token: string; mail: Mail }> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  while (Date.now() < deadline) {
    const { body } = await api<{ items: Mail[] }>(baseUrl, '/_local/mail');
    for (const mail of body.items ?? []) {
      if (seen.has(mail.id)) continue;
      if (!mail.to.some((address) => address.toLowerCase() === to.toLowerCase())) continue;
      const content = `${mail.subject}\n${mail.text}\n${mail.html}`;
      if (!content.includes(mentions)) continue;
      const match = /#\/links\/([A-Za-z0-9_~.%-]+)/.exec(content);
      if (match) return { token: decodeURIComponent(match[1]!), mail };
      seen.add(mail.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no approval mail to ${to} mentioning ${mentions} within ${timeoutMs} ms`);
}

/** The e-mail address of a demo user, as `/_local/users` says. */
export async function emailOf(baseUrl: string, userId: string): Promise<string> {
  const { body } = await api<{ items: { id: string; email: string }[] }>(baseUrl, '/_local/users');
  const person = body.items.find((item) => item.id === userId);
  if (!person) throw new Error(`no demo user ${userId}`);
  return person.email;
}

/** A date `days` from today in Japan, as YYYY-MM-DD. */
export function jstDate(days: number): string {
  const now = new Date(Date.now() + 9 * 3600_000 + days * 86_400_000);
  return now.toISOString().slice(0, 10);
}

/** 田中 (or whoever `token` is) files an F1 サーバ接続利用申請 through the API; returns the request id. */
export async function fileF1(baseUrl: string, token: string, purpose: string, serverId = 'srv-app'): Promise<string> {
  const { status, body } = await api<{ id: string }>(baseUrl, '/api/requests', {
    token,
    body: { formId: 'server-connection-request', data: { serverId, protocol: 'ssh', purpose, startDate: jstDate(3), endDate: jstDate(30) } },
  });
  if (status !== 201) throw new Error(`filing F1: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

/** Waits until the workflow has opened a task of `requestId` for the owner of `token`; returns its id. */
export async function waitForTask(baseUrl: string, token: string, requestId: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { body } = await api<{ items: { id: string; requestId: string }[] }>(baseUrl, '/api/tasks?limit=100', { token });
    const task = (body.items ?? []).find((item) => item.requestId === requestId);
    if (task) return task.id;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no task of ${requestId} within ${timeoutMs} ms`);
}
