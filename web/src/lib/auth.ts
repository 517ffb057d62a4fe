/**
 * Sign-in. Locally: the built-in issuer's demo users (a picker). In AWS: Cognito's hosted UI,
 * authorization code with PKCE, and the ID token it returns (the API verifies ID tokens, the
 * same claims either way).
 *
 * One sign-in per browser: the session lives in localStorage, so a second tab, a Ctrl+click or a
 * pasted case link opens signed in, and 退出 in one tab signs every tab out (the `storage` event).
 * A session that expires or whose token the API refuses leaves a note (who it was, where they
 * were): the sign-in page then says 登录已过期, and after signing in again the same user returns
 * to that page; another user starts from their own home page and never sees the previous draft.
 */
import type { Actor } from '@shared/domain/roles';
import { apiBase, config } from './config';
import { clearDraftFiles } from './draft-files';

export type { Actor };

const SESSION_KEY = 'xf.session';
const EXPIRED_KEY = 'xf.expired';
const PKCE_KEY = 'xf.pkce';

/** What an expired or refused session leaves behind for the sign-in page. */
export interface ExpiredNote {
  userId: string;
  /** The page the user was on ('/cases/XF-2026-000001'), if any. */
  returnTo?: string;
}

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

function notify(s: Session | undefined): void {
  for (const l of listeners) l(s);
}

// Another tab signed in or out: this one follows.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === SESSION_KEY || e.key === null) notify(currentSession());
  });
}

function storedSession(): Session | undefined {
  const raw = localStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    localStorage.removeItem(SESSION_KEY);
    return undefined;
  }
}

/** The page the user is on, from the hash ('#/cases/XF-2026-000001' → '/cases/XF-2026-000001'). */
function currentPage(): string | undefined {
  const path = window.location.hash.replace(/^#/, '');
  return path === '' || path === '/' || path.startsWith('/signin') ? undefined : path;
}

export function currentSession(): Session | undefined {
  const s = storedSession();
  if (!s) return undefined;
  if (s.expiresAt * 1000 <= Date.now()) {
    markExpired(s);
    return undefined;
  }
  return s;
}

export function token(): string | undefined {
  return currentSession()?.token;
}

function markExpired(s: Session): void {
  const note: ExpiredNote = { userId: s.user.userId, returnTo: currentPage() };
  localStorage.setItem(EXPIRED_KEY, JSON.stringify(note));
  localStorage.removeItem(SESSION_KEY);
}

/** Re-reads the session (at its expiry time): an expired one ends here, with its note. */
export function recheckSession(): void {
  notify(currentSession());
}

/** The note of a session that expired or was refused, until someone signs in or out. */
export function expiredNote(): ExpiredNote | undefined {
  try {
    const raw = localStorage.getItem(EXPIRED_KEY);
    return raw ? (JSON.parse(raw) as ExpiredNote) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a user who just signed in goes: back to the page of the expired session if it was theirs;
 * else the link they came with (a pasted case link), unless that page was another user's; else home.
 */
export function landingAfterSignIn(user: Actor, linked: string | undefined, home: string): string {
  const note = expiredNote();
  if (!note) return linked ?? home;
  if (note.userId !== user.userId) return home;
  return note.returnTo ?? linked ?? home;
}

/** Drafts kept per tab (useDraft, useDraftFiles) belong to who typed them: another user starts without them. */
function clearDrafts(): void {
  clearDraftFiles();
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key?.startsWith('xf.draft.')) sessionStorage.removeItem(key);
  }
}

function setSession(s: Session | undefined): void {
  if (s) {
    const note = expiredNote();
    if (note && note.userId !== s.user.userId) clearDrafts();
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  } else localStorage.removeItem(SESSION_KEY);
  notify(s);
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
  const session = await startSession(idToken);
  // '/' lands on the user's home page (the application routes it by role).
  const landing = landingAfterSignIn(session.user, saved.returnTo, '/');
  clearExpiredNote();
  return landing;
}

/** Clears the expiry note once the user has landed (SignIn navigates first). */
export function clearExpiredNote(): void {
  localStorage.removeItem(EXPIRED_KEY);
}

export function signOut(): void {
  clearExpiredNote();
  clearDrafts();
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
  const s = storedSession();
  if (s) markExpired(s);
  setSession(undefined);
}
