/**
 * Sign-in. Locally: the built-in issuer's demo users (a picker). In AWS: Cognito's hosted UI,
 * authorization code with PKCE, and the ID token it returns (the API verifies ID tokens, the
 * same claims either way). The session lives in sessionStorage: closing the tab signs out.
 */
import type { Actor } from '@shared/domain/roles';
import { apiBase, config } from './config';

export type { Actor };

const SESSION_KEY = 'xf.session';
const PKCE_KEY = 'xf.pkce';

export interface Session {
  token: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  user: Actor;
}

export interface DemoUser {
  username: string;
  name: string;
  roles: string[];
  deptCode?: string;
  deptName?: string;
}

type Listener = (s: Session | undefined) => void;
const listeners = new Set<Listener>();

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Session;
    if (s.expiresAt * 1000 <= Date.now()) {
      sessionStorage.removeItem(SESSION_KEY);
      return undefined;
    }
    return s;
  } catch {
    return undefined;
  }
}

export function token(): string | undefined {
  return currentSession()?.token;
}

function setSession(s: Session | undefined): void {
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
  for (const l of listeners) l(s);
}

/** The `exp` claim of a JWT (not verified here: the API verifies every request). */
function expiryOf(jwt: string): number {
  const payload = jwt.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const exp = (JSON.parse(json) as { exp?: number }).exp;
  return typeof exp === 'number' ? exp : Math.floor(Date.now() / 1000) + 3600;
}

/** Who the token says we are, as the API sees it (GET /me). */
async function whoAmI(jwt: string): Promise<Actor> {
  const res = await fetch(`${apiBase()}/me`, { headers: { authorization: `Bearer ${jwt}` } });
  if (!res.ok) throw new Error(`登录失败（HTTP ${res.status}）`);
  return (await res.json()) as Actor;
}

async function startSession(jwt: string): Promise<Session> {
  const user = await whoAmI(jwt);
  const s: Session = { token: jwt, expiresAt: expiryOf(jwt), user };
  setSession(s);
  return s;
}

// ---- local: the built-in issuer -------------------------------------------------------------

export async function listDemoUsers(): Promise<DemoUser[]> {
  const auth = config().auth;
  if (auth.kind !== 'local') return [];
  const res = await fetch(`${auth.issuerUrl}/users`);
  if (!res.ok) throw new Error(`无法获取演示用户（HTTP ${res.status}）`);
  return ((await res.json()) as { users: DemoUser[] }).users;
}

export async function signInAsDemoUser(username: string): Promise<Session> {
  const auth = config().auth;
  if (auth.kind !== 'local') throw new Error('Demo users exist only on the local stack');
  const res = await fetch(`${auth.issuerUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!res.ok) throw new Error(`登录失败（HTTP ${res.status}）`);
  const { token: jwt } = (await res.json()) as { token: string };
  return startSession(jwt);
}

// ---- AWS: Cognito hosted UI, authorization code + PKCE --------------------------------------

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function startCognitoSignIn(returnTo: string): Promise<void> {
  const auth = config().auth;
  if (auth.kind !== 'cognito') throw new Error('Not configured for Cognito');
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid profile email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // Managed login in Simplified Chinese.
    lang: 'zh-CN',
  }).toString();
  window.location.assign(url.toString());
}

/** On return from the hosted UI (?code=…&state=…): exchanges the code; resolves the hash to go to. */
export async function completeCognitoSignIn(): Promise<string | undefined> {
  const auth = config().auth;
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (auth.kind !== 'cognito' || !code) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string; returnTo?: string };
  sessionStorage.removeItem(PKCE_KEY);
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  if (!saved.verifier || saved.state !== params.get('state')) throw new Error('登录状态不匹配，请重新登录');
  const res = await fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: auth.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) throw new Error(`登录失败（HTTP ${res.status}）`);
  const { id_token: idToken } = (await res.json()) as { id_token: string };
  await startSession(idToken);
  return saved.returnTo;
}

export function signOut(): void {
  setSession(undefined);
  const auth = config().auth;
  if (auth.kind === 'cognito') {
    const url = new URL('/logout', auth.domain);
    url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri }).toString();
    window.location.assign(url.toString());
  }
}

/** The token expired or was refused: forget it (the page keeps what was typed). */
export function expireSession(): void {
  setSession(undefined);
}
