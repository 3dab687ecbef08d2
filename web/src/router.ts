/**
 * Hash routing: `#/`, `#/forms/<id>`, `#/requests`, `#/requests/<id>`, `#/inbox`, `#/tasks/<id>`,
 * `#/links/<token>`, `#/ledgers`, `#/ledgers/<name>`, `#/ledgers/<name>/items/<id>`,
 * `#/ledgers/<name>/new`, `#/ledgers/<name>/import`. The e-mailed link token stays in the fragment, so it
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
