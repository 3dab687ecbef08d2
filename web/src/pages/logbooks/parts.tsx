/** Pieces the logbook pages share: the articles, the breadcrumb, an entry's one-line summary, links, finishing an entry. */
import { ApiError, api, errorText, seg } from '../../api';
import { loc } from '../../i18n';
import { formatDate } from '../../format';
import { href } from '../../router';
import type { PersonRef } from '../../types';
import { ArticleFold } from '../../components/article-fold';
import { displayValue, japanNow, labelOf } from './fields';
import { tl } from './messages';
import type { Logbook, LogbookEntry, OpenItem } from './types';

/** `#/logbooks/<slug>?site=&month=`: the site and month live in the address, so Back returns to them. */
export function logbookHash(slug: string, query: { site?: string; month?: string } = {}): string {
  const params = new URLSearchParams();
  if (query.site) params.set('site', query.site);
  if (query.month) params.set('month', query.month);
  const search = params.toString();
  return `${href('logbooks', slug)}${search ? `?${search}` : ''}`;
}

export const entryHash = (slug: string, entry: Pick<LogbookEntry, 'siteId' | 'month' | 'id'>) => href('logbooks', slug, entry.siteId, entry.month, entry.id);

/** The API address of one entry, which a finish and a correction both PUT to. */
export const entryPath = (logbook: Pick<Logbook, 'id'>, entry: Pick<LogbookEntry, 'siteId' | 'month' | 'id'>) =>
  `/logbooks/${seg(logbook.id)}/${seg(entry.siteId)}/${seg(entry.month)}/${seg(entry.id)}`;

/** A 409 that is not the month's closing: someone changed the entry meanwhile, so the page reloads it. */
export const isStale = (error: unknown): boolean => error instanceof ApiError && error.status === 409 && error.code !== 'month_closed';

/** The fields a finish button sets: what "now" means at the moment of the tap; only those still empty. */
export function finishFields(logbook: Logbook, entry: LogbookEntry): Record<string, unknown> {
  const sets = logbook.actions.finish?.sets ?? {};
  const fields: Record<string, unknown> = { ...entry.fields };
  const now = japanNow().time;
  for (const [name, value] of Object.entries(sets)) {
    const current = fields[name];
    if (current !== undefined && current !== null && current !== '' && current !== false) continue;
    fields[name] = value === 'now' ? now : value;
  }
  return fields;
}

/** Presses the logbook's finish button (施錠, 退室 …) for one entry, guarded by the version the page showed. */
export const finishEntry = (logbook: Logbook, entry: LogbookEntry) =>
  api<{ entry: LogbookEntry }>(entryPath(logbook, entry), { method: 'PUT', body: { version: entry.version, fields: finishFields(logbook, entry) } });

/** What a failed finish tells the person: to look again when the entry changed meanwhile, else the error. */
export const finishFailure = (error: unknown): string => (isStale(error) ? tl('stale') : errorText(error));

/** The articles the logbook implements: the references in sight, the text a tap away. */
export function LogbookArticles({ logbook }: { logbook: Logbook }) {
  return (
    <ArticleFold name="lb-articles" title={tl('articles')} articles={logbook.articles}>
      <span class="lb-articles-reviewer">
        {tl(logbook.reviewer.nomineeAllowed ? 'reviewerNominee' : 'reviewer', { role: loc(logbook.reviewer.label) })}
      </span>
    </ArticleFold>
  );
}

export function Breadcrumb({ logbook, query }: { logbook?: Logbook; query?: { site?: string; month?: string } }) {
  return (
    <nav class="breadcrumb" aria-label={tl('title')}>
      <a href={href('logbooks')}>{tl('title')}</a>
      {logbook ? <a href={logbookHash(logbook.slug, query)}>{loc(logbook.title)}</a> : null}
    </nav>
  );
}

export function OpenBadges({ items }: { items: OpenItem[] }) {
  if (items.length === 0) return null;
  return (
    <span class="lb-open-badges">
      {items.map((item) => (
        <span key={item.field} class="badge lb-badge-open">
          {loc(item.label)}
        </span>
      ))}
    </span>
  );
}

/** `11/25` from `2026-11-25`. */
export const shortDate = (date: string) => formatDate(date).slice(5);

/** The text field that says what an entry is about: the first text of the list (cabinet, visitor, work). */
export function headlineOf(logbook: Logbook, entry: LogbookEntry, people: PersonRef[]): { time: string; headline: string; rest: string[] } {
  const time = logbook.timeField ? String(entry.fields[logbook.timeField] ?? '') : '';
  const headlineField = logbook.listFields.find((name) => name !== logbook.timeField && typeof entry.fields[name] === 'string' && logbook.schema.properties?.[name]?.['x-widget'] === 'text');
  const headline = headlineField ? displayValue(logbook, headlineField, entry.fields[headlineField], people) : '';
  const rest = logbook.listFields.filter((name) => name !== logbook.timeField && name !== headlineField);
  return { time, headline, rest };
}

/** One entry as a row of the month: date, time, what, the other fields, who, and what is still open. */
export function EntryRow({ logbook, entry, people }: { logbook: Logbook; entry: LogbookEntry; people: PersonRef[] }) {
  const { time, headline, rest } = headlineOf(logbook, entry, people);
  return (
    <li class={entry.open.length > 0 ? 'lb-entry lb-entry-open' : 'lb-entry'}>
      <div class="lb-entry-head">
        <a class="lb-entry-date" href={entryHash(logbook.slug, entry)}>
          {shortDate(entry.date)}
          {time ? <span class="lb-entry-time"> {time}</span> : null}
        </a>
        <span class="lb-entry-headline">{headline}</span>
        <OpenBadges items={entry.open} />
      </div>
      <dl class="lb-entry-fields">
        {rest.map((name) => {
          const value = displayValue(logbook, name, entry.fields[name], people);
          if (!value) return null;
          const failed = entry.fields[name] === false;
          return (
            <div key={name} class={failed ? 'lb-failed' : undefined}>
              <dt>{labelOf(logbook, name)}</dt>
              <dd>{value}</dd>
            </div>
          );
        })}
        <div>
          <dt>{tl('recordedBy')}</dt>
          <dd>{loc(entry.recordedBy.name)}</dd>
        </div>
      </dl>
    </li>
  );
}
