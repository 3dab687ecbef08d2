import { describe, expect, it } from 'vitest';
import type { Duty, DutyDraft } from '../../../functions/domain/duties';
import { completeDuty, firstRemindOn, openDuty, reminderStep } from '../../../functions/domain/duties';
import { confirmDuty, dutyCalendar, dutyDetail } from '../../../functions/domain/duty-calendar';
import { remindDuties } from '../../../functions/domain/duty-reminders';
import { verifyChain } from '../../../functions/domain/audit';
import { refOf } from '../../../functions/domain/organisation';
import { inMemoryDeps, person } from './in-memory-deps';

// 09:00 in Japan on a given date.
const morning = (date: string) => `${date}T00:00:00.000Z`;

const reviewDraft = (overrides: Partial<DutyDraft> = {}): DutyDraft => ({
  id: 'review.2026-11.L4.site-tokyo',
  kind: 'logbook-review',
  title: { ja: 'サーバルーム入退記録簿 2026年11月分の点検（東京本社）', en: 'Server room log, November 2026 review (Tokyo HQ)' },
  articles: ['A13(1)'],
  assignees: [refOf(person('u-yamaguchi'))],
  role: 'securityManager',
  scopeId: '*',
  // Opened on Tue 12/1; due 10 days later.
  dueOn: '2026-12-11',
  path: '#/reviews/2026-11/L4/site-tokyo',
  subject: { month: '2026-11', logbook: 'L4', siteId: 'site-tokyo' },
  ...overrides,
});

const passwordDraft = (): DutyDraft => ({
  id: 'password.uid-tanaka-mail.2027-05-20',
  kind: 'password-change',
  title: { ja: 'パスワード変更（tanaka / メール）', en: 'Password change (tanaka / mail)' },
  articles: ['A17-2'],
  assignees: [refOf(person('u-tanaka'))],
  role: 'sysAdmin',
  scopeId: '*',
  dueOn: '2027-05-20',
  path: '#/duties/password.uid-tanaka-mail.2027-05-20',
  subject: { ledger: 'user-ids', itemId: 'uid-tanaka-mail' },
});

async function opened(draft: DutyDraft, on: string) {
  const t = inMemoryDeps({ start: morning(on) });
  await t.duties.commit([openDuty(draft, t.clock.now().toISOString(), null)]);
  return t;
}

describe('when a duty is first reminded', () => {
  it('reminds a review 3 working days after it opens, counting over the weekend', () => {
    // Tue 12/1 → Wed 12/2, Thu 12/3, Fri 12/4.
    expect(firstRemindOn(reviewDraft(), '2026-12-01')).toBe('2026-12-04');
  });

  it('reminds a password 14 days before its six months run out', () => {
    // 5/6 is a Thursday (after Golden Week).
    expect(firstRemindOn(passwordDraft(), '2026-11-20')).toBe('2027-05-06');
  });

  it('moves a reminder that falls on a holiday to the next working day', () => {
    // 14 days before 2027-01-17 is Sun 2027-01-03, in the new-year closure; Mon 1/4 is the first working day.
    expect(firstRemindOn({ kind: 'password-change', dueOn: '2027-01-17' }, '2026-12-01')).toBe('2027-01-04');
  });

  it('never reminds in the past when a duty opens late', () => {
    expect(firstRemindOn(passwordDraft(), '2027-05-19')).toBe('2027-05-20');
  });
});

describe('the daily reminder run', () => {
  it('reminds a review every 3 working days and escalates it to the security manager\'s superior on the 10th day', async () => {
    const t = await opened(reviewDraft(), '2026-12-01');
    const id = reviewDraft().id;
    const days: Record<string, { reminded: number; escalated: number }> = {};
    for (const day of ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14']) {
      t.clock.set(morning(day));
      days[day] = await remindDuties(t.deps);
    }
    expect(days['2026-12-02']).toEqual({ reminded: 0, escalated: 0 });
    expect(days['2026-12-04']).toEqual({ reminded: 1, escalated: 0 });
    expect(days['2026-12-09']).toEqual({ reminded: 1, escalated: 0 });
    expect(days['2026-12-11']).toEqual({ reminded: 0, escalated: 1 });
    expect(Object.values(days).reduce((n, d) => n + d.reminded, 0)).toBe(2);

    const duty = (await t.duties.get(id))!;
    expect(duty.escalatedTo?.map((p) => p.id)).toEqual(['u-nakamura']);
    const escalation = t.mailer.to('nakamura@example.co.jp');
    expect(escalation).toHaveLength(1);
    expect(escalation[0].subject).toContain('【上申】');
    expect(escalation[0].text).toContain('/#/reviews/2026-11/L4/site-tokyo');
    // The reviewer hears of it as overdue on the same day.
    expect(t.mailer.to('yamaguchi@example.co.jp').at(-1)?.subject).toContain('【期限超過】');
  });

  it('sends nothing twice when run twice on one day', async () => {
    const t = await opened(reviewDraft(), '2026-12-01');
    t.clock.set(morning('2026-12-04'));
    expect(await remindDuties(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    expect(t.mailer.sent).toHaveLength(1);
  });

  it('reminds the owner of a password 14 days ahead and escalates to the system administrator once it is overdue', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    t.clock.set(morning('2027-05-06'));
    expect(await remindDuties(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    expect(t.mailer.to('tanaka@example.co.jp')[0].subject).toContain('【期限のお知らせ】');

    // Thu 5/6 + 3 working days: Tue 5/11, Fri 5/14, Wed 5/19; due Thu 5/20, escalated on Fri 5/21.
    const runs: string[] = [];
    for (let day = 7; day <= 21; day++) {
      const date = `2027-05-${String(day).padStart(2, '0')}`;
      t.clock.set(morning(date));
      const run = await remindDuties(t.deps);
      if (run.reminded) runs.push(`${date} remind`);
      if (run.escalated) runs.push(`${date} escalate`);
    }
    expect(runs).toEqual(['2027-05-11 remind', '2027-05-14 remind', '2027-05-19 remind', '2027-05-21 escalate']);
    expect(t.mailer.to('tanaka@example.co.jp').at(-1)?.subject).toContain('【期限超過】');
    expect(t.mailer.to('matsumoto@example.co.jp')[0].subject).toContain('【上申】');
    expect((await t.duties.get(passwordDraft().id))!.escalatedTo?.map((p) => p.id)).toEqual(['u-matsumoto']);
  });

  it('leaves a completed duty alone', async () => {
    const t = await opened(reviewDraft(), '2026-12-01');
    const duty = (await t.duties.get(reviewDraft().id))!;
    await t.duties.commit([completeDuty(duty, person('u-yamaguchi'), t.clock.now().toISOString())]);
    t.clock.set(morning('2026-12-14'));
    expect(await remindDuties(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    expect(t.mailer.sent).toHaveLength(0);
  });
});

describe('completing a duty', () => {
  it('refuses someone who is neither assigned nor holds the role', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    const duty = (await t.duties.get(passwordDraft().id))!;
    expect(() => completeDuty(duty, person('u-takahashi'), t.clock.now().toISOString())).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('lets the owner confirm the change once, keeping the whole story in an unbroken chain', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    const done = await confirmDuty(t.deps, person('u-tanaka'), passwordDraft().id, { version: 1, note: '変更しました' });
    expect(done).toMatchObject({ status: 'done', doneBy: { id: 'u-tanaka' }, note: '変更しました', version: 2 });
    expect(done.remindOn).toBeUndefined();
    await expect(confirmDuty(t.deps, person('u-tanaka'), passwordDraft().id, { version: 2 })).rejects.toMatchObject({ status: 409 });
    const { history } = await dutyDetail(t.deps, person('u-tanaka'), passwordDraft().id);
    expect(history.map((e) => e.action)).toEqual(['duty.opened', 'duty.done']);
    expect(verifyChain(history)).toBeNull();
  });

  it('refuses a confirmation made against an older version', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    await expect(confirmDuty(t.deps, person('u-tanaka'), passwordDraft().id, { version: 7 })).rejects.toMatchObject({ status: 409 });
    expect((await t.duties.get(passwordDraft().id))!.status).toBe('open');
  });

  it('sends a review to its own page instead of confirming it from the calendar', async () => {
    const t = await opened(reviewDraft(), '2026-12-01');
    await expect(confirmDuty(t.deps, person('u-yamaguchi'), reviewDraft().id, { version: 1 })).rejects.toMatchObject({ status: 409 });
  });

  it('refuses to open the same duty twice', async () => {
    const t = await opened(reviewDraft(), '2026-12-01');
    await expect(t.duties.commit([openDuty(reviewDraft(), t.clock.now().toISOString(), null)])).rejects.toThrow();
  });
});

describe('the calendar', () => {
  it('shows an employee only their own duties and the security manager all of them, with what is overdue', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    await t.duties.commit([openDuty(reviewDraft({ dueOn: '2027-05-11' }), t.clock.now().toISOString(), null)]);
    t.clock.set(morning('2027-05-21'));
    const mine = await dutyCalendar(t.deps, person('u-tanaka'), '2027-05');
    expect(mine.scope).toBe('mine');
    expect(mine.due.map((d) => [d.id, d.overdue])).toEqual([['password.uid-tanaka-mail.2027-05-20', true]]);
    const all = await dutyCalendar(t.deps, person('u-yamaguchi'), '2027-05');
    expect(all.scope).toBe('all');
    expect(all.due.map((d) => d.id)).toEqual(['review.2026-11.L4.site-tokyo', 'password.uid-tanaka-mail.2027-05-20']);
    // Seen from June, both are overdue from an earlier month.
    const june = await dutyCalendar(t.deps, person('u-yamaguchi'), '2027-06');
    expect(june.due).toEqual([]);
    expect(june.overdueEarlier.map((d) => d.id)).toHaveLength(2);
  });

  it('does not show a duty to someone who may not act on it', async () => {
    const t = await opened(passwordDraft(), '2026-11-20');
    await expect(dutyDetail(t.deps, person('u-takahashi'), passwordDraft().id)).rejects.toMatchObject({ status: 404 });
  });
});

export type { Duty };
