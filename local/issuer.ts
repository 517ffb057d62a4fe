/**
 * The built-in token issuer of the local stack (DESIGN §7). It signs, for the seeded demo users
 * of local/demo-users.ts, ID tokens with exactly the claim names of a Cognito user pool ID token,
 * and serves its public keys as a JWKS, so the handlers verify local tokens with the same code
 * (shared/auth/verify.ts) that verifies Cognito tokens in AWS. There is no bypass.
 *
 * The signing key (ES256) is generated on first start and kept as a JWK file under
 * `<dataDir>/issuer/`, so tokens survive restarts. Local only: it has no passwords; anyone who
 * can reach 127.0.0.1 may take a token for any demo user.
 *
 * Routes, under {@link LOCAL_AUTH_PATH}:
 *   GET  /local-auth/.well-known/jwks.json             the public keys
 *   GET  /local-auth/.well-known/openid-configuration  discovery document (as Cognito serves one)
 *   GET  /local-auth/users                             the demo users and departments
 *   POST /local-auth/token  {"username":"clerk1"}      → { token, expiresIn, user }
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { z } from 'zod';
import { CLAIM } from '../shared/auth/claims';
import { ENV } from '../shared/config/env';
import { NotFoundError } from '../shared/domain/errors';
import type { Role } from '../shared/domain/roles';
import type { DirectoryUser } from '../shared/domain/directory';
import { DEMO_DEPARTMENTS, DEMO_USERS, type DemoDepartment, type DemoUser } from './demo-users';

/** Path prefix of every route of the issuer; the issuer URL ends with it. */
export const LOCAL_AUTH_PATH = '/local-auth';
/** Audience (the "app client id") of local tokens unless the local stack chooses another. */
export const LOCAL_AUDIENCE = 'xinfang-local';
/** Lifetime of a minted token, as Cognito's default ID token validity (1 hour). */
export const LOCAL_TOKEN_TTL_SEC = 3600;

const ALG = 'ES256';
const KEY_DIR = 'issuer';
const PRIVATE_KEY_FILE = 'signing-key.jwk.json';
const PUBLIC_KEYS_FILE = 'jwks.json';
const MAX_BODY_BYTES = 16 * 1024;

export interface LocalIssuerOptions {
  /** The local data directory (`.data/`); the key lives in `<dataDir>/issuer/`. */
  dataDir: string;
  /** e.g. http://127.0.0.1:3000/local-auth; must end with {@link LOCAL_AUTH_PATH}. */
  issuerUrl: string;
  /** The `aud` of minted tokens. */
  audience: string;
  /**
   * The user store: the office directory in the table (the local stack), so users the admin
   * creates can sign in and disabled ones cannot. Without it, the demo users of demo-users.ts.
   */
  directory?: IssuerDirectory;
}

/** What the issuer reads of the office directory (shared/adapters/office-store.ts). */
export interface IssuerDirectory {
  users(): Promise<{ value: DirectoryUser }[]>;
  user(username: string): Promise<{ value: DirectoryUser } | undefined>;
  departments(): Promise<{ departments: { value: { code: string; name: string } }[] }>;
}

/** A directory user as the issuer signs for it (disabled users are left out). */
function asDemoUser(u: DirectoryUser): DemoUser {
  return { username: u.username, sub: u.sub, name: u.displayName, roles: [u.role], ...(u.deptCode ? { deptCode: u.deptCode } : {}) };
}

/** The demo users as directory users: what the local stack seeds the table with on first start. */
export function demoDirectoryUsers(at: string): DirectoryUser[] {
  return DEMO_USERS.map((u) => ({
    username: u.username,
    sub: u.sub,
    displayName: u.name,
    role: u.roles[0] ?? 'clerk',
    ...(u.deptCode ? { deptCode: u.deptCode } : {}),
    enabled: true,
    updatedAt: at,
  }));
}

export interface MintOptions {
  /** Lifetime in seconds; default {@link LOCAL_TOKEN_TTL_SEC}. */
  expiresInSec?: number;
  /** Issue time; default now. */
  now?: Date;
}

/** What the issuer tells about a demo user: no secrets. */
export interface PublicDemoUser {
  username: string;
  sub: string;
  name: string;
  roles: Role[];
  deptCode?: string;
  deptName?: string;
}

export interface LocalIssuer {
  issuerUrl: string;
  audience: string;
  jwksUrl: string;
  /** The public key set, as served at {@link LocalIssuer.jwksUrl}. */
  jwks(): JSONWebKeySet;
  /** A signed Cognito-shaped ID token for a user (of the directory, else a demo user); NotFoundError for an unknown or disabled one. */
  mintToken(username: string, options?: MintOptions): Promise<string>;
  /** The demo users (what the local stack seeds its directory with). */
  users: readonly DemoUser[];
  /** Serves the issuer's routes; resolves false, touching nothing, when the path is not its own. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const privateJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal(ALG),
});

/**
 * The issuer's signing key from `<dataDir>/issuer/`, generated and stored there on first use.
 * Creation is atomic (write a temporary file, then hard-link it into place), so two processes
 * starting at once end up with the same key.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const dir = path.join(dataDir, KEY_DIR);
  const file = path.join(dir, PRIVATE_KEY_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let text = await readIfExists(file);
  if (text === undefined) {
    await createKeyFile(file);
    text = await readFile(file, 'utf8');
  }
  let jwk: z.infer<typeof privateJwkSchema>;
  try {
    jwk = privateJwkSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new Error(`Local issuer: ${file} is not an ${ALG} private JWK; delete it to create a new key`, { cause });
  }
  const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid, alg: ALG, use: 'sig' };
  await writeAtomically(path.join(dir, PUBLIC_KEYS_FILE), `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
  return { kid: jwk.kid, privateKey, publicJwk };
}

async function createKeyFile(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const body = `${JSON.stringify({ ...jwk, kid, alg: ALG, use: 'sig' }, null, 2)}\n`;
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    // Another process created the key first: keep theirs.
  } finally {
    await unlink(tmp);
  }
}

export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const issuerUrl = options.issuerUrl.replace(/\/+$/, '');
  if (new URL(issuerUrl).pathname !== LOCAL_AUTH_PATH) {
    throw new Error(`Local issuer: issuerUrl must end with ${LOCAL_AUTH_PATH}, got ${issuerUrl}`);
  }
  if (options.audience === '') throw new Error('Local issuer: audience is empty');
  const { audience } = options;
  const jwksUrl = `${issuerUrl}/.well-known/jwks.json`;
  const key = await loadOrCreateSigningKey(options.dataDir);
  const directory = options.directory;
  /** The users who may sign in now: the enabled users of the directory, else the demo users. */
  const currentUsers = async (): Promise<readonly DemoUser[]> =>
    directory
      ? (await directory.users())
          .map((u) => u.value)
          .filter((u) => u.enabled)
          .map(asDemoUser)
      : DEMO_USERS;
  const findUser = async (username: string): Promise<DemoUser | undefined> => {
    if (!directory) return DEMO_USERS.find((u) => u.username === username);
    const u = await directory.user(username);
    return u && u.value.enabled ? asDemoUser(u.value) : undefined;
  };
  const departmentNames = async (): Promise<readonly DemoDepartment[]> => {
    if (!directory) return DEMO_DEPARTMENTS;
    const { departments } = await directory.departments();
    return departments.length > 0 ? departments.map((d) => ({ code: d.value.code, name: d.value.name })) : DEMO_DEPARTMENTS;
  };

  const jwks = (): JSONWebKeySet => ({ keys: [{ ...key.publicJwk }] });

  const mintToken = async (username: string, mint: MintOptions = {}): Promise<string> => {
    const user = await findUser(username);
    if (user === undefined) throw new NotFoundError('User', username);
    const expiresInSec = mint.expiresInSec ?? LOCAL_TOKEN_TTL_SEC;
    const iat = Math.floor((mint.now ?? new Date()).getTime() / 1000);
    const claims: Record<string, unknown> = {
      [CLAIM.groups]: [...user.roles],
      [CLAIM.tokenUse]: 'id',
      auth_time: iat,
      [CLAIM.username]: user.username,
      [CLAIM.name]: user.name,
    };
    if (user.deptCode !== undefined) claims[CLAIM.deptCode] = user.deptCode;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid })
      .setSubject(user.sub)
      .setIssuer(issuerUrl)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresInSec)
      .sign(key.privateKey);
  };

  const discovery = () => ({
    issuer: issuerUrl,
    jwks_uri: jwksUrl,
    token_endpoint: `${issuerUrl}/token`,
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ALG],
  });

  const tokenRequestSchema = z.object({ username: z.string().min(1).max(128) });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const pathname = new URL(req.url ?? '/', 'http://local').pathname;
    if (pathname !== LOCAL_AUTH_PATH && !pathname.startsWith(`${LOCAL_AUTH_PATH}/`)) return false;
    const route = pathname.slice(LOCAL_AUTH_PATH.length);
    const method = req.method ?? 'GET';
    try {
      switch (route) {
        case '/.well-known/jwks.json':
          if (method !== 'GET') return methodNotAllowed(res, 'GET');
          sendJson(res, 200, jwks(), 'public, max-age=300');
          return true;
        case '/.well-known/openid-configuration':
          if (method !== 'GET') return methodNotAllowed(res, 'GET');
          sendJson(res, 200, discovery());
          return true;
        case '/users':
          if (method !== 'GET') return methodNotAllowed(res, 'GET');
          {
            const departments = await departmentNames();
            sendJson(res, 200, { users: (await currentUsers()).map((u) => publicUser(u, departments)), departments });
          }
          return true;
        case '/token': {
          if (method !== 'POST') return methodNotAllowed(res, 'POST');
          const body = await readBody(req);
          if (body === undefined) {
            sendError(res, 413, 'VALIDATION', 'Request body too large');
            return true;
          }
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            sendError(res, 400, 'VALIDATION', 'Body must be JSON: {"username": "..."}');
            return true;
          }
          const parsed = tokenRequestSchema.safeParse(json);
          if (!parsed.success) {
            sendError(res, 400, 'VALIDATION', 'Body must be JSON: {"username": "..."}');
            return true;
          }
          const user = await findUser(parsed.data.username);
          if (user === undefined) {
            sendError(res, 404, 'NOT_FOUND', 'Unknown user');
            return true;
          }
          const token = await mintToken(user.username);
          sendJson(res, 200, { token, expiresIn: LOCAL_TOKEN_TTL_SEC, user: publicUser(user, await departmentNames()) });
          return true;
        }
        default:
          sendError(res, 404, 'NOT_FOUND', 'No such route');
          return true;
      }
    } catch (error) {
      console.error('local issuer: request failed', error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error');
      else res.end();
      return true;
    }
  };

  return { issuerUrl, audience, jwksUrl, jwks, mintToken, users: DEMO_USERS, handle };
}

/** The issuer URL for a local stack served at baseUrl, e.g. http://127.0.0.1:3000 → …/local-auth. */
export function localIssuerUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${LOCAL_AUTH_PATH}`;
}

/** The environment the handlers read to verify this issuer's tokens (shared/auth/verify.ts). */
export function issuerEnv(issuer: Pick<LocalIssuer, 'issuerUrl' | 'audience' | 'jwksUrl'>): Record<string, string> {
  return {
    [ENV.authIssuer]: issuer.issuerUrl,
    [ENV.authAudience]: issuer.audience,
    [ENV.authJwksUrl]: issuer.jwksUrl,
  };
}

/** The lines `npm start` prints: for each demo user, the curl command that gets a token. */
export function printTokenHelp(baseUrl: string): string[] {
  const tokenUrl = `${localIssuerUrl(baseUrl)}/token`;
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  const lines = ['Demo users (local issuer). Get an ID token, then send it as "Authorization: Bearer <token>":'];
  for (const user of DEMO_USERS) {
    const dept = user.deptCode === undefined ? '' : ` ${user.deptCode} ${deptName(user.deptCode) ?? ''}`.trimEnd();
    lines.push(`  ${user.username.padEnd(width)}  ${user.name} (${user.roles.join(', ')}${dept})`);
    lines.push(`    curl -s -X POST ${tokenUrl} -H 'content-type: application/json' -d '{"username":"${user.username}"}'`);
  }
  return lines;
}

function deptName(code: string, departments: readonly DemoDepartment[] = DEMO_DEPARTMENTS): string | undefined {
  return departments.find((d) => d.code === code)?.name;
}

function publicUser(user: DemoUser, departments: readonly DemoDepartment[]): PublicDemoUser {
  const view: PublicDemoUser = { username: user.username, sub: user.sub, name: user.name, roles: [...user.roles] };
  if (user.deptCode !== undefined) {
    view.deptCode = user.deptCode;
    const name = deptName(user.deptCode, departments);
    if (name !== undefined) view.deptName = name;
  }
  return view;
}

function sendJson(res: ServerResponse, status: number, body: unknown, cacheControl = 'no-store'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('allow', allow);
  sendError(res, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}`);
  return true;
}

/** The request body as text, or undefined when it exceeds {@link MAX_BODY_BYTES}. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Drain the whole body even when it is too large, so the socket stays usable for the answer.
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buf);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function writeAtomically(file: string, body: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, file);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
