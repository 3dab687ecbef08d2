/** What the organisation pages share: the organisation as loaded, place names, the tabs and the articles. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { loc } from '../../i18n';
import { ta } from './messages';
import type { Organisation } from './types';

let cached: Organisation | null = null;

/** Drops the loaded organisation, so the next page reads it again (after a save or an import). */
export function forgetOrganisation(): void {
  cached = null;
}

/** The whole organisation (people, places, roles), read once and shared by the pages. */
export function useOrganisation() {
  const [data, setData] = useState<Organisation | null>(cached);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (cached && attempt === 0) return;
    let live = true;
    setError(null);
    api<Organisation>('/admin/organisation').then(
      (body) => {
        cached = body;
        if (live) setData(body);
      },
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return {
    data,
    error,
    /** Reads the organisation again; `blank` shows the loading state meanwhile (a page that needs the new data). */
    reload: (blank = false) => {
      cached = null;
      if (blank) setData(null);
      setAttempt((n) => n + 1);
    },
  };
}

/** A place's name in the chosen language, or its id when it is not (or no longer) registered. */
export function placeName(organisation: Organisation, kind: 'site' | 'branch' | 'department', id: string): string {
  const list = kind === 'site' ? organisation.sites : kind === 'branch' ? organisation.branches : organisation.departments;
  const place = list.find((p) => p.id === id);
  return place ? loc(place.name) : id;
}

export function Tabs({ current }: { current: 'people' | 'places' | 'import' }) {
  const tabs = [
    ['people', '#/admin'],
    ['places', '#/admin/places'],
    ['import', '#/admin/import'],
  ] as const;
  return (
    <nav class="admin-tabs" aria-label={ta('title')}>
      {tabs.map(([name, link]) => (
        <a key={name} href={link} aria-current={current === name ? 'page' : undefined}>
          {ta(`tab.${name}`)}
        </a>
      ))}
    </nav>
  );
}

/** The articles the organisation pages implement, as the API names them. */
export function AdminArticles({ organisation }: { organisation: Organisation }) {
  return (
    <details class="admin-articles">
      <summary>
        {ta('articles')}
        {': '}
        {organisation.articles.map((a) => a.ref).join(' ・ ')}
      </summary>
      <ul>
        {organisation.articles.map((article) => (
          <li key={article.ref}>
            <span class="article-ref">{article.ref}</span>
            <span class="article-text">{loc(article.text)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
