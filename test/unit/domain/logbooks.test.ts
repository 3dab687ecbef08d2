import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../functions/domain/audit';
import { DomainError } from '../../../functions/domain/errors';
import type { LogbookEntry } from '../../../functions/domain/logbooks';
import type { Person } from '../../../functions/domain/organisation';
import {
  addLogbookEntry,
  dateOfEntryId,
  getLogbookEntry,
  listLogbooks,
  logbookEntryRecord,
  logbookMonth,
  updateLogbookEntry,
} from '../../../functions/domain/logbooks';
import { MINUTE, inMemoryDeps, person } from './in-memory-deps';

// 2026-11-25 10:00 in Japan.
const NOW = '2026-11-25T01:00:00.000Z';

/** Runs a call that must fail and returns its DomainError. */
async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const cabinet = (overrides: Record<string, unknown> = {}) => ({ cabinet: '総務部 書庫A', purpose: '契約書の取り出し', openedAt: '09:10', ...overrides });

async function opened(t = inMemoryDeps({ start: NOW }), by = 'u-tanaka', date = '2026-11-25') {
  const { entry } = await addLogbookEntry(t.deps, person(by), 'L1', 'site-tokyo', '2026-11', { date, fields: cabinet() });
  return { t, entry };
}

describe('recording a logbook entry', () => {
  it('records an entry of the person’s own site with the first event of its own audit chain', async () => {
    const { t, entry } = await opened();
    expect(entry).toMatchObject({ logbook: 'L1', siteId: 'site-tokyo', month: '2026-11', date: '2026-11-25', version: 1, recordedBy: { id: 'u-tanaka' } });
    expect(entry.fields).toEqual(cabinet());
    expect(dateOfEntryId(entry.id)).toBe('2026-11-25');
    expect(entry.open.map((item) => item.label.ja)).toEqual(['未施錠']);

    const stored = (await t.logbooks.get('L1', 'site-tokyo', '2026-11', entry.id)) as LogbookEntry;
    const events = await t.logbooks.history(stored);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ record: logbookEntryRecord(stored), action: 'logbook.entry.recorded', actor: { id: 'u-tanaka' }, after: { date: '2026-11-25', ...cabinet() } });
    expect(stored.audit).toEqual({ seq: 1, hash: events[0].hash });
  });

  it('accepts a date earlier in the month, so that a forgotten entry is still recorded', async () => {
    const { entry } = await opened(undefined, 'u-tanaka', '2026-11-02');
    expect(entry.date).toBe('2026-11-02');
  });

  it('refuses a date outside the month, in the future or impossible, and writes nothing', async () => {
    const t = inMemoryDeps({ start: NOW });
    for (const [date, ja] of [
      ['2026-10-31', '2026-11 の日付にしてください'],
      ['2026-11-26', '未来の日付は記録できません'],
      ['2026-11-31', '正しい日付'],
    ]) {
      const error = await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', { date, fields: cabinet() }));
      expect(error.status).toBe(400);
      expect(error.issues).toEqual([{ path: 'date', messages: { ja: expect.stringContaining(ja), en: expect.any(String) } }]);
    }
    expect(t.logbooks.stored.size).toBe(0);
  });

  it('reports every field problem at once, by label, in Japanese and English', async () => {
    const t = inMemoryDeps({ start: NOW });
    const error = await refusal(
      addLogbookEntry(t.deps, person('u-tanaka'), 'cabinet-locking', 'site-tokyo', '2026-11', { date: '2026-11-25', fields: { cabinet: '  ', openedAt: '9:10', color: 'red' } }),
    );
    expect(error.status).toBe(400);
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.messages]));
    expect(byPath['fields.cabinet']).toEqual({ ja: '「キャビネット」を入力してください。', en: 'Enter Cabinet.' });
    expect(byPath['fields.purpose']).toEqual({ ja: '「用途」を入力してください。', en: 'Enter Purpose.' });
    expect(byPath['fields.openedAt']).toEqual({ ja: '「開錠時刻」は 時:分（例 09:05）で入力してください。', en: 'Opened at must be a time as HH:mm (e.g. 09:05).' });
    expect(byPath['fields.color']?.ja).toContain('color');
    expect(t.logbooks.stored.size).toBe(0);
  });

  it('refuses a locking time before the opening time', async () => {
    const t = inMemoryDeps({ start: NOW });
    const error = await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', { date: '2026-11-25', fields: cabinet({ lockedAt: '08:00' }) }));
    expect(error.issues).toEqual([{ path: 'fields.lockedAt', messages: { ja: '「施錠時刻」は「開錠時刻」より後にしてください。', en: 'Locked at cannot be before Opened at.' } }]);
  });

  it('lets the people of a site record in its logbooks, and IT infrastructure and the security manager in any site’s', async () => {
    const t = inMemoryDeps({ start: NOW });
    const sendai = { date: '2026-11-25', fields: cabinet() };
    const error = await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-sendai', '2026-11', sendai));
    expect(error.status).toBe(403);
    expect(t.logbooks.stored.size).toBe(0);
    for (const id of ['u-takahashi', 'u-yamada', 'u-yamaguchi']) {
      await addLogbookEntry(t.deps, person(id), 'L1', 'site-sendai', '2026-11', sendai);
      t.clock.advance(MINUTE);
    }
    expect((await t.logbooks.entries('L1', 'site-sendai', '2026-11')).map((e) => e.recordedBy.id)).toEqual(['u-takahashi', 'u-yamada', 'u-yamaguchi']);
  });

  it('leaves the access log review (A14(3)) to the system administrator', async () => {
    const t = inMemoryDeps({ start: NOW });
    const review = { date: '2026-11-02', fields: { system: '基幹DBサーバ', periodFrom: '2026-10-01', periodTo: '2026-10-31', result: 'normal' } };
    expect((await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L5', 'site-tokyo', '2026-11', review))).status).toBe(403);
    const { entry } = await addLogbookEntry(t.deps, person('u-matsumoto'), 'access-log-review', 'site-tokyo', '2026-11', review);
    expect(entry.recordedBy.id).toBe('u-matsumoto');
  });

  it('requires the details when the access logs were irregular', async () => {
    const t = inMemoryDeps({ start: NOW });
    const fields = { system: '基幹DBサーバ', periodFrom: '2026-10-31', periodTo: '2026-10-01', result: 'irregular' };
    const error = await refusal(addLogbookEntry(t.deps, person('u-matsumoto'), 'L5', 'site-tokyo', '2026-11', { date: '2026-11-02', fields }));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['fields.note', 'fields.periodTo']);
    expect(error.issues.find((issue) => issue.path === 'fields.note')?.messages.ja).toBe('異常ありのときは「内容・対応」を入力してください。');
  });

  it('refuses an escort who is not in the directory', async () => {
    const t = inMemoryDeps({ start: NOW });
    const fields = { visitorName: '佐々木 一郎', company: '富士見システム', purpose: '保守点検', guestCard: 'G-03', escortId: 'u-nobody', entryAt: '10:00', cardReturned: false };
    const error = await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L3', 'site-tokyo', '2026-11', { date: '2026-11-25', fields }));
    expect(error.issues).toEqual([{ path: 'fields.escortId', messages: { ja: '「同行する社員」の社員が見つかりません。', en: 'Escorting employee: no such employee.' } }]);
  });
});

describe('a closed month', () => {
  it('refuses new entries once the month’s review is completed, with a clear message, and writes nothing', async () => {
    const t = inMemoryDeps({ start: NOW });
    t.logbooks.setReview('2026-11', 'L1', 'site-tokyo', 'completed');
    const error = await refusal(addLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', { date: '2026-11-25', fields: cabinet() }));
    expect(error.status).toBe(409);
    expect(error.code).toBe('month_closed');
    expect(error.messages.ja).toBe('2026-11 のキャビネット開施錠記録簿は月次点検が完了しているため、記録・訂正できません。');
    expect(t.logbooks.stored.size).toBe(0);
    // Another site, or another logbook, of the same month stays open.
    await addLogbookEntry(t.deps, person('u-takahashi'), 'L1', 'site-sendai', '2026-11', { date: '2026-11-25', fields: cabinet() });
  });

  it('keeps a month open while its review is open', async () => {
    const t = inMemoryDeps({ start: NOW });
    t.logbooks.setReview('2026-11', 'L1', 'site-tokyo', 'open');
    await opened(t);
    expect((await logbookMonth(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11')).closed).toBe(false);
  });

  it('refuses corrections and completions once closed, leaving the entry and its history as they were', async () => {
    const { t, entry } = await opened();
    t.logbooks.setReview('2026-11', 'L1', 'site-tokyo', 'completed');
    const before = t.logbooks.snapshot();
    const error = await refusal(updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:30' } }));
    expect(error.status).toBe(409);
    expect(error.code).toBe('month_closed');
    expect(t.logbooks.snapshot()).toEqual(before);
    const month = await logbookMonth(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11');
    expect(month).toMatchObject({ closed: true, mayRecord: false });
  });

  it('refuses a write when the review is completed between the read and the write', async () => {
    const { t, entry } = await opened();
    t.logbooks.beforeCommit = () => t.logbooks.setReview('2026-11', 'L1', 'site-tokyo', 'completed');
    const error = await refusal(updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:30' } }));
    expect(error.code).toBe('month_closed');
    expect((await t.logbooks.get('L1', 'site-tokyo', '2026-11', entry.id))?.fields.lockedAt).toBeUndefined();
  });
});

describe('completing and correcting an entry', () => {
  it('lets anyone of the site record the locking later, without a reason, as its own event', async () => {
    const { t, entry } = await opened();
    const { entry: locked } = await updateLogbookEntry(t.deps, person('u-sato'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:40' } });
    expect(locked).toMatchObject({ version: 2, fields: { lockedAt: '09:40' }, updatedBy: { id: 'u-sato' }, open: [] });
    const history = (await getLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id)).history;
    expect(history.map((event) => event.action)).toEqual(['logbook.entry.recorded', 'logbook.entry.completed']);
    expect(history[1]).toMatchObject({ before: { lockedAt: null }, after: { lockedAt: '09:40' }, summary: { ja: '佐藤 花子 が施錠時刻を記録しました' } });
  });

  it('keeps the original in the history when the recorder corrects an entry', async () => {
    const { t, entry } = await opened();
    const { entry: corrected } = await updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, {
      version: 1,
      fields: cabinet({ cabinet: '総務部 書庫B', openedAt: '09:05' }),
      reason: 'キャビネットを取り違えた',
    });
    expect(corrected.fields).toMatchObject({ cabinet: '総務部 書庫B', openedAt: '09:05' });
    const stored = (await t.logbooks.get('L1', 'site-tokyo', '2026-11', entry.id)) as LogbookEntry;
    const events = await t.logbooks.history(stored);
    expect(events.map((event) => event.action)).toEqual(['logbook.entry.recorded', 'logbook.entry.corrected']);
    // The original stays readable: the first event as it was, the correction with what it replaced.
    expect(events[0].after).toMatchObject({ cabinet: '総務部 書庫A', openedAt: '09:10' });
    expect(events[1]).toMatchObject({
      before: { cabinet: '総務部 書庫A', openedAt: '09:10' },
      after: { cabinet: '総務部 書庫B', openedAt: '09:05', reason: 'キャビネットを取り違えた' },
      summary: { ja: '田中 太郎 が訂正しました（キャビネット・開錠時刻）：キャビネットを取り違えた' },
    });
    expect(verifyChain(events)).toBeNull();
    expect(stored.audit.seq).toBe(2);
  });

  it('requires a reason for a correction', async () => {
    const { t, entry } = await opened();
    const error = await refusal(updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: cabinet({ purpose: '書類の返却' }) }));
    expect(error.issues).toEqual([{ path: 'reason', messages: { ja: '訂正の理由を入力してください。', en: 'Enter the reason for the correction.' } }]);
  });

  it('lets only the recorder, the logbook’s reviewer or the security manager correct', async () => {
    const { t, entry } = await opened();
    const change = (version: number) => ({ version, fields: cabinet({ purpose: `書類の返却 ${version}` }), reason: '用途の記入誤り' });
    for (const other of ['u-sato', 'u-yamada', 'u-matsumoto']) {
      const error = await refusal(updateLogbookEntry(t.deps, person(other), 'L1', 'site-tokyo', '2026-11', entry.id, change(1)));
      expect(error.status).toBe(403);
    }
    expect(t.logbooks.commits).toHaveLength(1);
    await updateLogbookEntry(t.deps, person('u-yamaguchi'), 'L1', 'site-tokyo', '2026-11', entry.id, change(1));
  });

  it('lets the security manager’s nominee of a site correct where the article allows a nominee', async () => {
    const t = inMemoryDeps({ start: NOW });
    const nominee = { ...person('u-tanaka'), id: 'u-nominee', siteId: 'site-tokyo', roles: [{ role: 'logbookReviewer', scope: { kind: 'site', id: 'site-osaka' } }] } as unknown as Person;
    const { entry: l1 } = await addLogbookEntry(t.deps, person('u-saito'), 'L1', 'site-osaka', '2026-11', { date: '2026-11-25', fields: cabinet() });
    const { entry: l4 } = await addLogbookEntry(t.deps, person('u-saito'), 'L4', 'site-osaka', '2026-11', { date: '2026-11-25', fields: { purpose: '点検', enteredAt: '09:00' } });
    const corrected = await updateLogbookEntry(t.deps, nominee, 'L1', 'site-osaka', '2026-11', l1.id, { version: 1, fields: cabinet({ purpose: '点検書類の確認' }), reason: '用途の記入誤り' });
    expect(corrected.entry.updatedBy?.id).toBe('u-nominee');
    // A13(1) names the security manager alone.
    const error = await refusal(updateLogbookEntry(t.deps, nominee, 'L4', 'site-osaka', '2026-11', l4.id, { version: 1, fields: { purpose: '点検（訂正）', enteredAt: '09:00' }, reason: '訂正' }));
    expect(error.status).toBe(403);
  });

  it('lets the system administrator correct the access log review they keep', async () => {
    const t = inMemoryDeps({ start: NOW });
    const fields = { system: '基幹DBサーバ', periodFrom: '2026-10-01', periodTo: '2026-10-31', result: 'normal' };
    const { entry } = await addLogbookEntry(t.deps, person('u-yamaguchi'), 'L5', 'site-tokyo', '2026-11', { date: '2026-11-02', fields });
    const { entry: corrected } = await updateLogbookEntry(t.deps, person('u-matsumoto'), 'L5', 'site-tokyo', '2026-11', entry.id, {
      version: 1,
      fields: { ...fields, result: 'irregular', note: '10/12 のログが欠落。原因を調査中。' },
      reason: '確認結果の訂正',
    });
    expect(corrected.fields.result).toBe('irregular');
  });

  it('answers 409 to a change made on a version someone else has changed, and writes nothing', async () => {
    const { t, entry } = await opened();
    await updateLogbookEntry(t.deps, person('u-sato'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:40' } });
    const before = t.logbooks.snapshot();
    const error = await refusal(updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:45' } }));
    expect(error.status).toBe(409);
    expect(error.messages.en).toBe('Someone else changed this entry; reload it.');
    expect(t.logbooks.snapshot()).toEqual(before);
  });

  it('answers 409 when another change lands between the read and the write', async () => {
    const { t, entry } = await opened();
    let slipped = false;
    t.logbooks.beforeCommit = async () => {
      if (slipped) return;
      slipped = true;
      await updateLogbookEntry(t.deps, person('u-sato'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:40' } });
    };
    const error = await refusal(updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '09:45' } }));
    expect(error.status).toBe(409);
    expect((await t.logbooks.get('L1', 'site-tokyo', '2026-11', entry.id))?.fields.lockedAt).toBe('09:40');
  });

  it('records nothing when nothing changed', async () => {
    const { t, entry } = await opened();
    const { entry: same } = await updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: cabinet() });
    expect(same.version).toBe(1);
    expect(t.logbooks.commits).toHaveLength(1);
  });

  it('records the visitor’s exit and the card’s return in one completion', async () => {
    const t = inMemoryDeps({ start: NOW });
    const fields = { visitorName: '佐々木 一郎', company: '富士見システム', purpose: '保守点検', guestCard: 'G-03', escortId: 'u-tanaka', entryAt: '09:30', cardReturned: false };
    const { entry } = await addLogbookEntry(t.deps, person('u-tanaka'), 'L3', 'site-tokyo', '2026-11', { date: '2026-11-25', fields });
    expect(entry.open.map((item) => item.field)).toEqual(['exitAt', 'cardReturned']);
    const { entry: left } = await updateLogbookEntry(t.deps, person('u-sato'), 'L3', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...fields, exitAt: '11:00', cardReturned: true } });
    expect(left.open).toEqual([]);
    const history = await t.logbooks.history((await t.logbooks.get('L3', 'site-tokyo', '2026-11', entry.id)) as LogbookEntry);
    expect(history[1]).toMatchObject({ action: 'logbook.entry.completed', before: { exitAt: null, cardReturned: false }, after: { exitAt: '11:00', cardReturned: true } });
  });
});

describe('reading logbooks', () => {
  it('lists a month oldest first, with open items marked', async () => {
    const t = inMemoryDeps({ start: NOW });
    const enter = (date: string, enteredAt: string, exitedAt?: string) =>
      addLogbookEntry(t.deps, person('u-yamada'), 'L4', 'site-tokyo', '2026-11', { date, fields: { purpose: 'バックアップ媒体の交換', enteredAt, ...(exitedAt ? { exitedAt } : {}) } });
    await enter('2026-11-20', '15:00', '15:20');
    await enter('2026-11-20', '09:00');
    await enter('2026-11-04', '13:00', '13:10');
    const month = await logbookMonth(t.deps, person('u-tanaka'), 'server-room-access', 'site-tokyo', '2026-11');
    expect(month.entries.map((e) => `${e.date} ${String(e.fields.enteredAt)}`)).toEqual(['2026-11-04 13:00', '2026-11-20 09:00', '2026-11-20 15:00']);
    expect(month.entries.map((e) => e.open.map((item) => item.label.ja))).toEqual([[], ['未退室'], []]);
    expect(month).toMatchObject({ site: { id: 'site-tokyo' }, closed: false, mayRecord: true, logbook: { id: 'L4', articles: [{ ref: 'A13(1)' }] } });
  });

  it('shows a site’s logbook to its people and the reviewers, not to another site', async () => {
    const { t } = await opened();
    expect((await refusal(logbookMonth(t.deps, person('u-takahashi'), 'L1', 'site-tokyo', '2026-11'))).status).toBe(403);
    expect((await logbookMonth(t.deps, person('u-yamaguchi'), 'L1', 'site-tokyo', '2026-11')).entries).toHaveLength(1);
    expect((await refusal(logbookMonth(t.deps, person('u-tanaka'), 'L9', 'site-tokyo', '2026-11'))).status).toBe(404);
    expect((await refusal(logbookMonth(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-13'))).status).toBe(400);
  });

  it('offers the site’s people as escorts on the visitor reception log', async () => {
    const t = inMemoryDeps({ start: NOW });
    const month = await logbookMonth(t.deps, person('u-takahashi'), 'L3', 'site-sendai', '2026-11');
    expect(month.people?.map((p) => p.id)).toEqual(['u-abe', 'u-takahashi']);
  });

  it('lists the logbooks with the person’s site and this month’s open entries and today’s records', async () => {
    const { t, entry } = await opened();
    await opened(t, 'u-tanaka', '2026-11-10');
    await updateLogbookEntry(t.deps, person('u-tanaka'), 'L1', 'site-tokyo', '2026-11', entry.id, { version: 1, fields: { ...cabinet(), lockedAt: '10:00' } });
    const page = await listLogbooks(t.deps, person('u-tanaka'));
    expect(page).toMatchObject({ today: '2026-11-25', month: '2026-11', site: { id: 'site-tokyo' }, sites: [{ id: 'site-tokyo' }] });
    expect(page.logbooks.map((l) => l.id)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
    expect(page.logbooks[0]).toMatchObject({ slug: 'cabinet-locking', mayRecord: true, thisMonth: { entries: 2, open: 1, today: 1 } });
    expect(page.logbooks[4].mayRecord).toBe(false);
    // IT infrastructure keeps every site's logbooks: every site is offered.
    expect((await listLogbooks(t.deps, person('u-yamada'))).sites.map((s) => s.id)).toEqual(['site-tokyo', 'site-sendai', 'site-osaka']);
    // The system administrator keeps L5 everywhere, and opens the other logbooks of their own site only.
    const matsumoto = await listLogbooks(t.deps, person('u-matsumoto'));
    expect(matsumoto.logbooks.find((l) => l.id === 'L5')).toMatchObject({ mayRecord: true, sites: ['site-tokyo', 'site-sendai', 'site-osaka'] });
    expect(matsumoto.logbooks.find((l) => l.id === 'L1')?.sites).toEqual(['site-tokyo']);
  });
});
