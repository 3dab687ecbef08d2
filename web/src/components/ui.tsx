/** Small building blocks shared by the pages. */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import type { RequestStatus, StageStatus, TaskStatus } from '../types';

/** The page's heading; sets the document title and takes focus after navigation (for screen readers). */
export function PageTitle({ children, text, sub }: { children?: ComponentChildren; text: string; sub?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${text} | ${t('app.name')}`;
  }, [text]);
  useEffect(() => {
    // Move focus to the new page's heading, unless the user is typing somewhere already.
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('nav, header, .signin')) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div class="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children ?? text}
      </h1>
      {sub ? <div class="page-sub">{sub}</div> : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('app.loading')}
    </p>
  );
}

export function ErrorBox({ children, onRetry }: { children: ComponentChildren; onRetry?: () => void }) {
  return (
    <div class="alert alert-error" role="alert">
      <p>{children}</p>
      {onRetry ? (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function StatusBadge({ status }: { status: RequestStatus }) {
  const key = `status.${status}` as MessageKey;
  return <span class={`badge badge-${status}`}>{t(key)}</span>;
}

export function StageBadge({ status }: { status: StageStatus }) {
  return <span class={`badge badge-stage-${status}`}>{t(`stage.${status}` as MessageKey)}</span>;
}

export function taskStatusText(status: TaskStatus): string {
  return t(`task.${status}` as MessageKey);
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  tone?: 'primary' | 'danger' | 'warning';
  busy?: boolean;
  /** Keeps the confirm button disabled (e.g. an input in the dialog is not valid). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal confirmation (native <dialog>: focus is kept inside, Escape cancels). */
export function ConfirmDialog({ open, title, children, confirmLabel, tone = 'primary', busy, confirmDisabled, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`} class="dialog-title">
        {title}
      </h2>
      <div id={`${id}-body`} class="dialog-body">
        {children}
      </div>
      <div class="dialog-actions">
        <button type="button" class="btn" ref={cancelRef} disabled={busy} onClick={onCancel}>
          {t('app.cancel')}
        </button>
        <button type="button" class={`btn btn-${tone}`} disabled={busy || confirmDisabled} aria-busy={busy ? 'true' : undefined} onClick={onConfirm}>
          {busy ? t('app.sending') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** Characters typed against a maximum, e.g. 120 / 1000 文字. */
export function Counter({ id, length, max }: { id: string; length: number; max: number }) {
  const over = length - max;
  return (
    <p id={id} class={over > 0 ? 'counter counter-over' : 'counter'}>
      {over > 0 ? t('form.counterOver', { n: length, max, over }) : t('form.counter', { n: length, max })}
    </p>
  );
}
