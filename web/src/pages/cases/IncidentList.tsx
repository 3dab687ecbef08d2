/** 障害報告の一覧: my own reports, or every incident for IT infrastructure; newest first. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText, seg } from '../../api';
import { formatDateTime } from '../../format';
import { loc, useLang } from '../../i18n';
import { href } from '../../router';
import type { ListPage } from '../../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';
import { tc } from './messages';
import { CaseArticles, CaseTabs, caseOf, useCatalog } from './parts';
import type { IncidentSummary } from './types';

export function IncidentListPage() {
  useLang();
  const { catalog, error: catalogError, retry } = useCatalog();
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [items, setItems] = useState<IncidentSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (catalog?.may.listAllIncidents) setScope('all');
  }, [catalog]);

  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    api<ListPage<IncidentSummary>>(`/cases/incidents?scope=${scope}`).then(
      (page) => {
        if (!live) return;
        setItems(page.items ?? []);
        setCursor(page.nextCursor);
      },
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [scope, attempt]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api<ListPage<IncidentSummary>>(`/cases/incidents?scope=${scope}&cursor=${seg(cursor)}`);
      setItems((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    }
  };

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
          <div class="case-scope" role="group" aria-label={tc('scope.label')}>
            {(['all', 'mine'] as const).map((value) => (
              <button key={value} type="button" class={scope === value ? 'btn btn-small active' : 'btn btn-small'} aria-pressed={scope === value ? 'true' : 'false'} onClick={() => setScope(value)}>
                {value === 'all' ? tc('scope.allIncidents') : tc('scope.mineIncidents')}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {catalogError ? <ErrorBox onRetry={retry}>{catalogError}</ErrorBox> : null}
      {error ? (
        <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>
          <p>{scope === 'mine' ? tc('incidents.emptyMine') : tc('incidents.emptyAll')}</p>
        </Empty>
      ) : (
        <>
          <table class="list-table case-table">
            <thead>
              <tr>
                <th scope="col">{tc('incident.id')}</th>
                <th scope="col">{tc('incident.title')}</th>
                <th scope="col">{tc('incident.startedAt')}</th>
                <th scope="col">{tc('incident.site')}</th>
                <th scope="col">{tc('incident.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((incident) => (
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
              ))}
            </tbody>
          </table>
          {cursor ? (
            <p class="more">
              <button type="button" class="btn" onClick={more}>
                {tc('more')}
              </button>
            </p>
          ) : null}
        </>
      )}
      {definition ? <CaseArticles articles={definition.articles} /> : null}
    </div>
  );
}
