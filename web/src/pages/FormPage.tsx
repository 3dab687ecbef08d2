/**
 * A form to fill in: facts to know first (the form's context), its approval route — computed by the
 * server for the entries so far, with the approvers' names — its articles, and the rendered fields.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorText, getForm, seg } from '../api';
import { setFlash } from '../flash';
import { loc, t, useLang, type Bilingual } from '../i18n';
import { href, navigate } from '../router';
import { fieldsOf, type FieldDef } from '../schema-form';
import type { Form, PreviewStage, RequestRecord, RouteStep, StageCondition } from '../types';
import { FormEditor } from '../components/FormEditor';
import { ErrorBox, Loading, PageTitle } from '../components/ui';
import { tasksChanged } from '../events';

export function Articles({ form }: { form: Form }) {
  if (!form.articles || form.articles.length === 0) return null;
  return (
    <section class="articles" aria-labelledby="articles-title">
      <h2 id="articles-title">{t('form.articles')}</h2>
      <ul>
        {form.articles.map((article) => (
          <li key={article.ref}>
            <span class="article-ref">{article.ref}</span>
            <span class="article-text">{loc(article.text)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A stage's condition as people read it: `when.label` of the form, or the label the preview gives. */
function conditionText(when: Bilingual | StageCondition | null | undefined): string {
  if (!when) return '';
  if ('label' in when && when.label) return loc(when.label);
  return loc(when as Bilingual);
}

interface ShownStage {
  label: Bilingual;
  rule?: string;
  condition: string;
  /** `applies`: in the preview; `skipped`: conditional and not met by the entries so far; `static`: no preview. */
  state: 'applies' | 'skipped' | 'static';
  approvers?: PreviewStage['approvers'];
  note?: Bilingual | null;
}

/**
 * The form's route merged with the preview: stages the preview kept show their approvers, a
 * conditional stage it left out shows as not applying (yet), and any stage only the preview knows is
 * added where it stands.
 */
function mergeRoute(route: RouteStep[], preview: PreviewStage[] | null): ShownStage[] {
  if (!preview) return route.map((step) => ({ label: step.label, rule: step.rule, condition: conditionText(step.when), state: 'static' }));
  const shown: ShownStage[] = [];
  let next = 0;
  for (const step of route) {
    const match = preview[next];
    if (match && match.role === step.role) {
      shown.push({ label: match.label ?? step.label, rule: match.rule ?? step.rule, condition: conditionText(match.when) || conditionText(step.when), state: 'applies', approvers: match.approvers ?? [], note: match.note });
      next += 1;
    } else if (step.when) {
      shown.push({ label: step.label, rule: step.rule, condition: conditionText(step.when), state: 'skipped' });
    } else {
      shown.push({ label: step.label, rule: step.rule, condition: '', state: 'static' });
    }
  }
  for (const extra of preview.slice(next)) {
    shown.push({ label: extra.label, rule: extra.rule, condition: conditionText(extra.when), state: 'applies', approvers: extra.approvers ?? [], note: extra.note });
  }
  return shown;
}

/** Which entries can change the route: everything but free text (a preview per keystroke is waste). */
function routeKey(form: Form, fields: FieldDef[], data: Record<string, unknown>): string {
  const relevant = new Set((form.route ?? []).flatMap((step) => (step.when ? [step.when.field] : [])));
  const picked = fields.filter((field) => relevant.has(field.name) || (field.widget !== 'text' && field.widget !== 'textarea' && field.widget !== 'lines' && field.widget !== 'date'));
  return JSON.stringify(picked.map((field) => [field.name, data[field.name] ?? null]));
}

/** Asks the server whom this request would go to, a moment after a relevant entry changed. */
function useRoutePreview(form: Form | null | undefined, data: Record<string, unknown> | null) {
  const [preview, setPreview] = useState<PreviewStage[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [pending, setPending] = useState(false);
  const fields = useMemo(() => (form ? fieldsOf(form) : []), [form]);
  const key = form && data ? routeKey(form, fields, data) : null;
  const dataRef = useRef(data);
  dataRef.current = data;
  useEffect(() => {
    if (!form || key === null) return;
    const controller = new AbortController();
    setPending(true);
    const timer = window.setTimeout(() => {
      api<{ stages: PreviewStage[] }>(`/forms/${seg(form.id)}/route-preview`, {
        method: 'POST',
        body: { data: dataRef.current ?? {} },
        signal: controller.signal,
      }).then(
        (body) => {
          setPreview(Array.isArray(body?.stages) ? body.stages : null);
          setFailed(!Array.isArray(body?.stages));
          setPending(false);
        },
        (error) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setPreview(null);
          setFailed(true);
          setPending(false);
        },
      );
    }, 350);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [form, key]);
  return { preview, failed, pending };
}

export function FormRoute({ form, preview, failed, compact }: { form: Form; preview: PreviewStage[] | null; failed?: boolean; compact?: boolean }) {
  const route = form.route ?? [];
  if (route.length === 0 && !preview?.length) return null;
  const stages = mergeRoute(route, preview);
  return (
    <section class={compact ? 'route-box route-box-compact' : 'route-box'} aria-labelledby={compact ? 'route-title-confirm' : 'route-title'}>
      <h2 class="route-title" id={compact ? 'route-title-confirm' : 'route-title'}>
        {t('form.route')}
      </h2>
      <ol class="route-steps">
        {stages.map((stage, index) => (
          <li key={index} class={`route-card route-${stage.state}${stage.condition ? ' route-conditional' : ''}`}>
            {index > 0 ? (
              <span class="route-arrow" aria-hidden="true">
                →
              </span>
            ) : null}
            <span class="route-body">
              <span class="route-role">{loc(stage.label)}</span>
              {stage.condition ? (
                <span class="route-when">
                  {stage.state === 'skipped'
                    ? t('form.routeOnlyWhen', { when: stage.condition })
                    : t('punct.paren', { text: stage.condition }).trim()}
                </span>
              ) : null}
              {stage.state === 'applies' ? (
                <span class="route-people">
                  {stage.approvers && stage.approvers.length > 0
                    ? stage.approvers.map((person) => loc(person.name)).join(t('punct.list')) +
                      (stage.rule === 'any' && stage.approvers.length > 1 ? t('punct.paren', { text: t('request.anyRule') }) : '')
                    : t('request.noApprover')}
                </span>
              ) : null}
              {stage.note ? <span class="route-note">{loc(stage.note)}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      {compact ? null : (
        <p class="route-hint" aria-live="polite">
          {failed ? t('form.routeStatic') : preview ? t('form.routeLive') : t('form.routeLoading')}
        </p>
      )}
    </section>
  );
}

/** Facts to know before filling in (F14: how many privileged IDs exist per system, A15-3). */
function useFormContext(formId: string): Bilingual[] {
  const [notices, setNotices] = useState<Bilingual[]>([]);
  useEffect(() => {
    let live = true;
    api<{ notices?: Bilingual[] }>(`/forms/${seg(formId)}/context`).then(
      (body) => live && setNotices(Array.isArray(body?.notices) ? body.notices : []),
      () => undefined, // the form works without its context
    );
    return () => {
      live = false;
    };
  }, [formId]);
  return notices;
}

export function FormPage({ formId }: { formId: string }) {
  useLang();
  const [form, setForm] = useState<Form | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  const notices = useFormContext(formId);
  const { preview, failed } = useRoutePreview(form, data);

  useEffect(() => {
    let live = true;
    setError(null);
    getForm(formId).then(
      (found) => live && setForm(found ?? null),
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [formId, attempt]);

  if (error) {
    return (
      <div>
        <PageTitle text={t('catalogue.title')} />
        <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>
      </div>
    );
  }
  if (form === undefined) return <Loading />;
  if (form === null) {
    return (
      <div>
        <PageTitle text={t('form.notFound')} />
        <p>
          <a href="#/">{t('app.toHome')}</a>
        </p>
      </div>
    );
  }

  const submit = async (data: Record<string, unknown>) => {
    const created = await api<RequestRecord>('/requests', { method: 'POST', body: { formId: form.id, data } });
    const target = href('requests', created.id);
    setFlash(target, 'request.submitted');
    tasksChanged();
    navigate(target);
  };

  return (
    <div class="form-page">
      <nav class="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <a href="#/">{t('catalogue.title')}</a>
      </nav>
      <PageTitle text={`${form.code} ${loc(form.title)}`}>
        <span class="code">{form.code}</span> {loc(form.title)}
      </PageTitle>
      {form.description ? <p class="lead">{loc(form.description)}</p> : null}
      {notices.length > 0 ? (
        <section class="alert alert-info context-notices" aria-labelledby="context-title">
          <h2 id="context-title" class="alert-title">
            {t('form.context')}
          </h2>
          <ul>
            {notices.map((notice, index) => (
              <li key={index}>{loc(notice)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <FormRoute form={form} preview={preview} failed={failed} />
      <Articles form={form} />
      <FormEditor
        form={form}
        mode="new"
        onSubmit={submit}
        onDataChange={setData}
        confirmExtra={<FormRoute form={form} preview={preview} failed={failed} compact />}
      />
    </div>
  );
}
