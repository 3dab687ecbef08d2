/**
 * One checkout: what was taken, by whom, where to and until when; whether it is late and how its
 * return reminder stands; and for 総務 the return, after a confirmation.
 */
import { useState } from 'preact/hooks';
import { api, seg } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { CheckoutState } from './CheckoutList';
import { tc } from './messages';
import { Breadcrumb, CaseArticles, CaseHistory, Facts, caseOf, failureOf, useCaseRecord, useCatalog } from './parts';
import type { CheckoutDetail } from './types';

export function CheckoutPage({ id }: { id: string }) {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const { record: checkout, error, reload } = useCaseRecord<CheckoutDetail>(`/cases/media-checkouts/${seg(id)}`);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<{ message: string; conflict: boolean } | null>(null);
  const [done, setDone] = useState(false);

  if (error) return <ErrorBox onRetry={reload}>{error}</ErrorBox>;
  if (catalogError) return <ErrorBox onRetry={retry}>{catalogError}</ErrorBox>;
  if (!checkout || !catalog) return <Loading />;
  const definition = caseOf(catalog, 'media-checkout');

  const recordReturn = async () => {
    setSending(true);
    setFailure(null);
    try {
      await api(`/cases/media-checkouts/${seg(id)}/return`, { method: 'POST', body: { version: checkout.version, ...(note.trim() ? { note: note.trim() } : {}) } });
      setConfirming(false);
      setDone(true);
      reload();
    } catch (failed) {
      const result = failureOf(failed);
      setConfirming(false);
      setFailure({ message: result.message ?? Object.values(result.issues).join(' '), conflict: result.conflict });
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="cases">
      <Breadcrumb>
        <a href="#/cases/media">{tc('checkouts.title')}</a>
      </Breadcrumb>
      <PageTitle text={checkout.item.name} sub={<span class="mono">{checkout.id}</span>} />
      <div class="case-toolbar">
        <CheckoutState checkout={checkout} />
      </div>
      {done ? <Notice kind="success">{tc('return.done')}</Notice> : null}
      {checkout.overdue ? (
        <div class="alert alert-warning" role="status">
          {tc('checkout.overdueText', { date: formatDate(checkout.expectedReturnOn), n: checkout.daysOverdue })}
        </div>
      ) : null}
      <Facts
        kind="meta"
        facts={[
          { label: tc('checkout.kind'), value: loc(definition.kinds[checkout.mediaKind]) },
          { label: tc('checkout.borrower'), value: loc(checkout.borrower.name) },
          { label: tc('checkout.checkedOutAt'), value: formatDateTime(checkout.checkedOutAt) },
          { label: tc('checkout.expectedReturnOn'), value: formatDate(checkout.expectedReturnOn) },
        ]}
      />
      <section class="panel" aria-labelledby="checkout-facts">
        <h2 id="checkout-facts">{tc('checkout.facts')}</h2>
        <Facts
          kind="data-list"
          facts={[
            { label: tc('checkout.item'), value: checkout.item.name },
            { label: tc('checkout.purpose'), value: checkout.purpose, class: 'pre' },
            { label: tc('checkout.destination'), value: checkout.destination },
            { label: tc('checkout.recordedBy'), value: loc(checkout.recordedBy.name) },
            checkout.status === 'returned' && {
              label: tc('checkout.returnedAt'),
              value: (
                <>
                  {formatDateTime(checkout.returnedAt)} {checkout.returnedTo ? tc('checkout.returnedTo', { name: loc(checkout.returnedTo.name) }) : ''}
                  {checkout.returnNote ? <span class="block pre">{checkout.returnNote}</span> : null}
                </>
              ),
            },
            checkout.duty && {
              label: tc('checkout.reminder'),
              value: (
                <>
                  {checkout.duty.status === 'open' ? tc('checkout.reminderOpen', { n: checkout.duty.remindCount }) : tc('checkout.reminderDone')}
                  {checkout.duty.escalatedAt ? ` ${tc('checkout.escalated', { at: formatDateTime(checkout.duty.escalatedAt) })}` : ''}
                </>
              ),
            },
          ]}
        />
      </section>

      {checkout.mayRecordReturn && checkout.status === 'out' ? (
        <section class="panel case-next" aria-labelledby="checkout-return">
          <h2 id="checkout-return">{tc('return.title')}</h2>
          <p class="lead">{tc('return.lead')}</p>
          {failure ? (
            <ErrorBox onRetry={failure.conflict ? reload : undefined}>{failure.message}</ErrorBox>
          ) : null}
          <div class="field">
            <label class="field-label" for="case-note">
              {tc('return.note')}
              <span class="opt">{tc('optional')}</span>
            </label>
            <textarea id="case-note" rows={2} maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          <div class="actions">
            <button type="button" class="btn btn-primary" onClick={() => setConfirming(true)}>
              {tc('return.submit')}
            </button>
          </div>
          <ConfirmDialog open={confirming} title={tc('return.confirmTitle')} confirmLabel={tc('return.submit')} busy={sending} onConfirm={() => void recordReturn()} onCancel={() => setConfirming(false)}>
            <p>{tc('return.confirmText', { item: checkout.item.name, name: loc(checkout.borrower.name) })}</p>
          </ConfirmDialog>
        </section>
      ) : null}

      <CaseHistory id="checkout-history" events={checkout.history} />
      <CaseArticles articles={definition.articles} />
    </div>
  );
}
