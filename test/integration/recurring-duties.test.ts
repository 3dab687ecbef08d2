import { beforeAll, describe, expect, it } from 'vitest';
import { runtime, signIn } from './support';

const KATO = 'password.mail:kato.2026-11-11';
const YOSHIDA = 'id-deletion.dev-db:yoshida.2026-11-30';

const path = (id: string) => `/api/duties/${encodeURIComponent(id)}`;

async function fire(name: string) {
  const response = await fetch(`${runtime.url}/_local/schedules/${name}`, { method: 'POST' });
  expect(response.status).toBe(200);
}

async function scans(): Promise<number> {
  const { dynamodb } = (await (await fetch(`${runtime.url}/_local/metrics`)).json()) as { dynamodb: Record<string, number> };
  return dynamodb.Scan ?? 0;
}

/** The month after a Japan date's, as YYYY-MM. */
const addMonths = (date: string, months: number) => {
  const [y, m, d] = date.split('-').map(Number);
  const when = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth() + 1, 0)).getUTCDate();
  return `${when.getUTCFullYear()}-${String(when.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

describe('the recurring duties through the HTTP API', () => {
  beforeAll(async () => {
    const before = await scans();
    await fire('OpenRecurringDuties');
    // Opening reads the ledgers and the duties by key and index only.
    expect(await scans()).toBe(before);
  });

  it('opens the password changes of the demo IDs: the owner sees theirs on the calendar of its month, others do not', async () => {
    const kato = await signIn('u-kato');
    const calendar = await kato.call('GET', '/api/duties?month=2026-11');
    expect(calendar.status).toBe(200);
    const mine = (calendar.body.due as { id: string; overdue: boolean; assignees: { id: string }[] }[]).find((duty) => duty.id === KATO);
    expect(mine).toMatchObject({ assignees: [{ id: 'u-kato' }], overdue: calendar.body.today > '2026-11-11' });
    expect(calendar.body.scope).toBe('mine');

    const detail = await kato.call('GET', path(KATO));
    expect(detail.status).toBe(200);
    expect(detail.body.articles).toEqual([{ ref: 'A17-2', text: { ja: expect.stringContaining('6ヶ月に一度'), en: expect.any(String) } }]);
    expect(detail.body.history.map((event: { action: string }) => event.action)).toEqual(['duty.opened']);

    const takahashi = await signIn('u-takahashi');
    expect((await takahashi.call('GET', path(KATO))).status).toBe(404);
    expect((await takahashi.call('POST', `${path(KATO)}/complete`, { version: 1 })).status).toBe(404);
    expect(((await takahashi.call('GET', '/api/duties?month=2026-11')).body.due as { id: string }[]).map((duty) => duty.id)).not.toContain(KATO);
  });

  it('opens nothing twice when the schedule fires again', async () => {
    await fire('OpenRecurringDuties');
    const kato = await signIn('u-kato');
    const detail = await kato.call('GET', path(KATO));
    expect(detail.body.duty.version).toBe(1);
    expect(detail.body.history).toHaveLength(1);
  });

  it('refuses a confirmation made against an older version, then records the change on the ID and opens the next one', async () => {
    const kato = await signIn('u-kato');
    const stale = await kato.call('POST', `${path(KATO)}/complete`, { version: 2, note: '変更しました' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.messages.ja).toContain('ほかの人が先に更新しました');

    const done = await kato.call('POST', `${path(KATO)}/complete`, { version: 1, note: '変更しました' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', doneBy: { id: 'u-kato' }, version: 2 });

    const item = await kato.call('GET', `/api/ledgers/user-ids/${encodeURIComponent('mail:kato')}`);
    expect(item.status).toBe(200);
    expect(item.body.item.passwordChangedAt).toBe(done.body.doneAt);
    expect(item.body.history.at(-1).summary.ja).toContain('パスワード変更を確認しました');

    const today = (await kato.call('GET', '/api/duties')).body.today as string;
    const next = await kato.call('GET', path(`password.mail:kato.${addMonths(today, 6)}`));
    expect(next.status).toBe(200);
    expect(next.body.duty).toMatchObject({ status: 'open', assignees: [{ id: 'u-kato' }] });

    // Done once: a second confirmation of the same duty is refused.
    expect((await kato.call('POST', `${path(KATO)}/complete`, { version: 2 })).status).toBe(409);
  });

  it('lets the system administrator confirm the deletion of the suspended ID, which the ledger then shows deleted', async () => {
    const yoshida = await signIn('u-yoshida');
    expect((await yoshida.call('GET', path(YOSHIDA))).status).toBe(404);

    const matsumoto = await signIn('u-matsumoto');
    const detail = await matsumoto.call('GET', path(YOSHIDA));
    expect(detail.status).toBe(200);
    expect(detail.body.duty).toMatchObject({ kind: 'id-deletion', dueOn: '2026-11-30', assignees: [{ id: 'u-matsumoto' }] });
    const done = await matsumoto.call('POST', `${path(YOSHIDA)}/complete`, { version: detail.body.duty.version, note: '削除しました' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const item = await matsumoto.call('GET', `/api/ledgers/user-ids/${encodeURIComponent('dev-db:yoshida')}`);
    expect(item.body.item).toMatchObject({ status: 'deleted', deletedAt: done.body.doneAt });
  });

  it('attaches the ledger figures to a usage analysis, which needs its findings to be completed', async () => {
    const yamada = await signIn('u-yamada');
    const calendar = await yamada.call('GET', '/api/duties');
    expect(calendar.body.scope).toBe('all');
    const all = [...calendar.body.overdueEarlier, ...calendar.body.due] as { id: string; kind: string }[];
    const analysis = all.find((duty) => duty.kind === 'usage-analysis' && duty.id.startsWith('usage.servers.'));
    expect(analysis).toBeDefined();

    const detail = await yamada.call('GET', path(analysis!.id));
    expect(detail.body.duty.figures.tables[0]).toMatchObject({ ledger: 'servers', title: { ja: '拠点別のサーバ台数' } });
    expect(detail.body.articles[0]).toMatchObject({ ref: 'S11' });

    const empty = await yamada.call('POST', `${path(analysis!.id)}/complete`, { version: detail.body.duty.version });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toEqual([expect.objectContaining({ path: 'note' })]);
    const done = await yamada.call('POST', `${path(analysis!.id)}/complete`, { version: detail.body.duty.version, note: '稼働率に問題なし。' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', note: '稼働率に問題なし。' });
  });
});
