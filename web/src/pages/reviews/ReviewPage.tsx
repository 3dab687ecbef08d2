/**
 * One monthly review (the page the e-mailed link opens): the month's entries with what looks wrong
 * highlighted, and for its reviewer the record of the review — 異常なし or 異常あり, the cause and
 * the action of every flagged item (A9), anomalies the records do not show — completed after a
 * confirmation, since completing closes that month of the logbook. Opening the page changes nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, seg } from '../../api';
import { getLang, loc, t, useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../format';
import { href } from '../../router';
import type { Person } from '../../types';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { FieldNotes, describedBy } from '../../components/field-notes';
import { displayValue, labelOf } from '../logbooks/fields';
import { entryHash } from '../logbooks/parts';
import { tr } from './messages';
import { ArticleBox, StatusBadge, monthHash } from './ReviewMonth';
import type { Anomaly, Conclusion, ReviewDetail } from './types';

const MAX = 1000;

interface Answer {
  cause: string;
  action: string;
}

interface Other extends Answer {
  description: string;
}

/** 2026年10月 / October 2026, in the chosen language. */
export function monthText(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return getLang() === 'en' ? new Date(Date.UTC(year, m - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }) : `${year}年${m}月`;
}

/** The problems the server would report, found before sending (same paths, same words). */
function checkForm(anomalies: Anomaly[], conclusion: Conclusion | null, answers: Record<string, Answer>, others: Other[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!conclusion) errors.conclusion = tr('conclusionLegend');
  anomalies.forEach((anomaly, i) => {
    const answer = answers[anomaly.key] ?? { cause: '', action: '' };
    if (!answer.cause.trim()) errors[`findings.${i}.cause`] = tr('needCause');
    if (!answer.action.trim()) errors[`findings.${i}.action`] = tr('needAction');
  });
  if (conclusion === 'anomalies-found') {
    others.forEach((other, i) => {
      if (!other.description.trim()) errors[`others.${i}.description`] = tr('needDescription');
      if (!other.cause.trim()) errors[`others.${i}.cause`] = tr('needCause');
      if (!other.action.trim()) errors[`others.${i}.action`] = tr('needAction');
    });
    if (anomalies.length === 0 && others.length === 0) errors.conclusion = tr('needAnomaly');
  }
  return errors;
}

/** The form field an issue path names, for the error summary's links. */
const fieldId = (path: string) => `rv-${path.replaceAll('.', '-')}`;

function TextArea({ path, label, help, value, error, onInput }: { path: string; label: string; help?: string; value: string; error?: string; onInput: (value: string) => void }) {
  const id = fieldId(path);
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label class="field-label" for={id}>
        {label}
        <span class="req">{tr('required')}</span>
      </label>
      <FieldNotes id={id} help={help} error={error} />
      <textarea
        id={id}
        rows={2}
        maxLength={MAX}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, help, error)}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </div>
  );
}

export function ReviewPage({ month, logbook, siteId }: { month: string; logbook: string; siteId: string; me: Person }) {
  useLang();
  const [detail, setDetail] = useState<ReviewDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [conclusion, setConclusion] = useState<Conclusion | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [others, setOthers] = useState<Other[]>([]);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<'done' | 'already' | null>(null);
  const sending = useRef(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const path = `/reviews/${seg(month)}/${seg(logbook)}/${seg(siteId)}`;

  useEffect(() => {
    let live = true;
    setLoadError(null);
    api<ReviewDetail>(path).then(
      (body) => live && setDetail(body),
      (failure) => live && setLoadError(failure),
    );
    return () => {
      live = false;
    };
  }, [path, attempt]);

  if (loadError) {
    const status = loadError instanceof ApiError ? loadError.status : 0;
    const text = status === 404 ? tr('notOpened') : status === 403 ? tr('forbidden') : errorText(loadError);
    return (
      <div>
        <PageTitle text={tr('reviewTitle', { month: monthText(month) })} />
        <ErrorBox onRetry={status === 404 || status === 403 ? undefined : () => setAttempt((n) => n + 1)}>{text}</ErrorBox>
        <p>
          <a href={monthHash(month)}>{tr('toMonth')}</a>
        </p>
      </div>
    );
  }
  if (!detail) return <Loading />;

  const { review, anomalies, entries } = detail;
  const flaggedEntries = new Map<string, Anomaly[]>();
  for (const anomaly of anomalies) if (anomaly.entryId) flaggedEntries.set(anomaly.entryId, [...(flaggedEntries.get(anomaly.entryId) ?? []), anomaly]);
  const columns = detail.logbook.listFields;
  const title = getLang() === 'en' ? `${review.logbook} ${loc(review.title)} (${loc(review.siteName)})` : `${review.logbook} ${loc(review.title)}（${loc(review.siteName)}）`;
  const monthName = monthText(review.month);
  const answered = anomalies.length + (conclusion === 'anomalies-found' ? others.length : 0);

  const setAnswer = (key: string, part: keyof Answer, value: string) => setAnswers((current) => ({ ...current, [key]: { ...(current[key] ?? { cause: '', action: '' }), [part]: value } }));
  /** Fills the same cause and action into the other items of the same kind that are still empty (e.g. 19 days without a check). */
  const copyToKind = (from: Anomaly) => {
    const source = answers[from.key];
    if (!source) return;
    setAnswers((current) => {
      const next = { ...current };
      for (const anomaly of anomalies) {
        if (anomaly.kind !== from.kind || anomaly.key === from.key) continue;
        const target = next[anomaly.key] ?? { cause: '', action: '' };
        next[anomaly.key] = { cause: target.cause.trim() ? target.cause : source.cause, action: target.action.trim() ? target.action : source.action };
      }
      return next;
    });
  };
  const sameKind = (anomaly: Anomaly) => anomalies.filter((other) => other.kind === anomaly.kind).length;
  const setOther = (index: number, part: keyof Other, value: string) => setOthers((current) => current.map((other, i) => (i === index ? { ...other, [part]: value } : other)));

  const submit = () => {
    const found = checkForm(anomalies, conclusion, answers, others);
    setErrors(found);
    setSendError(null);
    if (Object.keys(found).length > 0) {
      window.setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    setConfirming(true);
  };

  const complete = async () => {
    if (sending.current || !conclusion) return;
    sending.current = true;
    setBusy(true);
    try {
      const body = {
        conclusion,
        findings: anomalies.map((anomaly) => ({ key: anomaly.key, cause: answers[anomaly.key]?.cause ?? '', action: answers[anomaly.key]?.action ?? '' })),
        ...(conclusion === 'anomalies-found' && others.length > 0 ? { others } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      };
      const done = await api<ReviewDetail>(`${path}/complete`, { method: 'POST', body });
      setDetail(done);
      setOutcome('done');
      setConfirming(false);
      window.scrollTo({ top: 0 });
    } catch (failure) {
      setConfirming(false);
      if (failure instanceof ApiError && failure.status === 400 && failure.issues.length > 0) {
        setErrors(Object.fromEntries(failure.issues.map((issue) => [issue.path, issue.messages ? loc(issue.messages) : issue.message])));
        window.setTimeout(() => summaryRef.current?.focus(), 0);
      } else if (failure instanceof ApiError && failure.status === 409) {
        setOutcome('already');
        setAttempt((n) => n + 1);
      } else {
        setSendError(errorText(failure));
      }
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const errorList = Object.entries(errors);

  return (
    <div class="rv-page">
      <nav class="breadcrumb" aria-label={tr('breadcrumb')}>
        <a href={href('reviews')}>{tr('breadcrumb')}</a>
        <a href={monthHash(review.month)}>{monthName}</a>
      </nav>
      <PageTitle text={`${tr('reviewTitle', { month: monthName })} ${title}`} sub={<StatusBadge status={review.status} />}>
        <span class="rv-title-month">{tr('reviewTitle', { month: monthName })}</span>
        <span class="rv-title-book">{title}</span>
      </PageTitle>
      {outcome === 'done' ? <Notice kind="success">{tr('done', { month: monthName })}</Notice> : null}
      {outcome === 'already' ? <Notice kind="warning">{tr('alreadyDone')}</Notice> : null}

      <ArticleBox articles={detail.logbook.articles} />
      <p class="rv-a9">{tr('a9')}</p>

      <section class="panel rv-meta" aria-labelledby="rv-meta-title">
        <h2 id="rv-meta-title" class="visually-hidden">
          {tr('meta')}
        </h2>
        <dl class="data-list">
          <div class="data-row">
            <dt>{tr('reviewer')}</dt>
            <dd>
              {review.reviewers.map((r) => loc(r.name)).join(t('punct.list'))}
              {review.assignment === 'nominee' ? <span class="small muted"> {tr('nominee')}</span> : null}
              {review.assignment === 'fallback' ? <span class="small muted"> {tr('fallback')}</span> : null}
            </dd>
          </div>
          <div class="data-row">
            <dt>{tr('dueOn')}</dt>
            <dd>
              {formatDate(review.dueOn)}
              {detail.duty && detail.duty.remindCount > 0 ? <span class="small muted"> {tr('reminders', { n: detail.duty.remindCount })}</span> : null}
              {detail.duty?.escalatedAt ? (
                <span class="block badge rv-escalated">{tr('escalatedTo', { names: (detail.duty.escalatedTo ?? []).map((p) => loc(p.name)).join(t('punct.list')), at: formatDateTime(detail.duty.escalatedAt) })}</span>
              ) : null}
            </dd>
          </div>
          <div class="data-row">
            <dt>{tr('openedAt')}</dt>
            <dd>
              <time dateTime={review.openedAt}>{formatDateTime(review.openedAt)}</time>
            </dd>
          </div>
          {review.status === 'completed' ? (
            <>
              <div class="data-row">
                <dt>{tr('conclusion')}</dt>
                <dd>{review.conclusion ? tr(`conclusion.${review.conclusion}`) : ''}</dd>
              </div>
              <div class="data-row">
                <dt>{tr('completedAt')}</dt>
                <dd>
                  <time dateTime={review.completedAt}>{formatDateTime(review.completedAt)}</time> {review.completedBy ? loc(review.completedBy.name) : ''}
                </dd>
              </div>
            </>
          ) : null}
        </dl>
      </section>

      <section class={anomalies.length > 0 ? 'alert alert-warning rv-flagged' : 'alert alert-success rv-flagged'} aria-labelledby="rv-flagged-title">
        <h2 id="rv-flagged-title" class="alert-title">
          {anomalies.length > 0 ? tr('flaggedTitle', { n: anomalies.length }) : tr('flaggedNone')}
        </h2>
        {anomalies.length > 0 ? (
          <>
            {review.status === 'open' ? <p class="small">{tr('flaggedLead')}</p> : null}
            <ol class="rv-anomaly-list">
              {anomalies.map((anomaly) => (
                <li key={anomaly.key}>
                  <span class="rv-anomaly-date">{formatDate(anomaly.date)}</span> {loc(anomaly.message)}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </section>

      <section aria-labelledby="rv-entries-title">
        <h2 id="rv-entries-title">{tr('entriesTitle', { month: monthName, n: entries.length })}</h2>
        {entries.length === 0 ? (
          <p class="empty">{tr('entriesEmpty')}</p>
        ) : (
          <div class="table-scroll">
            <table class="list-table rv-entries">
              <thead>
                <tr>
                  <th scope="col">{tr('date')}</th>
                  {columns.map((name) => (
                    <th scope="col" key={name}>
                      {labelOf(detail.logbook, name)}
                    </th>
                  ))}
                  <th scope="col">{tr('recordedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => {
                  const flags = flaggedEntries.get(entry.id) ?? [];
                  return (
                    <tr key={entry.id} class={flags.length > 0 ? 'rv-entry-flagged' : undefined}>
                      <td data-label={tr('date')}>
                        <a href={entryHash(detail.logbook.slug, entry)}>{formatDate(entry.date)}</a>
                        {flags.map((flag) => (
                          <span key={flag.key} class="rv-flag" title={loc(flag.message)}>
                            ⚠ {tr('flagged')}
                          </span>
                        ))}
                      </td>
                      {columns.map((name) => (
                        <td key={name} data-label={labelOf(detail.logbook, name)} class={entry.fields[name] === false ? 'rv-cell-false' : undefined}>
                          {displayValue(detail.logbook, name, entry.fields[name], detail.people)}
                        </td>
                      ))}
                      <td data-label={tr('recordedBy')}>{loc(entry.recordedBy.name)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {review.status === 'completed' ? (
        <section class="panel rv-completed-findings" aria-labelledby="rv-findings-title">
          <h2 id="rv-findings-title">{tr('findingsTitle')}</h2>
          {(review.findings ?? []).length === 0 ? (
            <p>{tr('findingsNone')}</p>
          ) : (
            <table class="list-table rv-findings">
              <thead>
                <tr>
                  <th scope="col">{tr('findingAnomaly')}</th>
                  <th scope="col">{tr('cause')}</th>
                  <th scope="col">{tr('action')}</th>
                </tr>
              </thead>
              <tbody>
                {(review.findings ?? []).map((finding) => (
                  <tr key={finding.key}>
                    <td data-label={tr('findingAnomaly')}>
                      {finding.date ? <span class="rv-anomaly-date">{formatDate(finding.date)}</span> : null} {loc(finding.message)}
                    </td>
                    <td data-label={tr('cause')}>{finding.cause}</td>
                    <td data-label={tr('action')}>{finding.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {review.comment ? (
            <p>
              <strong>{tr('comment')}: </strong>
              {review.comment}
            </p>
          ) : null}
        </section>
      ) : detail.mayComplete ? (
        <section class="panel rv-form" aria-labelledby="rv-form-title">
          <h2 id="rv-form-title">{tr('formTitle')}</h2>
          <p class="help">{tr('formLead')}</p>
          {errorList.length > 0 ? (
            <div class="alert alert-error" role="alert" tabIndex={-1} ref={summaryRef}>
              <p class="alert-title">{tr('errorSummary', { n: errorList.length })}</p>
              <ul>
                {errorList.map(([key, message]) => (
                  <li key={key}>
                    <a href={`#${fieldId(key)}`} onClick={(event) => {
                      event.preventDefault();
                      document.getElementById(fieldId(key))?.focus();
                    }}>
                      {message}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {sendError ? <ErrorBox>{sendError}</ErrorBox> : null}

          <fieldset class={errors.conclusion ? 'field has-error' : 'field'} id={fieldId('conclusion')} tabIndex={-1}>
            <legend class="field-label">
              {tr('conclusionLegend')}
              <span class="req">{tr('required')}</span>
            </legend>
            {errors.conclusion ? <p class="field-error-text">{errors.conclusion}</p> : null}
            {(['no-anomaly', 'anomalies-found'] as const).map((value) => (
              <label key={value} class="check rv-choice">
                <input type="radio" name="rv-conclusion" value={value} checked={conclusion === value} onChange={() => setConclusion(value)} />
                <span>
                  <strong>{value === 'no-anomaly' ? tr('noAnomaly') : tr('anomaliesFound')}</strong>
                  <span class="block small muted">{value === 'no-anomaly' ? tr('noAnomalyHelp') : tr('anomaliesFoundHelp')}</span>
                </span>
              </label>
            ))}
          </fieldset>

          {anomalies.map((anomaly, i) => (
            <fieldset key={anomaly.key} class="rv-finding">
              <legend>
                <span class="rv-finding-no">{tr('finding', { n: i + 1 })}</span> <span class="rv-anomaly-date">{formatDate(anomaly.date)}</span> {loc(anomaly.message)}
              </legend>
              <TextArea path={`findings.${i}.cause`} label={tr('cause')} help={tr('causeHelp')} value={answers[anomaly.key]?.cause ?? ''} error={errors[`findings.${i}.cause`]} onInput={(v) => setAnswer(anomaly.key, 'cause', v)} />
              <TextArea path={`findings.${i}.action`} label={tr('action')} help={tr('actionHelp')} value={answers[anomaly.key]?.action ?? ''} error={errors[`findings.${i}.action`]} onInput={(v) => setAnswer(anomaly.key, 'action', v)} />
              {sameKind(anomaly) > 1 && (answers[anomaly.key]?.cause.trim() || answers[anomaly.key]?.action.trim()) ? (
                <p>
                  <button type="button" class="btn btn-small btn-quiet" onClick={() => copyToKind(anomaly)}>
                    {tr('copyToKind', { n: sameKind(anomaly) - 1 })}
                  </button>
                </p>
              ) : null}
            </fieldset>
          ))}

          {conclusion === 'anomalies-found' ? (
            <>
              {others.map((other, i) => (
                <fieldset key={i} class="rv-finding rv-other">
                  <legend>
                    <span class="rv-finding-no">{tr('other', { n: i + 1 })}</span>
                  </legend>
                  <TextArea path={`others.${i}.description`} label={tr('otherDescription')} value={other.description} error={errors[`others.${i}.description`]} onInput={(v) => setOther(i, 'description', v)} />
                  <TextArea path={`others.${i}.cause`} label={tr('cause')} help={tr('causeHelp')} value={other.cause} error={errors[`others.${i}.cause`]} onInput={(v) => setOther(i, 'cause', v)} />
                  <TextArea path={`others.${i}.action`} label={tr('action')} help={tr('actionHelp')} value={other.action} error={errors[`others.${i}.action`]} onInput={(v) => setOther(i, 'action', v)} />
                  <button type="button" class="btn btn-small btn-quiet" onClick={() => setOthers((current) => current.filter((_, j) => j !== i))}>
                    {tr('removeOther')}
                  </button>
                </fieldset>
              ))}
              <p>
                <button type="button" class="btn btn-small" onClick={() => setOthers((current) => [...current, { description: '', cause: '', action: '' }])}>
                  ＋ {tr('addOther')}
                </button>
              </p>
            </>
          ) : null}

          <div class="field">
            <label class="field-label" for="rv-comment">
              {tr('comment')}
              <span class="opt">{tr('optional')}</span>
            </label>
            <textarea id="rv-comment" rows={2} maxLength={MAX} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
          </div>
          <div class="actions">
            <button type="button" class="btn btn-primary" disabled={busy} onClick={submit}>
              {tr('submit')}
            </button>
          </div>
          <ConfirmDialog open={confirming} title={tr('confirmTitle')} confirmLabel={tr('confirm')} tone="warning" busy={busy} onConfirm={complete} onCancel={() => setConfirming(false)}>
            <p>{tr('confirmLead', { month: monthName, title: `${review.logbook} ${loc(review.title)}`, site: loc(review.siteName) })}</p>
            <ul>
              <li>{tr('confirmConclusion', { conclusion: conclusion ? tr(`conclusion.${conclusion}`) : '' })}</li>
              <li>{tr('confirmCount', { n: answered })}</li>
            </ul>
          </ConfirmDialog>
        </section>
      ) : (
        <Notice>{tr('readOnly')}</Notice>
      )}

      <section aria-labelledby="rv-history-title">
        <h2 id="rv-history-title">{tr('historyTitle')}</h2>
        {detail.history.length === 0 ? (
          <p class="muted">{tr('historyEmpty')}</p>
        ) : (
          <ol class="history">
            {detail.history.map((event) => (
              <li key={event.seq}>
                <time dateTime={event.at}>{formatDateTime(event.at)}</time> {loc(event.summary)}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
