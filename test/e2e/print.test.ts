/**
 * The request page on paper (A4 portrait): 田中's F1 request approved by 佐藤, 小林 and 山田 prints as
 * the row of stamp boxes 申請 → 承認 → 承認 → 決裁 with the entries and the history, without the
 * navigation, the buttons or the language switch, black on white. Chromium's PDF (`page.pdf`) is
 * turned into 70-print-a4.png with poppler's pdftoppm (Debian: poppler-utils) so that a person can
 * look at it; its text is read back with pdftotext.
 *
 * And the new history events: 督促 (reminded) and 上申 (escalated) with the stage's note and the
 * superior who joined it. The runtime cannot age a task by ten working days, so the request's answer
 * is given the events and the stage exactly as `escalate()` / `remind()` write them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SCREENSHOTS, api, fileF1, launch, openPage, shot, signInAs, tokenFor, waitForTask } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Prints the page to an A4 PDF as Chromium does and — with poppler — saves its pages as
 * `<name>.png` (page 1), `<name>-p2.png`…, at 60 dpi. The PDF itself goes to a temporary directory
 * (screenshots/ keeps only PNGs, which git ignores). Returns the page count and the text.
 */
async function printToPng(page: Page, name: string): Promise<{ pages: number; text: string | null }> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const pdf = await page.pdf({ format: 'A4' });
  // Pages of an earlier, longer print must not linger next to this one.
  for (const file of readdirSync(SCREENSHOTS)) if (file.startsWith(`${name}-p`) && file.endsWith('.png')) rmSync(`${SCREENSHOTS}${file}`);
  if (!has('pdftoppm') || !has('pdfinfo')) {
    console.warn(`pdftoppm/pdfinfo not found (apt-get install poppler-utils): ${name}.png not made`);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    return { pages, text: null };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kf-print-'));
  try {
    const pdfPath = join(dir, `${name}.pdf`);
    writeFileSync(pdfPath, pdf);
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
    // A4 is 595.28 × 841.89 pt (Chromium rounds it to 8.27 × 11.7 in).
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)/);
    execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, join(dir, 'page')]);
    const files = readdirSync(dir).filter((file) => file.endsWith('.png')).sort();
    files.forEach((file, index) => copyFileSync(join(dir, file), `${SCREENSHOTS}${name}${index === 0 ? '' : `-p${index + 1}`}.png`));
    const text = has('pdftotext') ? execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }) : null;
    return { pages, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function approve(token: string, requestId: string): Promise<void> {
  const taskId = await waitForTask(baseUrl, token, requestId);
  const { status } = await api(baseUrl, `/api/tasks/${encodeURIComponent(taskId)}/decision`, { token, body: { decision: 'approve', comment: '確認しました。' } });
  expect(status).toBe(200);
}

describe('the request on paper', () => {
  it('prints on A4 as the row of stamp boxes with the entries and the history', async () => {
    const tanaka = await tokenFor(baseUrl, 'u-tanaka');
    const requestId = await fileF1(baseUrl, tanaka, '印刷の確認：承認済みの申請書を A4 で印刷する', 'srv-core-db');
    await approve(await tokenFor(baseUrl, 'u-sato'), requestId);
    await approve(await tokenFor(baseUrl, 'u-kobayashi'), requestId);
    await approve(await tokenFor(baseUrl, 'u-yamada'), requestId);

    const { page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/#/requests/${encodeURIComponent(requestId)}`);
    await signInAs(page, 'u-tanaka');
    await page.locator('.meta .badge-approved').waitFor({ timeout: 30_000 });
    await page.locator('.history li[data-action="approved"]').waitFor({ timeout: 30_000 });

    // 印刷 calls the browser's print (a real button with a handler: no inline script under the CSP).
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByRole('button', { name: '印刷' }).click();
    await expect(page.evaluate(() => (window as unknown as { printed: number }).printed)).resolves.toBe(1);

    // On screen the stamp row is not there; in print it is, and the page furniture is not.
    await expect(page.locator('.stamp-row').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.stamp-row').isVisible()).resolves.toBe(true);
    for (const hidden of ['.site-header', '.lang-switch', '.main-nav', '.breadcrumb', '.print-button', '.refresh-bar', '.route-panel', '.site-footer']) {
      await expect(page.locator(hidden).first().isVisible(), hidden).resolves.toBe(false);
    }
    const colours = await page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return { body: style('body').backgroundColor, ink: style('h1').color, seal: style('.stamp-row .seal').borderTopColor };
    });
    expect(colours).toEqual({ body: 'rgb(255, 255, 255)', ink: 'rgb(0, 0, 0)', seal: 'rgb(0, 0, 0)' });
    const heads = await page.locator('.stamp-row thead .stamp-kind').allTextContents();
    expect(heads).toEqual(['申請', '承認', '承認', '決裁']);
    const cells = await page.locator('.stamp-row tbody td').allTextContents();
    expect(cells[0]).toContain('田中 太郎');
    expect(cells[1]).toContain('佐藤 花子');
    expect(cells[2]).toContain('小林 健');
    expect(cells[3]).toContain('山田 次郎');
    for (const cell of cells.slice(1)) expect(cell).toMatch(/承認\s*\d{4}\/\d{2}\/\d{2}/);
    // Back to no emulation: page.pdf() prints with print media unless screen is emulated.
    await page.emulateMedia({ media: null });

    const { pages, text } = await printToPng(page, '70-print-a4');
    expect(pages).toBe(1);
    if (text !== null) {
      for (const expected of ['押印欄', '決裁', '田中 太郎', '佐藤 花子', '小林 健', '山田 次郎', '印刷の確認', '履歴', '印刷日時']) expect(text).toContain(expected);
      for (const absent of ['サインアウト', 'English', '最新の情報に更新', '自分の申請']) expect(text).not.toContain(absent);
    }
    expect(problems).toEqual([]);
  });

  it('shows 督促 and 上申 in the history, the escalated stage with its note and every approver, on screen and on paper', async () => {
    const tanaka = await tokenFor(baseUrl, 'u-tanaka');
    const requestId = await fileF1(baseUrl, tanaka, '上申の表示の確認：期限までに判断がなかった申請');
    await waitForTask(baseUrl, await tokenFor(baseUrl, 'u-sato'), requestId);

    const note = {
      ja: '期限までに判断がなかったため、拠点責任者（小林 健）に上申しました。',
      en: 'No decision in time: escalated to Branch responsible (Ken Kobayashi).',
    };
    const { page, problems } = await openPage(browser);
    await page.route(`**/api/requests/${encodeURIComponent(requestId)}`, async (route) => {
      const response = await route.fetch();
      const request = (await response.json()) as {
        round: number;
        stages: { index: number; approvers: unknown[]; note: unknown }[];
        history: { seq: number; at: string }[];
      };
      const last = request.history[request.history.length - 1]!;
      const later = (days: number) => new Date(Date.parse(last.at) + days * 86_400_000).toISOString();
      request.stages[0]!.approvers.push({ id: 'u-kobayashi', name: { ja: '小林 健', en: 'Ken Kobayashi' } });
      request.stages[0]!.note = note;
      request.history.push(
        {
          seq: last.seq + 1,
          at: later(3),
          actor: null,
          action: 'reminded',
          summary: { ja: '佐藤 花子 に督促しました（1回目）', en: 'Reminded Hanako Sato (1)' },
          before: null,
          after: { task: `${requestId}.1.0.u-sato`, remindCount: 1 },
        } as never,
        {
          seq: last.seq + 2,
          at: later(14),
          actor: null,
          action: 'escalated',
          summary: note,
          before: { status: 'in_review', round: request.round, currentStage: 0, stageStatus: 'open' },
          after: { status: 'in_review', round: request.round, currentStage: 0, stageStatus: 'open', approvers: ['u-kobayashi'] },
        } as never,
      );
      await route.fulfill({ response, json: request });
    });
    await page.goto(`${baseUrl}/#/requests/${encodeURIComponent(requestId)}`);
    await signInAs(page, 'u-tanaka');
    const stage = page.locator('.timeline .stage').first();
    await stage.locator('.stage-note').waitFor();
    await expect(stage.locator('.stage-note').textContent()).resolves.toBe(note.ja);
    await expect(stage.locator('.stage-approvers').textContent()).resolves.toContain('佐藤 花子、小林 健（上申）');
    await expect(stage.locator('.stage-approvers').textContent()).resolves.toContain('いずれか1名');
    const reminded = page.locator('.history li[data-action="reminded"]');
    const escalated = page.locator('.history li[data-action="escalated"]');
    await expect(reminded.locator('.history-tag').textContent()).resolves.toBe('督促');
    await expect(reminded.textContent()).resolves.toContain('佐藤 花子 に督促しました（1回目）');
    await expect(escalated.locator('.history-tag').textContent()).resolves.toBe('上申');
    await expect(escalated.textContent()).resolves.toContain(note.ja);
    await shot(page, '71-request-escalated');

    await page.getByRole('button', { name: 'English' }).click();
    await expect(stage.locator('.stage-note').textContent()).resolves.toBe(note.en);
    await expect(stage.locator('.stage-approvers').textContent()).resolves.toContain('Hanako Sato, Ken Kobayashi (escalated)');
    await expect(reminded.locator('.history-tag').textContent()).resolves.toBe('Reminder');
    await expect(escalated.locator('.history-tag').textContent()).resolves.toBe('Escalation');
    await page.getByRole('button', { name: '日本語' }).click();
    await stage.locator('.stage-note', { hasText: note.ja }).waitFor();

    // On paper: the open box names both approvers, and the note is printed under the stamp row.
    const { text } = await printToPng(page, '72-print-escalated');
    if (text !== null) {
      expect(text).toContain('小林 健（上申）');
      expect(text.replace(/\s+/g, '')).toContain(note.ja.replace(/\s+/g, ''));
      expect(text).toContain('督促');
    }

    // Leave nothing waiting for 佐藤.
    expect((await api(baseUrl, `/api/requests/${encodeURIComponent(requestId)}/withdraw`, { token: tanaka, body: {} })).status).toBe(200);
    expect(problems).toEqual([]);
  });
});
