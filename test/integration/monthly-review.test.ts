import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from './support';
import { eventually, mails, recordsUnder, runtime, signIn } from './support';

/**
 * The monthly reviews through the local product: the schedule fired by hand for a month (as `npm
 * run schedule -- monthly-review --month 2026-06` does) starts monthly-review.asl.json on the local
 * Step Functions endpoint; the reviews, the mail, the month view, the completion that closes the
 * logbook's month, and the CSV are then used through the HTTP API like the web page does.
 */

// A month no other test keeps logbooks for, long over.
const MONTH = '2026-06';

async function fire(body: unknown) {
  const response = await fetch(`${runtime.url}/_local/schedules/monthly-review`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

let tanaka: Session;
let yamaguchi: Session;
let matsumoto: Session;
let yamada: Session;
let cabinetEntry: string;
/**
 * The demo sites' reviews: L1–L3 at every site, L4 and L5 where servers stand (東京本社 in the seed).
 * Other tests may register sites and servers meanwhile, so the checks look at the demo sites' L1–L3
 * exactly and at L4/L5 only for 東京本社.
 */
const demoReviews = ['L1#site-osaka', 'L1#site-sendai', 'L1#site-tokyo', 'L2#site-osaka', 'L2#site-sendai', 'L2#site-tokyo', 'L3#site-osaka', 'L3#site-sendai', 'L3#site-tokyo'];
const demoSites = ['site-osaka', 'site-sendai', 'site-tokyo'];
const ofDemoSites = (sks: string[]) => sks.filter((sk) => /^L[123]#/.test(sk) && demoSites.includes(sk.split('#')[1])).sort();

beforeAll(async () => {
  [tanaka, yamaguchi, matsumoto, yamada] = await Promise.all(['u-tanaka', 'u-yamaguchi', 'u-matsumoto', 'u-yamada'].map(signIn));
  // A cabinet opened on 10 June and never locked again.
  const added = await tanaka.call('POST', `/api/logbooks/L1/site-tokyo/${MONTH}`, { date: `${MONTH}-10`, fields: { cabinet: '総務部 書庫A', purpose: '契約書の確認', openedAt: '10:00' } });
  expect(added.status).toBe(201);
  cabinetEntry = added.body.entry.id;
});

describe('the monthly review run', () => {
  it('refuses a month that is not over, and a malformed one, opening nothing', async () => {
    const running = await fire({ month: '2026-12' });
    expect(running.status).toBe(400);
    expect(running.body.error.message).toContain('not over');
    expect((await fire({ month: 'June' })).status).toBe(400);
    expect(await recordsUnder(null, 'REVIEW#2026-12')).toEqual([]);
  });

  it('opens one review per site and logbook, e-mails each reviewer once, and opens nothing twice when run again', async () => {
    const fired = await fire({ month: MONTH });
    expect(fired).toEqual({ status: 200, body: { fired: 'monthly-review' } });
    const stored = await recordsUnder(null, `REVIEW#${MONTH}`);
    expect(ofDemoSites(stored.map((item) => String(item.sk)))).toEqual(demoReviews);
    expect(stored.map((item) => String(item.sk))).toEqual(expect.arrayContaining(['L4#site-tokyo', 'L5#site-tokyo']));
    expect(stored.every((item) => item.entity === 'review' && item.status === 'open' && item.notifiedAt)).toBe(true);

    const requests = (await mails()).filter((m) => m.subject.startsWith('【月次点検依頼】2026年6月分'));
    expect(requests.map((m) => m.to[0]).sort()).toEqual(['fujita@example.co.jp', 'matsumoto@example.co.jp', 'yamaguchi@example.co.jp']);
    const toYamaguchi = requests.find((m) => m.to.includes('yamaguchi@example.co.jp'))!;
    expect(toYamaguchi.text).toContain(`${runtime.url}/#/reviews/${MONTH}/L1/site-tokyo`);
    expect(toYamaguchi.text).toContain('L1 キャビネット開施錠記録簿（東京本社） 要確認 1 件');

    expect((await fire({ month: MONTH })).status).toBe(200);
    expect(await recordsUnder(null, `REVIEW#${MONTH}`)).toHaveLength(stored.length);
    expect((await mails()).filter((m) => m.subject.startsWith('【月次点検依頼】2026年6月分'))).toHaveLength(3);
  });

  it('shows the month to the security manager and the auditors, not to others', async () => {
    const view = await yamaguchi.call('GET', `/api/reviews?month=${MONTH}`);
    expect(view.status).toBe(200);
    const opened = (await recordsUnder(null, `REVIEW#${MONTH}`)).length;
    expect(view.body.counts).toMatchObject({ open: opened, completed: 0 });
    expect(ofDemoSites(view.body.rows.map((r: any) => `${r.logbook}#${r.siteId}`))).toEqual(demoReviews);
    expect(view.body.rows.find((r: any) => r.logbook === 'L1' && r.siteId === 'site-tokyo')).toMatchObject({ status: 'open', entries: 1, anomalies: 1, reviewers: [{ id: 'u-yamaguchi' }] });
    expect((await yamada.call('GET', `/api/reviews?month=${MONTH}`)).status).toBe(200);
    expect((await tanaka.call('GET', `/api/reviews?month=${MONTH}`)).status).toBe(403);
    expect((await yamada.call('GET', '/api/reviews?month=2026-6')).status).toBe(400);
  });

  it('shows the reviewer the month’s entries with the cabinet left unlocked, and changes nothing by being read', async () => {
    const before = await recordsUnder(null, `REVIEW#${MONTH}`);
    const detail = await yamaguchi.call('GET', `/api/reviews/${MONTH}/L1/site-tokyo`);
    expect(detail.status).toBe(200);
    expect(detail.body.entries.map((e: any) => e.id)).toEqual([cabinetEntry]);
    expect(detail.body.anomalies).toEqual([expect.objectContaining({ kind: 'cabinet-not-locked', entryId: cabinetEntry, key: `cabinet-not-locked#${cabinetEntry}` })]);
    expect(detail.body.mayComplete).toBe(true);
    expect(detail.body.review.taskToken).toBeUndefined();
    expect((await tanaka.call('GET', `/api/reviews/${MONTH}/L1/site-tokyo`)).status).toBe(403);
    expect((await yamaguchi.call('GET', `/api/reviews/2026-05/L1/site-tokyo`)).status).toBe(404);
    expect(await recordsUnder(null, `REVIEW#${MONTH}`)).toEqual(before);
  });

  it('requires the cause and the action of the anomaly, in the caller’s language, and lets only the reviewer complete', async () => {
    await eventually(async () => (await recordsUnder(null, `REVIEW#${MONTH}`)).find((item) => item.sk === 'L1#site-tokyo')?.taskToken, 'the workflow to wait on the review');
    const before = await recordsUnder(null, `REVIEW#${MONTH}`);
    const missing = await yamaguchi.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, { conclusion: 'anomalies-found', findings: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: any) => i.path)).toEqual(['findings.0.cause', 'findings.0.action']);
    expect(missing.body.error.issues[0].message).toContain('原因を入力してください');
    const english = await yamaguchi.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, { conclusion: 'no-anomaly' }, { 'accept-language': 'en' });
    expect(english.body.error.issues[1].message).toBe('Enter the action taken (correction or prevention).');
    expect((await matsumoto.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, { conclusion: 'no-anomaly' })).status).toBe(403);
    expect((await yamaguchi.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, { conclusion: 'maybe' })).status).toBe(400);
    expect(await recordsUnder(null, `REVIEW#${MONTH}`)).toEqual(before);
  });

  it('completes the review with its finding, completes its duty, and closes the month of that logbook', async () => {
    const done = await yamaguchi.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, {
      conclusion: 'anomalies-found',
      findings: [{ key: `cabinet-not-locked#${cabinetEntry}`, cause: '施錠後の記入漏れ（警備記録で 10:20 施錠を確認）', action: '施錠時の記入を朝礼で周知' }],
    });
    expect(done.status).toBe(200);
    expect(done.body.review).toMatchObject({ status: 'completed', conclusion: 'anomalies-found', anomalyCount: 1, completedBy: { id: 'u-yamaguchi' } });
    const [duty] = await recordsUnder(null, `DUTY#review.${MONTH}.L1.site-tokyo`);
    expect(duty).toMatchObject({ status: 'done', doneBy: { id: 'u-yamaguchi' } });

    expect((await yamaguchi.call('POST', `/api/reviews/${MONTH}/L1/site-tokyo/complete`, { conclusion: 'no-anomaly' })).status).toBe(409);
    const late = await tanaka.call('POST', `/api/logbooks/L1/site-tokyo/${MONTH}`, { date: `${MONTH}-30`, fields: { cabinet: '総務部 書庫A', purpose: '追記', openedAt: '09:00', lockedAt: '09:05' } });
    expect(late.status).toBe(409);
    // Another logbook of the same month and site stays open.
    expect((await tanaka.call('POST', `/api/logbooks/L4/site-tokyo/${MONTH}`, { date: `${MONTH}-30`, fields: { purpose: '点検', enteredAt: '09:00', exitedAt: '09:10' } })).status).toBe(201);
  });

  it('exports the month as CSV with a BOM that Excel opens', async () => {
    const response = await fetch(`${runtime.url}/api/reviews.csv?month=${MONTH}`, { headers: { authorization: `Bearer ${yamada.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="monthly-reviews-${MONTH}.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('対象月,拠点,記録簿,記録簿名,根拠条文,状況,記録件数,異常件数,点検者,期限,上申,結論,完了日時,完了者');
    const rows = (await yamada.call('GET', `/api/reviews?month=${MONTH}`)).body.rows as unknown[];
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines.find((line) => line.startsWith(`${MONTH},東京本社,L1,`))).toMatch(/,完了,1,1,山口 恵,.*,異常あり,.*,山口 恵$/);
    const refused = await fetch(`${runtime.url}/api/reviews.csv?month=${MONTH}`, { headers: { authorization: `Bearer ${tanaka.token}` } });
    expect(refused.status).toBe(403);
  });
});
