/**
 * 障害経緯報告書 (S10-6): the course of an incident from occurrence to completion on one printable
 * page — the facts, every phase and IT infrastructure's own lines in time order, the recovery, the
 * cause and the prevention. The print leaves out the navigation and the buttons (styles.css).
 */
import { seg } from '../../api';
import { formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { Breadcrumb, Facts, caseOf, useCaseRecord, useCatalog } from './parts';
import type { Incident } from './types';

export function IncidentReportPage({ id }: { id: string }) {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const { record: incident, error, reload } = useCaseRecord<Incident>(`/cases/incidents/${seg(id)}`);

  if (error) return <ErrorBox onRetry={reload}>{error}</ErrorBox>;
  if (catalogError) return <ErrorBox onRetry={retry}>{catalogError}</ErrorBox>;
  if (!incident || !catalog) return <Loading />;
  const definition = caseOf(catalog, 'incident');
  const closed = incident.phases.find((p) => p.phase === 'closed');
  const notified = incident.phases.find((p) => p.phase === 'notified');

  return (
    <div class="cases case-report">
      <Breadcrumb>
        <a href="#/cases">{tc('incidents.title')}</a>
        <a href={href('cases', 'incidents', incident.id)}>{incident.id}</a>
      </Breadcrumb>
      <div class="print-header print-only">
        <span>{tc('report.printHeader')}</span>
        <span class="mono">{incident.id}</span>
      </div>
      <PageTitle text={tc('report.documentTitle')} sub={incident.title} />
      <div class="case-toolbar">
        <button type="button" class="btn" onClick={() => window.print()}>
          {tc('report.print')}
        </button>
        {!incident.timeline ? <span class="muted small">{tc('report.draft')}</span> : null}
      </div>

      <Facts
        kind="meta"
        facts={[
          { label: tc('incident.id'), value: incident.id, class: 'mono' },
          { label: tc('incident.kind'), value: loc(definition.kinds[incident.kind]) },
          { label: tc('incident.startedAt'), value: formatDateTime(incident.startedAt) },
          { label: tc('report.completedAt'), value: incident.recovery ? formatDateTime(incident.recovery.recoveredAt) : tc('report.notYet') },
          { label: tc('incident.site'), value: loc(incident.siteName) },
          { label: tc('incident.departments'), value: incident.affectedDepartments.map((d) => loc(d.name)).join(tc('listSep')) },
          { label: tc('incident.reporter'), value: loc(incident.reporter.name) },
          { label: tc('incident.status'), value: loc(incident.statusLabel) },
        ]}
      />

      <section class="panel" aria-labelledby="report-facts">
        <h2 id="report-facts">{tc('incident.facts')}</h2>
        <Facts
          kind="data-list"
          facts={[
            { label: tc('incident.description'), value: incident.description, class: 'pre' },
            { label: tc('incident.systems'), value: incident.systems.map((s) => (s.id ? `${s.name}（${s.id}）` : s.name)).join(tc('listSep')) },
            { label: tc('incident.risk'), value: incident.personalInfoRisk ? tc('report.riskYes') : tc('report.riskNo') },
            incident.timeline ? { label: tc('phase.summary'), value: incident.timeline.summary, class: 'pre' } : null,
          ]}
        />
      </section>

      <section class="panel" aria-labelledby="report-timeline">
        <h2 id="report-timeline">{tc('report.timeline')}</h2>
        <table class="list-table case-timeline-table">
          <thead>
            <tr>
              <th scope="col">{tc('report.at')}</th>
              <th scope="col">{tc('report.event')}</th>
              <th scope="col">{tc('report.detail')}</th>
              <th scope="col">{tc('report.by')}</th>
            </tr>
          </thead>
          <tbody>
            {incident.timelineEntries.map((entry, index) => (
              <tr key={index} class={`case-entry-${entry.kind}`}>
                <td data-label={tc('report.at')}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </td>
                <td data-label={tc('report.event')}>{loc(entry.label)}</td>
                <td data-label={tc('report.detail')} class="pre">
                  {entry.detail ?? ''}
                </td>
                <td data-label={tc('report.by')}>{entry.by ? loc(entry.by.name) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {incident.recovery ? (
        <section class="panel" aria-labelledby="report-recovery">
          <h2 id="report-recovery">{tc('phase.action')}</h2>
          <p class="pre">{incident.recovery.action}</p>
        </section>
      ) : null}
      {incident.cause ? (
        <section class="panel" aria-labelledby="report-cause">
          <h2 id="report-cause">{tc('report.causeAndPrevention')}</h2>
          <dl class="data-list">
            <div class="data-row">
              <dt>{tc('phase.cause')}</dt>
              <dd class="pre">{incident.cause.cause}</dd>
            </div>
            <div class="data-row">
              <dt>{tc('phase.prevention')}</dt>
              <dd class="pre">{incident.cause.prevention}</dd>
            </div>
          </dl>
        </section>
      ) : null}
      <p class="small muted">
        {notified?.recipients ? tc('report.toldCount', { n: notified.recipients.length }) : ''}
        {closed ? ` ${tc('report.closedAt', { at: formatDateTime(closed.at), by: loc(closed.by.name) })}` : ''}
      </p>
      <p class="small muted">{tc('report.articles', { refs: definition.articles.map((a) => a.ref).join(', ') })}</p>
    </div>
  );
}
