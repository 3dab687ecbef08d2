/** A form to fill in: its articles, its approval route, and the rendered fields. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText, getForm } from '../api';
import { setFlash } from '../flash';
import { loc, t, useLang } from '../i18n';
import { href, navigate } from '../router';
import type { Form, RequestRecord } from '../types';
import { FormEditor } from '../components/FormEditor';
import { ErrorBox, Loading, PageTitle, RouteLine } from '../components/ui';
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

export function FormRoute({ form }: { form: Form }) {
  if (!form.route || form.route.length === 0) return null;
  return (
    <div class="route-box">
      <span class="route-title">
        {t('form.route')}
        {t('punct.colon')}
      </span>
      <RouteLine steps={form.route} />
    </div>
  );
}

export function FormPage({ formId }: { formId: string }) {
  useLang();
  const [form, setForm] = useState<Form | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

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
      <FormRoute form={form} />
      <Articles form={form} />
      <FormEditor form={form} mode="new" onSubmit={submit} />
    </div>
  );
}
