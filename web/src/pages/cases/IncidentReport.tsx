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
import { Breadcrumb, caseOf, useCaseRecord, useCatalog } from './parts';
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

      <dl class="meta">
        <div>
          <dt>{tc('incident.id')}</dt>
          <dd class="mono">{incident.id}</dd>
        </div>
        <div>
          <dt>{tc('incident.kind')}</dt>
          <dd>{loc(definition.kinds[incident.kind])}</dd>
        </div>
        <div>
          <dt>{tc('incident.startedAt')}</dt>
          <dd>{formatDateTime(incident.startedAt)}</dd>
        </div>
        <div>
          <dt>{tc('report.completedAt')}</dt>
          <dd>{incident.recovery ? formatDateTime(incident.recovery.recoveredAt) : tc('report.notYet')}</dd>
        </div>
        <div>
          <dt>{tc('incident.site')}</dt>
          <dd>{loc(incident.siteName)}</dd>
        </div>
        <div>
          <dt>{tc('incident.departments')}</dt>
          <dd>{incident.affectedDepartments.map((d) => loc(d.name)).join(tc('listSep'))}</dd>
        </div>
        <div>
          <dt>{tc('incident.reporter')}</dt>
          <dd>{loc(incident.reporter.name)}</dd>
        </div>
        <div>
          <dt>{tc('incident.status')}</dt>
          <dd>{loc(incident.statusLabel)}</dd>
        </div>
      </dl>

      <section class="panel" aria-labelledby="report-facts">
        <h2 id="report-facts">{tc('incident.facts')}</h2>
        <dl class="data-list">
          <div class="data-row">
            <dt>{tc('incident.description')}</dt>
            <dd class="pre">{incident.description}</dd>
          </div>
          <div class="data-row">
            <dt>{tc('incident.systems')}</dt>
            <dd>{incident.systems.map((s) => (s.id ? `${s.name}（${s.id}）` : s.name)).join(tc('listSep'))}</dd>
          </div>
          <div class="data-row">
            <dt>{tc('incident.risk')}</dt>
            <dd>{incident.personalInfoRisk ? tc('report.riskYes') : tc('report.riskNo')}</dd>
          </div>
          {incident.timeline ? (
            <div class="data-row">
              <dt>{tc('phase.summary')}</dt>
              <dd class="pre">{incident.timeline.summary}</dd>
            </div>
          ) : null}
        </dl>
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
