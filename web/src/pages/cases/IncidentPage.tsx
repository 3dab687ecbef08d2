/**
 * One incident: its facts, its phases as a timeline (who recorded each and when, and whom its
 * notice reached), and — for IT infrastructure — the form of the next phase. Closing asks for a
 * confirmation first. A 409 (someone recorded a phase meanwhile) reloads the case.
 */
import { useState } from 'preact/hooks';
import { api, seg } from '../../api';
import { formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { Breadcrumb, CaseArticles, CaseHistory, ErrorSummary, Facts, Field, caseOf, describedBy, failureOf, fromLocalInput, toLocalInput, useCaseRecord, useCatalog } from './parts';
import type { CaseCatalog, Incident, IncidentStatus, NoticeRecipient } from './types';

type Departments = CaseCatalog['departments'];

export function IncidentPage({ id }: { id: string }) {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const { record: incident, error, reload, replace } = useCaseRecord<Incident>(`/cases/incidents/${seg(id)}`);
  const [notice, setNotice] = useState<string | null>(null);

  if (error) return <ErrorBox onRetry={reload}>{error}</ErrorBox>;
  if (catalogError) return <ErrorBox onRetry={retry}>{catalogError}</ErrorBox>;
  if (!incident || !catalog) return <Loading />;
  const definition = caseOf(catalog, 'incident');
  const phases = definition.phases ?? [];
  const done = new Map(incident.phases.map((phase) => [phase.phase, phase]));

  return (
    <div class="cases">
      <Breadcrumb>
        <a href="#/cases">{tc('incidents.title')}</a>
      </Breadcrumb>
      <PageTitle text={incident.title} sub={<span class="mono">{incident.id}</span>} />
      <div class="case-toolbar">
        <span class={incident.status === 'closed' ? 'badge case-badge-closed' : 'badge case-badge-open'}>{loc(incident.statusLabel)}</span>
        {incident.personalInfoRisk ? <span class="badge case-badge-risk">{tc('incident.riskBadge')}</span> : null}
        <a class="btn btn-small" href={href('cases', 'incidents', incident.id, 'report')}>
          {tc('incident.toReport')}
        </a>
      </div>
      {notice ? <Notice kind="success">{notice}</Notice> : null}

      <Facts
        kind="meta"
        facts={[
          { label: tc('incident.kind'), value: loc(definition.kinds[incident.kind]) },
          { label: tc('incident.startedAt'), value: formatDateTime(incident.startedAt) },
          { label: tc('incident.site'), value: loc(incident.siteName) },
          { label: tc('incident.reporter'), value: loc(incident.reporter.name) },
        ]}
      />

      <section class="panel" aria-labelledby="incident-facts">
        <h2 id="incident-facts">{tc('incident.facts')}</h2>
        <Facts
          kind="data-list"
          facts={[
            { label: tc('incident.description'), value: incident.description, class: 'pre' },
            {
              label: tc('incident.systems'),
              value: (
                <ul class="case-plain">
                  {incident.systems.map((system, index) => (
                    <li key={index}>{system.id ? `${system.name}（${system.id}）` : system.name}</li>
                  ))}
                </ul>
              ),
            },
            { label: tc('incident.departments'), value: incident.affectedDepartments.map((d) => loc(d.name)).join(tc('listSep')) },
            {
              label: tc('incident.risk'),
              value: (
                <>
                  {incident.personalInfoRisk ? tc('report.riskYes') : tc('report.riskNo')}
                  {incident.personalInfoNote ? <span class="block pre">{incident.personalInfoNote}</span> : null}
                </>
              ),
            },
          ]}
        />
      </section>

      <section class="panel" aria-labelledby="incident-phases">
        <h2 id="incident-phases">{tc('incident.phases')}</h2>
        <ol class="case-phases">
          {phases.map(({ phase, label, articles }) => {
            const record = done.get(phase);
            const current = incident.next === phase;
            return (
              <li key={phase} class={record ? 'case-phase case-phase-done' : current ? 'case-phase case-phase-next' : 'case-phase'} aria-current={current ? 'step' : undefined}>
                <div class="case-phase-head">
                  <span class="case-phase-label">{loc(label)}</span>
                  {articles.length > 0 ? <span class="case-phase-articles">{articles.join(' / ')}</span> : null}
                  <span class="case-phase-state">{record ? tc('phase.done') : current ? tc('phase.next') : tc('phase.pending')}</span>
                </div>
                {record ? (
                  <div class="case-phase-body">
                    <time dateTime={record.at}>{formatDateTime(record.at)}</time> {loc(record.by.name)}
                    <PhaseDetail incident={incident} phase={phase} />
                    {record.message ? <p class="case-message pre">{record.message}</p> : null}
                    {record.recipients ? <Recipients recipients={record.recipients} unreached={record.unreachedDepartments ?? []} departments={catalog.departments} /> : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>

      {incident.mayHandle && incident.next ? (
        <NextStep
          key={`${incident.next}-${incident.version}`}
          incident={incident}
          departments={catalog.departments}
          onDone={(next, message) => {
            replace(next);
            setNotice(message);
          }}
          onConflict={reload}
        />
      ) : null}

      <CaseHistory id="incident-history" events={incident.history} />
      <CaseArticles articles={definition.articles} />
    </div>
  );
}

/** What a phase recorded, besides who and when. */
function PhaseDetail({ incident, phase }: { incident: Incident; phase: IncidentStatus }) {
  if (phase === 'recovered' && incident.recovery) {
    return (
      <dl class="case-detail">
        <dt>{tc('phase.recoveredAt')}</dt>
        <dd>{formatDateTime(incident.recovery.recoveredAt)}</dd>
        <dt>{tc('phase.action')}</dt>
        <dd class="pre">{incident.recovery.action}</dd>
      </dl>
    );
  }
  if (phase === 'timeline-reported' && incident.timeline) {
    return (
      <dl class="case-detail">
        <dt>{tc('phase.summary')}</dt>
        <dd class="pre">{incident.timeline.summary}</dd>
      </dl>
    );
  }
  if (phase === 'cause-recorded' && incident.cause) {
    return (
      <dl class="case-detail">
        <dt>{tc('phase.cause')}</dt>
        <dd class="pre">{incident.cause.cause}</dd>
        <dt>{tc('phase.prevention')}</dt>
        <dd class="pre">{incident.cause.prevention}</dd>
      </dl>
    );
  }
  if (phase === 'closed' && incident.closingComment) return <p class="case-message pre">{incident.closingComment}</p>;
  return null;
}

const reasonText = (reason: NoticeRecipient['because'][number], departments: Departments) => {
  const department = departments.find((d) => d.id === reason.departmentId);
  const name = department ? loc(department.name) : (reason.departmentId ?? '');
  switch (reason.role) {
    case 'deptHead':
      return tc('reason.deptHead', { department: name });
    case 'member':
      return tc('reason.member', { department: name });
    case 'itInfra':
      return tc('reason.itInfra');
    case 'privacyManager':
      return tc('reason.privacyManager');
    case 'sysAdmin':
      return tc('reason.sysAdmin');
    case 'siteManager':
      return tc('reason.siteManager');
    default:
      return reason.role;
  }
};

/** Who a notice reached, and why each of them. */
function Recipients({ recipients, unreached, departments }: { recipients: NoticeRecipient[]; unreached: string[]; departments: Departments }) {
  return (
    <details class="case-recipients">
      <summary>{tc('recipients.count', { n: recipients.length })}</summary>
      <ul>
        {recipients.map((recipient) => (
          <li key={recipient.id}>
            {loc(recipient.name)} <span class="muted small">{recipient.because.map((reason) => reasonText(reason, departments)).join(tc('listSep'))}</span>
          </li>
        ))}
      </ul>
      {unreached.length > 0 ? <UnreachedNote unreached={unreached} departments={departments} /> : null}
    </details>
  );
}

function UnreachedNote({ unreached, departments }: { unreached: string[]; departments: Departments }) {
  const names = unreached.map((id) => loc(departments.find((d) => d.id === id)?.name) || id).join(tc('listSep'));
  return <p class="case-warning">{tc('recipients.unreached', { departments: names })}</p>;
}

interface NextStepProps {
  incident: Incident;
  departments: Departments;
  onDone: (incident: Incident, message: string) => void;
  onConflict: () => void;
}

const NOTICE_PHASES = new Set<IncidentStatus>(['notified', 'recovery-notified', 'timeline-reported']);

/** The form of the phase that comes next, with whom its notice reaches. */
function NextStep({ incident, departments, onDone, onConflict }: NextStepProps) {
  const phase = incident.next!;
  const [message, setMessage] = useState('');
  const [recoveredAt, setRecoveredAt] = useState(() => toLocalInput(new Date()));
  const [action, setAction] = useState('');
  const [summary, setSummary] = useState('');
  const [lines, setLines] = useState<{ at: string; text: string }[]>([]);
  const [cause, setCause] = useState('');
  const [prevention, setPrevention] = useState('');
  const [comment, setComment] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<{ message: string; conflict: boolean } | null>(null);
  const [sending, setSending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [focusKey, setFocusKey] = useState(0);

  const labels: Record<string, string> = {
    message: tc('step.message'),
    recoveredAt: tc('phase.recoveredAt'),
    action: tc('phase.action'),
    summary: tc('phase.summary'),
    lines: tc('step.lines'),
    cause: tc('phase.cause'),
    prevention: tc('phase.prevention'),
    comment: tc('step.comment'),
  };

  const body = (): Record<string, unknown> => {
    const base = { phase, version: incident.version };
    switch (phase) {
      case 'recovered':
        return { ...base, recoveredAt: fromLocalInput(recoveredAt), action: action.trim() };
      case 'timeline-reported':
        return { ...base, summary: summary.trim(), lines: lines.filter((l) => l.at || l.text.trim()).map((l) => ({ at: fromLocalInput(l.at), text: l.text.trim() })) };
      case 'cause-recorded':
        return { ...base, cause: cause.trim(), prevention: prevention.trim() };
      case 'closed':
        return { ...base, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      default:
        return { ...base, ...(message.trim() ? { message: message.trim() } : {}) };
    }
  };

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (phase === 'recovered') {
      if (!fromLocalInput(recoveredAt)) found.recoveredAt = tc('check.datetime', { label: labels.recoveredAt });
      if (!action.trim()) found.action = tc('check.enter', { label: labels.action });
    }
    if (phase === 'timeline-reported') {
      if (!summary.trim()) found.summary = tc('check.enter', { label: labels.summary });
      if (lines.some((l) => (l.at || l.text.trim()) && (!fromLocalInput(l.at) || !l.text.trim()))) found.lines = tc('check.lines');
    }
    if (phase === 'cause-recorded') {
      if (!cause.trim()) found.cause = tc('check.enter', { label: labels.cause });
      if (!prevention.trim()) found.prevention = tc('check.enter', { label: labels.prevention });
    }
    return found;
  };

  const send = async () => {
    setSending(true);
    setFailure(null);
    try {
      const next = await api<Incident>(`/cases/incidents/${seg(incident.id)}/phases`, { method: 'POST', body: body() });
      const full = await api<Incident>(`/cases/incidents/${seg(incident.id)}`);
      setConfirming(false);
      onDone(full ?? next, tc('step.saved', { phase: phaseLabel(phase) }));
    } catch (error) {
      const result = failureOf(error);
      setConfirming(false);
      setIssues(result.issues);
      if (result.message) setFailure({ message: result.message, conflict: result.conflict });
      setFocusKey((n) => n + 1);
    } finally {
      setSending(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const found = check();
    setIssues(found);
    if (Object.keys(found).length > 0) {
      setFocusKey((n) => n + 1);
      return;
    }
    if (phase === 'closed') setConfirming(true);
    else void send();
  };

  const field = (key: string, help?: string) => ({
    id: `case-${key}`,
    'aria-invalid': issues[key] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(`case-${key}`, help, issues[key]),
  });

  const recipients = incident.preview?.recipients ?? [];
  return (
    <section class="panel case-next" aria-labelledby="next-step">
      <h2 id="next-step">{tc('step.title', { phase: phaseLabel(phase) })}</h2>
      <p class="lead">{tc(`step.lead.${phase}` as StepLead)}</p>
      {failure ? (
        <ErrorBox onRetry={failure.conflict ? onConflict : undefined}>
          {failure.message}
          {failure.conflict ? ` ${tc('step.conflict')}` : ''}
        </ErrorBox>
      ) : null}
      <form noValidate onSubmit={submit} class="case-form">
        <ErrorSummary issues={issues} labels={labels} focusKey={focusKey} />
        {NOTICE_PHASES.has(phase) ? (
          <div class="case-preview">
            <h3>{tc('step.recipients', { n: recipients.length })}</h3>
            <ul class="case-recipient-chips">
              {recipients.map((r) => (
                <li key={r.id}>{loc(r.name)}</li>
              ))}
            </ul>
            {incident.preview?.unreachedDepartments.length ? <UnreachedNote unreached={incident.preview.unreachedDepartments} departments={departments} /> : null}
          </div>
        ) : null}
        {phase === 'notified' || phase === 'recovery-notified' ? (
          <Field id="case-message" label={labels.message} help={tc('step.messageHelp')} error={issues.message}>
            <textarea rows={3} maxLength={2000} value={message} onInput={(e) => setMessage(e.currentTarget.value)} {...field('message', tc('step.messageHelp'))} />
          </Field>
        ) : null}
        {phase === 'recovered' ? (
          <>
            <Field id="case-recoveredAt" label={labels.recoveredAt} required error={issues.recoveredAt}>
              <input type="datetime-local" value={recoveredAt} onInput={(e) => setRecoveredAt(e.currentTarget.value)} {...field('recoveredAt')} />
            </Field>
            <Field id="case-action" label={labels.action} required error={issues.action}>
              <textarea rows={4} maxLength={4000} value={action} onInput={(e) => setAction(e.currentTarget.value)} {...field('action')} />
            </Field>
          </>
        ) : null}
        {phase === 'timeline-reported' ? (
          <>
            <Field id="case-summary" label={labels.summary} required help={tc('step.summaryHelp')} error={issues.summary}>
              <textarea rows={4} maxLength={4000} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} {...field('summary', tc('step.summaryHelp'))} />
            </Field>
            <Field id="case-lines" label={labels.lines} group help={tc('step.linesHelp')} error={issues.lines}>
              <ul class="case-lines">
                {lines.map((line, index) => (
                  <li key={index} class="case-line">
                    <input type="datetime-local" aria-label={tc('step.lineAt', { n: index + 1 })} value={line.at} onInput={(e) => setLines((c) => c.map((l, i) => (i === index ? { ...l, at: e.currentTarget.value } : l)))} />
                    <input type="text" maxLength={500} aria-label={tc('step.lineText', { n: index + 1 })} value={line.text} onInput={(e) => setLines((c) => c.map((l, i) => (i === index ? { ...l, text: e.currentTarget.value } : l)))} />
                    <button type="button" class="btn btn-small btn-quiet" onClick={() => setLines((c) => c.filter((_, i) => i !== index))}>
                      {tc('remove')}
                      <span class="visually-hidden"> {index + 1}</span>
                    </button>
                  </li>
                ))}
              </ul>
              {lines.length < 50 ? (
                <button type="button" class="btn btn-small" onClick={() => setLines((c) => [...c, { at: toLocalInput(new Date(incident.startedAt)), text: '' }])}>
                  {tc('step.addLine')}
                </button>
              ) : null}
            </Field>
          </>
        ) : null}
        {phase === 'cause-recorded' ? (
          <>
            <Field id="case-cause" label={labels.cause} required error={issues.cause}>
              <textarea rows={4} maxLength={4000} value={cause} onInput={(e) => setCause(e.currentTarget.value)} {...field('cause')} />
            </Field>
            <Field id="case-prevention" label={labels.prevention} required error={issues.prevention}>
              <textarea rows={4} maxLength={4000} value={prevention} onInput={(e) => setPrevention(e.currentTarget.value)} {...field('prevention')} />
            </Field>
          </>
        ) : null}
        {phase === 'closed' ? (
          <Field id="case-comment" label={labels.comment} error={issues.comment}>
            <textarea rows={2} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} {...field('comment')} />
          </Field>
        ) : null}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={sending} aria-busy={sending ? 'true' : undefined}>
            {sending ? tc('sending') : tc(`step.submit.${phase}` as StepSubmit)}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={tc('step.closeTitle')}
        confirmLabel={tc('step.closeConfirm')}
        tone="warning"
        busy={sending}
        onConfirm={() => void send()}
        onCancel={() => setConfirming(false)}
      >
        <p>{tc('step.closeText', { id: incident.id })}</p>
      </ConfirmDialog>
    </section>
  );
}

type StepLead = `step.lead.${Exclude<IncidentStatus, 'reported'>}`;
type StepSubmit = `step.submit.${Exclude<IncidentStatus, 'reported'>}`;

const phaseLabel = (phase: IncidentStatus) => tc(`phaseName.${phase}`);
