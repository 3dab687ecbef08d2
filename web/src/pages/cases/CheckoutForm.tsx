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
import { Breadcrumb, CaseArticles, ErrorSummary, Field, caseOf, describedBy, failureOf, japanToday, useCatalog } from './parts';
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
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [focusKey, setFocusKey] = useState(0);

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

  /** A field changed: its error goes until the next check. */
  const edited = (key: string) => {
    if (issues[key]) setIssues(({ [key]: _gone, ...rest }) => rest);
  };
  /** The input handler of a text field or select: keeps the value and clears the field's error. */
  const on = (key: string, set: (value: string) => void) => (event: { currentTarget: { value: string } }) => {
    set(event.currentTarget.value);
    edited(key);
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

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const found = check();
    setIssues(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      setFocusKey((n) => n + 1);
      return;
    }
    setSending(true);
    try {
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
    } catch (error) {
      const result = failureOf(error);
      setIssues(result.issues);
      setFailure(result.message);
      setFocusKey((n) => n + 1);
    } finally {
      setSending(false);
    }
  };

  const field = (key: string, help?: string) => ({
    id: `case-${key}`,
    'aria-invalid': issues[key] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(`case-${key}`, help, issues[key]),
  });

  return (
    <div class="cases">
      <Breadcrumb>
        <a href="#/cases/media">{tc('checkouts.title')}</a>
      </Breadcrumb>
      <PageTitle text={tc('checkouts.new')} sub={loc(definition.description)} />
      <CaseArticles articles={definition.articles} />
      <form class="panel case-form" noValidate onSubmit={submit}>
        <ErrorSummary issues={issues} labels={labels} focusKey={focusKey} />
        <Field id="case-mediaKind" label={labels.mediaKind} required error={issues.mediaKind}>
          <select value={mediaKind} onChange={(e) => setMediaKind(e.currentTarget.value)} {...field('mediaKind')}>
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
            <select value={clientId} aria-label={labels.clientId} disabled={!clients} onChange={on('clientId', setClientId)} {...field('clientId')}>
              <option value="">{clients ? tc('select') : tc('loading')}</option>
              {(clients ?? []).map((client) => (
                <option key={client.id} value={client.id}>
                  {client.label}
                </option>
              ))}
            </select>
          ) : (
            <input type="text" maxLength={200} aria-label={labels.name} placeholder={tc('checkout.namePlaceholder')} value={name} onInput={on('name', setName)} {...field('name')} />
          )}
        </Field>
        <Field id="case-purpose" label={labels.purpose} required error={issues.purpose}>
          <textarea rows={2} maxLength={1000} value={purpose} onInput={on('purpose', setPurpose)} {...field('purpose')} />
        </Field>
        <div class="case-row">
          <Field id="case-destination" label={labels.destination} required error={issues.destination}>
            <input type="text" maxLength={200} value={destination} onInput={on('destination', setDestination)} {...field('destination')} />
          </Field>
          <Field id="case-expectedReturnOn" label={labels.expectedReturnOn} required help={tc('checkout.expectedHelp')} error={issues.expectedReturnOn}>
            <input type="date" min={today} value={expectedReturnOn} onInput={on('expectedReturnOn', setExpectedReturnOn)} {...field('expectedReturnOn', tc('checkout.expectedHelp'))} />
          </Field>
        </div>
        {catalog.may.recordReturns ? (
          <Field id="case-borrowerId" label={labels.borrowerId} help={tc('checkout.borrowerHelp')} error={issues.borrowerId}>
            <input type="text" maxLength={128} value={borrowerId} onInput={on('borrowerId', setBorrowerId)} {...field('borrowerId', tc('checkout.borrowerHelp'))} />
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
