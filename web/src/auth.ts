/**
 * Sign-in. `/config.json` says which mode applies:
 *
 * - `local`: the local runtime's demo users (`GET /_local/users`, `POST /_local/login`).
 * - `cognito`: OAuth 2.0 authorization code with PKCE against the Cognito hosted UI; the access
 *   token is the Bearer for the API.
 *
 * The token lives in sessionStorage (per tab, gone when the tab closes). The page the user was
 * opening (the hash route) is kept across the Cognito round trip and restored afterwards.
 */
export interface LocalAuthConfig {
  mode: 'local';
}

export interface CognitoAuthConfig {
  mode: 'cognito';
  /** e.g. https://prefix.auth.ap-northeast-1.amazoncognito.com */
  domain: string;
  clientId: string;
  /** Where Cognito sends the browser back to; the app's own base URL. */
  redirectUri: string;
  /** OAuth scopes; default "openid email profile". */
  scopes?: string[] | string;
  /** Sign-out return URL registered on the client; default redirectUri. */
  logoutUri?: string;
}

export interface AppConfig {
  auth: LocalAuthConfig | CognitoAuthConfig;
}

const TOKEN_KEY = 'kf.token';
const RETURN_KEY = 'kf.return';
const PKCE_KEY = 'kf.pkce';

type Listener = () => void;
const listeners = new Set<Listener>();

let config: AppConfig = { auth: { mode: 'local' } };

export function setConfig(value: AppConfig): void {
  config = value;
}

export function getConfig(): AppConfig {
  return config;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const body = (await response.json()) as Partial<AppConfig>;
  const auth = body.auth;
  if (auth && auth.mode === 'cognito') {
    if (!auth.domain || !auth.clientId || !auth.redirectUri) throw new Error('config.json: incomplete cognito settings');
    return { auth: { ...auth, domain: auth.domain.replace(/\/+$/, '') } };
  }
  return { auth: { mode: 'local' } };
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

function session(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Seconds-since-epoch expiry of a JWT, or undefined if it cannot be read. */
function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(json) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

/** The Bearer token, or null when signed out or the token has expired. */
export function getToken(): string | null {
  const token = session()?.getItem(TOKEN_KEY) ?? null;
  if (!token) return null;
  const exp = jwtExpiry(token);
  if (exp !== undefined && exp * 1000 < Date.now() + 5_000) {
    session()?.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

export function setToken(token: string): void {
  session()?.setItem(TOKEN_KEY, token);
  notify();
}

/** Forget the token (e.g. after a 401); the current page stays, so sign-in returns to it. */
export function dropToken(): void {
  session()?.removeItem(TOKEN_KEY);
  notify();
}

/** Sign out on purpose: forget the token and, on Cognito, end the hosted-UI session too. */
export function signOut(): void {
  session()?.removeItem(TOKEN_KEY);
  const auth = config.auth;
  if (auth.mode === 'cognito') {
    const params = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.logoutUri ?? auth.redirectUri });
    window.location.assign(`${auth.domain}/logout?${params.toString()}`);
    return;
  }
  window.location.hash = '#/';
  notify();
}

// ---- local mode ----------------------------------------------------------------------------

export async function localLogin(userId: string): Promise<void> {
  const response = await fetch('/_local/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`login: ${response.status}`);
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error('login: no token');
  setToken(body.token);
}

// ---- Cognito (authorization code + PKCE) ---------------------------------------------------

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteLength: number): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function scopesOf(auth: CognitoAuthConfig): string {
  if (Array.isArray(auth.scopes)) return auth.scopes.join(' ');
  return auth.scopes ?? 'openid email profile';
}

/** Go to the hosted UI; the current hash route is restored after the round trip. */
export async function startCognitoSignIn(): Promise<void> {
  const auth = config.auth;
  if (auth.mode !== 'cognito') return;
  const verifier = randomString(48);
  const state = randomString(16);
  session()?.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  session()?.setItem(RETURN_KEY, window.location.hash || '#/');
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: scopesOf(auth),
    state,
    code_challenge: await challengeFor(verifier),
    code_challenge_method: 'S256',
  });
  window.location.assign(`${auth.domain}/oauth2/authorize?${params.toString()}`);
}

/**
 * When the browser comes back from the hosted UI with `?code=&state=`, trade the code for tokens
 * and put the URL back to the page the user was opening. Returns an error description to show,
 * or null (nothing to do, or done).
 */
export async function completeCognitoSignIn(): Promise<string | null> {
  const auth = config.auth;
  if (auth.mode !== 'cognito') return null;
  const query = new URLSearchParams(window.location.search);
  const code = query.get('code');
  const error = query.get('error');
  if (!code && !error) return null;

  const stored = session()?.getItem(PKCE_KEY);
  session()?.removeItem(PKCE_KEY);
  const returnTo = session()?.getItem(RETURN_KEY) ?? '#/';
  session()?.removeItem(RETURN_KEY);
  const cleanUrl = `${window.location.pathname}${returnTo.startsWith('#') ? returnTo : '#/'}`;
  window.history.replaceState(null, '', cleanUrl);

  if (error) return query.get('error_description') ?? error;
  let pkce: { verifier?: string; state?: string } = {};
  try {
    pkce = stored ? (JSON.parse(stored) as typeof pkce) : {};
  } catch {
    pkce = {};
  }
  if (!pkce.verifier || pkce.state !== query.get('state')) return 'state mismatch';

  const response = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code: code ?? '',
      redirect_uri: auth.redirectUri,
      code_verifier: pkce.verifier,
    }).toString(),
  });
  if (!response.ok) return `token ${response.status}`;
  const tokens = (await response.json()) as { access_token?: string };
  if (!tokens.access_token) return 'no access token';
  setToken(tokens.access_token);
  return null;
}
