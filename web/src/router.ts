/**
 * Hash routing: `#/`, `#/forms/<id>`, `#/requests`, `#/requests/<id>`, `#/inbox`, `#/tasks/<id>`,
 * `#/links/<token>`, `#/ledgers`, `#/ledgers/<name>`, `#/ledgers/<name>/items/<id>`,
 * `#/ledgers/<name>/new`, `#/ledgers/<name>/import`, `#/cases/...`, `#/logbooks`, `#/logbooks/<slug>`,
 * `#/logbooks/<slug>/<site>/<month>/<entry id>`, `#/duties`, `#/duties/<id>`. The e-mailed link token stays in the fragment, so it
 * never reaches a server log or a Referer header.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'catalogue' }
  | { name: 'form'; id: string }
  | { name: 'mine' }
  | { name: 'request'; id: string }
  | { name: 'inbox' }
  | { name: 'task'; id: string }
  | { name: 'link'; token: string }
  | { name: 'ledgers' }
  | { name: 'ledger'; ledger: string }
  | { name: 'ledgerItem'; ledger: string; id: string }
  | { name: 'ledgerNew'; ledger: string }
  | { name: 'ledgerImport'; ledger: string }
  /** `#/logbooks`, `#/logbooks/<slug>?site=&month=`, `#/logbooks/<slug>/<site>/<month>/<entry id>`. */
  | { name: 'logbooks' }
  | { name: 'logbook'; logbook: string }
  | { name: 'logbookEntry'; logbook: string; siteId: string; month: string; id: string }
  /** `#/cases/...`: the case pages read the rest of the path themselves (pages/cases/index.tsx). */
  | { name: 'cases'; path: string[] }
  /** `#/duties?month=2026-12` (予定・期限) and `#/duties/<duty id>`. */
  | { name: 'duties' }
  | { name: 'duty'; id: string }
  /** `#/admin`, `#/admin/people/<id | new>`, `#/admin/places`, `#/admin/import` (組織管理, pages/admin/index.tsx). */
  | { name: 'admin'; path: string[] }
  /** `#/reviews?month=2026-10` (月次点検の状況) and `#/reviews/<month>/<logbook>/<site>` (one review, the e-mailed link). */
  | { name: 'reviews' }
  | { name: 'review'; month: string; logbook: string; siteId: string }
  | { name: 'notFound' };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const parts = path.split('/').filter(Boolean).map(decode);
  const [head, arg, extra, more] = parts;
  if (parts.length === 0) return { name: 'catalogue' };
  if (head === 'ledgers') {
    if (!arg) return { name: 'ledgers' };
    if (extra === undefined) return { name: 'ledger', ledger: arg };
    if (extra === 'items' && more !== undefined && parts.length === 4) return { name: 'ledgerItem', ledger: arg, id: more };
    if (parts.length === 3 && extra === 'new') return { name: 'ledgerNew', ledger: arg };
    if (parts.length === 3 && extra === 'import') return { name: 'ledgerImport', ledger: arg };
    return { name: 'notFound' };
  }
  if (head === 'cases') return { name: 'cases', path: parts.slice(1) };
  if (head === 'admin') return { name: 'admin', path: parts.slice(1) };
  if (head === 'reviews') {
    if (parts.length === 1) return { name: 'reviews' };
    if (parts.length === 4) return { name: 'review', month: arg, logbook: extra, siteId: more };
    return { name: 'notFound' };
  }
  if (head === 'logbooks') {
    if (parts.length === 1) return { name: 'logbooks' };
    if (parts.length === 2) return { name: 'logbook', logbook: arg };
    if (parts.length === 5) return { name: 'logbookEntry', logbook: arg, siteId: extra, month: more, id: parts[4] };
    return { name: 'notFound' };
  }
  if (extra !== undefined) return { name: 'notFound' };
  switch (head) {
    case 'forms':
      return arg ? { name: 'form', id: arg } : { name: 'catalogue' };
    case 'requests':
      return arg ? { name: 'request', id: arg } : { name: 'mine' };
    case 'inbox':
      return arg ? { name: 'notFound' } : { name: 'inbox' };
    case 'tasks':
      return arg ? { name: 'task', id: arg } : { name: 'inbox' };
    case 'links':
      return arg ? { name: 'link', token: arg } : { name: 'notFound' };
    case 'duties':
      return arg ? { name: 'duty', id: arg } : { name: 'duties' };
    default:
      return { name: 'notFound' };
  }
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function navigate(hash: string): void {
  if (window.location.hash === hash) return;
  window.location.hash = hash;
}

export function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}
