import { describe, expect, it } from 'vitest';
import { openDuty } from '../../../functions/domain/duties';
import { remindDuties } from '../../../functions/domain/duty-reminders';
import { StaleWriteError } from '../../../functions/domain/errors';
import { checkOutMedia, getCheckout, listCheckouts, overdueOf, returnDutyDraft, returnMedia } from '../../../functions/domain/media-checkouts';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps, person } from './in-memory-deps';
import { refusal } from './refusal';

const emailOf = (id: string) => person(id).email;

/** 田中 takes his laptop to a customer on Wednesday 2026-11-25, back on Friday 2026-11-27. */
const laptop = (overrides: Record<string, unknown> = {}) => ({
  mediaKind: 'laptop',
  clientId: 'pc-tokyo-001',
  purpose: '顧客先でのデモ',
  destination: '株式会社サンプル 大阪本社',
  expectedReturnOn: '2026-11-27',
  ...overrides,
});

const hayashi = () => person('u-hayashi'); // 総務部門の責任者

/** The clock at 09:00 Japan time on a date. */
const at9 = (t: TestDeps, date: string) => t.clock.set(`${date}T00:00:00.000Z`);

describe('a laptop checkout (C2)', () => {
  it('is recorded with a return duty due on the expected date, assigned to the borrower and kept by 総務, in one write', async () => {
    const t = inMemoryDeps();
    const checkout = await checkOutMedia(t.deps, person('u-tanaka'), laptop());
    expect(checkout).toMatchObject({
      status: 'out',
      borrower: { id: 'u-tanaka' },
      recordedBy: { id: 'u-tanaka' },
      siteId: 'site-tokyo',
      item: { clientId: 'pc-tokyo-001', name: '営業部 端末1（pc-tokyo-001）' },
      expectedReturnOn: '2026-11-27',
      overdue: false,
    });
    expect(checkout.id).toMatch(/^MC-20261125-[A-Z]{6}$/);
    const duty = t.duties.duties.get(checkout.dutyId);
    expect(duty).toMatchObject({
      kind: 'media-return',
      status: 'open',
      dueOn: '2026-11-27',
      role: 'generalAffairs',
      assignees: [{ id: 'u-tanaka' }],
      articles: ['A11(5)'],
      path: `#/cases/media/${checkout.id}`,
    });
    expect((await t.cases.history(`media-checkout#${checkout.id}`)).map((e) => e.action)).toEqual(['media.checked-out']);
  });

  it('reminds the borrower once the return is late and tells 総務, through the daily duty run', async () => {
    const t = inMemoryDeps();
    const checkout = await checkOutMedia(t.deps, person('u-tanaka'), laptop());

    for (const day of ['2026-11-25', '2026-11-26', '2026-11-27']) {
      at9(t, day);
      expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    }
    expect(t.mailer.sent).toEqual([]);

    // Saturday and Sunday pass; on Monday 11-30 the return is late.
    at9(t, '2026-11-30');
    expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 1 });
    const [toBorrower] = t.mailer.to(emailOf('u-tanaka'));
    const [toGeneralAffairs] = t.mailer.to(emailOf('u-hayashi'));
    expect(toBorrower.subject).toContain('【期限超過】');
    expect(toBorrower.text).toContain(`/#/cases/media/${checkout.id}`);
    expect(toGeneralAffairs.subject).toContain('【上申】');
    expect(t.mailer.sent).toHaveLength(2);
    expect((await getCheckout(t.deps, person('u-tanaka'), checkout.id))).toMatchObject({ overdue: true, daysOverdue: 3, duty: { status: 'open', escalatedAt: expect.any(String) } });

    // The next working day it reminds again; the same day twice sends nothing twice.
    at9(t, '2026-12-01');
    expect(await remindDuties(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 0 });
  });

  it('is returned by 総務, which completes the return duty in the same write, and no reminder follows', async () => {
    const t = inMemoryDeps();
    const checkout = await checkOutMedia(t.deps, person('u-tanaka'), laptop());
    at9(t, '2026-11-27');
    const returned = await returnMedia(t.deps, hayashi(), checkout.id, { version: 1, note: '外観に異常なし' });
    expect(returned).toMatchObject({ status: 'returned', returnedTo: { id: 'u-hayashi' }, returnNote: '外観に異常なし', overdue: false, version: 2 });
    expect(t.duties.duties.get(checkout.dutyId)).toMatchObject({ status: 'done', doneBy: { id: 'u-hayashi' } });
    expect((await t.cases.history(`media-checkout#${checkout.id}`)).map((e) => e.action)).toEqual(['media.checked-out', 'media.returned']);
    at9(t, '2026-11-30');
    expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    expect(t.mailer.sent).toEqual([]);
  });

  it('lets only 総務 record the return, once, at the version shown', async () => {
    const t = inMemoryDeps();
    const checkout = await checkOutMedia(t.deps, person('u-tanaka'), laptop());
    for (const id of ['u-tanaka', 'u-yamada', 'u-sato']) expect((await refusal(returnMedia(t.deps, person(id), checkout.id, { version: 1 }))).status).toBe(403);
    expect((await refusal(returnMedia(t.deps, hayashi(), checkout.id, { version: 5 }))).status).toBe(409);
    await returnMedia(t.deps, hayashi(), checkout.id, { version: 1 });
    const again = await refusal(returnMedia(t.deps, hayashi(), checkout.id, { version: 2 }));
    expect(again.status).toBe(409);
    expect(again.messages.ja).toContain('返却済み');
    expect((await refusal(returnMedia(t.deps, hayashi(), 'MC-20261125-ZZZZZZ', { version: 1 }))).status).toBe(404);
  });

  it('refuses a client from the ledger that is out already, and lends it again once it is back', async () => {
    const t = inMemoryDeps();
    const first = await checkOutMedia(t.deps, person('u-tanaka'), laptop());
    const twice = await refusal(checkOutMedia(t.deps, person('u-watanabe'), laptop()));
    expect(twice.status).toBe(409);
    expect(twice.messages.ja).toContain('持ち出し中');
    expect(t.cases.checkoutsById.size).toBe(1);
    expect([...t.duties.duties.values()]).toHaveLength(1);
    await returnMedia(t.deps, hayashi(), first.id, { version: 1 });
    await expect(checkOutMedia(t.deps, person('u-watanabe'), laptop())).resolves.toMatchObject({ borrower: { id: 'u-watanabe' } });
  });

  it('writes nothing when its duty cannot be written', async () => {
    const t = inMemoryDeps();
    // A duty already stands under the id the next checkout's duty would take.
    const taken = returnDutyDraft({ id: 'MC-20261125-AAAAAA', item: { name: 'x' }, borrower: person('u-tanaka'), expectedReturnOn: '2026-11-27' });
    await t.duties.commit([openDuty(taken, '2026-11-24T00:00:00.000Z', null)]);
    await expect(checkOutMedia(t.deps, person('u-tanaka'), laptop())).rejects.toBeInstanceOf(StaleWriteError);
    expect(t.cases.checkoutsById.size).toBe(0);
    expect(t.cases.locks.size).toBe(0);
  });

  it('is refused with field-level messages when the medium is not named or the date is not possible', async () => {
    const t = inMemoryDeps();
    const error = await refusal(checkOutMedia(t.deps, person('u-tanaka'), laptop({ clientId: undefined, expectedReturnOn: '2026-11-24', purpose: '' })));
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.path)).toEqual(['purpose']);
    const rules = await refusal(checkOutMedia(t.deps, person('u-tanaka'), laptop({ clientId: undefined, expectedReturnOn: '2026-11-24' })));
    expect(rules.issues).toEqual([
      { path: 'name', messages: expect.objectContaining({ ja: '持ち出す機器の名称・管理番号を入力するか、クライアント台帳から選んでください。' }) },
      { path: 'expectedReturnOn', messages: { ja: '返却予定日は今日以降にしてください。', en: 'The expected return cannot be in the past.' } },
    ]);
    const unknown = await refusal(checkOutMedia(t.deps, person('u-tanaka'), laptop({ clientId: 'pc-nowhere', expectedReturnOn: '2028-01-01' })));
    expect(unknown.issues.map((i) => i.path)).toEqual(['clientId', 'expectedReturnOn']);
    expect(t.cases.checkoutsById.size).toBe(0);
  });

  it('takes a medium named in words, such as a USB stick', async () => {
    const t = inMemoryDeps();
    const usb = await checkOutMedia(t.deps, person('u-tanaka'), { mediaKind: 'usb', name: 'USB-017（暗号化）', purpose: '展示会データの持参', destination: '東京ビッグサイト', expectedReturnOn: '2026-11-25' });
    expect(usb.item).toEqual({ name: 'USB-017（暗号化）' });
  });

  it('is recorded for someone else only by 総務', async () => {
    const t = inMemoryDeps();
    expect((await refusal(checkOutMedia(t.deps, person('u-watanabe'), laptop({ borrowerId: 'u-tanaka' })))).status).toBe(403);
    const forTanaka = await checkOutMedia(t.deps, hayashi(), laptop({ borrowerId: 'u-tanaka' }));
    expect(forTanaka).toMatchObject({ borrower: { id: 'u-tanaka' }, recordedBy: { id: 'u-hayashi' } });
    const nobody = await refusal(checkOutMedia(t.deps, hayashi(), laptop({ clientId: 'pc-tokyo-002', borrowerId: 'u-nobody' })));
    expect(nobody.issues.map((i) => i.path)).toEqual(['borrowerId']);
  });
});

describe('reading checkouts', () => {
  it('lists my own to anyone, and every one or those still out (the latest due last) to 総務 and IT infrastructure', async () => {
    const t = inMemoryDeps();
    const late = await checkOutMedia(t.deps, person('u-tanaka'), laptop({ expectedReturnOn: '2026-12-10' }));
    t.clock.advance(60_000);
    const soon = await checkOutMedia(t.deps, person('u-watanabe'), laptop({ clientId: 'pc-tokyo-002', expectedReturnOn: '2026-11-26' }));
    t.clock.advance(60_000);
    const back = await checkOutMedia(t.deps, person('u-watanabe'), { mediaKind: 'usb', name: 'USB-001', purpose: 'p', destination: 'd', expectedReturnOn: '2026-11-25' });
    await returnMedia(t.deps, hayashi(), back.id, { version: 1 });

    expect((await listCheckouts(t.deps, person('u-tanaka'), 'mine', { limit: 50 })).items.map((c) => c.id)).toEqual([late.id]);
    expect((await listCheckouts(t.deps, hayashi(), 'all', { limit: 50 })).items.map((c) => c.id)).toEqual([back.id, soon.id, late.id]);
    at9(t, '2026-11-27');
    const out = await listCheckouts(t.deps, person('u-yamada'), 'out', { limit: 50 });
    expect(out.items.map((c) => [c.id, c.overdue, c.daysOverdue])).toEqual([
      [soon.id, true, 1],
      [late.id, false, 0],
    ]);
    for (const scope of ['all', 'out'] as const) expect((await refusal(listCheckouts(t.deps, person('u-tanaka'), scope, { limit: 50 }))).status).toBe(403);
  });

  it('shows a checkout to its borrower and 総務, not to a colleague', async () => {
    const t = inMemoryDeps();
    const checkout = await checkOutMedia(t.deps, person('u-tanaka'), laptop());
    await expect(getCheckout(t.deps, person('u-tanaka'), checkout.id)).resolves.toMatchObject({ mayRecordReturn: false, history: [expect.objectContaining({ action: 'media.checked-out' })] });
    await expect(getCheckout(t.deps, hayashi(), checkout.id)).resolves.toMatchObject({ mayRecordReturn: true });
    expect((await refusal(getCheckout(t.deps, person('u-watanabe'), checkout.id))).status).toBe(403);
  });

  it('counts a return late from the day after it was expected', () => {
    expect(overdueOf({ status: 'out', expectedReturnOn: '2026-11-27' }, '2026-11-27')).toEqual({ overdue: false, daysOverdue: 0 });
    expect(overdueOf({ status: 'out', expectedReturnOn: '2026-11-27' }, '2026-12-01')).toEqual({ overdue: true, daysOverdue: 4 });
    expect(overdueOf({ status: 'returned', expectedReturnOn: '2026-11-27' }, '2026-12-01')).toEqual({ overdue: false, daysOverdue: 0 });
  });
});
