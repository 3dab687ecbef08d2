/**
 * A request as people read it: the entries with the form's labels, the route as a row of stages
 * (with a seal for every decision), and the audit history in Japan time. Used by the request page,
 * the task page and the e-mailed link page.
 */
import { Fragment } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatDateTime } from '../format';
import { hasKey, loc, t, useLang, type MessageKey } from '../i18n';
import { displayValue, fieldsOf, labelOf } from '../schema-form';
import type { Form, HistoryEvent, RequestRecord, Stage, StageDecision } from '../types';
import { useLedgerOptions } from './FormEditor';
import { StageBadge, StatusBadge } from './ui';

function surname(name: { ja: string; en: string }): string {
  const ja = name.ja.trim().split(/[\s　]+/)[0] ?? name.ja;
  const en = name.en.trim().split(/\s+/);
  return loc({ ja, en: en[en.length - 1] ?? name.en });
}

/** The seal (印) of a decision: the decision word above the approver's family name. */
export function Seal({ decision }: { decision: StageDecision }) {
  return (
    <span class={`seal seal-${decision.decision}`} aria-hidden="true">
      <span class="seal-word">{t(`stamp.${decision.decision}` as MessageKey)}</span>
      <span class="seal-name">{surname(decision.by.name)}</span>
    </span>
  );
}

/** Every decision recorded on a stage: the approvals so far (「全員」 stages) and the one that closed it. */
export function decisionsOf(stage: Stage): StageDecision[] {
  if (stage.decisions && stage.decisions.length > 0) return stage.decisions;
  const list = [...(stage.approvals ?? [])];
  const closing = stage.decision;
  if (closing && !list.some((each) => each.by.id === closing.by.id && each.at === closing.at)) list.push(closing);
  return list;
}

/**
 * Who joined which stage by escalation (上申) in the current round: the `escalated` events say so in
 * `after.approvers`, with the round and stage they happened in.
 */
export function escalatedApprovers(request: RequestRecord): Map<number, Set<string>> {
  const joined = new Map<number, Set<string>>();
  for (const event of request.history ?? []) {
    if (event.action !== 'escalated' || !event.after) continue;
    const { round, currentStage, approvers } = event.after as { round?: unknown; currentStage?: unknown; approvers?: unknown };
    if (typeof currentStage !== 'number' || !Array.isArray(approvers)) continue;
    if (typeof round === 'number' && request.round !== undefined && round !== request.round) continue;
    const ids = joined.get(currentStage) ?? new Set<string>();
    for (const id of approvers) if (typeof id === 'string') ids.add(id);
    joined.set(currentStage, ids);
  }
  return joined;
}

export function RequestHeader({ request }: { request: RequestRecord }) {
  useLang();
  return (
    <dl class="meta">
      <div>
        <dt>{t('request.id')}</dt>
        <dd class="mono">{request.id}</dd>
      </div>
      <div>
        <dt>{t('mine.status')}</dt>
        <dd>
          <StatusBadge status={request.status} />
          {request.round && request.round > 1 ? <span class="round">{t('request.round', { n: request.round })}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t('request.requester')}</dt>
        <dd>{loc(request.requester.name)}</dd>
      </div>
      <div>
        <dt>{t('request.submittedAt')}</dt>
        <dd>
          <time dateTime={request.submittedAt}>{formatDateTime(request.submittedAt ?? request.createdAt)}</time>
        </dd>
      </div>
    </dl>
  );
}

export function DataList({ request, form }: { request: RequestRecord; form?: Form }) {
  useLang();
  const fields = useMemo(() => (form ? fieldsOf(form) : []), [form]);
  const { ledgers } = useLedgerOptions(fields);
  const byName = new Map(fields.map((field) => [field.name, field]));
  const names = [...fields.map((field) => field.name).filter((name) => name in request.data), ...Object.keys(request.data).filter((name) => !byName.has(name))];
  return (
    <dl class="data-list">
      {names.map((name) => {
        const field = byName.get(name);
        const shown = displayValue(field, request.data[name], ledgers);
        return (
          <div class="data-row" key={name}>
            <dt>{field ? labelOf(field) : name}</dt>
            <dd class={shown ? 'pre' : 'muted'}>{shown || t('form.empty')}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function StageCard({ stage, current, joined }: { stage: Stage; current: boolean; joined?: Set<string> }) {
  const decisions = decisionsOf(stage);
  return (
    <li class={`stage stage-${stage.status}${current ? ' stage-current' : ''}`} aria-current={current ? 'step' : undefined}>
      <div class="stage-head">
        <span class="stage-no" aria-hidden="true">
          {stage.index + 1}
        </span>
        <span class="stage-label">{loc(stage.label)}</span>
        <StageBadge status={stage.status} />
      </div>
      <p class="stage-approvers">
        <span class="muted">
          {t('request.approvers')}
          {t('punct.colon')}
        </span>
        {stage.approvers.length > 0
          ? stage.approvers.map((person, index) => (
              <Fragment key={person.id}>
                {index > 0 ? t('punct.list') : null}
                <span class={joined?.has(person.id) ? 'approver approver-escalated' : 'approver'}>
                  {loc(person.name)}
                  {joined?.has(person.id) ? t('punct.paren', { text: t('request.escalatedTo') }) : null}
                </span>
              </Fragment>
            ))
          : t('request.noApprover')}
        {stage.rule === 'any' && stage.approvers.length > 1 ? <span class="muted">{t('punct.paren', { text: t('request.anyRule') })}</span> : null}
        {stage.rule === 'all' && stage.approvers.length > 1 ? <span class="muted">{t('punct.paren', { text: t('request.allRule') })}</span> : null}
      </p>
      {decisions.map((decision, index) => (
        <div class="stage-decision" key={index}>
          <Seal decision={decision} />
          <div>
            <p class="decision-line">
              <strong>{t(`decision.${decision.decision}` as MessageKey)}</strong> {loc(decision.by.name)}
              <time class="block muted" dateTime={decision.at}>
                {formatDateTime(decision.at)}
              </time>
            </p>
            {decision.comment ? (
              <p class="decision-comment">
                <span class="visually-hidden">{t('request.comment')}: </span>
                {decision.comment}
              </p>
            ) : null}
          </div>
        </div>
      ))}
      {stage.note ? <p class={joined && joined.size > 0 ? 'stage-note stage-note-escalated' : 'stage-note'}>{loc(stage.note)}</p> : null}
    </li>
  );
}

export function RouteTimeline({ request }: { request: RequestRecord }) {
  useLang();
  const joined = escalatedApprovers(request);
  return (
    <ol class="timeline">
      {request.stages.map((stage) => (
        <StageCard
          key={stage.index}
          stage={stage}
          current={request.status === 'in_review' && stage.status === 'open'}
          joined={joined.get(stage.index)}
        />
      ))}
    </ol>
  );
}

function dateOnly(iso: string | undefined): string {
  return formatDateTime(iso).split(' ')[0] ?? '';
}

/**
 * The printed form's row of stamp boxes (押印欄): 申請 → 承認 → … → 決裁, each with the seal, the
 * name, the date and the decision. Shown only on paper (`.print-only`); the screen has the timeline.
 */
export function StampRow({ request }: { request: RequestRecord }) {
  useLang();
  const last = request.stages.length - 1;
  const joined = escalatedApprovers(request);
  const notes = request.stages.filter((stage) => stage.note);
  const filedAt = request.submittedAt ?? request.createdAt;
  return (
    <div class="stamp-sheet print-only">
      <table class="stamp-row">
        <caption>{t('stampbox.title')}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="stamp-kind">{t('stampbox.filed')}</span>
              <span class="stamp-role">{t('request.requester')}</span>
            </th>
            {request.stages.map((stage) => (
              <th scope="col" key={stage.index}>
                <span class="stamp-kind">{stage.index === last ? t('stampbox.final') : t('stampbox.approval')}</span>
                <span class="stamp-role">{loc(stage.label)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td class="stamp-cell">
              <span class="seal seal-filed" aria-hidden="true">
                <span class="seal-word">{t('stamp.filed')}</span>
                <span class="seal-name">{surname(request.requester.name)}</span>
              </span>
              <span class="stamp-name">{loc(request.requester.name)}</span>
              <time class="stamp-date" dateTime={filedAt}>
                {dateOnly(filedAt)}
              </time>
            </td>
            {request.stages.map((stage) => {
              const decisions = decisionsOf(stage);
              const extra = joined.get(stage.index);
              return (
                <td class={`stamp-cell stamp-${stage.status}`} key={stage.index}>
                  {decisions.length > 0 ? (
                    decisions.map((decision, index) => (
                      <div class="stamp-decision" key={index}>
                        <Seal decision={decision} />
                        <span class="stamp-name">{loc(decision.by.name)}</span>
                        <span class="stamp-date">
                          {t(`decision.${decision.decision}` as MessageKey)} <time dateTime={decision.at}>{dateOnly(decision.at)}</time>
                        </span>
                      </div>
                    ))
                  ) : (
                    <span class="stamp-empty">
                      <span class="stamp-status">{t(`stage.${stage.status}` as MessageKey)}</span>
                      {stage.approvers.length > 0 ? (
                        <span class="stamp-waiting">
                          {stage.approvers
                            .map((person) => `${loc(person.name)}${extra?.has(person.id) ? t('punct.paren', { text: t('request.escalatedTo') }) : ''}`)
                            .join(t('punct.list'))}
                        </span>
                      ) : null}
                    </span>
                  )}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
      {notes.length > 0 ? (
        <div class="stamp-notes">
          <p class="stamp-notes-title">{t('stampbox.notes')}</p>
          <ul>
            {notes.map((stage) => (
              <li key={stage.index}>
                {stage.index + 1}. {loc(stage.label)}
                {t('punct.colon')}
                {loc(stage.note)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** Events of the workflow itself that deserve a tag in front of their summary: 督促 and 上申. */
const FLAGGED = new Set(['reminded', 'escalated']);

/** The action's name (「督促」, 「上申」, …), or the action id for one this page does not know. */
function actionLabel(event: HistoryEvent): string {
  const key = `history.action.${event.action}`;
  return hasKey(key) ? t(key) : event.action;
}

export function History({ request }: { request: RequestRecord }) {
  useLang();
  const events = request.history ?? [];
  if (events.length === 0) return <p class="muted">{t('request.noHistory')}</p>;
  return (
    <ol class="history">
      {events.map((event) => (
        <li key={event.seq} class={`history-${event.action}`} data-action={event.action}>
          <time dateTime={event.at}>{formatDateTime(event.at)}</time>
          <span class="history-text">
            {FLAGGED.has(event.action) ? <span class="history-tag">{actionLabel(event)}</span> : null}
            {loc(event.summary) || actionLabel(event)}
            {event.comment ? <span class="history-comment">「{event.comment}」</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Everything about a request: header, entries, route, history. */
export function RequestView({ request, form, headingLevel = 2 }: { request: RequestRecord; form?: Form; headingLevel?: 2 | 3 }) {
  useLang();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  // A request shows its fields with the labels of the form version it was filed under.
  const shown = form && request.formSchema ? { ...form, schema: request.formSchema } : form;
  return (
    <div class="request-view">
      <RequestHeader request={request} />
      <StampRow request={request} />
      <section class="panel data-panel" aria-labelledby="sec-data">
        <H id="sec-data">{t('request.data')}</H>
        <DataList request={request} form={shown} />
      </section>
      <section class="panel route-panel" aria-labelledby="sec-route">
        <H id="sec-route">{t('request.route')}</H>
        <RouteTimeline request={request} />
      </section>
      {request.history ? (
        <section class="panel history-panel" aria-labelledby="sec-history">
          <H id="sec-history">
            {t('request.history')} <span class="muted small">{t('time.jst')}</span>
          </H>
          <History request={request} />
        </section>
      ) : null}
    </div>
  );
}
