/**
 * Cases in the browser: 田中 reports a server incident; 山田 (情報システム部インフラ担当) opens it from
 * the e-mailed link and takes it through every phase — the notice to the affected departments, the
 * recovery, the recovery notice, the timeline report, cause and prevention — and closes it after a
 * confirmation; the printable report shows the whole course. Then 渡辺 records a laptop checkout and
 * 林 (総務) records its return.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, emailOf, launch, openPage, shot, signInAs, type UserPage } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
const opened: UserPage[] = [];
const stamp = Date.now().toString(36);

async function user(): Promise<UserPage> {
  const result = await openPage(browser);
  opened.push(result);
  return result;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const { problems } of opened) expect(problems).toEqual([]);
  await browser?.close();
});

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** The first mail to `to` whose subject has every one of `words`. */
async function mailTo(to: string, ...words: string[]): Promise<Mail> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { body } = await api<{ items: Mail[] }>(baseUrl, '/_local/mail');
    const found = (body.items ?? []).find((m) => m.to.includes(to) && words.every((w) => m.subject.includes(w)));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with ${words.join(' ')}`);
}

/** Fills the next step's form (if given) and sends it, then waits for the phase to show as done. */
async function recordStep(page: Page, fill: () => Promise<void>, button: string, done: string) {
  await fill();
  await page.getByRole('button', { name: button }).click();
  await page.locator('.alert-success', { hasText: done }).waitFor();
}

describe('cases', () => {
  it('takes an incident from its report to the printed timeline report, and a laptop out and back', async () => {
    const title = `基幹APサーバ応答なし ${stamp}`;

    // --- 田中 reports ---------------------------------------------------------------------------
    const tanaka = (await user()).page;
    await tanaka.goto(`${baseUrl}/`);
    await signInAs(tanaka, 'u-tanaka');
    await tanaka.locator('.main-nav').getByRole('link', { name: '障害・持ち出し' }).click();
    await tanaka.getByRole('heading', { name: '障害報告', level: 1 }).waitFor();
    await tanaka.getByRole('link', { name: '障害を報告する' }).click();
    await tanaka.getByRole('heading', { name: '障害の発生を報告する', level: 1 }).waitFor();
    await expect(tanaka.locator('.articles').textContent()).resolves.toContain('A18-4');

    // Sending it empty lists every missing field.
    await tanaka.getByRole('button', { name: 'この内容で報告する' }).click();
    await tanaka.locator('.error-summary').waitFor();
    await expect(tanaka.locator('.error-summary li').count()).resolves.toBe(5);

    await tanaka.locator('input[name="kind"][value="server"]').check();
    await tanaka.locator('#case-title').fill(title);
    await tanaka.getByLabel('システム1', { exact: true }).selectOption('srv-app');
    await tanaka.locator('input[type="checkbox"][value="dep-accounting"]').check();
    await tanaka.locator('#case-description').fill('販売管理の画面が開かず、受注入力ができない。');
    await tanaka.locator('input[name="personalInfoRisk"][value="no"]').check();
    await shot(tanaka, '80-incident-form');
    await tanaka.getByRole('button', { name: 'この内容で報告する' }).click();
    await tanaka.getByRole('heading', { name: title, level: 1 }).waitFor();
    await expect(tanaka.locator('.case-phase-done').count()).resolves.toBe(1);
    await shot(tanaka, '81-incident-reported');
    const id = (await tanaka.locator('.page-sub .mono').textContent())!.trim();
    expect(id).toMatch(/^INC-\d{8}-[0-9A-Z]{6}$/);

    // --- 山田 handles it from the e-mailed link ---------------------------------------------
    const received = await mailTo(await emailOf(baseUrl, 'u-yamada'), '障害発生報告', id);
    const link = /https?:\/\/\S+#\/cases\/incidents\/[A-Z0-9-]+/.exec(received.text)![0];
    const yamada = (await user()).page;
    await yamada.goto(link);
    await signInAs(yamada, 'u-yamada');
    await yamada.getByRole('heading', { name: '次の対応: 影響部署への発生連絡' }).waitFor();
    // 営業部 (田中, 高橋, 阿部, 渡辺), 経理部 (中村) and IT infrastructure (山田, 伊藤) — counted from the
    // directory as it stands, since another test may register people in those departments.
    const { body: directory } = await api<{ items: { departmentId: string; roles: { role: string; scope: { id: string } }[] }[] }>(baseUrl, '/_local/users');
    const told = directory.items.filter(
      (p) => ['dep-sales', 'dep-accounting'].includes(p.departmentId) || p.roles.some((r) => r.role === 'itInfra' || (r.role === 'deptHead' && ['dep-sales', 'dep-accounting'].includes(r.scope.id))),
    ).length;
    expect(told).toBeGreaterThanOrEqual(7);
    await expect(yamada.locator('.case-recipient-chips li').count()).resolves.toBe(told);
    await shot(yamada, '82-incident-next-step');

    await recordStep(yamada, () => yamada.locator('#case-message').fill('復旧見込みは 30 分後です。'), '影響部署へ発生を連絡する', '影響部署への発生連絡');
    await mailTo(await emailOf(baseUrl, 'u-nakamura'), '障害発生のお知らせ', id);
    await recordStep(yamada, () => yamada.locator('#case-action').fill('Tomcat を再起動した。'), '復旧を記録する', '復旧の記録');
    await recordStep(yamada, async () => undefined, '影響部署へ復旧を連絡する', '影響部署への復旧連絡');
    await recordStep(
      yamada,
      async () => {
        await yamada.locator('#case-summary').fill('ヒープ不足で Tomcat が停止し、約 30 分間販売管理が使えなかった。');
        await yamada.getByRole('button', { name: '経緯を追加' }).click();
        await yamada.getByLabel('経緯1の内容').fill('監視で応答なしを検知');
      },
      '経緯報告を送る',
      '経緯報告',
    );
    await recordStep(
      yamada,
      async () => {
        await yamada.locator('#case-cause').fill('ヒープ領域の設定が業務量に対して小さかった。');
        await yamada.locator('#case-prevention').fill('ヒープを拡張し、使用率 80% で通知する監視を追加した。');
      },
      '原因と再発防止策を記録する',
      '原因と再発防止策',
    );
    // Closing asks first.
    await yamada.getByRole('button', { name: '完了にする' }).click();
    const dialog = yamada.getByRole('dialog', { name: 'この障害報告を完了にしますか？' });
    await dialog.waitFor();
    await shot(yamada, '83-incident-close-confirm');
    await dialog.getByRole('button', { name: '完了にする' }).click();
    await yamada.locator('.alert-success', { hasText: '完了' }).waitFor();
    await expect(yamada.locator('.case-phase-done').count()).resolves.toBe(7);
    await expect(yamada.locator('.case-next').count()).resolves.toBe(0);
    await shot(yamada, '84-incident-closed');

    // --- the printable report -------------------------------------------------------------------
    await yamada.getByRole('link', { name: '経緯報告（印刷用）' }).click();
    await yamada.getByRole('heading', { name: '障害経緯報告書', level: 1 }).waitFor();
    const rows = await yamada.locator('.case-timeline-table tbody tr td:nth-child(2)').allTextContents();
    expect(rows[0]).toBe('障害発生');
    expect(rows).toContain('経緯');
    expect(rows.at(-1)).toBe('完了');
    await yamada.emulateMedia({ media: 'print' });
    await shot(yamada, '85-incident-report-print');
    await yamada.emulateMedia({ media: 'screen' });

    // --- 渡辺 takes a laptop out; 林 (総務) records its return -----------------------------------
    const watanabe = (await user()).page;
    await watanabe.goto(`${baseUrl}/#/cases/media/new`);
    await signInAs(watanabe, 'u-watanabe');
    await watanabe.getByRole('heading', { name: '持ち出しを記録する', level: 1 }).waitFor();
    await watanabe.locator('#case-clientId').selectOption('pc-tokyo-002');
    await watanabe.locator('#case-purpose').fill('顧客先での製品説明');
    await watanabe.locator('#case-destination').fill(`株式会社サンプル ${stamp}`);
    const inThreeDays = new Date(Date.now() + 9 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
    await watanabe.locator('#case-expectedReturnOn').fill(inThreeDays);
    await shot(watanabe, '86-checkout-form');
    await watanabe.getByRole('button', { name: 'この内容で記録する' }).click();
    await watanabe.locator('.badge', { hasText: '持ち出し中' }).waitFor();
    const checkoutUrl = watanabe.url();

    const hayashi = (await user()).page;
    await hayashi.goto(`${baseUrl}/#/cases/media`);
    await signInAs(hayashi, 'u-hayashi');
    await hayashi.getByRole('heading', { name: 'ノートPC・可搬媒体持ち出し記録', level: 1 }).waitFor();
    await hayashi.locator('.case-table tbody tr', { hasText: `株式会社サンプル ${stamp}` }).waitFor();
    await shot(hayashi, '87-checkouts-out');
    await hayashi.goto(checkoutUrl);
    await hayashi.getByRole('button', { name: '返却を記録する' }).click();
    await hayashi.getByRole('dialog', { name: '返却を記録しますか？' }).getByRole('button', { name: '返却を記録する' }).click();
    await hayashi.locator('.alert-success', { hasText: '返却を記録しました' }).waitFor();
    await hayashi.locator('.badge', { hasText: '返却済み' }).waitFor();
    await expect(hayashi.locator('.data-list').textContent()).resolves.toContain('返却により完了');
    await shot(hayashi, '88-checkout-returned');
  });
});
