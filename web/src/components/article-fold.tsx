import type { ComponentChildren } from 'preact';
import { loc, type Bilingual } from '../i18n';

/**
 * The articles a page implements, folded: the references in sight, their text a tap away. `name`
 * is the page group's class (`lb-articles`, `rv-articles`); its title is `${name}-title`.
 */
export function ArticleFold({ name, title, articles, children }: { name: string; title: string; articles: { ref: string; text: Bilingual }[]; children?: ComponentChildren }) {
  return (
    <details class={name}>
      <summary>
        <span class={`${name}-title`}>{title}</span>
        {articles.map((article) => (
          <span key={article.ref} class="article-ref">
            {article.ref}
          </span>
        ))}
        {children}
      </summary>
      <ul>
        {articles.map((article) => (
          <li key={article.ref}>
            <span class="article-ref">{article.ref}</span>
            <span>{loc(article.text)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
