/**
 * 障害の発生報告: what happened, where (site and affected systems from the server and client
 * ledgers, or named in words), which departments are affected, since when, and whether personal
 * information is at risk. Sending it tells IT infrastructure at once, and the privacy manager when
 * personal information is at risk (A18-4).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, getLedgerItems } from '../../api';
import { loc, useLang } from '../../i18n';
import { href, navigate } from '../../router';
import type { Person } from '../../types';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { Breadcrumb, CaseArticles, ErrorSummary, Field, caseOf, fromLocalInput, toLocalInput, useCaseForm, useCatalog } from './parts';
import type { Incident } from './types';

type Source = 'servers' | 'clients' | 'other';

interface SystemRow {
  source: Source;
  id: string;
  name: string;
}

interface Option {
  id: string;
  label: string;
  siteId?: string;
}

const optionOf = (item: Record<string, unknown>): Option => {
  const name = item.name as { ja?: string; en?: string } | undefined;
  const label = typeof item.label === 'string' ? item.label : loc(name as never) || String(item.id);
  return { id: String(item.id), label: `${label}（${String(item.id)}）`, siteId: typeof item.siteId === 'string' ? item.siteId : undefined };
};

/** Servers and clients in service, for the affected-systems picks. */
function useLedgerOptions(): Record<'servers' | 'clients', Option[] | null> {
  const [options, setOptions] = useState<Record<'servers' | 'clients', Option[] | null>>({ servers: null, clients: null });
  useEffect(() => {
    let live = true;
    for (const ledger of ['servers', 'clients'] as const) {
      getLedgerItems(ledger).then(
        (items) => live && setOptions((current) => ({ ...current, [ledger]: items.filter((item) => item.status !== 'retired').map(optionOf) })),
        () => live && setOptions((current) => ({ ...current, [ledger]: [] })),
      );
    }
    return () => {
      live = false;
    };
  }, []);
  return options;
}

export function IncidentFormPage({ me }: { me: Person }) {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const ledgerOptions = useLedgerOptions();
  const [kind, setKind] = useState('');
  const [title, setTitle] = useState('');
  const [startedAt, setStartedAt] = useState(() => toLocalInput(new Date()));
  const [siteId, setSiteId] = useState(me.site?.id ?? '');
  const [systems, setSystems] = useState<SystemRow[]>([{ source: 'servers', id: '', name: '' }]);
  const [departments, setDepartments] = useState<string[]>(me.department ? [me.department.id] : []);
  const [description, setDescription] = useState('');
  const [risk, setRisk] = useState<'' | 'yes' | 'no'>('');
  const [riskNote, setRiskNote] = useState('');
  const { issues, failure, sending, focusKey, edited, on, pick, input, submit } = useCaseForm();

  if (catalogError) return <ErrorBox onRetry={retry}>{catalogError}</ErrorBox>;
  if (!catalog) return <Loading />;
  const definition = caseOf(catalog, 'incident');

  const labels: Record<string, string> = {
    kind: tc('incident.kind'),
    title: tc('incident.title'),
    startedAt: tc('incident.startedAt'),
    siteId: tc('incident.site'),
    systems: tc('incident.systems'),
    affectedDepartments: tc('incident.departments'),
    description: tc('incident.description'),
    personalInfoRisk: tc('incident.risk'),
    personalInfoNote: tc('incident.riskNote'),
  };

  const setRow = (index: number, row: Partial<SystemRow>) => {
    setSystems((current) => current.map((existing, i) => (i === index ? { ...existing, ...row } : existing)));
    edited('systems');
  };

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!kind) found.kind = tc('check.choose', { label: labels.kind });
    if (!title.trim()) found.title = tc('check.enter', { label: labels.title });
    if (!fromLocalInput(startedAt)) found.startedAt = tc('check.datetime', { label: labels.startedAt });
    if (!siteId) found.siteId = tc('check.choose', { label: labels.siteId });
    if (systems.length === 0 || systems.some((row) => (row.source === 'other' ? !row.name.trim() : !row.id))) found.systems = tc('check.systems');
    if (departments.length === 0) found.affectedDepartments = tc('check.departments');
    if (!description.trim()) found.description = tc('check.enter', { label: labels.description });
    if (!risk) found.personalInfoRisk = tc('check.choose', { label: labels.personalInfoRisk });
    return found;
  };

  const send = async () => {
    const incident = await api<Incident>('/cases/incidents', {
      method: 'POST',
      body: {
        kind,
        title: title.trim(),
        description: description.trim(),
        siteId,
        systems: systems.map((row) => (row.source === 'other' ? { name: row.name.trim() } : { ledger: row.source, id: row.id })),
        affectedDepartments: departments,
        startedAt: fromLocalInput(startedAt),
        personalInfoRisk: risk === 'yes',
        ...(risk === 'yes' && riskNote.trim() ? { personalInfoNote: riskNote.trim() } : {}),
      },
    });
    navigate(href('cases', 'incidents', incident.id));
  };

  return (
    <div class="cases">
      <Breadcrumb>
        <a href="#/cases">{tc('incidents.title')}</a>
      </Breadcrumb>
      <PageTitle text={tc('report.title')} sub={loc(definition.description)} />
      <CaseArticles articles={definition.articles} />
      <form class="panel case-form" noValidate onSubmit={submit(check, send)}>
        <ErrorSummary issues={issues} labels={labels} focusKey={focusKey} />
        <Field id="case-kind" label={labels.kind} required group error={issues.kind}>
          <div class="case-choices">
            {Object.entries(definition.kinds).map(([value, label]) => (
              <label key={value} class="check">
                <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => pick('kind', setKind, value)} />
                <span>{loc(label)}</span>
              </label>
            ))}
          </div>
        </Field>
        <Field id="case-title" label={labels.title} required help={tc('report.titleHelp')} error={issues.title}>
          <input type="text" maxLength={200} value={title} onInput={on('title', setTitle)} {...input('title', tc('report.titleHelp'))} />
        </Field>
        <div class="case-row">
          <Field id="case-startedAt" label={labels.startedAt} required help={tc('report.startedAtHelp')} error={issues.startedAt}>
            <input type="datetime-local" value={startedAt} onInput={on('startedAt', setStartedAt)} {...input('startedAt', tc('report.startedAtHelp'))} />
          </Field>
          <Field id="case-siteId" label={labels.siteId} required error={issues.siteId}>
            <select value={siteId} onChange={on('siteId', setSiteId)} {...input('siteId')}>
              <option value="">{tc('select')}</option>
              {catalog.sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {loc(site.name)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field id="case-systems" label={labels.systems} required group help={tc('report.systemsHelp')} error={issues.systems}>
          <ul class="case-systems">
            {systems.map((row, index) => {
              const options = row.source === 'other' ? null : ledgerOptions[row.source];
              const shown = row.source === 'clients' && options ? options.filter((option) => !siteId || option.siteId === siteId) : options;
              return (
                <li key={index} class="case-system">
                  <select aria-label={tc('report.systemSource', { n: index + 1 })} value={row.source} onChange={(e) => setRow(index, { source: e.currentTarget.value as Source, id: '', name: '' })}>
                    <option value="servers">{tc('report.sourceServers')}</option>
                    <option value="clients">{tc('report.sourceClients')}</option>
                    <option value="other">{tc('report.sourceOther')}</option>
                  </select>
                  {row.source === 'other' ? (
                    <input type="text" maxLength={200} aria-label={tc('report.systemName', { n: index + 1 })} placeholder={tc('report.systemNamePlaceholder')} value={row.name} onInput={(e) => setRow(index, { name: e.currentTarget.value })} />
                  ) : (
                    <select aria-label={tc('report.systemItem', { n: index + 1 })} value={row.id} onChange={(e) => setRow(index, { id: e.currentTarget.value })} disabled={!shown}>
                      <option value="">{shown ? tc('select') : tc('loading')}</option>
                      {(shown ?? []).map((option) => (
                        <option key={option.id} value={option.id}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                  )}
                  {systems.length > 1 ? (
                    <button type="button" class="btn btn-small btn-quiet" onClick={() => setSystems((current) => current.filter((_, i) => i !== index))}>
                      {tc('remove')}
                      <span class="visually-hidden"> {index + 1}</span>
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {systems.length < 20 ? (
            <button type="button" class="btn btn-small" onClick={() => setSystems((current) => [...current, { source: 'servers', id: '', name: '' }])}>
              {tc('report.addSystem')}
            </button>
          ) : null}
        </Field>
        <Field id="case-affectedDepartments" label={labels.affectedDepartments} required group help={tc('report.departmentsHelp')} error={issues.affectedDepartments}>
          <div class="case-choices">
            {catalog.departments.map((department) => (
              <label key={department.id} class="check">
                <input
                  type="checkbox"
                  value={department.id}
                  checked={departments.includes(department.id)}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setDepartments((current) => (checked ? [...current, department.id] : current.filter((id) => id !== department.id)));
                    edited('affectedDepartments');
                  }}
                />
                <span>{loc(department.name)}</span>
              </label>
            ))}
          </div>
        </Field>
        <Field id="case-description" label={labels.description} required help={tc('report.descriptionHelp')} error={issues.description}>
          <textarea rows={5} maxLength={4000} value={description} onInput={on('description', setDescription)} {...input('description', tc('report.descriptionHelp'))} />
        </Field>
        <Field id="case-personalInfoRisk" label={labels.personalInfoRisk} required group help={tc('report.riskHelp')} error={issues.personalInfoRisk}>
          <div class="case-choices">
            {(['yes', 'no'] as const).map((value) => (
              <label key={value} class="check">
                <input type="radio" name="personalInfoRisk" value={value} checked={risk === value} onChange={() => pick('personalInfoRisk', setRisk, value)} />
                <span>{value === 'yes' ? tc('report.riskYes') : tc('report.riskNo')}</span>
              </label>
            ))}
          </div>
        </Field>
        {risk === 'yes' ? (
          <Field id="case-personalInfoNote" label={labels.personalInfoNote} help={tc('report.riskNoteHelp')} error={issues.personalInfoNote}>
            <textarea rows={3} maxLength={2000} value={riskNote} onInput={(e) => setRiskNote(e.currentTarget.value)} {...input('personalInfoNote', tc('report.riskNoteHelp'))} />
          </Field>
        ) : null}
        <p class="help">{risk === 'yes' ? tc('report.sendNoteRisk') : tc('report.sendNote')}</p>
        {failure ? <ErrorBox>{failure}</ErrorBox> : null}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={sending} aria-busy={sending ? 'true' : undefined}>
            {sending ? tc('sending') : tc('report.submit')}
          </button>
          <a class="btn" href="#/cases">
            {tc('cancel')}
          </a>
        </div>
      </form>
    </div>
  );
}
