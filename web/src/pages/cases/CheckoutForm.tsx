/**
 * 持ち出しの記録 (A11(5)): which laptop or medium (a client from the ledger, or named in words), why,
 * where to, and when it comes back. 総務 may record it for someone else.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, getLedgerItems } from '../../api';
import { loc, useLang } from '../../i18n';
import { href, navigate } from '../../router';
import type { Person } from '../../types';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { Breadcrumb, CaseArticles, ErrorSummary, Field, caseOf, japanToday, useCaseForm, useCatalog } from './parts';
import type { Checkout } from './types';

interface ClientOption {
  id: string;
  label: string;
}

/** Company-owned clients in service at a site, for the laptop pick. */
function useClients(siteId: string | undefined): ClientOption[] | null {
  const [clients, setClients] = useState<ClientOption[] | null>(null);
  useEffect(() => {
    let live = true;
    getLedgerItems('clients').then(
      (items) =>
        live &&
        setClients(
          items
            .filter((item) => item.status !== 'retired' && item.ownership !== 'personal' && item.kind === 'terminal' && (!siteId || item.siteId === siteId))
            .map((item) => ({ id: String(item.id), label: `${String(item.label ?? item.id)}（${String(item.id)}）` })),
        ),
      () => live && setClients([]),
    );
    return () => {
      live = false;
    };
  }, [siteId]);
  return clients;
}

export function CheckoutFormPage({ me }: { me: Person }) {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const clients = useClients(me.site?.id);
  const [mediaKind, setMediaKind] = useState('laptop');
  const [source, setSource] = useState<'ledger' | 'name'>('ledger');
  const [clientId, setClientId] = useState('');
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [destination, setDestination] = useState('');
  const [expectedReturnOn, setExpectedReturnOn] = useState('');
  const [borrowerId, setBorrowerId] = useState('');
  const { issues, failure, sending, focusKey, on, input, submit } = useCaseForm();

  if (catalogError) return <ErrorBox onRetry={retry}>{catalogError}</ErrorBox>;
  if (!catalog) return <Loading />;
  const definition = caseOf(catalog, 'media-checkout');
  const today = japanToday();

  const labels: Record<string, string> = {
    mediaKind: tc('checkout.kind'),
    clientId: tc('checkout.client'),
    name: tc('checkout.name'),
    purpose: tc('checkout.purpose'),
    destination: tc('checkout.destination'),
    expectedReturnOn: tc('checkout.expectedReturnOn'),
    borrowerId: tc('checkout.borrowerId'),
  };

  const check = () => {
    const found: Record<string, string> = {};
    if (source === 'ledger' && !clientId) found.clientId = tc('check.choose', { label: labels.clientId });
    if (source === 'name' && !name.trim()) found.name = tc('check.enter', { label: labels.name });
    if (!purpose.trim()) found.purpose = tc('check.enter', { label: labels.purpose });
    if (!destination.trim()) found.destination = tc('check.enter', { label: labels.destination });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expectedReturnOn)) found.expectedReturnOn = tc('check.date', { label: labels.expectedReturnOn });
    else if (expectedReturnOn < today) found.expectedReturnOn = tc('check.notPast');
    return found;
  };

  const send = async () => {
    const checkout = await api<Checkout>('/cases/media-checkouts', {
      method: 'POST',
      body: {
        mediaKind,
        ...(source === 'ledger' ? { clientId } : { name: name.trim() }),
        purpose: purpose.trim(),
        destination: destination.trim(),
        expectedReturnOn,
        ...(borrowerId.trim() ? { borrowerId: borrowerId.trim() } : {}),
      },
    });
    navigate(href('cases', 'media', checkout.id));
  };

  return (
    <div class="cases">
      <Breadcrumb>
        <a href="#/cases/media">{tc('checkouts.title')}</a>
      </Breadcrumb>
      <PageTitle text={tc('checkouts.new')} sub={loc(definition.description)} />
      <CaseArticles articles={definition.articles} />
      <form class="panel case-form" noValidate onSubmit={submit(check, send)}>
        <ErrorSummary issues={issues} labels={labels} focusKey={focusKey} />
        <Field id="case-mediaKind" label={labels.mediaKind} required error={issues.mediaKind}>
          <select value={mediaKind} onChange={(e) => setMediaKind(e.currentTarget.value)} {...input('mediaKind')}>
            {Object.entries(definition.kinds).map(([value, label]) => (
              <option key={value} value={value}>
                {loc(label)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="case-source" label={tc('checkout.item')} required group error={issues.clientId || issues.name}>
          <div class="case-choices">
            <label class="check">
              <input type="radio" name="source" checked={source === 'ledger'} onChange={() => setSource('ledger')} />
              <span>{tc('checkout.fromLedger')}</span>
            </label>
            <label class="check">
              <input type="radio" name="source" checked={source === 'name'} onChange={() => setSource('name')} />
              <span>{tc('checkout.byName')}</span>
            </label>
          </div>
          {source === 'ledger' ? (
            <select value={clientId} aria-label={labels.clientId} disabled={!clients} onChange={on('clientId', setClientId)} {...input('clientId')}>
              <option value="">{clients ? tc('select') : tc('loading')}</option>
              {(clients ?? []).map((client) => (
                <option key={client.id} value={client.id}>
                  {client.label}
                </option>
              ))}
            </select>
          ) : (
            <input type="text" maxLength={200} aria-label={labels.name} placeholder={tc('checkout.namePlaceholder')} value={name} onInput={on('name', setName)} {...input('name')} />
          )}
        </Field>
        <Field id="case-purpose" label={labels.purpose} required error={issues.purpose}>
          <textarea rows={2} maxLength={1000} value={purpose} onInput={on('purpose', setPurpose)} {...input('purpose')} />
        </Field>
        <div class="case-row">
          <Field id="case-destination" label={labels.destination} required error={issues.destination}>
            <input type="text" maxLength={200} value={destination} onInput={on('destination', setDestination)} {...input('destination')} />
          </Field>
          <Field id="case-expectedReturnOn" label={labels.expectedReturnOn} required help={tc('checkout.expectedHelp')} error={issues.expectedReturnOn}>
            <input type="date" min={today} value={expectedReturnOn} onInput={on('expectedReturnOn', setExpectedReturnOn)} {...input('expectedReturnOn', tc('checkout.expectedHelp'))} />
          </Field>
        </div>
        {catalog.may.recordReturns ? (
          <Field id="case-borrowerId" label={labels.borrowerId} help={tc('checkout.borrowerHelp')} error={issues.borrowerId}>
            <input type="text" maxLength={128} value={borrowerId} onInput={on('borrowerId', setBorrowerId)} {...input('borrowerId', tc('checkout.borrowerHelp'))} />
          </Field>
        ) : null}
        {failure ? <ErrorBox>{failure}</ErrorBox> : null}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={sending} aria-busy={sending ? 'true' : undefined}>
            {sending ? tc('sending') : tc('checkout.submit')}
          </button>
          <a class="btn" href="#/cases/media">
            {tc('cancel')}
          </a>
        </div>
      </form>
    </div>
  );
}
