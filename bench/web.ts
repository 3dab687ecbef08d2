/**
 * 4. Web: the initial JavaScript of the web build (what index.html loads before anything else, gzip)
 * and the time to the first usable form in Chromium — the F1 page, signed in, until its submit
 * button and the server list are usable — against a static blank page served by the same gateway.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { routes } from '../functions/http/routes';
import { freePort } from '../infra/local/dynamodb-local';
import type { ApiHandler } from '../infra/local/gateway';
import { startGateway } from '../infra/local/gateway';
import { createLocalAuth } from '../infra/local/local-auth';
import { median, round } from './lib/stats';

const ROOT = join(import.meta.dirname, '..');

export interface WebBuildResult {
  outDir: string;
  /** Scripts index.html loads at once (module entry + modulepreload), with raw and gzip bytes. */
  initial: { file: string; bytes: number; gzipBytes: number }[];
  initialGzipBytes: number;
  initialBytes: number;
  /** Chunks loaded later (dynamic imports), for the record. */
  lazy: { file: string; bytes: number; gzipBytes: number }[];
  css: { file: string; bytes: number; gzipBytes: number }[];
}

export interface WebLoadResult {
  samples: number;
  /** ms from navigation start until the F1 form is usable (median). */
  formUsableMs: number;
  /** ms from navigation start to the load event of a static blank page from the same server (median). */
  blankLoadMs: number;
  ratio: number;
  /** The form page's own load event (before its API calls answer), median ms. */
  formLoadEventMs: number;
  /** API calls the page made before the form was usable (one sample). */
  apiCalls: string[];
}

/**
 * Builds the web page with the project's own Vite config, into .bench/web instead of web/dist (the
 * same build; others may be serving web/dist while this runs). Returns the sizes of what it loads.
 */
export async function buildWeb(outDir: string): Promise<WebBuildResult> {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initialFiles = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ].map((src) => src.replace(/^\.?\//, ''));
  const describe = (file: string) => {
    const content = readFileSync(join(outDir, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
  };
  const initial = [...new Set(initialFiles)].map(describe);
  const assets = readdirSync(join(outDir, 'assets')).map((f) => `assets/${f}`);
  const lazy = assets.filter((f) => f.endsWith('.js') && !initial.some((i) => i.file === f)).map(describe);
  const css = assets.filter((f) => f.endsWith('.css')).map(describe);
  writeFileSync(join(outDir, 'blank.html'), '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n');
  return {
    outDir,
    initial,
    initialGzipBytes: initial.reduce((a, f) => a + f.gzipBytes, 0),
    initialBytes: initial.reduce((a, f) => a + f.bytes, 0),
    lazy,
    css,
  };
}

/** ms from navigation start to the end of the load event, once there is one. */
async function loadEventEnd(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return entry && entry.loadEventEnd > 0 ? entry.loadEventEnd : 0;
  });
  return (await handle.jsonValue()) as number;
}

/** Installed before any page script: signs in (as the local sign-in does) and notes when the form becomes usable. */
const probe = (token: string) => `
  try { sessionStorage.setItem('kf.token', ${JSON.stringify(token)}); } catch {}
  (() => {
    const usable = () => {
      const submit = document.querySelector('form button[type="submit"]');
      const server = document.querySelector('#field-serverId');
      return !!submit && !submit.disabled && !!server && !server.disabled && !!server.querySelector('option[value="srv-core-db"]');
    };
    const check = () => { if (window.__usableAt === undefined && usable()) { window.__usableAt = performance.now(); observer.disconnect(); } };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  })();
`;

/**
 * Serves the bench's build through the product's own gateway code (same handlers, same DynamoDB
 * Local, same security headers) and measures page loads in Chromium, each in a fresh context (empty
 * cache), blank page and form page alternately.
 */
export async function measureWebLoad(webDir: string, options: { samples: number; log: (m: string) => void }): Promise<WebLoadResult> {
  const port = await freePort();
  const auth = createLocalAuth({ issuer: `http://127.0.0.1:${port}/_local` });
  const loaded = new Map<string, Promise<ApiHandler>>();
  const gateway = await startGateway({
    port,
    routes,
    loadHandler: (entry) => {
      let handler = loaded.get(entry);
      if (!handler) {
        handler = import(pathToFileURL(join(ROOT, entry)).href).then((m: { handler: ApiHandler }) => m.handler);
        loaded.set(entry, handler);
      }
      return handler;
    },
    auth,
    webDir,
    webConfig: { auth: { mode: 'local' } },
    local: {},
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const token = await auth.issue('u-tanaka');
    const base = gateway.url;
    const formUsable: number[] = [];
    const formLoad: number[] = [];
    const blank: number[] = [];
    let apiCalls: string[] = [];
    options.log(`web: ${options.samples} cold loads each of a blank page and the F1 form in Chromium`);
    for (let i = 0; i <= options.samples; i++) {
      const warmup = i === 0;
      {
        const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
        const page = await context.newPage();
        await page.goto(`${base}/blank.html`, { waitUntil: 'load' });
        const ms = await loadEventEnd(page);
        if (!warmup) blank.push(ms);
        await context.close();
      }
      {
        const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 860 } });
        await context.addInitScript(probe(token));
        const page = await context.newPage();
        const calls: string[] = [];
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname.startsWith('/api/') || url.pathname === '/config.json') calls.push(`${request.method()} ${url.pathname}`);
        });
        await page.goto(`${base}/#/forms/server-connection-request`, { waitUntil: 'commit' });
        const usable = (await page.waitForFunction(() => (window as unknown as { __usableAt?: number }).__usableAt, null, { timeout: 20_000 })).jsonValue() as Promise<number>;
        const ms = await usable;
        const load = await loadEventEnd(page);
        if (!warmup) {
          formUsable.push(ms);
          formLoad.push(load);
          apiCalls = calls.slice();
        }
        await context.close();
      }
    }
    const formUsableMs = median(formUsable);
    const blankLoadMs = median(blank);
    return {
      samples: options.samples,
      formUsableMs: round(formUsableMs, 1),
      blankLoadMs: round(blankLoadMs, 1),
      ratio: round(formUsableMs / blankLoadMs, 1),
      formLoadEventMs: round(median(formLoad), 1),
      apiCalls,
    };
  } finally {
    await browser.close();
    await gateway.close();
  }
}
