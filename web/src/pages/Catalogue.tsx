/**
 * The form catalogue: cards grouped by category in the order of the regulations (サーバ, クライアント,
 * プロダクト, ライセンス, ID, 構成変更), each with its code, title, description and the refs of the
 * articles it implements (the full text is on the form page). Empty groups do not show.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getForms } from '../api';
import { hasKey, loc, t, useLang } from '../i18n';
import { href } from '../router';
import type { Form } from '../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../components/ui';

/** Category ids as the server may spell them → the label key; the order is the display order. */
const CATEGORY_ALIASES: [string, string[]][] = [
  ['server', ['server', 'servers']],
  ['client', ['client', 'clients']],
  ['products', ['product', 'products']],
  ['licences', ['licence', 'licences', 'license', 'licenses']],
  ['ids', ['id', 'ids', 'user-id', 'userid', 'accounts']],
  ['configuration', ['configuration', 'config', 'change', 'changes']],
];

function categoryKey(category: string): string {
  const lower = category.toLowerCase();
  return CATEGORY_ALIASES.find(([, aliases]) => aliases.includes(lower))?.[0] ?? lower;
}

export function categoryLabel(category: string): string {
  const key = `category.${categoryKey(category)}`;
  return hasKey(key) ? t(key) : category || t('category.other');
}

function categoryRank(category: string): number {
  const index = CATEGORY_ALIASES.findIndex(([key]) => key === categoryKey(category));
  return index === -1 ? CATEGORY_ALIASES.length : index;
}

function codeNumber(code: string): number {
  const match = /(\d+)/.exec(code);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

export function useForms(): { forms: Form[] | null; error: string | null; retry: () => void } {
  const [forms, setForms] = useState<Form[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    getForms().then(
      (items) => live && setForms(items),
      (failure) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { forms, error, retry: () => setAttempt((n) => n + 1) };
}

export function CataloguePage() {
  useLang();
  const { forms, error, retry } = useForms();
  const title = t('catalogue.title');
  let body;
  if (error) body = <ErrorBox onRetry={retry}>{error}</ErrorBox>;
  else if (!forms) body = <Loading />;
  else if (forms.length === 0) body = <Empty>{t('catalogue.empty')}</Empty>;
  else {
    const groups = new Map<string, Form[]>();
    for (const form of [...forms].sort((a, b) => codeNumber(a.code) - codeNumber(b.code))) {
      const key = categoryKey(form.category ?? '');
      groups.set(key, [...(groups.get(key) ?? []), form]);
    }
    const ordered = [...groups.entries()].sort(([a], [b]) => categoryRank(a) - categoryRank(b));
    body = ordered.map(([category, items]) => (
      <section class="category" key={category} aria-labelledby={`cat-${category}`}>
        <h2 id={`cat-${category}`}>{categoryLabel(category)}</h2>
        <ul class="cards">
          {items.map((form) => (
            <li key={form.id}>
              <FormCard form={form} />
            </li>
          ))}
        </ul>
      </section>
    ));
  }
  return (
    <div>
      <PageTitle text={title} />
      <p class="lead">{t('catalogue.lead')}</p>
      {body}
    </div>
  );
}

function FormCard({ form }: { form: Form }) {
  const titleId = `form-${form.id}`;
  return (
    <article class="card" aria-labelledby={titleId}>
      <h3 id={titleId} class="card-title">
        <span class="code">{form.code}</span>
        <a href={href('forms', form.id)}>{loc(form.title)}</a>
      </h3>
      {form.description ? <p class="card-desc">{loc(form.description)}</p> : null}
      {form.articles && form.articles.length > 0 ? (
        <p class="article-refs">
          <span class="muted">
            {t('catalogue.articles')}
            {t('punct.colon')}
          </span>
          {form.articles.map((article) => (
            <span class="article-ref" key={article.ref} title={loc(article.text)}>
              {article.ref}
            </span>
          ))}
        </p>
      ) : null}
    </article>
  );
}
