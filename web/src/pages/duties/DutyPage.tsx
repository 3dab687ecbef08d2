/**
 * One duty: what it is, its articles, the ledger figures of its period, its history, and — for the
 * people it is for — the confirmation that it is done (「変更しました」 for a password, 「削除しました」
 * for an ID, findings for an analysis or audit), after a confirmation step. Reviews and returns are
 * completed on their own pages; this page links there.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../../api';
import { formatDate, formatDateTime, japanParts } from '../../format';
import { loc, useLang } from '../../i18n';
import type { Person } from '../../types';
import { ConfirmDialog, Counter, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { td } from './messages';
import { Assignees, DutyStatusBadge, kindName } from './parts';
import type { Duty, DutyDetail, FigureTable } from './types';
import { COMPLETED_ELSEWHERE } from './types';
import { dutiesChanged } from './overdue-count';

const NOTE_MAX = 1000;

/** Kinds completed with a note of the findings (the server refuses them without one). */
const WITH_FINDINGS = new Set(['usage-analysis', 'internal-audit']);

type Wording = 'password-change' | 'id-deletion' | 'findings' | 'other';

const wordingOf = (duty: Duty): Wording =>
  duty.kind === 'password-change' || duty.kind === 'id-deletion' ? duty.kind : WITH_FINDINGS.has(duty.kind) ? 'findings' : 'other';

/** Whether the person may complete it: an assignee, someone it was escalated to, or a holder of its role (as the server decides). */
const mayAct = (duty: Duty, me: Person) =>
  duty.assignees.some((a) => a.id === me.id) || (duty.escalatedTo ?? []).some((a) => a.id === me.id) || me.roles.some((r) => r.role === duty.role);

/** Today in Japan, for the overdue badge. */
const japanToday = () => japanParts(new Date()).date;

function Figures({ duty }: { duty: Duty }) {
  const figures = duty.figures;
  if (!figures) return null;
  return (
    <section class="panel duty-figures" aria-labelledby="duty-figures">
      <h2 id="duty-figures">{td('figures')}</h2>
      <p class="muted small">{td('figuresLead', { period: loc(figures.period.label), asOf: formatDateTime(figures.asOf) })}</p>
      {figures.tables.map((table: FigureTable, index) => (
        <div class="table-scroll duty-figure" key={index}>
          <table class="ledger-table figure-table">
            <caption>
              {loc(table.title)} <span class="muted small">（{table.ledger}）</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">{loc(table.title)}</span>
                </th>
                {table.columns.map((column, i) => (
                  <th scope="col" key={i} class="num">
                    {loc(column)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                <tr key={i} class={i === table.rows.length - 1 && row.label.en === 'Total' ? 'figure-total' : undefined}>
                  <th scope="row">{loc(row.label)}</th>
                  {row.values.map((value, j) => (
                    <td key={j} class="num">
                      {value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function ConfirmPanel({ duty, me, onDone }: { duty: Duty; me: Person; onDone: (duty: Duty) => void }) {
  const wording = wordingOf(duty);
  const needsNote = wording === 'findings';
  const [note, setNote] = useState('');
  const [asking, setAsking] = useState(false);
  const [sending, setSending] = useState(false);
  const [noteError, setNoteError] = useState(false);
  const [sendError, setSendError] = useState<{ text: string; conflict: boolean } | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  if (COMPLETED_ELSEWHERE.has(duty.kind)) {
    return (
      <section class="panel" aria-labelledby="duty-action">
        <h2 id="duty-action">{td('action')}</h2>
        <p>{td('elsewhere')}</p>
        <p>
          <a class="btn btn-primary" href={duty.path}>
            {td('openElsewhere')}
          </a>
        </p>
      </section>
    );
  }
  if (duty.status !== 'open') return <Notice>{td('closed')}</Notice>;
  if (!mayAct(duty, me)) return <Notice>{td('notYoursToAct')}</Notice>;

  const ask = () => {
    setSendError(null);
    if (needsNote && !note.trim()) {
      setNoteError(true);
      noteRef.current?.focus();
      return;
    }
    if (note.length > NOTE_MAX) {
      noteRef.current?.focus();
      return;
    }
    setAsking(true);
  };

  const send = async () => {
    if (sending) return;
    setSending(true);
    try {
      const done = await api<Duty>(`/duties/${encodeURIComponent(duty.id)}/complete`, {
        method: 'POST',
        body: { version: duty.version, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setAsking(false);
      dutiesChanged();
      onDone(done);
    } catch (failure) {
      setAsking(false);
      setSendError({ text: errorText(failure), conflict: failure instanceof ApiError && failure.status === 409 });
    } finally {
      setSending(false);
    }
  };

  const vars = { login: duty.subject.loginId ?? '', date: formatDate(duty.dueOn) };
  return (
    <section class="panel duty-confirm" aria-labelledby="duty-action">
      <h2 id="duty-action">{td('action')}</h2>
      {wording === 'other' ? null : <p>{td(`lead.${wording}`, vars)}</p>}
      <div class={noteError ? 'field has-error' : 'field'}>
        <label class="field-label" for="duty-note">
          {needsNote ? td('noteRequired') : td('noteOptional')}
        </label>
        <p id="duty-note-help" class="help">
          {td('noteHelp')}
        </p>
        <div aria-live="assertive">
          {noteError ? (
            <p id="duty-note-error" class="field-error-text">
              {td('noteMissing')}
            </p>
          ) : null}
        </div>
        <textarea
          id="duty-note"
          ref={noteRef}
          rows={needsNote ? 6 : 3}
          value={note}
          aria-invalid={noteError ? 'true' : undefined}
          aria-describedby={`duty-note-help duty-note-counter${noteError ? ' duty-note-error' : ''}`}
          onInput={(event) => {
            setNote(event.currentTarget.value);
            if (noteError) setNoteError(false);
          }}
        />
        <Counter id="duty-note-counter" length={note.length} max={NOTE_MAX} />
      </div>
      {sendError ? (
        <ErrorBox onRetry={sendError.conflict ? () => window.location.reload() : undefined}>{sendError.text}</ErrorBox>
      ) : null}
      <div class="actions">
        <button type="button" class="btn btn-primary" data-action="confirm-duty" disabled={sending || asking} onClick={ask}>
          {td(`confirm.${wording}`)}
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title={td(`dialog.${wording}`)}
        confirmLabel={td(`confirm.${wording}`)}
        busy={sending}
        onConfirm={send}
        onCancel={() => setAsking(false)}
      >
        <p>
          <strong>{loc(duty.title)}</strong>
        </p>
        <p>{td(`effect.${wording}`)}</p>
        {note.trim() ? (
          <p class="dialog-comment">
            <span class="muted">{needsNote ? td('noteRequired') : td('noteOptional')}:</span> {note.trim()}
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}

export function DutyPage({ id, me }: { id: string; me: Person }) {
  useLang();
  const [detail, setDetail] = useState<DutyDetail | null>(null);
  const [error, setError] = useState<{ text: string; missing: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [recorded, setRecorded] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    api<DutyDetail>(`/duties/${encodeURIComponent(id)}`).then(
      (body) => live && setDetail(body),
      (failure) => live && setError({ text: errorText(failure), missing: failure instanceof ApiError && failure.status === 404 }),
    );
    return () => {
      live = false;
    };
  }, [id, attempt]);

  const back = (
    <p class="back-link">
      <a href="#/duties">← {td('back')}</a>
    </p>
  );
  if (error) {
    return (
      <div>
        {back}
        <PageTitle text={td('title')} />
        {error.missing ? <ErrorBox>{td('notFound')}</ErrorBox> : <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error.text}</ErrorBox>}
      </div>
    );
  }
  if (!detail) return <Loading />;
  const { duty, history, articles } = detail;
  const today = japanToday();
  return (
    <div class="duty-page">
      {back}
      <PageTitle text={loc(duty.title)} sub={<span class="duty-kind">{kindName(duty.kind)}</span>} />
      {recorded ? <Notice kind="success">{td('recorded')}</Notice> : null}
      <dl class="meta">
        <div>
          <dt>{td('colDue')}</dt>
          <dd>
            <time dateTime={duty.dueOn}>{formatDate(duty.dueOn)}</time>
          </dd>
        </div>
        <div>
          <dt>{td('colStatus')}</dt>
          <dd>
            <DutyStatusBadge duty={duty} today={today} />
          </dd>
        </div>
        <div>
          <dt>{td('colWho')}</dt>
          <dd>
            <Assignees duty={duty} />
          </dd>
        </div>
        <div>
          <dt>{td('opened')}</dt>
          <dd>{formatDateTime(duty.openedAt)}</dd>
        </div>
        {duty.subject.ledger === 'user-ids' && duty.subject.itemId ? (
          <div>
            <dt>{td('subjectId')}</dt>
            <dd>
              <a href={`#/ledgers/user-ids/items/${encodeURIComponent(duty.subject.itemId)}`} title={td('ledgerLink')}>
                {duty.subject.itemId}
              </a>
            </dd>
          </div>
        ) : null}
        {duty.doneAt ? (
          <div>
            <dt>{td('done')}</dt>
            <dd>
              {formatDateTime(duty.doneAt)}
              {duty.doneBy ? `（${loc(duty.doneBy.name)}）` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {duty.note ? (
        <section class="panel" aria-labelledby="duty-note-title">
          <h2 id="duty-note-title">{td('note')}</h2>
          <p class="duty-note">{duty.note}</p>
        </section>
      ) : null}

      <Figures duty={duty} />

      <ConfirmPanel
        duty={duty}
        me={me}
        onDone={(done) => {
          setRecorded(true);
          setDetail({ ...detail, duty: done });
          setAttempt((n) => n + 1);
        }}
      />

      <section class="articles" aria-labelledby="duty-articles">
        <h2 id="duty-articles">{td('articles')}</h2>
        <ul>
          {articles.map((article) => (
            <li key={article.ref}>
              <span class="article-ref">{article.ref}</span>
              {article.text ? <span class="article-text">{loc(article.text)}</span> : null}
            </li>
          ))}
        </ul>
      </section>

      <section class="panel history-panel" aria-labelledby="duty-history">
        <h2 id="duty-history">{td('history')}</h2>
        {history.length === 0 ? (
          <p class="muted">{td('noHistory')}</p>
        ) : (
          <ol class="history">
            {history.map((event) => (
              <li key={event.seq} class={`history-${event.action.replace('duty.', '')}`} data-action={event.action}>
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                <span class="history-text">{loc(event.summary)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
