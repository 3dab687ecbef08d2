/**
 * One logbook entry: what it says, who recorded it, the finish button while it is open, the
 * correction form for those who may correct (the reason is required; the version guards against a
 * change made meanwhile), and its history, where every correction shows what it replaced.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, seg } from '../../api';
import { loc, useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../format';
import type { Person, PersonRef } from '../../types';
import { ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import type { Errors, Values } from './fields';
import { FieldInput, displayValue, fieldsOf, issuesByField, labelOf, requiredErrors, toFields, toValues } from './fields';
import { tl } from './messages';
import { Breadcrumb, LogbookArticles, OpenBadges, entryPath, finishEntry, finishFailure, isStale } from './parts';
import type { EntryHistoryEvent, Logbook, LogbookEntryDetail } from './types';

function Changes({ logbook, event, people }: { logbook: Logbook; event: EntryHistoryEvent; people: PersonRef[] }) {
  if (!event.before) return null;
  const names = Object.keys(event.after ?? {}).filter((name) => name !== 'reason');
  if (names.length === 0) return null;
  const show = (name: string, value: unknown) => displayValue(logbook, name, value, people) || tl('historyEmpty');
  return (
    <table class="lb-changes">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">{tl('historyBefore')}</th>
          <th scope="col">{tl('historyAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <th scope="row">{labelOf(logbook, name)}</th>
            <td class={displayValue(logbook, name, event.before?.[name], people) ? 'lb-was' : 'muted'}>{show(name, event.before?.[name])}</td>
            <td>{show(name, event.after?.[name])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Correction({ detail, me, onSaved, onCancel }: { detail: LogbookEntryDetail; me: Person; onSaved: (detail: 'saved' | 'stale') => void; onCancel: () => void }) {
  const { logbook, entry } = detail;
  const fields = fieldsOf(logbook);
  const [values, setValues] = useState<Values>(() => toValues(fields, entry.fields));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending.current) return;
    const found = requiredErrors(fields, values);
    if (!reason.trim()) found.reason = tl('fieldRequired', { label: tl('reason') });
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    sending.current = true;
    setBusy(true);
    try {
      await api(entryPath(logbook, entry), {
        method: 'PUT',
        body: { version: entry.version, fields: toFields(fields, values), reason: reason.trim() },
      });
      onSaved('saved');
    } catch (error) {
      if (isStale(error)) onSaved('stale');
      else if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
        setErrors(issuesByField(error.issues));
        setFailure(tl('errorSummary'));
      } else setFailure(errorText(error));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  return (
    <form class="panel lb-correct" onSubmit={submit} noValidate aria-labelledby="lb-correct-title">
      <h2 id="lb-correct-title">{tl('correctTitle')}</h2>
      <p class="help">{tl('correctHelp')}</p>
      {failure ? <ErrorBox>{failure}</ErrorBox> : null}
      {fields.map((field) => (
        <FieldInput
          key={field.name}
          field={field}
          id={`lbc-${field.name}`}
          value={values[field.name] ?? ''}
          error={errors[field.name]}
          people={detail.people ?? []}
          me={me}
          onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
        />
      ))}
      <div class={`lb-field${errors.reason ? ' has-error' : ''}`}>
        <label class="field-label" for="lbc-reason">
          {tl('reason')}
          <span class="req">{tl('required')}</span>
        </label>
        {errors.reason ? (
          <p class="field-error-text" id="lbc-reason-error">
            {errors.reason}
          </p>
        ) : null}
        <input
          id="lbc-reason"
          type="text"
          maxLength={500}
          value={reason}
          aria-invalid={errors.reason ? 'true' : undefined}
          aria-describedby={errors.reason ? 'lbc-reason-error' : undefined}
          onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {tl('save')}
        </button>
        <button type="button" class="btn" disabled={busy} onClick={onCancel}>
          {tl('cancel')}
        </button>
      </div>
    </form>
  );
}

export function EntryPage({ slug, siteId, month, id, me }: { slug: string; siteId: string; month: string; id: string; me: Person }) {
  useLang();
  const [detail, setDetail] = useState<LogbookEntryDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const messageRef = useRef<HTMLDivElement>(null);

  const load = () =>
    api<LogbookEntryDetail>(`/logbooks/${seg(slug)}/${seg(siteId)}/${seg(month)}/${seg(id)}`).then(
      (body) => {
        setDetail(body);
        setError(null);
      },
      (failure) => setError(failure),
    );

  useEffect(() => {
    void load();
  }, [slug, siteId, month, id, attempt]);

  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  if (error) {
    return (
      <div>
        <Breadcrumb />
        <PageTitle text={tl('title')} />
        <ErrorBox onRetry={error instanceof ApiError && error.status === 404 ? undefined : () => setAttempt((n) => n + 1)}>{errorText(error)}</ErrorBox>
      </div>
    );
  }
  if (!detail) return <Loading />;
  const { logbook, entry } = detail;
  const people = detail.people ?? [];
  const finish = logbook.actions.finish;
  const mayFinish = finish && entry.open.length > 0 && !detail.closed && (detail.mayRecord || entry.recordedBy.id === me.id);

  const pressFinish = async () => {
    if (busy || !finish) return;
    setBusy(true);
    try {
      await finishEntry(logbook, entry);
      setMessage({ kind: 'success', text: tl('completed', { action: loc(finish.label) }) });
    } catch (failure) {
      setMessage({ kind: 'warning', text: finishFailure(failure) });
    } finally {
      setBusy(false);
      void load();
    }
  };

  return (
    <div class="lb-page">
      <Breadcrumb logbook={logbook} query={{ site: entry.siteId, month: entry.month }} />
      <PageTitle text={tl('entryTitle', { title: loc(logbook.title) })} sub={`${formatDate(entry.date)} ・ ${loc(detail.site.name)}`}>
        <span class="code">{logbook.id}</span>
        {tl('entryTitle', { title: loc(logbook.title) })}
      </PageTitle>
      <div ref={messageRef} tabIndex={-1} class="flash-focus" aria-live="polite">
        {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      </div>
      {detail.closed ? <Notice kind="warning">{tl('closed')}</Notice> : null}
      <section class="panel" aria-labelledby="lb-entry-fields">
        <h2 id="lb-entry-fields">
          {tl('entryFields')} <OpenBadges items={entry.open} />
        </h2>
        <dl class="data-list">
          <div class="data-row">
            <dt>{tl('date')}</dt>
            <dd>{formatDate(entry.date)}</dd>
          </div>
          {fieldsOf(logbook).map((field) => {
            const value = displayValue(logbook, field.name, entry.fields[field.name], people);
            return (
              <div class="data-row" key={field.name}>
                <dt>{loc(field.label)}</dt>
                <dd class={entry.fields[field.name] === false ? 'lb-failed' : value ? undefined : 'muted'}>{value || tl('historyEmpty')}</dd>
              </div>
            );
          })}
          <div class="data-row">
            <dt>{tl('recordedBy')}</dt>
            <dd>
              {loc(entry.recordedBy.name)}（{formatDateTime(entry.recordedAt)}）
            </dd>
          </div>
          {entry.updatedAt ? (
            <div class="data-row">
              <dt>{tl('updatedAt')}</dt>
              <dd>
                {entry.updatedBy ? loc(entry.updatedBy.name) : ''}（{formatDateTime(entry.updatedAt)}）
              </dd>
            </div>
          ) : null}
        </dl>
        <div class="actions lb-entry-actions">
          {mayFinish ? (
            <button type="button" class="btn btn-primary lb-big" disabled={busy} onClick={pressFinish}>
              {loc(finish.label)}
            </button>
          ) : null}
          {entry.mayCorrect && !detail.closed && !editing ? (
            <button type="button" class="btn" onClick={() => setEditing(true)}>
              {tl('correct')}
            </button>
          ) : null}
        </div>
        {!entry.mayCorrect && !detail.closed ? <p class="help">{tl('mayCorrectNote')}</p> : null}
      </section>
      {editing ? (
        <Correction
          key={entry.version}
          detail={detail}
          me={me}
          onCancel={() => setEditing(false)}
          onSaved={(outcome) => {
            setEditing(false);
            setMessage(outcome === 'saved' ? { kind: 'success', text: tl('saved') } : { kind: 'warning', text: tl('stale') });
            void load();
          }}
        />
      ) : null}
      <section class="panel" aria-labelledby="lb-history">
        <h2 id="lb-history">{tl('history')}</h2>
        <ol class="history lb-history">
          {detail.history.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              <span class="history-text">{loc(event.summary) || event.action}</span>
              <Changes logbook={logbook} event={event} people={people} />
            </li>
          ))}
        </ol>
      </section>
      <LogbookArticles logbook={logbook} />
    </div>
  );
}
