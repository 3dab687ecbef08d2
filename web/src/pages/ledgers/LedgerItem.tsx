/**
 * One ledger item: every field with its label, its history (Japan time, who, what; request ids link
 * to the request when the user may open it), and for 情報システム部インフラ担当 the edit form and, on
 * an approved configuration change, 実施完了. Also the page to register a new item.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, api, errorText, forgetLedgerItems, seg } from '../../api';
import { setFlash, takeFlash } from '../../flash';
import { formatDateTime } from '../../format';
import { loc, t, useLang, type MessageKey } from '../../i18n';
import { href, navigate } from '../../router';
import type { HistoryEvent, LedgerDefinition, LedgerItem, LedgerItemView, Person } from '../../types';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { LedgerEditor } from './LedgerEditor';
import { useLedgerDefinitions } from './LedgerIndex';
import { REQUEST_ID, cellText, columnLabel, isItInfra, itemName, ledgerTitle } from './format';

// ---- may the user open a request? ------------------------------------------------------------

const visibility = new Map<string, Promise<boolean>>();

/** 情報システム部インフラ担当 may open every request; anyone else finds out by asking (200 or not). */
function canOpen(requestId: string, me: Person): Promise<boolean> {
  if (isItInfra(me)) return Promise.resolve(true);
  const key = `${me.id}:${requestId}`;
  let known = visibility.get(key);
  if (!known) {
    known = api(`/requests/${seg(requestId)}`).then(
      () => true,
      () => false,
    );
    visibility.set(key, known);
  }
  return known;
}

function useOpenable(ids: string[], me: Person): Set<string> {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    for (const id of ids) {
      canOpen(id, me).then((yes) => {
        if (live && yes) setOpen((current) => (current.has(id) ? current : new Set(current).add(id)));
      });
    }
    return () => {
      live = false;
    };
  }, [key, me]);
  return open;
}

/** Text with its request ids as links (those the user may open). */
function WithRequestLinks({ text, openable }: { text: string; openable: Set<string> }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(REQUEST_ID)) {
    const id = match[0];
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(
      openable.has(id) ? (
        <a key={`${id}-${at}`} href={href('requests', id)} class="mono">
          {id}
        </a>
      ) : (
        <span key={`${id}-${at}`} class="mono">
          {id}
        </span>
      ),
    );
    last = at + id.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

function requestIdsIn(view: LedgerItemView | null): string[] {
  if (!view) return [];
  const found = new Set<string>();
  const own = view.item.requestId;
  if (typeof own === 'string' && own) found.add(own);
  for (const event of view.history ?? []) {
    for (const text of [event.summary?.ja, event.summary?.en]) for (const match of (text ?? '').matchAll(REQUEST_ID)) found.add(match[0]);
  }
  return [...found].sort();
}

function ItemHistory({ events, openable }: { events: HistoryEvent[]; openable: Set<string> }) {
  if (events.length === 0) return <p class="muted">{t('request.noHistory')}</p>;
  return (
    <ol class="history ledger-history">
      {events.map((event) => {
        const summary = loc(event.summary) || event.action;
        const actor = event.actor ? loc(event.actor.name) : t('ledger.system');
        return (
          <li key={event.seq}>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            <span class="history-text">
              {/* Most summaries name who did it already ("山田 次郎 が直接編集しました"). */}
              {summary.startsWith(actor) ? null : <span class="history-actor">{actor}</span>}
              <WithRequestLinks text={summary} openable={openable} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** Columns that name an item of another ledger: the page links to it. */
const REFERENCES: Record<string, string> = {
  serverId: 'servers',
  clientId: 'clients',
  newClientId: 'clients',
  productId: 'products',
  licenceId: 'licences',
  registrationId: 'licence-registrations',
};

function referenceOf(key: string, item: LedgerItem): string | undefined {
  if (key === 'targetId') return item.target === 'client' ? 'clients' : item.target === 'server' ? 'servers' : undefined;
  return REFERENCES[key];
}

function ItemFields({ definition, item, openable }: { definition: LedgerDefinition; item: LedgerItem; openable: Set<string> }) {
  const counters = new Set(definition.counters ?? []);
  return (
    <dl class="data-list">
      {(definition.columns ?? []).map((column) => {
        const text = cellText(column, item);
        return (
          <div class="data-row" key={column.key}>
            <dt>
              {columnLabel(column)}
              {counters.has(column.key) ? <span class="opt">{t('ledger.counter')}</span> : null}
            </dt>
            <dd class={text ? 'pre' : 'muted'}>
              {!text ? (
                t('ledger.noValue')
              ) : referenceOf(column.key, item) && typeof item[column.key] === 'string' ? (
                <a href={href('ledgers', referenceOf(column.key, item)!, 'items', String(item[column.key]))}>{text}</a>
              ) : (
                <WithRequestLinks text={text} openable={openable} />
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function useDefinition(name: string) {
  const { ledgers, error, retry } = useLedgerDefinitions();
  const definition = ledgers?.find((ledger) => ledger.name === name) ?? null;
  const missing = ledgers !== null && !definition;
  return { definition, missing, error, retry };
}

function Breadcrumb({ name, definition }: { name: string; definition: LedgerDefinition | null }) {
  return (
    <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
      <a href={href('ledgers')}>{t('ledgers.title')}</a>
      <a href={href('ledgers', name)}>{ledgerTitle(definition, name)}</a>
    </nav>
  );
}

function NotAllowed({ name, definition }: { name: string; definition: LedgerDefinition | null }) {
  return (
    <div>
      <Breadcrumb name={name} definition={definition} />
      <PageTitle text={t('ledger.notAllowedTitle')} />
      <p>{t('ledger.notAllowed')}</p>
    </div>
  );
}

export function LedgerItemPage({ name, id, me }: { name: string; id: string; me: Person }) {
  useLang();
  const { definition, missing, error: definitionError, retry } = useDefinition(name);
  const [view, setView] = useState<LedgerItemView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [done, setDone] = useState<MessageKey | null>(() => takeFlash(href('ledgers', name, 'items', id)));
  const [completeOpen, setCompleteOpen] = useState(false);
  const [completeNote, setCompleteNote] = useState('');
  const [completing, setCompleting] = useState(false);
  const [completeError, setCompleteError] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const editor = isItInfra(me);
  const openable = useOpenable(requestIdsIn(view), me);

  const load = async () => {
    const fresh = await api<LedgerItemView>(`/ledgers/${seg(name)}/${seg(id)}`);
    setView(fresh);
    setError(null);
    return fresh;
  };

  useEffect(() => {
    let live = true;
    api<LedgerItemView>(`/ledgers/${seg(name)}/${seg(id)}`).then(
      (fresh) => {
        if (!live) return;
        setView(fresh);
        setError(null);
      },
      (failure) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [name, id, attempt]);

  useEffect(() => {
    if (editing) document.getElementById('editor-title')?.focus();
  }, [editing]);

  useEffect(() => {
    if (done && !editing) doneRef.current?.focus();
  }, [done, editing]);

  // The conflict message sits above the form: bring it into view and to the screen reader.
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const save = async (item: LedgerItem, reason: string) => {
    if (!view) return;
    try {
      const saved = await api<LedgerItemView>(`/ledgers/${seg(name)}/${seg(id)}`, {
        method: 'PUT',
        body: { item, version: view.version, ...(reason ? { reason } : {}) },
      });
      setView(saved);
      setConflict(false);
      setEditing(false);
      setDone('ledger.saved');
      forgetLedgerItems(name);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) setConflict(true);
      throw failure;
    }
  };

  const reload = async () => {
    try {
      await load();
      setConflict(false);
    } catch (failure) {
      setError(failure);
    }
  };

  const complete = async () => {
    if (completing) return;
    setCompleting(true);
    setCompleteError(null);
    try {
      const answer = await api<{ change?: LedgerItemView }>(`/configuration-changes/${seg(id)}/complete`, {
        method: 'POST',
        body: completeNote.trim() ? { note: completeNote.trim() } : {},
      });
      setCompleteOpen(false);
      setCompleteNote('');
      if (answer?.change?.item) setView(answer.change);
      else await load();
      setDone('ledger.completed');
      forgetLedgerItems(name);
      forgetLedgerItems(view?.item.target === 'client' ? 'clients' : 'servers');
    } catch (failure) {
      setCompleteError(errorText(failure));
      if (failure instanceof ApiError && failure.status === 409) await load().catch(() => undefined);
    } finally {
      setCompleting(false);
    }
  };

  if (missing) {
    return (
      <div>
        <PageTitle text={t('ledger.notFound')} />
        <p>
          <a href={href('ledgers')}>{t('ledgers.title')}</a>
        </p>
      </div>
    );
  }
  if (definitionError && !definition) return <ErrorBox onRetry={retry}>{definitionError}</ErrorBox>;
  if (error && !view) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <div>
        <Breadcrumb name={name} definition={definition} />
        <PageTitle text={notFound ? t('ledger.itemNotFound') : ledgerTitle(definition, name)} />
        <ErrorBox onRetry={notFound ? undefined : () => setAttempt((n) => n + 1)}>{errorText(error)}</ErrorBox>
      </div>
    );
  }
  if (!view || !definition) return <Loading />;

  const item = view.item;
  const title = itemName(item);
  const completable = name === 'configuration-changes' && item.status === 'approved' && editor;
  const target = name === 'configuration-changes' && typeof item.targetId === 'string' ? (item.target === 'client' ? 'clients' : 'servers') : null;

  return (
    <div class="ledger-item-page">
      <Breadcrumb name={name} definition={definition} />
      <PageTitle
        text={`${title} | ${ledgerTitle(definition, name)}`}
        sub={
          <p class="item-meta">
            <span class="muted">{t('ledger.id')}</span> <span class="mono">{String(item.id ?? id)}</span>
            <span class="muted">{t('ledger.version', { n: view.version })}</span>
          </p>
        }
      >
        {title}
      </PageTitle>
      {done ? (
        <div ref={doneRef} tabIndex={-1} class="flash-focus">
          <Notice kind="success">
            <p>{t(done)}</p>
            {done === 'ledger.completed' && target ? (
              <p>
                <a href={href('ledgers', target, 'items', String(item.targetId))}>{t('ledger.toTarget')}</a>
              </p>
            ) : null}
          </Notice>
        </div>
      ) : null}
      {(editor || completable) && !editing ? (
        <div class="ledger-actions">
          {editor ? (
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                setDone(null);
                setEditing(true);
              }}
            >
              {t('ledger.edit')}
            </button>
          ) : null}
          {completable ? (
            <button type="button" class="btn btn-warning" onClick={() => setCompleteOpen(true)}>
              {t('ledger.complete')}
            </button>
          ) : null}
        </div>
      ) : null}
      {completeError && !completeOpen ? <ErrorBox>{completeError}</ErrorBox> : null}

      {editing ? (
        <LedgerEditor
          definition={definition}
          item={item}
          onSave={save}
          handlesConflict
          onCancel={() => {
            setEditing(false);
            setConflict(false);
          }}
          notice={
            conflict ? (
              <div class="alert alert-warning" role="alert" tabIndex={-1} ref={conflictRef}>
                <p class="alert-title">{t('ledger.conflictTitle')}</p>
                <p>{t('ledger.conflict')}</p>
                <button type="button" class="btn btn-small" onClick={reload}>
                  {t('ledger.reload')}
                </button>
              </div>
            ) : null
          }
        />
      ) : (
        <section class="panel" aria-labelledby="sec-fields">
          <h2 id="sec-fields">{t('ledger.fields')}</h2>
          <ItemFields definition={definition} item={item} openable={openable} />
        </section>
      )}

      <section class="panel" aria-labelledby="sec-history">
        <h2 id="sec-history">
          {t('ledger.history')} <span class="muted small">{t('time.jst')}</span>
        </h2>
        <ItemHistory events={view.history ?? []} openable={openable} />
      </section>

      <ConfirmDialog
        open={completeOpen}
        title={t('ledger.completeTitle')}
        confirmLabel={t('ledger.completeConfirm')}
        tone="warning"
        busy={completing}
        onConfirm={complete}
        onCancel={() => {
          setCompleteOpen(false);
          setCompleteError(null);
        }}
      >
        <p>{t('ledger.completeText')}</p>
        <label class="field-label" for="complete-note">
          {t('ledger.completeNote')}
          <span class="opt">{t('form.optional')}</span>
        </label>
        <textarea id="complete-note" rows={3} maxLength={1000} value={completeNote} onInput={(event) => setCompleteNote(event.currentTarget.value)} />
        {completeError ? <p class="field-error-text">{completeError}</p> : null}
      </ConfirmDialog>
    </div>
  );
}

export function LedgerNewPage({ name, me }: { name: string; me: Person }) {
  useLang();
  const { definition, missing, error, retry } = useDefinition(name);
  if (!isItInfra(me)) return <NotAllowed name={name} definition={definition} />;
  if (missing) return <PageTitle text={t('ledger.notFound')} />;
  if (error && !definition) return <ErrorBox onRetry={retry}>{error}</ErrorBox>;
  if (!definition) return <Loading />;

  const create = async (item: LedgerItem, reason: string) => {
    const saved = await api<LedgerItemView>(`/ledgers/${seg(name)}`, { method: 'POST', body: { item, ...(reason ? { reason } : {}) } });
    forgetLedgerItems(name);
    const target = href('ledgers', name, 'items', String(saved?.item?.id ?? item.id));
    setFlash(target, 'ledger.created');
    navigate(target);
  };

  return (
    <div>
      <Breadcrumb name={name} definition={definition} />
      <PageTitle text={t('ledger.newPageTitle', { ledger: ledgerTitle(definition, name) })} />
      <LedgerEditor definition={definition} onSave={create} onCancel={() => navigate(href('ledgers', name))} />
    </div>
  );
}

export { NotAllowed, Breadcrumb, useDefinition };
