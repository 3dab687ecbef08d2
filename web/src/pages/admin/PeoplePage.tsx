/**
 * 社員と役割: everyone with their site, department and roles, filtered in the page (by words and by
 * site); links to each person's page, to register someone, and to the CSV files.
 */
import { useMemo, useState } from 'preact/hooks';
import { download, errorText } from '../../api';
import { loc } from '../../i18n';
import { href } from '../../router';
import { ErrorBox, PageTitle } from '../../components/ui';
import { ta } from './messages';
import { AdminArticles, Tabs, placeName } from './shared';
import type { AdminPerson, Organisation } from './types';

/** A person's roles as people read them: 拠点管理者（東京本社）; 利用者 only when there is nothing else. */
export function rolesText(organisation: Organisation, person: AdminPerson): string {
  const named = person.roles
    .filter((r) => r.role !== 'employee')
    .map((r) => {
      const label = loc(r.label ?? organisation.roles.find((role) => role.id === r.role)?.label) || r.role;
      return r.scope.kind === 'company' ? label : `${label}（${placeName(organisation, r.scope.kind, r.scope.id)}）`;
    });
  return named.length > 0 ? named.join('、') : ta('employeeOnly');
}

export function PeoplePage({ organisation }: { organisation: Organisation }) {
  const [words, setWords] = useState('');
  const [site, setSite] = useState('');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const shown = useMemo(() => {
    const needle = words.trim().toLowerCase();
    return organisation.people.filter(
      (p) => (!site || p.siteId === site) && (!needle || [p.id, p.email, p.name.ja, p.name.en].some((text) => text.toLowerCase().includes(needle))),
    );
  }, [organisation, words, site]);

  const save = async (file: 'people.csv' | 'places.csv') => {
    setDownloadError(null);
    try {
      await download(`/admin/organisation/${file}`, file);
    } catch (failure) {
      setDownloadError(errorText(failure));
    }
  };

  return (
    <div class="admin-page">
      <PageTitle text={ta('title')} sub={<AdminArticles organisation={organisation} />} />
      <p class="lead">{ta('lead')}</p>
      <Tabs current="people" />
      <div class="admin-toolbar">
        <div class="field admin-search">
          <label class="field-label" for="people-search">
            {ta('search')}
          </label>
          <input id="people-search" type="search" value={words} onInput={(event) => setWords(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label class="field-label" for="people-site">
            {ta('siteFilter')}
          </label>
          <select id="people-site" value={site} onChange={(event) => setSite(event.currentTarget.value)}>
            <option value="">{ta('allSites')}</option>
            {organisation.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {loc(s.name)}
              </option>
            ))}
          </select>
        </div>
        <div class="admin-actions">
          <a class="btn btn-primary" href={href('admin', 'people', 'new')}>
            {ta('newPerson')}
          </a>
          <button type="button" class="btn" onClick={() => save('people.csv')}>
            {ta('downloadPeople')}
          </button>
          <button type="button" class="btn" onClick={() => save('places.csv')}>
            {ta('downloadPlaces')}
          </button>
        </div>
      </div>
      {downloadError ? <ErrorBox>{downloadError}</ErrorBox> : null}
      <p class="muted small" aria-live="polite">
        {ta('count', { shown: shown.length, total: organisation.people.length })}
      </p>
      {shown.length === 0 ? (
        <p>{ta('noneMatch')}</p>
      ) : (
        <div class="table-scroll">
          <table class="ledger-table admin-table">
            <caption class="visually-hidden">{ta('tab.people')}</caption>
            <thead>
              <tr>
                <th scope="col">{ta('col.name')}</th>
                <th scope="col">{ta('col.id')}</th>
                <th scope="col">{ta('col.site')}</th>
                <th scope="col">{ta('col.department')}</th>
                <th scope="col">{ta('col.roles')}</th>
                <th scope="col">{ta('col.email')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((person) => (
                <tr key={person.id}>
                  <td data-label={ta('col.name')}>
                    <a href={href('admin', 'people', person.id)}>{loc(person.name)}</a>
                  </td>
                  <td data-label={ta('col.id')} class="mono">
                    {person.id}
                  </td>
                  <td data-label={ta('col.site')}>{placeName(organisation, 'site', person.siteId)}</td>
                  <td data-label={ta('col.department')}>{placeName(organisation, 'department', person.departmentId)}</td>
                  <td data-label={ta('col.roles')} class="wrap">
                    {rolesText(organisation, person)}
                  </td>
                  <td data-label={ta('col.email')} class="mono">
                    {person.email}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
