/**
 * The approver's inbox: pending tasks, oldest first, with 一括承認 (bulk approval): a checkbox per
 * task and "select all", then one confirmation listing the requests (and an optional comment shared
 * by all) before `POST /api/tasks/bulk-approval`. Only approval is offered in bulk — rejecting and
 * sending back need a reason per request, on the task page.
 */
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, getForms } from '../api';
import { formatDateTime } from '../format';
import { loc, t, useLang } from '../i18n';
import { href } from '../router';
import type { BulkOutcome, Form, ListPage, TaskRecord } from '../types';
import { ConfirmDialog, Counter, Empty, ErrorBox, Loading, PageTitle } from '../components/ui';
import { tasksChanged } from '../events';

/** The API takes at most this many task ids per call. */
export const BULK_MAX = 50;
const COMMENT_MAX = 1000;

export function stageLabelOf(task: TaskRecord, forms: Form[] | null): string {
  if (task.stageLabel) return loc(task.stageLabel);
  const form = forms?.find((candidate) => candidate.id === task.request.formId);
  const step = form?.route?.[task.stage];
  return step ? loc(step.label) : String(task.stage + 1);
}

/** What one bulk call did, with the tasks it was about (their titles stay after the list reloads). */
interface BulkReport extends BulkOutcome {
  sent: TaskRecord[];
  notSent: number;
}

function BulkReportBox({ report, onClose, boxRef }: { report: BulkReport; onClose: () => void; boxRef: Ref<HTMLDivElement> }) {
  const refused = report.results.filter((result) => !result.ok);
  const byId = new Map(report.sent.map((task) => [task.id, task]));
  const title =
    report.approved === 0 ? t('bulk.noneDone') : t(report.approved === 1 ? 'bulk.doneOne' : 'bulk.done', { n: report.approved });
  return (
    <div ref={boxRef} tabIndex={-1} class={`alert ${refused.length > 0 ? 'alert-warning' : 'alert-success'} bulk-report outcome`}>
      <h2 class="alert-title">{title}</h2>
      {refused.length > 0 ? (
        <>
          <h3 class="bulk-refused-title">{t('bulk.refusedTitle', { n: refused.length })}</h3>
          <p>{t('bulk.refusedLead')}</p>
          <ul class="bulk-refused">
            {refused.map((result) => {
              const task = byId.get(result.taskId);
              return (
                <li key={result.taskId} data-task-id={result.taskId}>
                  {task ? (
                    <>
                      <span class="code">{task.request.formCode}</span>{' '}
                      <a href={href('requests', task.requestId)}>{loc(task.request.formTitle)}</a>{' '}
                      <span class="mono small">{task.requestId}</span>
                    </>
                  ) : (
                    <span class="mono small">{result.taskId}</span>
                  )}
                  <span class="bulk-reason block">{loc(result.messages) || t('bulk.refusedUnknown', { status: result.status })}</span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {report.notSent > 0 ? <p>{t('bulk.notSent', { n: report.notSent })}</p> : null}
      <p class="actions">
        <button type="button" class="btn btn-small" onClick={onClose}>
          {t('bulk.close')}
        </button>
      </p>
    </div>
  );
}

export function InboxPage() {
  useLang();
  const [tasks, setTasks] = useState<TaskRecord[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [forms, setForms] = useState<Form[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [confirming, setConfirming] = useState(false);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [report, setReport] = useState<BulkReport | null>(null);
  const [bulkError, setBulkError] = useState<string | null>(null);
  const sendingRef = useRef(false);
  const allRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLDivElement>(null);

  // The outcome takes the focus once the dialog has closed (closing it hands the focus back to the
  // 一括承認 button, which may be gone or disabled by then). Children's effects run first.
  useEffect(() => {
    if (report && !confirming) reportRef.current?.focus();
  }, [report, confirming]);

  useEffect(() => {
    let live = true;
    setError(null);
    api<ListPage<TaskRecord>>('/tasks').then(
      (page) => {
        if (!live) return;
        const items = page.items ?? [];
        setTasks(items);
        setCursor(page.nextCursor);
        // Keep only selections that are still waiting.
        setSelected((current) => new Set([...current].filter((id) => items.some((task) => task.id === id))));
      },
      (failure) => live && setError(errorText(failure)),
    );
    getForms().then(
      (items) => live && setForms(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const chosen = (tasks ?? []).filter((task) => selected.has(task.id));
  const toSend = chosen.slice(0, BULK_MAX);
  const allChosen = tasks !== null && tasks.length > 0 && chosen.length === tasks.length;

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = chosen.length > 0 && !allChosen;
  });

  const more = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api<ListPage<TaskRecord>>(`/tasks?cursor=${encodeURIComponent(cursor)}`);
      setTasks((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const toggleAll = (on: boolean) => setSelected(on ? new Set((tasks ?? []).map((task) => task.id)) : new Set());

  const approveSelected = async () => {
    if (sendingRef.current || toSend.length === 0) return;
    sendingRef.current = true;
    setSending(true);
    setBulkError(null);
    const sent = toSend;
    const notSent = chosen.length - sent.length;
    try {
      const text = comment.trim();
      const outcome = await api<BulkOutcome>('/tasks/bulk-approval', {
        method: 'POST',
        body: text ? { taskIds: sent.map((task) => task.id), comment: text } : { taskIds: sent.map((task) => task.id) },
      });
      setConfirming(false);
      setComment('');
      setReport({ ...outcome, sent, notSent });
      const done = new Set(sent.map((task) => task.id));
      const approved = new Set(outcome.results.filter((result) => result.ok).map((result) => result.taskId));
      setSelected((current) => new Set([...current].filter((id) => !done.has(id))));
      setTasks((current) => (current ? current.filter((task) => !approved.has(task.id)) : current));
      tasksChanged();
      setAttempt((n) => n + 1);
    } catch (failure) {
      setConfirming(false);
      setBulkError(errorText(failure));
      setAttempt((n) => n + 1);
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  let body;
  if (error && !tasks) body = <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  else if (!tasks) body = <Loading />;
  else if (tasks.length === 0)
    body = (
      <Empty>
        <p>{t('inbox.empty')}</p>
      </Empty>
    );
  else
    body = (
      <>
        <div class="bulk-bar" role="group" aria-label={t('bulk.button')}>
          <label class="check bulk-all" for="select-all">
            <input
              type="checkbox"
              id="select-all"
              ref={allRef}
              checked={allChosen}
              onChange={(event) => toggleAll(event.currentTarget.checked)}
            />
            <span>{t('inbox.selectAll')}</span>
          </label>
          <span class="bulk-count" aria-live="polite">
            {chosen.length > 0 ? t('inbox.selected', { n: chosen.length }) : t('inbox.noneSelected')}
          </span>
          <button
            type="button"
            class="btn btn-primary bulk-approve"
            disabled={chosen.length === 0 || sending}
            aria-describedby="bulk-help"
            onClick={() => {
              setBulkError(null);
              setConfirming(true);
            }}
          >
            {t('bulk.button')}
          </button>
        </div>
        <p id="bulk-help" class="help bulk-help">
          {t('bulk.help')}
        </p>
        {chosen.length > BULK_MAX ? (
          <p class="alert alert-warning bulk-over" role="status">
            {t('bulk.limit', { max: BULK_MAX, n: chosen.length })}
          </p>
        ) : null}
        <table class="list-table inbox-table">
          <thead>
            <tr>
              <th scope="col" class="select-cell">
                <span class="visually-hidden">{t('inbox.select')}</span>
              </th>
              <th scope="col">{t('inbox.form')}</th>
              <th scope="col">{t('inbox.requester')}</th>
              <th scope="col">{t('inbox.submittedAt')}</th>
              <th scope="col">{t('inbox.stage')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => {
              const on = selected.has(task.id);
              return (
                <tr key={task.id} class={on ? 'row-selected' : undefined} data-task-id={task.id}>
                  <td class="select-cell">
                    <label class="select-hit">
                      <input type="checkbox" checked={on} onChange={(event) => toggle(task.id, event.currentTarget.checked)} />
                      <span class="visually-hidden">
                        {t('inbox.selectRow', { form: `${task.request.formCode} ${loc(task.request.formTitle)}`, id: task.requestId })}
                      </span>
                    </label>
                  </td>
                  <td data-label={t('inbox.form')}>
                    <span class="code">{task.request.formCode}</span>{' '}
                    <a href={href('tasks', task.id)}>{loc(task.request.formTitle)}</a>
                    <span class="mono small block">{task.requestId}</span>
                  </td>
                  <td data-label={t('inbox.requester')}>{loc(task.request.requester.name)}</td>
                  <td data-label={t('inbox.submittedAt')}>
                    <time dateTime={task.request.submittedAt}>{formatDateTime(task.request.submittedAt ?? task.createdAt)}</time>
                  </td>
                  <td data-label={t('inbox.stage')}>{stageLabelOf(task, forms)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {error ? <ErrorBox>{error}</ErrorBox> : null}
        {cursor ? (
          <p class="more">
            <button type="button" class="btn" onClick={more} disabled={loadingMore}>
              {loadingMore ? t('app.loading') : t('mine.more')}
            </button>
          </p>
        ) : null}
      </>
    );

  return (
    <div>
      <PageTitle text={t('inbox.title')} />
      <p class="lead">{t('inbox.lead')}</p>
      {/* The outcome of a bulk approval: read out when it appears, and it takes the focus. */}
      <div aria-live="polite" class="bulk-live">
        {report ? <BulkReportBox report={report} boxRef={reportRef} onClose={() => setReport(null)} /> : null}
      </div>
      {bulkError ? <ErrorBox>{bulkError}</ErrorBox> : null}
      {body}

      <ConfirmDialog
        open={confirming}
        title={t('bulk.confirmTitle', { n: toSend.length })}
        confirmLabel={t('bulk.confirm', { n: toSend.length })}
        busy={sending}
        confirmDisabled={comment.length > COMMENT_MAX || toSend.length === 0}
        onConfirm={approveSelected}
        onCancel={() => setConfirming(false)}
      >
        {confirming ? (
          <>
            <p>{t('bulk.confirmText')}</p>
            {chosen.length > BULK_MAX ? <p class="bulk-over-note">{t('bulk.limit', { max: BULK_MAX, n: chosen.length })}</p> : null}
            <p class="bulk-list-title" id="bulk-list-title">
              {t('bulk.listLabel')}
            </p>
            <ol class="bulk-list" tabIndex={0} aria-labelledby="bulk-list-title">
              {toSend.map((task) => (
                <li key={task.id}>
                  <span class="code">{task.request.formCode}</span> {loc(task.request.formTitle)}
                  <span class="block small">
                    <span class="mono">{task.requestId}</span>
                    <span class="muted">
                      {t('punct.colon')}
                      {loc(task.request.requester.name)}
                      {t('punct.list')}
                      {stageLabelOf(task, forms)}
                    </span>
                  </span>
                </li>
              ))}
            </ol>
            <label class="field-label" for="bulk-comment">
              {t('bulk.comment')}
            </label>
            <p id="bulk-comment-help" class="help">
              {t('bulk.commentHelp')}
            </p>
            <textarea
              id="bulk-comment"
              rows={3}
              value={comment}
              aria-describedby="bulk-comment-help bulk-comment-counter"
              aria-invalid={comment.length > COMMENT_MAX ? 'true' : undefined}
              onInput={(event) => setComment(event.currentTarget.value)}
            />
            <Counter id="bulk-comment-counter" length={comment.length} max={COMMENT_MAX} />
          </>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
