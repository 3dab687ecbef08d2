/**
 * A task to decide, opened from the inbox (`#/tasks/<id>`) or from the e-mailed link
 * (`#/links/<token>`). Opening the page only reads (GET); only an explicit, confirmed press of
 * 承認 / 却下 / 差し戻し sends the decision (POST), once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, getForm, seg } from '../api';
import { signOut } from '../auth';
import { formatDateTime } from '../format';
import { loc, t, useLang, type MessageKey } from '../i18n';
import { href } from '../router';
import type { Decision, Form, RequestRecord, TaskView } from '../types';
import { RequestView } from '../components/RequestView';
import { ConfirmDialog, Counter, ErrorBox, Loading, PageTitle, StatusBadge, taskStatusText } from '../components/ui';
import { tasksChanged } from '../events';

const COMMENT_MAX = 1000;
const DECISIONS: Decision[] = ['approve', 'send_back', 'reject'];

type LoadState = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; view: TaskView };

function LinkProblem({ status }: { status: number }) {
  const [title, text] =
    status === 410
      ? [t('link.gone'), t('link.goneText')]
      : status === 403
        ? [t('link.forbidden'), t('link.forbiddenText')]
        : [t('link.notFound'), t('link.notFoundText')];
  return (
    <div class={`link-problem link-problem-${status}`}>
      <PageTitle text={title} />
      <p>{text}</p>
      <p class="actions">
        <a class="btn btn-primary" href="#/inbox">
          {t('link.toInbox')}
        </a>
        {status === 403 ? (
          <button type="button" class="btn" onClick={() => signOutKeepingLink()}>
            {t('link.switchUser')}
          </button>
        ) : null}
      </p>
    </div>
  );
}

/** Sign out but stay on the link, so the right approver can sign in and land on it. */
function signOutKeepingLink() {
  const hash = window.location.hash;
  signOut();
  if (window.location.hash !== hash) window.location.hash = hash;
}

export function DecisionPage({ kind, id }: { kind: 'task' | 'link'; id: string }) {
  useLang();
  const base = kind === 'task' ? `/tasks/${seg(id)}` : `/links/${seg(id)}`;
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [form, setForm] = useState<Form | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [comment, setComment] = useState('');
  // A function, so that the message follows a language switch.
  const [commentError, setCommentError] = useState<(() => string) | null>(null);
  const [pending, setPending] = useState<Decision | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [done, setDone] = useState<{ decision: Decision; view: TaskView } | null>(null);
  const [linkGone, setLinkGone] = useState(false);
  const sendingRef = useRef(false);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    api<TaskView>(base).then(
      (view) => {
        if (!live) return;
        setState({ kind: 'ready', view });
        getForm(view.request.formId).then(
          (found) => live && setForm(found),
          () => undefined,
        );
      },
      (error) => live && setState({ kind: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [base, attempt]);

  useEffect(() => {
    if (done) outcomeRef.current?.focus();
  }, [done !== null]);

  // After a decision the workflow moves on by itself within moments: read the request a few times
  // so that the next stage (or the final 承認済) and the new history events show up.
  const followRef = useRef(0);
  useEffect(() => () => window.clearTimeout(followRef.current), []);
  const followUp = (requestId: string, stage: number, round = 0) => {
    api<RequestRecord>(`/requests/${seg(requestId)}`).then(
      (fresh) => {
        setDone((current) => (current ? { ...current, view: { ...current.view, request: fresh } } : current));
        const movedOn = fresh.status !== 'in_review' || fresh.stages.some((each) => each.index > stage && each.status === 'open');
        if (!movedOn && round < 8) followRef.current = window.setTimeout(() => followUp(requestId, stage, round + 1), 1_000);
      },
      () => undefined,
    );
  };

  if (linkGone) return <LinkProblem status={410} />;
  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'error') {
    const error = state.error;
    if (kind === 'link' && error instanceof ApiError && [403, 404, 410].includes(error.status)) return <LinkProblem status={error.status} />;
    return (
      <div>
        <PageTitle text={kind === 'link' ? t('decide.linkTitle') : t('decide.taskTitle')} />
        <ErrorBox onRetry={error instanceof ApiError && error.status < 500 && error.status !== 0 ? undefined : () => setAttempt((n) => n + 1)}>
          {errorText(error)}
        </ErrorBox>
        <p>
          <a href="#/inbox">{t('decide.toInbox')}</a>
        </p>
      </div>
    );
  }

  const view = done?.view ?? state.view;
  const { task, request } = view;
  const open = !done && task.status === 'pending' && request.status === 'in_review';
  const stageLabel = request.stages[task.stage]?.label ?? form?.route?.[task.stage]?.label;

  const ask = (decision: Decision) => {
    setSendError(null);
    const text = comment.trim();
    if (decision !== 'approve' && text === '') {
      setCommentError(() => () => t('decide.commentRequired'));
      commentRef.current?.focus();
      return;
    }
    if (comment.length > COMMENT_MAX) {
      setCommentError(() => () => t('decide.commentTooLong'));
      commentRef.current?.focus();
      return;
    }
    setCommentError(null);
    setPending(decision);
  };

  const send = async () => {
    const decision = pending;
    if (!decision || sendingRef.current) return;
    sendingRef.current = true;
    setSending(true);
    try {
      const text = comment.trim();
      const result = await api<TaskView>(`${base}/decision`, {
        method: 'POST',
        body: text ? { decision, comment: text } : { decision },
      });
      setPending(null);
      const merged: TaskView = {
        ...view,
        ...result,
        request: { ...view.request, ...result.request, history: result.request?.history ?? view.request.history },
      };
      setDone({ decision, view: merged });
      tasksChanged();
      followUp(merged.request.id, task.stage);
    } catch (error) {
      setPending(null);
      if (kind === 'link' && error instanceof ApiError && error.status === 410) {
        setLinkGone(true);
      } else if (error instanceof ApiError && error.status === 409) {
        setSendError(t('decide.conflict'));
        if (kind === 'task') setAttempt((n) => n + 1);
      } else if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
        const issues = error.issues;
        setCommentError(() => () => issues.map((issue) => loc(issue.messages) || issue.message).join(' '));
      } else {
        setSendError(errorText(error));
      }
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  const title = `${request.formCode} ${loc(request.formTitle)}`;
  return (
    <div class="decision-page">
      <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <a href="#/inbox">{t('inbox.title')}</a>
      </nav>
      <PageTitle
        text={title}
        sub={
          <>
            {kind === 'link' ? t('decide.linkTitle') : t('decide.taskTitle')}
            {stageLabel ? ` — ${loc(stageLabel)}` : ''}
            {kind === 'link' && view.link?.expiresAt && open ? (
              <span class="block small muted">{t('decide.linkExpires', { time: formatDateTime(view.link.expiresAt) })}</span>
            ) : null}
          </>
        }
      >
        <span class="code">{request.formCode}</span> {loc(request.formTitle)}
      </PageTitle>

      {done ? (
        <div class="alert alert-success outcome" role="status" tabIndex={-1} ref={outcomeRef}>
          <h2 class="alert-title">{t(`decide.done.${done.decision}` as MessageKey)}</h2>
          <p>
            {t('decide.doneStatus')}
            <StatusBadge status={done.view.request.status} />
          </p>
          <p class="actions">
            <a class="btn btn-primary" href="#/inbox">
              {t('decide.toInbox')}
            </a>
            <a class="btn" href={href('requests', request.id)}>
              {t('request.viewRequest')}
            </a>
          </p>
        </div>
      ) : null}
      {sendError ? <ErrorBox>{sendError}</ErrorBox> : null}
      {!done && !open ? (
        <div class="alert alert-info" role="status">
          {task.status !== 'pending' ? t('decide.alreadyDecided', { status: taskStatusText(task.status) }) : t('decide.notInReview')}
        </div>
      ) : null}

      <RequestView request={request} form={form} />

      {open ? (
        <section class="panel decide-panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{t('decide.title')}</h2>
          <p>{t('decide.lead')}</p>
          <div class={commentError ? 'field has-error' : 'field'}>
            <label class="field-label" for="decision-comment">
              {t('decide.comment')}
            </label>
            <p id="decision-comment-help" class="help">
              {t('decide.commentHelp')}
            </p>
            <div aria-live="assertive">
              {commentError ? (
                <p id="decision-comment-error" class="field-error-text">
                  {commentError()}
                </p>
              ) : null}
            </div>
            <textarea
              id="decision-comment"
              ref={commentRef}
              rows={4}
              value={comment}
              aria-invalid={commentError ? 'true' : undefined}
              aria-describedby={`decision-comment-help decision-comment-counter${commentError ? ' decision-comment-error' : ''}`}
              onInput={(event) => {
                setComment(event.currentTarget.value);
                if (commentError) setCommentError(null);
              }}
            />
            <Counter id="decision-comment-counter" length={comment.length} max={COMMENT_MAX} />
          </div>
          <div class="actions decide-actions">
            {DECISIONS.map((decision) => (
              <button
                key={decision}
                type="button"
                data-decision={decision}
                class={`btn ${decision === 'approve' ? 'btn-primary' : decision === 'reject' ? 'btn-danger' : 'btn-warning'}`}
                disabled={sending || pending !== null}
                onClick={() => ask(decision)}
              >
                {t(`decide.${decision}` as MessageKey)}
              </button>
            ))}
          </div>
        </section>
      ) : null}

      <ConfirmDialog
        open={pending !== null}
        title={pending ? t(`decide.confirmTitle.${pending}` as MessageKey) : ''}
        confirmLabel={pending ? t(`decide.confirm.${pending}` as MessageKey) : ''}
        tone={pending === 'approve' ? 'primary' : pending === 'reject' ? 'danger' : 'warning'}
        busy={sending}
        onConfirm={send}
        onCancel={() => setPending(null)}
      >
        {pending ? (
          <>
            <p>{t(`decide.confirmText.${pending}` as MessageKey)}</p>
            <p class="dialog-comment">
              <span class="muted">{t('decide.confirmComment')}</span> {comment.trim() || t('decide.noComment')}
            </p>
          </>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
