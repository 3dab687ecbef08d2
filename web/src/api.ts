/**
 * The HTTP API client (docs/api.md): Bearer token, `Accept-Language` in the chosen language, and
 * errors turned into `ApiError` with the server's message. A 401 forgets the token, which brings
 * the sign-in page up in place of the current page (and back to it afterwards).
 */
import { dropToken, getToken } from './auth';
import { getLang, t, type Bilingual } from './i18n';
import type { Form, Issue, LedgerDefinition, LedgerPage, Person } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages?: Bilingual;
  readonly issues: Issue[];
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, messages?: Bilingual, issues: Issue[] = [], retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messages = messages;
    this.issues = issues;
    this.retryAfter = retryAfter;
  }

  /** The message in the language chosen now (it may have changed since the call). */
  localized(): string {
    return this.messages?.[getLang()] ?? this.message;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; messages?: Bilingual; issues?: Issue[] };
  message?: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
}

/** One call: the Bearer token, the language, 401 → sign-in, anything not ok → ApiError. */
async function call(path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ?? 'application/json',
    'Accept-Language': getLang() === 'en' ? 'en, ja;q=0.5' : 'ja, en;q=0.5',
  };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', t('app.networkError'));
  }

  if (response.status === 401) {
    dropToken();
    throw new ApiError(401, 'unauthorized', 'Unauthorized');
  }
  if (!response.ok) {
    const text = await response.text();
    let errorBody: ErrorBody = {};
    try {
      errorBody = (text ? JSON.parse(text) : {}) as ErrorBody;
    } catch {
      errorBody = {};
    }
    const error = errorBody.error ?? {};
    const retry = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      error.code ?? String(response.status),
      error.message ?? errorBody.message ?? `${t('app.unknownError')} (HTTP ${response.status})`,
      error.messages,
      Array.isArray(error.issues) ? error.issues : [],
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return response;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const response = await call(path, options);
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined as T;
  }
}

/**
 * A file the API serves (the ledger CSV): fetched with the Bearer token, then saved through a Blob
 * and an object URL, under the name from `content-disposition`.
 */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await call(path, { accept: 'text/csv, */*' });
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  let filename = fallbackName;
  try {
    if (star?.[1]) filename = decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    else if (plain?.[1]) filename = plain[1].trim();
  } catch {
    filename = fallbackName;
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.localized();
  if (error instanceof Error && error.message) return `${t('app.unknownError')} (${error.message})`;
  return t('app.unknownError');
}

export const seg = encodeURIComponent;

// ---- cached reads shared by pages ------------------------------------------------------------

let formsPromise: Promise<Form[]> | null = null;
let ledgersPromise: Promise<LedgerDefinition[]> | null = null;
let mePromise: Promise<Person> | null = null;
const ledgerPromises = new Map<string, Promise<Record<string, unknown>[]>>();

/** Forget everything cached for the signed-in user (on sign-in / sign-out). */
export function clearCaches(): void {
  formsPromise = null;
  ledgersPromise = null;
  mePromise = null;
  ledgerPromises.clear();
}

export function getForms(): Promise<Form[]> {
  if (!formsPromise) {
    formsPromise = api<{ items: Form[] }>('/forms').then((body) => body.items ?? []);
    formsPromise.catch(() => {
      formsPromise = null;
    });
  }
  return formsPromise;
}

export async function getForm(id: string): Promise<Form | undefined> {
  const forms = await getForms();
  return forms.find((form) => form.id === id);
}

/** Every ledger's definition (title, description, articles, columns), cached for the session. */
export function getLedgers(): Promise<LedgerDefinition[]> {
  if (!ledgersPromise) {
    ledgersPromise = api<{ items: LedgerDefinition[] }>('/ledgers').then((body) => body.items ?? []);
    ledgersPromise.catch(() => {
      ledgersPromise = null;
    });
  }
  return ledgersPromise;
}

/** Forget a ledger's cached option list (after it was edited or imported). */
export function forgetLedgerItems(name: string): void {
  ledgerPromises.delete(name);
}

export function getMe(): Promise<Person> {
  if (!mePromise) {
    mePromise = api<Person>('/me');
    mePromise.catch(() => {
      mePromise = null;
    });
  }
  return mePromise;
}

/** All items of a ledger (following `nextCursor`, at most 10 pages), cached for option lists. */
export function getLedgerItems(name: string): Promise<Record<string, unknown>[]> {
  let promise = ledgerPromises.get(name);
  if (!promise) {
    promise = (async () => {
      const items: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const query = new URLSearchParams({ limit: '100' });
        if (cursor) query.set('cursor', cursor);
        const body = await api<LedgerPage>(`/ledgers/${seg(name)}?${query.toString()}`);
        items.push(...(body.items ?? []));
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      return items;
    })();
    ledgerPromises.set(name, promise);
    promise.catch(() => ledgerPromises.delete(name));
  }
  return promise;
}
