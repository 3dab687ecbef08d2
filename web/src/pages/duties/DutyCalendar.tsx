/**
 * 予定・期限: a month of duties — what is due, for whom, and what is overdue — with the earlier
 * months' overdue ones on top. The month lives in the address (`#/duties?month=2026-12`), so the
 * previous / next links and Back keep it.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { formatDate } from '../../format';
import { loc, useLang } from '../../i18n';
import { useHash } from '../../router';
import type { Person } from '../../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';
import { td } from './messages';
import { Assignees, DutyStatusBadge, kindName, monthName, shiftMonth } from './parts';
import type { Duty, DutyCalendar } from './types';
import { dutyHref, isOverdue } from './types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthFromHash(hash: string): string {
  const month = new URLSearchParams(hash.split('?')[1] ?? '').get('month') ?? '';
  return MONTH.test(month) ? month : '';
}

const monthHref = (month: string) => `#/duties?month=${month}`;

/** Whether the person is among those the duty is for (assigned, or escalated to). */
const isMine = (duty: Duty, me: Person) => duty.assignees.some((a) => a.id === me.id) || (duty.escalatedTo ?? []).some((a) => a.id === me.id);

function DutyTable({ duties, today, caption }: { duties: Duty[]; today: string; caption: string }) {
  return (
    <div class="table-scroll">
      <table class="list-table duty-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{td('colDue')}</th>
            <th scope="col">{td('colDuty')}</th>
            <th scope="col">{td('colWho')}</th>
            <th scope="col">{td('colStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {duties.map((duty) => (
            <tr key={duty.id} class={isOverdue(duty, today) ? 'duty-row duty-overdue' : 'duty-row'} data-duty-id={duty.id}>
              <td data-label={td('colDue')} class="duty-due">
                <time dateTime={duty.dueOn}>{formatDate(duty.dueOn)}</time>
              </td>
              <td data-label={td('colDuty')}>
                <span class="duty-kind">{kindName(duty.kind)}</span>
                <a href={dutyHref(duty)}>{loc(duty.title)}</a>
                <span class="duty-articles muted small">{duty.articles.join(' · ')}</span>
              </td>
              <td data-label={td('colWho')}>
                <Assignees duty={duty} />
              </td>
              <td data-label={td('colStatus')}>
                <DutyStatusBadge duty={duty} today={today} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DutyCalendarPage({ me }: { me: Person }) {
  useLang();
  const hash = useHash();
  const month = monthFromHash(hash);
  const [data, setData] = useState<DutyCalendar | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [onlyMine, setOnlyMine] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    api<DutyCalendar>(`/duties${month ? `?month=${month}` : ''}`).then(
      (body) => live && setData(body),
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [month, attempt]);

  let body;
  if (error) body = <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  else if (!data || (month && data.month !== month)) body = <Loading />;
  else {
    const keep = (duty: Duty) => !onlyMine || isMine(duty, me);
    const earlier = data.overdueEarlier.filter(keep);
    const due = data.due.filter(keep);
    const current = data.today.slice(0, 7);
    body = (
      <>
        <div class="duty-toolbar">
          <nav class="duty-months" aria-label={td('monthNav')}>
            <a class="btn btn-small" href={monthHref(shiftMonth(data.month, -1))} rel="prev">
              ← {td('prev')}
            </a>
            <h2 class="duty-month" aria-live="polite">
              {monthName(data.month)}
            </h2>
            <a class="btn btn-small" href={monthHref(shiftMonth(data.month, 1))} rel="next">
              {td('next')} →
            </a>
            {data.month !== current ? (
              <a class="btn btn-small btn-quiet" href={monthHref(current)}>
                {td('thisMonth')}
              </a>
            ) : null}
          </nav>
          {data.scope === 'all' ? (
            <label class="duty-only-mine">
              <input type="checkbox" checked={onlyMine} onChange={(event) => setOnlyMine(event.currentTarget.checked)} /> {td('onlyMine')}
            </label>
          ) : null}
        </div>
        <p class="muted small">{data.scope === 'all' && !onlyMine ? td('scopeAll') : td('scopeMine')}</p>
        {earlier.length > 0 ? (
          <section class="duty-section duty-section-overdue" aria-labelledby="duties-earlier">
            <h2 id="duties-earlier">
              {td('earlier')} <span class="count-badge">{earlier.length}</span>
            </h2>
            <p class="muted small">{td('earlierLead')}</p>
            <DutyTable duties={earlier} today={data.today} caption={td('earlier')} />
          </section>
        ) : null}
        <section class="duty-section" aria-labelledby="duties-due">
          <h2 id="duties-due">{td('dueIn', { month: monthName(data.month) })}</h2>
          {due.length > 0 ? (
            <DutyTable duties={due} today={data.today} caption={td('dueIn', { month: monthName(data.month) })} />
          ) : (
            <Empty>
              <p>{data.scope === 'mine' || onlyMine ? td('emptyMine') : td('empty')}</p>
            </Empty>
          )}
        </section>
      </>
    );
  }

  return (
    <div class="duties-page">
      <PageTitle text={td('title')} />
      <p class="lead">{td('lead')}</p>
      {body}
    </div>
  );
}
