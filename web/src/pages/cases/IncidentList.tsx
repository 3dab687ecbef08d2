/** 障害報告の一覧: my own reports, or every incident for IT infrastructure; newest first. */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import { ErrorBox, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { CaseArticles, CaseTable, CaseTabs, ScopeSwitch, caseOf, useCatalog, usePagedList } from './parts';
import type { IncidentSummary } from './types';

export function IncidentListPage() {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const list = usePagedList<IncidentSummary>(`/cases/incidents?scope=${scope}`);

  useEffect(() => {
    if (catalog?.may.listAllIncidents) setScope('all');
  }, [catalog]);

  const definition = catalog ? caseOf(catalog, 'incident') : null;
  return (
    <div class="cases">
      <PageTitle text={tc('incidents.title')} sub={definition ? loc(definition.description) : undefined} />
      <CaseTabs current="incidents" />
      <div class="case-toolbar">
        <a class="btn btn-primary" href="#/cases/incidents/new">
          {tc('incidents.report')}
        </a>
        {catalog?.may.listAllIncidents ? (
          <ScopeSwitch scopes={['all', 'mine'] as const} current={scope} onChange={setScope} label={(value) => (value === 'all' ? tc('scope.allIncidents') : tc('scope.mineIncidents'))} />
        ) : null}
      </div>
      {catalogError ? <ErrorBox onRetry={retry}>{catalogError}</ErrorBox> : null}
      <CaseTable
        list={list}
        columns={[tc('incident.id'), tc('incident.title'), tc('incident.startedAt'), tc('incident.site'), tc('incident.status')]}
        empty={scope === 'mine' ? tc('incidents.emptyMine') : tc('incidents.emptyAll')}
        row={(incident) => (
          <tr key={incident.id}>
            <td data-label={tc('incident.id')} class="mono">
              {incident.id}
            </td>
            <td data-label={tc('incident.title')}>
              <a href={href('cases', 'incidents', incident.id)}>{incident.title}</a>
              <span class="case-kind">{definition ? loc(definition.kinds[incident.kind]) : incident.kind}</span>
              {incident.personalInfoRisk ? <span class="badge case-badge-risk">{tc('incident.riskBadge')}</span> : null}
            </td>
            <td data-label={tc('incident.startedAt')}>
              <time dateTime={incident.startedAt}>{formatDateTime(incident.startedAt)}</time>
            </td>
            <td data-label={tc('incident.site')}>{loc(incident.siteName)}</td>
            <td data-label={tc('incident.status')}>
              <span class={incident.status === 'closed' ? 'badge case-badge-closed' : 'badge case-badge-open'}>{loc(incident.statusLabel)}</span>
            </td>
          </tr>
        )}
      />
      {definition ? <CaseArticles articles={definition.articles} /> : null}
    </div>
  );
}
