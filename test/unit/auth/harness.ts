/**
 * Test harness: a real local issuer on an ephemeral 127.0.0.1 port with a temporary dataDir,
 * served by node:http exactly as the local gateway mounts it (issuer.handle first, anything
 * else falls through).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, type CryptoKey, type JWTHeaderParameters } from 'jose';
import { LOCAL_AUDIENCE, createLocalIssuer, localIssuerUrl, loadOrCreateSigningKey, type LocalIssuer } from '../../../local/issuer';

export interface RunningIssuer {
  issuer: LocalIssuer;
  baseUrl: string;
  dataDir: string;
  /** How many times the JWKS was fetched from this server. */
  jwksHits(): number;
  close(): Promise<void>;
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'xf-auth-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Listen on an ephemeral port; the handler is attached once the issuer URL is known. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function startIssuer(dataDir: string, audience = LOCAL_AUDIENCE): Promise<RunningIssuer> {
  // The issuer URL names the port, so the issuer is created after listening and attached here.
  const attached: { issuer?: LocalIssuer } = {};
  let hits = 0;
  const server = createServer((req, res) => {
    const { issuer } = attached;
    if (issuer === undefined) {
      res.writeHead(503).end();
      return;
    }
    if (req.url?.endsWith('/.well-known/jwks.json')) hits += 1;
    void issuer.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { 'x-fallthrough': '1' }).end();
    });
  });
  const baseUrl = await listen(server);
  const issuer = await createLocalIssuer({ dataDir, issuerUrl: localIssuerUrl(baseUrl), audience });
  attached.issuer = issuer;
  return {
    issuer,
    baseUrl,
    dataDir,
    jwksHits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens. */
export async function deadBaseUrl(): Promise<string> {
  const server = createServer();
  const baseUrl = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return baseUrl;
}

/** Sign arbitrary claims with the issuer's own key from dataDir (tokens the issuer would never mint). */
export async function signWithIssuerKey(dataDir: string, claims: Record<string, unknown>, header: Partial<JWTHeaderParameters> = {}): Promise<string> {
  const key = await loadOrCreateSigningKey(dataDir);
  return signWith(key.privateKey, claims, { alg: 'ES256', kid: key.kid, ...header });
}

export async function signWith(key: CryptoKey | Uint8Array, claims: Record<string, unknown>, header: JWTHeaderParameters): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** Cognito-shaped ID token claims for the running issuer, valid for an hour from now. */
export function idClaims(running: RunningIssuer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '11111111-2222-4333-8444-555555555555',
    iss: running.issuer.issuerUrl,
    aud: running.issuer.audience,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    'cognito:username': 'someone',
    'cognito:groups': ['clerk'],
    name: '某人',
    ...overrides,
  };
}
