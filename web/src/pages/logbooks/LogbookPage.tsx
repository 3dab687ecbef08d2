/**
 * One logbook at one site for one month, built for a phone: the record panel first (the site from
 * the person, date and time already now, the logbook's own button — 開錠, 入室, 受付 …), then what is
 * still open with its one-tap finish (施錠, 退室, 退館・カード返却), then the month's entries, newest
 * first, open ones marked. The site and month are in the address (`?site=&month=`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, seg } from '../../api';
import { getLang, loc, useLang } from '../../i18n';
import { navigate, useHash } from '../../router';
import type { Person, PersonRef } from '../../types';
import { ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import type { Errors, FieldDef, Values } from './fields';
import { FieldInput, addMonths, fieldsOf, issuesByField, japanNow, labelOf, lastDayOf, prefillValue, requiredErrors, toFields } from './fields';
import { tl } from './messages';
import { Breadcrumb, EntryRow, LogbookArticles, OpenBadges, entryHash, finishEntry, finishFailure, headlineOf, logbookHash, shortDate } from './parts';
import type { Logbook, LogbookEntry, LogbookIndex, LogbookMonth } from './types';

function queryOf(hash: string): { site: string; month: string } {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  return { site: params.get('site') ?? '', month: params.get('month') ?? '' };
}

let indexPromise: Promise<LogbookIndex> | null = null;

/** The logbooks and the sites the person may keep them for; the counts on it go stale, the rest does not. */
export function logbookIndex(fresh = false): Promise<LogbookIndex> {
  if (fresh || !indexPromise) {
    indexPromise = api<LogbookIndex>('/logbooks');
    indexPromise.catch(() => {
      indexPromise = null;
    });
  }
  return indexPromise;
}

/** The sites offered in the select: those whose logbook of this kind the person may open. */
function sitesFor(index: LogbookIndex, logbook: Logbook, current: { id: string; name: { ja: string; en: string } }) {
  const readable = new Set(index.logbooks.find((l) => l.id === logbook.id)?.sites ?? []);
  const sites = index.sites.filter((site) => readable.has(site.id));
  return sites.some((site) => site.id === current.id) ? sites : [current, ...sites];
}

interface Flash {
  text: string;
  entry?: LogbookEntry;
}

function RecordPanel({ month, me, onRecorded }: { month: LogbookMonth; me: Person; onRecorded: (flash: Flash) => void }) {
  const logbook = month.logbook;
  const finishKeys = new Set(Object.keys(logbook.actions.finish?.sets ?? {}));
  const conditional = new Set(logbook.rules.flatMap((rule) => (rule.kind === 'requiredWhen' ? [rule.field] : [])));
  const fields = fieldsOf(logbook);
  // The common case on one screen: what is recorded later, and optional texts, wait behind a tap.
  const tucked = (field: FieldDef) =>
    finishKeys.has(field.name) || (!field.required && (field.widget === 'text' || field.widget === 'textarea') && !conditional.has(field.name));
  const first = fields.filter((field) => !tucked(field));
  const when = first.filter((field) => field.schema['x-prefill'] === 'now');
  const main = first.filter((field) => !when.includes(field));
  const later = fields.filter(tucked);
  const defaultDate = month.today.startsWith(`${month.month}-`) ? month.today : lastDayOf(month.month);
  const initial = (): Values => Object.fromEntries(fields.map((field) => [field.name, prefillValue(field, me, month.today)]));
  const [values, setValues] = useState<Values>(initial);
  const [date, setDate] = useState(defaultDate);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const people = month.people ?? [];

  const change = (name: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [name]: value }));
    setTouched((current) => (current.has(name) ? current : new Set(current).add(name)));
    setErrors((current) => {
      if (!current[name]) return current;
      const { [name]: _gone, ...rest } = current;
      return rest;
    });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending.current) return;
    // A time nobody touched is the time of the tap, not of the page's opening.
    const now = japanNow().time;
    const sent: Values = { ...values };
    for (const field of first) if (field.schema['x-prefill'] === 'now' && !touched.has(field.name)) sent[field.name] = now;
    const found = requiredErrors(first, sent);
    if (!date) found.date = tl('fieldRequired', { label: tl('date') });
    setValues(sent);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    sending.current = true;
    setBusy(true);
    try {
      const body = await api<{ entry: LogbookEntry }>(`/logbooks/${seg(logbook.id)}/${seg(month.site.id)}/${seg(month.month)}`, {
        method: 'POST',
        body: { date, fields: toFields(fields, sent) },
      });
      setValues(initial());
      setTouched(new Set());
      setDate(defaultDate);
      onRecorded({ text: tl('recorded'), entry: body.entry });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
        setErrors(issuesByField(error.issues));
        setFailure(tl('errorSummary'));
      } else {
        setFailure(errorText(error));
      }
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const input = (field: FieldDef) => (
    <FieldInput key={field.name} field={field} id={`lb-${field.name}`} value={values[field.name] ?? ''} error={errors[field.name]} people={people} me={me} onChange={(value) => change(field.name, value)} />
  );
  const laterOpen = later.some((field) => touched.has(field.name) || errors[field.name]);
  return (
    <form class="panel lb-record" onSubmit={submit} noValidate aria-labelledby="lb-record-title">
      <h2 id="lb-record-title">{tl('record')}</h2>
      {failure ? <ErrorBox>{failure}</ErrorBox> : null}
      <div class="lb-when">
        <div class={`lb-field lb-date${errors.date ? ' has-error' : ''}`}>
          <label class="field-label" for="lb-date">
            {tl('date')}
          </label>
          {errors.date ? (
            <p class="field-error-text" id="lb-date-error">
              {errors.date}
            </p>
          ) : null}
          <input
            id="lb-date"
            type="date"
            class="lb-short"
            min={`${month.month}-01`}
            max={month.today < lastDayOf(month.month) ? month.today : lastDayOf(month.month)}
            value={date}
            aria-invalid={errors.date ? 'true' : undefined}
            aria-describedby={errors.date ? 'lb-date-error' : undefined}
            onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        {when.map(input)}
      </div>
      {main.map(input)}
      {later.length > 0 ? (
        <details class="lb-later" open={laterOpen}>
          <summary>{tl('moreFields', { labels: later.map((field) => loc(field.label)).join(getLang() === 'en' ? ', ' : '・') })}</summary>
          {later.map(input)}
        </details>
      ) : null}
      <button type="submit" class="btn btn-primary lb-big" disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? '…' : loc(logbook.actions.record)}
      </button>
    </form>
  );
}

function OpenEntries({ month, me, onFinished }: { month: LogbookMonth; me: Person; onFinished: (flash: Flash | null, error?: string) => void }) {
  const logbook = month.logbook;
  const finish = logbook.actions.finish;
  const [busy, setBusy] = useState<string | null>(null);
  const open = [...month.entries].reverse().filter((entry) => entry.open.length > 0);
  if (open.length === 0) return null;
  const people: PersonRef[] = month.people ?? [];
  const press = async (entry: LogbookEntry) => {
    if (busy || !finish) return;
    setBusy(entry.id);
    try {
      const body = await finishEntry(logbook, entry);
      onFinished({ text: tl('completed', { action: loc(finish.label) }), entry: body.entry });
    } catch (error) {
      onFinished(null, finishFailure(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="panel lb-open" aria-labelledby="lb-open-title">
      <h2 id="lb-open-title">
        {tl('openTitle')} <span class="count-badge">{open.length}</span>
      </h2>
      <ul class="lb-open-list">
        {open.map((entry) => {
          const { time, headline } = headlineOf(logbook, entry, people);
          const mayFinish = finish && !month.closed && (month.mayRecord || entry.recordedBy.id === me.id);
          return (
            <li key={entry.id} class="lb-open-item">
              <a class="lb-open-what" href={entryHash(logbook.slug, entry)}>
                <span class="lb-entry-date">
                  {shortDate(entry.date)} {time}
                </span>
                <span class="lb-entry-headline">{headline}</span>
                <span class="lb-open-who">{loc(entry.recordedBy.name)}</span>
                <OpenBadges items={entry.open} />
              </a>
              {mayFinish ? (
                <button type="button" class="btn btn-primary lb-finish" disabled={busy !== null} aria-busy={busy === entry.id ? 'true' : undefined} onClick={() => press(entry)}>
                  {loc(finish.label)}
                  <span class="visually-hidden">（{headline || labelOf(logbook, logbook.timeField ?? '')} {time}）</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function PlaceBar({ slug, sites, site, month, today }: { slug: string; sites: { id: string; name: { ja: string; en: string } }[]; site: string; month: string; today: string }) {
  const current = today.slice(0, 7);
  const go = (next: { site?: string; month?: string }) => navigate(logbookHash(slug, { site: next.site ?? site, month: next.month ?? month }));
  const siteName = sites.find((s) => s.id === site);
  return (
    <div class="lb-place">
      <div class="lb-place-site">
        {sites.length > 1 ? (
          <>
            <label for="lb-site" class="lb-place-label">
              {tl('site')}
            </label>
            <select id="lb-site" value={site} onChange={(e) => go({ site: (e.currentTarget as HTMLSelectElement).value })}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {loc(s.name)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span>
            <span class="lb-place-label">{tl('site')}</span> <strong>{siteName ? loc(siteName.name) : site}</strong>
          </span>
        )}
      </div>
      <div class="lb-place-month" role="group" aria-label={tl('month')}>
        <button type="button" class="btn btn-small" onClick={() => go({ month: addMonths(month, -1) })} aria-label={tl('prevMonth')}>
          ‹
        </button>
        <strong class="lb-month">{month.replace('-', '/')}</strong>
        <button type="button" class="btn btn-small" disabled={month >= current} onClick={() => go({ month: addMonths(month, 1) })} aria-label={tl('nextMonth')}>
          ›
        </button>
        {month !== current ? (
          <button type="button" class="btn btn-small btn-quiet" onClick={() => go({ month: current })}>
            {tl('thisMonth')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function LogbookPage({ slug, me }: { slug: string; me: Person }) {
  useLang();
  const hash = useHash();
  const query = queryOf(hash);
  const [index, setIndex] = useState<LogbookIndex | null>(null);
  const [data, setData] = useState<LogbookMonth | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [flash, setFlash] = useState<Flash | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const flashRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    logbookIndex().then(
      (body) => live && setIndex(body),
      (failure) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const site = query.site || index?.site?.id || me.site?.id || '';
  const month = query.month || index?.month || japanNow().date.slice(0, 7);

  const load = () => {
    if (!site) return Promise.resolve();
    return api<LogbookMonth>(`/logbooks/${seg(slug)}/${seg(site)}/${seg(month)}`).then(
      (body) => {
        setData(body);
        setError(null);
      },
      (failure) => setError(failure),
    );
  };

  useEffect(() => {
    setData(null);
    setError(null);
    void load();
  }, [slug, site, month, attempt]);

  useEffect(() => {
    if (flash || problem) flashRef.current?.focus();
  }, [flash, problem]);

  const after = (next: Flash | null, failure?: string) => {
    setFlash(next);
    setProblem(failure ?? null);
    void logbookIndex(true).then(setIndex, () => undefined);
    void load();
  };

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <div>
        <Breadcrumb />
        <PageTitle text={missing ? tl('notFound') : tl('title')} />
        <ErrorBox onRetry={missing ? undefined : () => setAttempt((n) => n + 1)}>{errorText(error)}</ErrorBox>
      </div>
    );
  }
  if (!data || !index) return <Loading />;
  const logbook = data.logbook;
  const future = month > data.today.slice(0, 7);
  const newestFirst = [...data.entries].reverse();
  const people = data.people ?? [];
  const flashLine = flash?.entry ? headlineOf(logbook, flash.entry, people) : null;
  return (
    <div class="lb-page lb-logbook">
      <Breadcrumb />
      <PageTitle text={loc(logbook.title)} sub={loc(logbook.description)}>
        <span class="code">{logbook.id}</span>
        {loc(logbook.title)}
      </PageTitle>
      <LogbookArticles logbook={logbook} />
      <PlaceBar slug={logbook.slug} sites={sitesFor(index, logbook, data.site)} site={data.site.id} month={data.month} today={data.today} />
      <div ref={flashRef} tabIndex={-1} class="flash-focus" aria-live="polite">
        {flash ? (
          <Notice kind="success">
            <p>
              {flash.text}
              {flash.entry ? (
                <>
                  {' '}
                  <a href={entryHash(logbook.slug, flash.entry)}>
                    {shortDate(flash.entry.date)} {flashLine?.time} {flashLine?.headline}
                  </a>
                </>
              ) : null}
            </p>
          </Notice>
        ) : null}
        {problem ? <ErrorBox>{problem}</ErrorBox> : null}
      </div>
      {data.closed ? <Notice kind="warning">{tl('closed')}</Notice> : null}
      {!data.closed && future ? <Notice kind="info">{tl('futureMonth')}</Notice> : null}
      {!data.closed && !future && !data.mayRecord ? <Notice kind="info">{tl('mayNotRecord')}</Notice> : null}
      {data.mayRecord ? <RecordPanel key={`${data.site.id}/${data.month}`} month={data} me={me} onRecorded={(next) => after(next)} /> : null}
      <OpenEntries month={data} me={me} onFinished={after} />
      <section class="lb-month-list" aria-labelledby="lb-list-title">
        <h2 id="lb-list-title">{tl('listTitle', { month: data.month.replace('-', '/') })}</h2>
        {newestFirst.length === 0 ? (
          <p class="empty">{tl('listEmpty')}</p>
        ) : (
          <ol class="lb-entries" reversed>
            {newestFirst.map((entry) => (
              <EntryRow key={entry.id} logbook={logbook} entry={entry} people={people} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
