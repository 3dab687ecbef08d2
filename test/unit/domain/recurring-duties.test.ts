import { describe, expect, it } from 'vitest';
import { ledgerEntries } from '../../../functions/domain/approval';
import { verifyChain } from '../../../functions/domain/audit';
import type { Duty } from '../../../functions/domain/duties';
import { confirmDuty, dutyCalendar, dutyDetail } from '../../../functions/domain/duty-calendar';
import { remindDuties } from '../../../functions/domain/duty-reminders';
import type { LedgerItem } from '../../../functions/domain/ledgers';
import { addMonths, lastEndedPeriod, openRecurringDuties, passwordDueOn } from '../../../functions/domain/recurring-duties';
import type { Deps } from '../../../functions/domain/ports';
import type { UserId } from '../../../functions/ledgers/user-ids';
import type { TestDeps } from './in-memory-deps';
import { inMemoryDeps, person } from './in-memory-deps';

// 09:00 in Japan on a given date.
const morning = (date: string) => `${date}T00:00:00.000Z`;

const KATO = 'password.mail:kato.2026-11-11';
const ITO = 'password.network:ito.2026-12-04';
const TANAKA = 'password.core-business:tanaka.2026-12-01';
const YOSHIDA = 'id-deletion.dev-db:yoshida.2026-11-30';
const PERIODIC = ['usage.servers.2026H1', 'usage.clients.2026H1', 'usage.server-products.2026H1', 'usage.client-products.2026H1', 'audit.client-audit.FY2025'];

/** The demo ledgers on Wed 2026-11-25, after the daily run opened what they call for. */
async function afterFirstRun(): Promise<TestDeps> {
  const t = inMemoryDeps({ start: morning('2026-11-25') });
  await openRecurringDuties(t.deps);
  return t;
}

const duty = async (t: TestDeps, id: string): Promise<Duty> => {
  const found = await t.duties.get(id);
  if (!found) throw new Error(`no duty ${id}`);
  return found;
};

const userId = (t: TestDeps, id: string) => t.ledgers.peek('user-ids', id) as unknown as UserId;

/** A direct edit of a user ID in the ledger, as IT infrastructure makes one on the ledger page. */
async function editId(t: TestDeps, id: string, change: Partial<UserId>) {
  const before = (await t.ledgers.getVersioned('user-ids', id))!;
  const after = { ...before.item, ...change } as LedgerItem;
  await t.ledgers.commit(ledgerEntries([{ kind: 'update', ledger: 'user-ids', before, after, summary: { ja: '直接編集', en: 'Edited' } }], '', t.clock.now().toISOString()));
}

describe('the dates of the recurring duties', () => {
  it('counts six months from the day the password was last set in Japan, the last day of a shorter month standing in', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-11-11', 1)).toBe('2026-12-11');
    // 15:30 UTC on 5/31 is already 6/1 in Japan.
    expect(passwordDueOn({ issuedAt: '2026-05-31T15:30:00.000Z' })).toBe('2026-12-01');
    expect(passwordDueOn({ issuedAt: '2025-01-10T00:00:00.000Z', passwordChangedAt: '2026-05-11T00:00:00.000Z' })).toBe('2026-11-11');
  });

  it('takes the halves of the fiscal year (April–September, October–March) and the fiscal year that ended last', () => {
    expect(lastEndedPeriod('half-year', '2026-11-25')).toMatchObject({ id: '2026H1', from: '2026-04-01', to: '2026-09-30' });
    expect(lastEndedPeriod('half-year', '2026-10-01').id).toBe('2026H1');
    expect(lastEndedPeriod('half-year', '2026-09-30').id).toBe('2025H2');
    expect(lastEndedPeriod('half-year', '2027-04-01')).toMatchObject({ id: '2026H2', from: '2026-10-01', to: '2027-03-31' });
    expect(lastEndedPeriod('half-year', '2027-03-31').id).toBe('2026H1');
    expect(lastEndedPeriod('fiscal-year', '2026-11-25')).toMatchObject({ id: 'FY2025', from: '2025-04-01', to: '2026-03-31' });
    expect(lastEndedPeriod('fiscal-year', '2026-03-31').id).toBe('FY2024');
    expect(lastEndedPeriod('half-year', '2026-11-25').label.ja).toBe('2026年度上期（2026/04/01〜2026/09/30）');
  });
});

describe('the daily run that opens the recurring duties', () => {
  it('opens a password change for every active ID, due six months after its last change and assigned to its owner', async () => {
    const t = await afterFirstRun();
    expect(await duty(t, TANAKA)).toMatchObject({
      kind: 'password-change',
      status: 'open',
      dueOn: '2026-12-01',
      assignees: [{ id: 'u-tanaka' }],
      articles: ['A17-2'],
      path: `#/duties/${TANAKA}`,
      subject: { ledger: 'user-ids', itemId: 'core-business:tanaka' },
    });
    // Overdue since 11/11; the 14-day reminder of 伊藤's (11/20) lies in the past, so both are looked at tomorrow.
    expect(await duty(t, KATO)).toMatchObject({ dueOn: '2026-11-11', assignees: [{ id: 'u-kato' }], remindOn: '2026-11-26' });
    expect(await duty(t, ITO)).toMatchObject({ dueOn: '2026-12-04', remindOn: '2026-11-26' });
    // The suspended ID needs no more password changes.
    expect([...t.duties.duties.keys()].filter((id) => id.startsWith('password.dev-db:yoshida'))).toEqual([]);
  });

  it('opens the deletion of a suspended ID on its scheduled date, for the system administrator', async () => {
    const t = await afterFirstRun();
    expect(await duty(t, YOSHIDA)).toMatchObject({ kind: 'id-deletion', dueOn: '2026-11-30', remindOn: '2026-11-30', assignees: [{ id: 'u-matsumoto' }], role: 'sysAdmin', articles: ['A16-5'] });
  });

  it('opens nothing twice when it runs again', async () => {
    const t = await afterFirstRun();
    const count = t.duties.duties.size;
    expect(count).toBe(6 + 1 + PERIODIC.length);
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 0, reopened: 0, cancelled: 0 });
    expect(t.duties.duties.size).toBe(count);
    t.clock.set(morning('2026-11-26'));
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 0, reopened: 0, cancelled: 0 });
  });

  it('cancels the password change of an ID once it is suspended, and gives it back when the suspension is lifted', async () => {
    const t = await afterFirstRun();
    await editId(t, 'core-business:tanaka', { status: 'suspended', suspendedAt: '2026-11-25T02:00:00.000Z', scheduledDeletionOn: '2026-12-10' });
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 1, reopened: 0, cancelled: 1 });
    expect((await duty(t, TANAKA)).status).toBe('cancelled');
    expect(await duty(t, 'id-deletion.core-business:tanaka.2026-12-10')).toMatchObject({ status: 'open', dueOn: '2026-12-10' });

    // Lifted: the deletion is cancelled and the same password change is open again.
    await editId(t, 'core-business:tanaka', { status: 'active', suspendedAt: undefined, scheduledDeletionOn: undefined });
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 0, reopened: 1, cancelled: 1 });
    expect((await duty(t, 'id-deletion.core-business:tanaka.2026-12-10')).status).toBe('cancelled');
    const reopened = await duty(t, TANAKA);
    expect(reopened).toMatchObject({ status: 'open', remindOn: '2026-11-26', remindCount: 0 });
    const { history } = await dutyDetail(t.deps, person('u-tanaka'), TANAKA);
    expect(history.map((event) => event.action)).toEqual(['duty.opened', 'duty.cancelled', 'duty.reopened']);
    expect(verifyChain(history)).toBeNull();
  });

  it('moves a deletion to a new scheduled date, and cancels it when the ID is deleted by a request', async () => {
    const t = await afterFirstRun();
    await editId(t, 'dev-db:yoshida', { scheduledDeletionOn: '2026-12-15' });
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 1, reopened: 0, cancelled: 1 });
    expect((await t.duties.history(YOSHIDA)).at(-1)?.summary.ja).toContain('削除予定日が変わったため');
    await editId(t, 'dev-db:yoshida', { status: 'deleted', deletedAt: '2026-11-25T03:00:00.000Z' });
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 0, reopened: 0, cancelled: 1 });
    expect((await duty(t, 'id-deletion.dev-db:yoshida.2026-12-15')).status).toBe('cancelled');
  });

  it('follows a password date corrected in the ledger: the old change is cancelled, the new one opened', async () => {
    const t = await afterFirstRun();
    await editId(t, 'mail:kato', { passwordChangedAt: '2026-11-20T01:00:00.000Z' });
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 1, reopened: 0, cancelled: 1 });
    expect((await duty(t, KATO)).status).toBe('cancelled');
    expect((await duty(t, 'password.mail:kato.2027-05-20')).status).toBe('open');
  });
});

describe('a password reminder and its escalation', () => {
  it('reminds the owner 14 days before, and tells the system administrator once the change is overdue', async () => {
    const t = await afterFirstRun();
    t.clock.set(morning('2026-11-26'));
    // Reminded: 伊藤 and the four core-business IDs due 12/1; escalated: 加藤 and the five analyses and audits due long ago.
    expect(await remindDuties(t.deps)).toEqual({ reminded: 5, escalated: 6 });
    // 伊藤: due 12/4, within its 14 days — a reminder, not yet overdue.
    const ito = t.mailer.to('ito@example.co.jp').filter((mail) => mail.subject.includes('パスワード変更'));
    expect(ito.map((mail) => mail.subject)).toEqual(['【期限のお知らせ】パスワード変更（ito / 社内ネットワーク）（期限 2026-12-04）']);
    expect(ito[0].text).toContain(`/#/duties/${ITO}`);
    // 加藤: due 11/11 — escalated to the system administrator, and told it is overdue.
    expect(t.mailer.to('kato@example.co.jp').map((mail) => mail.subject)).toEqual(['【期限超過】パスワード変更（kato / メール）（期限 2026-11-11）']);
    const escalation = t.mailer.to('matsumoto@example.co.jp').filter((mail) => mail.subject.includes('kato'));
    expect(escalation.map((mail) => mail.subject)).toEqual(['【上申】パスワード変更（kato / メール）（期限 2026-11-11）']);
    expect((await duty(t, KATO)).escalatedTo?.map((p) => p.id)).toEqual(['u-matsumoto']);
    // The escalated administrator may now see it and confirm it; a colleague may not.
    await expect(dutyDetail(t.deps, person('u-takahashi'), KATO)).rejects.toMatchObject({ status: 404 });
  });

  it('reminds again every three working days until the change is confirmed, then stops', async () => {
    const t = await afterFirstRun();
    const itoMails = () => t.mailer.to('ito@example.co.jp').filter((mail) => mail.subject.includes('パスワード変更')).length;
    const remindedOn: string[] = [];
    for (const date of ['2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
      t.clock.set(morning(date));
      const before = itoMails();
      await remindDuties(t.deps);
      if (itoMails() > before) remindedOn.push(date);
      if (date === '2026-12-01') await confirmDuty(t.deps, person('u-ito'), ITO, { version: (await duty(t, ITO)).version, note: '変更しました' });
    }
    // Thu 11/26, then 3 working days on: Tue 12/1, confirmed that day, so nothing on Fri 12/4.
    expect(remindedOn).toEqual(['2026-11-26', '2026-12-01']);
    expect((await duty(t, ITO)).status).toBe('done');
  });
});

describe('confirming a password change', () => {
  it('records the change on the ID and opens the next one six months on, in one transaction', async () => {
    const t = await afterFirstRun();
    t.clock.set('2026-11-25T05:00:00.000Z');
    const done = await confirmDuty(t.deps, person('u-kato'), KATO, { version: 1, note: '変更しました' });
    expect(done).toMatchObject({ status: 'done', doneBy: { id: 'u-kato' }, version: 2 });
    expect(userId(t, 'mail:kato').passwordChangedAt).toBe('2026-11-25T05:00:00.000Z');
    const next = await duty(t, 'password.mail:kato.2027-05-25');
    expect(next).toMatchObject({ status: 'open', dueOn: '2027-05-25', assignees: [{ id: 'u-kato' }], remindOn: '2027-05-11' });
    // The ID's own history says who confirmed it, and the chain holds.
    const history = await t.ledgers.history('user-ids', 'mail:kato');
    expect(history.at(-1)).toMatchObject({ action: 'updated', actor: { id: 'u-kato' }, after: { passwordChangedAt: '2026-11-25T05:00:00.000Z' } });
    expect(history.at(-1)?.summary.ja).toContain('次回期限 2027-05-25');
    expect(verifyChain(history)).toBeNull();
    // The next daily run finds everything in place.
    expect(await openRecurringDuties(t.deps)).toEqual({ opened: 0, reopened: 0, cancelled: 0 });
  });

  it('lets the system administrator confirm it for the owner, the next change still being the owner\'s', async () => {
    const t = await afterFirstRun();
    await confirmDuty(t.deps, person('u-matsumoto'), KATO, { version: 1 });
    expect((await duty(t, 'password.mail:kato.2027-05-25')).assignees.map((p) => p.id)).toEqual(['u-kato']);
  });

  it('refuses a confirmation against an older version and changes nothing', async () => {
    const t = await afterFirstRun();
    const before = userId(t, 'mail:kato');
    await expect(confirmDuty(t.deps, person('u-kato'), KATO, { version: 2 })).rejects.toMatchObject({ status: 409 });
    expect(userId(t, 'mail:kato')).toEqual(before);
    expect((await duty(t, KATO)).status).toBe('open');
    expect(t.duties.duties.has('password.mail:kato.2027-05-25')).toBe(false);
  });

  it('writes nothing when the ID changed between reading it and confirming: all or nothing', async () => {
    const t = await afterFirstRun();
    // Someone edits the ID while the confirmation is being written.
    const racing: Deps = {
      ...t.deps,
      duties: Object.assign(Object.create(t.duties) as typeof t.duties, {
        commit: async (...args: Parameters<typeof t.duties.commit>) => {
          await editId(t, 'mail:kato', { accessRights: 'メール（送受信・共有フォルダ）' });
          return t.duties.commit(...args);
        },
      }),
    };
    await expect(confirmDuty(racing, person('u-kato'), KATO, { version: 1 })).rejects.toMatchObject({ status: 409 });
    expect((await duty(t, KATO)).status).toBe('open');
    expect(userId(t, 'mail:kato').passwordChangedAt).toBe('2026-05-11T00:00:00.000Z');
    expect(t.duties.duties.has('password.mail:kato.2027-05-25')).toBe(false);
  });

  it('refuses a confirmation on the day the password was set, which would open the same change again', async () => {
    const t = await afterFirstRun();
    await confirmDuty(t.deps, person('u-kato'), KATO, { version: 1 });
    await expect(confirmDuty(t.deps, person('u-kato'), 'password.mail:kato.2027-05-25', { version: 1 })).rejects.toMatchObject({
      status: 409,
      messages: { ja: expect.stringContaining('第17条第2項') },
    });
  });

  it('refuses a colleague who is neither the owner nor an administrator, as if the duty did not exist', async () => {
    const t = await afterFirstRun();
    await expect(confirmDuty(t.deps, person('u-tanaka'), KATO, { version: 1 })).rejects.toMatchObject({ status: 404 });
  });
});

describe('confirming the deletion of a suspended ID', () => {
  it('marks the ID deleted and frees the person for a new ID on that system, in one transaction', async () => {
    const t = await afterFirstRun();
    expect(t.ledgers.claims.has('user-ids#dev-db#person#u-yoshida')).toBe(true);
    t.clock.set(morning('2026-11-30'));
    const done = await confirmDuty(t.deps, person('u-matsumoto'), YOSHIDA, { version: 1, note: '削除しました' });
    expect(done.status).toBe('done');
    expect(userId(t, 'dev-db:yoshida')).toMatchObject({ status: 'deleted', deletedAt: '2026-11-30T00:00:00.000Z', scheduledDeletionOn: '2026-11-30' });
    expect(t.ledgers.claims.has('user-ids#dev-db#person#u-yoshida')).toBe(false);
    expect(t.ledgers.claims.has('user-ids#dev-db#login#yoshida')).toBe(false);
    expect((await t.ledgers.history('user-ids', 'dev-db:yoshida')).at(-1)?.actor?.id).toBe('u-matsumoto');
  });

  it('refuses the deletion of an ID whose suspension was lifted meanwhile', async () => {
    const t = await afterFirstRun();
    await editId(t, 'dev-db:yoshida', { status: 'active', scheduledDeletionOn: undefined });
    await expect(confirmDuty(t.deps, person('u-matsumoto'), YOSHIDA, { version: 1 })).rejects.toMatchObject({ status: 409 });
    expect(userId(t, 'dev-db:yoshida').status).toBe('active');
  });

  it('is not the owner\'s to confirm', async () => {
    const t = await afterFirstRun();
    await expect(confirmDuty(t.deps, person('u-yoshida'), YOSHIDA, { version: 1 })).rejects.toMatchObject({ status: 404 });
  });
});

describe('periodic usage analyses and internal audits', () => {
  it('opens one of each for IT infrastructure for the period that ended last, due at the end of the month after', async () => {
    const t = await afterFirstRun();
    for (const id of PERIODIC) expect((await duty(t, id)).assignees.map((p) => p.id)).toEqual(['u-ito', 'u-yamada']);
    expect(await duty(t, 'usage.servers.2026H1')).toMatchObject({ kind: 'usage-analysis', dueOn: '2026-10-31', articles: ['S11'], title: { ja: 'サーバ利用状況の把握と分析（2026年度上期）' } });
    expect(await duty(t, 'audit.client-audit.FY2025')).toMatchObject({ kind: 'internal-audit', dueOn: '2026-06-30', articles: ['S17-6'] });
  });

  it('attaches the ledger figures of the period: counts by site and status, and licence seats bought, used and free', async () => {
    const t = await afterFirstRun();
    const servers = (await duty(t, 'usage.servers.2026H1')).figures!;
    expect(servers.period).toMatchObject({ id: '2026H1', from: '2026-04-01', to: '2026-09-30' });
    expect(servers.tables[0].columns.map((c) => c.ja)).toEqual(['稼働中', '計画中', '廃止', '計']);
    expect(servers.tables[0].rows).toEqual([
      { label: { ja: 'site-tokyo', en: 'site-tokyo' }, values: [4, 0, 0, 4] },
      { label: { ja: '合計', en: 'Total' }, values: [4, 0, 0, 4] },
    ]);
    const products = (await duty(t, 'usage.client-products.2026H1')).figures!;
    const seats = products.tables.find((table) => table.ledger === 'licences')!;
    expect(seats.rows.map((row) => [row.label.ja, ...row.values])).toEqual([
      ['基幹ERP クライアントライセンス', 5, 3, 0, 2],
      ['Excel ボリュームライセンス', 50, 3, 0, 47],
    ]);
    const installed = products.tables[0];
    expect(installed.rows.find((row) => row.label.ja === 'Microsoft Excel')?.values).toEqual([3, 0, 0, 1]);
    const audit = (await duty(t, 'audit.client-audit.FY2025')).figures!;
    // The personal MacBook at Tokyo is counted; no managed product sits on a personal device.
    expect(audit.tables[0].rows.find((row) => row.label.ja === 'site-tokyo / dep-sales')?.values).toEqual([3, 1, 1, 2]);
    expect(audit.tables[1].rows.at(-1)?.values).toEqual([6, 0]);
  });

  it('is completed with a note of the findings, never without one', async () => {
    const t = await afterFirstRun();
    await expect(confirmDuty(t.deps, person('u-yamada'), 'usage.servers.2026H1', { version: 1 })).rejects.toMatchObject({
      status: 400,
      issues: [{ path: 'note', messages: { ja: expect.stringContaining('所見') } }],
    });
    const done = await confirmDuty(t.deps, person('u-yamada'), 'usage.servers.2026H1', { version: 1, note: 'CPU使用率は平均40%。増強は不要。' });
    expect(done).toMatchObject({ status: 'done', note: 'CPU使用率は平均40%。増強は不要。' });
  });

  it('shows on the calendar of IT infrastructure as overdue from an earlier month', async () => {
    const t = await afterFirstRun();
    const calendar = await dutyCalendar(t.deps, person('u-yamada'), '2026-11');
    expect(calendar.overdueEarlier.map((d) => d.id)).toEqual(expect.arrayContaining(PERIODIC));
    expect(calendar.due.find((d) => d.id === KATO)).toMatchObject({ overdue: true });
    // 田中 sees only his own.
    const mine = await dutyCalendar(t.deps, person('u-tanaka'), '2026-12');
    expect(mine.due.map((d) => d.id)).toEqual([TANAKA]);
    expect(mine.overdueEarlier).toEqual([]);
  });
});

