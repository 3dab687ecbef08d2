/**
 * One request: entries, route with seals, history. The requester can withdraw it (while in review
 * or sent back) and resubmit it after a send-back. While in review the page refreshes itself.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, getForm, seg } from '../api';
import { setFlash, takeFlash } from '../flash';
import { formatDateTime } from '../format';
import { loc, t, useLang, type MessageKey } from '../i18n';
import { href } from '../router';
import type { Form, Person, RequestRecord } from '../types';
import { FormEditor } from '../components/FormEditor';
import { RequestView } from '../components/RequestView';
import { ConfirmDialog, Counter, ErrorBox, Loading, Notice, PageTitle } from '../components/ui';
import { tasksChanged } from '../events';

const POLL_MS = 4_000;

/** Loads a request (and its form, for labels); refreshes while `poll` says so. */
export function useRequest(requestId: string) {
  const [request, setRequest] = useState<RequestRecord | null>(null);
  const [form, setForm] = useState<Form | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const live = useRef(true);

  const load = useCallback(async () => {
    setRefreshing(true);
    try {
      const fresh = await api<RequestRecord>(`/requests/${seg(requestId)}`);
      if (!live.current) return;
      setRequest(fresh);
      setError(null);
      setLoadedAt(new Date().toISOString());
      getForm(fresh.formId).then(
        (found) => live.current && setForm(found),
        () => undefined,
      );
    } catch (failure) {
      if (live.current) setError(failure as Error);
    } finally {
      if (live.current) setRefreshing(false);
    }
  }, [requestId]);

  useEffect(() => {
    live.current = true;
    load();
    return () => {
      live.current = false;
    };
  }, [load]);

  return { request, setRequest, form, error, load, loadedAt, refreshing };
}

/** Calls `tick` every `ms` while `active` and the page is visible. */
export function usePolling(active: boolean, tick: () => void, ms = POLL_MS) {
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, ms);
    return () => window.clearInterval(timer);
  }, [active, tick, ms]);
}

/** A small printer icon for the 印刷 button (inline SVG: no external file, nothing for the CSP). */
function PrinterIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M7 3h10v4H7zM5 8h14a2 2 0 0 1 2 2v6h-4v4H7v-4H3v-6a2 2 0 0 1 2-2zm4 7v3h6v-3zm8-4.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2z" />
    </svg>
  );
}

/**
 * The printed page's header line: product name and 印刷日時, set again just before printing
 * (`beforeprint` also fires for Ctrl+P and the browser's menu).
 */
function PrintHeader() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const stamp = () => {
      if (ref.current) ref.current.textContent = t('request.printedAt', { time: formatDateTime(new Date().toISOString()) });
    };
    stamp();
    window.addEventListener('beforeprint', stamp);
    return () => window.removeEventListener('beforeprint', stamp);
  });
  return (
    <p class="print-only print-header">
      <span>{t('app.name')}</span>
      <span ref={ref} />
    </p>
  );
}

export function RequestPage({ requestId, me }: { requestId: string; me: Person }) {
  useLang();
  const { request, setRequest, form, error, load, loadedAt, refreshing } = useRequest(requestId);
  const [flash, setFlashKey] = useState<MessageKey | null>(() => takeFlash(href('requests', requestId)));
  const [editing, setEditing] = useState(false);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [withdrawComment, setWithdrawComment] = useState('');
  const [withdrawing, setWithdrawing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const busy = useRef(false);

  usePolling(request?.status === 'in_review' && !withdrawOpen, load);

  if (!request) {
    if (error) {
      const text =
        error instanceof ApiError && error.status === 404
          ? t('request.notFound')
          : error instanceof ApiError && error.status === 403
            ? t('request.forbidden')
            : errorText(error);
      return (
        <div>
          <PageTitle text={t('request.title')} />
          <ErrorBox onRetry={error instanceof ApiError && (error.status === 404 || error.status === 403) ? undefined : load}>{text}</ErrorBox>
        </div>
      );
    }
    return <Loading />;
  }

  const mine = request.requester.id === me.id;
  const canWithdraw = mine && (request.status === 'in_review' || request.status === 'sent_back');
  const canResubmit = mine && request.status === 'sent_back';
  const sentBackStage = request.stages.find((stage) => stage.status === 'sent_back');
  const title = `${request.formCode} ${loc(request.formTitle)}`;

  const withdraw = async () => {
    if (busy.current) return;
    busy.current = true;
    setWithdrawing(true);
    setActionError(null);
    try {
      const comment = withdrawComment.trim();
      const updated = await api<RequestRecord>(`/requests/${seg(request.id)}/withdraw`, {
        method: 'POST',
        body: comment ? { comment } : {},
      });
      setWithdrawOpen(false);
      setWithdrawComment('');
      setEditing(false);
      setFlashKey(null); // the 取下げ banner below says it
      tasksChanged();
      await load().catch(() => setRequest(updated));
    } catch (failure) {
      setWithdrawOpen(false);
      setActionError(errorText(failure));
      if (failure instanceof ApiError && failure.status === 409) load();
    } finally {
      busy.current = false;
      setWithdrawing(false);
    }
  };

  const resubmit = async (data: Record<string, unknown>) => {
    await api<RequestRecord>(`/requests/${seg(request.id)}/resubmit`, { method: 'POST', body: { data } });
    setEditing(false);
    setFlash(href('requests', request.id), 'request.resubmitted');
    setFlashKey(takeFlash(href('requests', request.id)));
    tasksChanged();
    await load();
    window.scrollTo(0, 0);
  };

  return (
    <div class="request-page">
      <PrintHeader />
      <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <a href={mine ? '#/requests' : '#/inbox'}>{mine ? t('mine.title') : t('inbox.title')}</a>
      </nav>
      <PageTitle text={title}>
        <span class="code">{request.formCode}</span> {loc(request.formTitle)}
      </PageTitle>
      {editing ? null : (
        <div class="page-tools">
          <button type="button" class="btn btn-small print-button" aria-describedby="print-help" onClick={() => window.print()}>
            <PrinterIcon />
            {t('request.print')}
          </button>
          <span id="print-help" class="muted small">
            {t('request.printHelp')}
          </span>
        </div>
      )}
      {flash && request.status === 'in_review' ? <Notice kind="success">{t(flash)}</Notice> : null}
      {actionError ? <ErrorBox>{actionError}</ErrorBox> : null}
      {request.status === 'sent_back' ? (
        <div class="alert alert-warning" role="status">
          <h2 class="alert-title">{t('request.sentBackTitle')}</h2>
          {sentBackStage?.decision ? (
            <p>
              {loc(sentBackStage.decision.by.name)}
              {t('punct.paren', { text: loc(sentBackStage.label) })}
              {sentBackStage.decision.comment ? <q class="quote">{sentBackStage.decision.comment}</q> : null}
            </p>
          ) : null}
          {mine ? <p>{t('request.sentBackLead')}</p> : null}
        </div>
      ) : null}
      {request.status === 'approved' ? <Notice kind="success">{t('request.approvedLead')}</Notice> : null}
      {request.status === 'rejected' ? <div class="alert alert-error">{t('request.rejectedLead')}</div> : null}
      {request.status === 'withdrawn' ? <Notice>{t('request.withdrawnLead')}</Notice> : null}

      {editing && form ? (
        <section aria-labelledby="resubmit-title" class="resubmit">
          <h2 id="resubmit-title">{t('request.resubmitTitle')}</h2>
          <p>{t('request.resubmitLead')}</p>
          <FormEditor form={form} mode="resubmit" initialData={request.data} onSubmit={resubmit} onCancel={() => setEditing(false)} />
        </section>
      ) : (
        <>
          {canWithdraw || canResubmit ? (
            <div class="actions request-actions" role="group" aria-label={t('request.actions')}>
              {canResubmit ? (
                <button type="button" class="btn btn-primary" disabled={!form} onClick={() => setEditing(true)}>
                  {t('request.resubmit')}
                </button>
              ) : null}
              {canWithdraw ? (
                <button type="button" class="btn btn-warning-outline" onClick={() => setWithdrawOpen(true)}>
                  {t('request.withdraw')}
                </button>
              ) : null}
            </div>
          ) : null}
          <RequestView request={request} form={form} />
        </>
      )}

      <div class="refresh-bar">
        {request.status === 'in_review' ? <span class="muted small">{t('app.autoRefresh')}</span> : null}
        {loadedAt ? <span class="muted small">{t('app.updatedAt', { time: formatDateTime(loadedAt) })}</span> : null}
        <button type="button" class="btn btn-small" onClick={() => load()} disabled={refreshing}>
          {t('app.refresh')}
        </button>
      </div>

      <ConfirmDialog
        open={withdrawOpen}
        title={t('request.withdrawTitle')}
        confirmLabel={t('request.withdrawConfirm')}
        tone="danger"
        busy={withdrawing}
        confirmDisabled={withdrawComment.length > 1000}
        onConfirm={withdraw}
        onCancel={() => setWithdrawOpen(false)}
      >
        <p>{t('request.withdrawText')}</p>
        <label class="field-label" for="withdraw-comment">
          {t('request.withdrawComment')}
        </label>
        <textarea
          id="withdraw-comment"
          rows={3}
          value={withdrawComment}
          aria-describedby="withdraw-counter"
          onInput={(event) => setWithdrawComment(event.currentTarget.value)}
        />
        <Counter id="withdraw-counter" length={withdrawComment.length} max={1000} />
      </ConfirmDialog>
    </div>
  );
}
