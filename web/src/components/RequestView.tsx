/**
 * A request as people read it: the entries with the form's labels, the route as a row of stages
 * (with a seal for every decision), and the audit history in Japan time. Used by the request page,
 * the task page and the e-mailed link page.
 */
import { useMemo } from 'preact/hooks';
import { formatDateTime } from '../format';
import { loc, t, useLang, type MessageKey } from '../i18n';
import { displayValue, fieldsOf, labelOf } from '../schema-form';
import type { Form, RequestRecord, Stage, StageDecision } from '../types';
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

function StageCard({ stage, current }: { stage: Stage; current: boolean }) {
  const decisions = stage.decisions && stage.decisions.length > 0 ? stage.decisions : stage.decision ? [stage.decision] : [];
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
        {stage.approvers.length > 0 ? stage.approvers.map((person) => loc(person.name)).join(t('punct.list')) : t('request.noApprover')}
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
      {stage.note ? <p class="stage-note">{loc(stage.note)}</p> : null}
    </li>
  );
}

export function RouteTimeline({ request }: { request: RequestRecord }) {
  useLang();
  return (
    <ol class="timeline">
      {request.stages.map((stage) => (
        <StageCard
          key={stage.index}
          stage={stage}
          current={request.status === 'in_review' && stage.status === 'open'}
        />
      ))}
    </ol>
  );
}

export function History({ request }: { request: RequestRecord }) {
  useLang();
  const events = request.history ?? [];
  if (events.length === 0) return <p class="muted">{t('request.noHistory')}</p>;
  return (
    <ol class="history">
      {events.map((event) => (
        <li key={event.seq}>
          <time dateTime={event.at}>{formatDateTime(event.at)}</time>
          <span class="history-text">
            {loc(event.summary) || event.action}
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
      <section class="panel" aria-labelledby="sec-data">
        <H id="sec-data">{t('request.data')}</H>
        <DataList request={request} form={shown} />
      </section>
      <section class="panel" aria-labelledby="sec-route">
        <H id="sec-route">{t('request.route')}</H>
        <RouteTimeline request={request} />
      </section>
      {request.history ? (
        <section class="panel" aria-labelledby="sec-history">
          <H id="sec-history">
            {t('request.history')} <span class="muted small">{t('time.jst')}</span>
          </H>
          <History request={request} />
        </section>
      ) : null}
    </div>
  );
}
