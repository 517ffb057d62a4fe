import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../shared/auth/verify';
import { ROLES } from '../../../shared/domain/roles';
import { DEMO_DEPARTMENTS, DEMO_USERS } from '../../../local/demo-users';
import { LOCAL_TOKEN_TTL_SEC, createLocalIssuer, loadOrCreateSigningKey, printTokenHelp } from '../../../local/issuer';
import { removeDir, startIssuer, tempDataDir, type RunningIssuer } from './harness';

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

function postToken(running: RunningIssuer, body: string) {
  return getJson(`${running.issuer.issuerUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('demo users', () => {
  it('have unique usernames and subs, known roles, and department users a known department', () => {
    const codes = new Set(DEMO_DEPARTMENTS.map((d) => d.code));

    expect(new Set(DEMO_USERS.map((u) => u.username)).size).toBe(DEMO_USERS.length);
    expect(new Set(DEMO_USERS.map((u) => u.sub)).size).toBe(DEMO_USERS.length);
    for (const user of DEMO_USERS) {
      expect(user.roles.every((r) => (ROLES as readonly string[]).includes(r))).toBe(true);
      expect(user.roles.includes('department')).toBe(user.deptCode !== undefined);
      if (user.deptCode !== undefined) expect(codes.has(user.deptCode)).toBe(true);
    }
    expect(
      DEMO_USERS.filter((u) => u.roles.includes('department'))
        .map((u) => u.deptCode)
        .sort(),
    ).toEqual([...codes].sort());
  });
});

describe('local issuer over HTTP', () => {
  let running: RunningIssuer;

  beforeAll(async () => {
    running = await startIssuer(await tempDataDir());
  });

  afterAll(async () => {
    await running.close();
    await removeDir(running.dataDir);
  });

  it('serves its public key set, without private members', async () => {
    const { status, body } = await getJson(running.issuer.jwksUrl);

    expect(status).toBe(200);
    expect(body).toEqual(running.issuer.jwks());
    const keys = (body as { keys: Record<string, unknown>[] }).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('serves a discovery document naming its issuer and JWKS', async () => {
    const { body } = await getJson(`${running.issuer.issuerUrl}/.well-known/openid-configuration`);

    expect(body).toMatchObject({ issuer: running.issuer.issuerUrl, jwks_uri: running.issuer.jwksUrl });
  });

  it('lists the demo users and departments', async () => {
    const { status, body } = await getJson(`${running.issuer.issuerUrl}/users`);

    expect(status).toBe(200);
    const { users, departments } = body as { users: Record<string, unknown>[]; departments: unknown[] };
    expect(users.map((u) => u.username)).toEqual(DEMO_USERS.map((u) => u.username));
    expect(users.find((u) => u.username === 'urban1')).toEqual({
      username: 'urban1',
      sub: '0b7e4c1a-3f2d-4a51-9c01-000000000509',
      name: '何平',
      roles: ['department'],
      deptCode: 'URBAN',
      deptName: '城市管理局',
    });
    expect(departments).toEqual(DEMO_DEPARTMENTS);
  });

  it('issues a token for a demo user that the verifier accepts', async () => {
    const { status, body, headers } = await postToken(running, '{"username":"jw1"}');

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const { token, expiresIn, user } = body as { token: string; expiresIn: number; user: unknown };
    expect(expiresIn).toBe(3600);
    expect(user).toMatchObject({ username: 'jw1', name: '林涛', deptCode: 'JW' });
    const verifier = createTokenVerifier({ issuer: running.issuer.issuerUrl, audience: running.issuer.audience, jwksUrl: running.issuer.jwksUrl });
    await expect(verifier(`Bearer ${token}`)).resolves.toEqual({
      userId: '0b7e4c1a-3f2d-4a51-9c01-000000000508',
      username: 'jw1',
      displayName: '林涛',
      roles: ['department'],
      deptCode: 'JW',
    });
  });

  it('answers 404 for an unknown user', async () => {
    const { status, body } = await postToken(running, '{"username":"nobody"}');

    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'Unknown user' } });
  });

  it('answers 400 for a body that is not JSON or has no username', async () => {
    expect((await postToken(running, '{username: clerk1')).status).toBe(400);
    expect((await postToken(running, '{"user":"clerk1"}')).status).toBe(400);
    expect((await postToken(running, '')).status).toBe(400);
  });

  it('answers 413 for an oversized body', async () => {
    expect((await postToken(running, JSON.stringify({ username: 'x'.repeat(20_000) }))).status).toBe(413);
  });

  it('answers 405 for the wrong method and 404 for an unknown route under its prefix', async () => {
    const wrongMethod = await getJson(`${running.issuer.issuerUrl}/token`);
    const unknown = await getJson(`${running.issuer.issuerUrl}/nope`);

    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-fallthrough')).toBeNull();
  });

  it('leaves paths outside its prefix to the next handler', async () => {
    for (const p of ['/cases', '/local-authx/token', '/']) {
      const res = await fetch(`${running.baseUrl}${p}`);
      await res.arrayBuffer();
      expect(res.headers.get('x-fallthrough')).toBe('1');
    }
  });
});

describe('minted tokens', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
  });

  afterAll(async () => {
    await removeDir(dataDir);
  });

  it('carry exactly the claim names of a Cognito ID token', async () => {
    const issuer = await createLocalIssuer({ dataDir, issuerUrl: 'http://127.0.0.1:3000/local-auth/', audience: 'client-123' });
    const now = new Date('2026-01-05T01:00:00Z');

    const token = await issuer.mintToken('police1', { now });

    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(
      ['aud', 'auth_time', 'cognito:groups', 'cognito:username', 'custom:deptCode', 'exp', 'iat', 'iss', 'name', 'sub', 'token_use'].sort(),
    );
    const iat = now.getTime() / 1000;
    expect(claims).toMatchObject({
      iss: 'http://127.0.0.1:3000/local-auth',
      aud: 'client-123',
      token_use: 'id',
      'cognito:username': 'police1',
      'cognito:groups': ['department'],
      'custom:deptCode': 'POLICE',
      name: '胡斌',
      iat,
      auth_time: iat,
      exp: iat + LOCAL_TOKEN_TTL_SEC,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: (await loadOrCreateSigningKey(dataDir)).kid });
    expect(Object.keys(decodeJwt(await issuer.mintToken('admin1')))).not.toContain('custom:deptCode');
  });

  it('are refused for an unknown user', async () => {
    const issuer = await createLocalIssuer({ dataDir, issuerUrl: 'http://127.0.0.1:3000/local-auth', audience: 'a' });

    await expect(issuer.mintToken('nobody')).rejects.toThrow(/not found/);
  });

  it('need an issuer URL under /local-auth', async () => {
    await expect(createLocalIssuer({ dataDir, issuerUrl: 'http://127.0.0.1:3000', audience: 'a' })).rejects.toThrow(/local-auth/);
  });
});

describe('key persistence', () => {
  it('keeps the key in <dataDir>/issuer/, readable by the owner only', async () => {
    const dataDir = await tempDataDir();
    try {
      await loadOrCreateSigningKey(dataDir);

      const info = await stat(path.join(dataDir, 'issuer', 'signing-key.jwk.json'));
      expect(info.mode & 0o077).toBe(0);
    } finally {
      await removeDir(dataDir);
    }
  });

  it('creates one key even when two processes start at once', async () => {
    const dataDir = await tempDataDir();
    try {
      const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(dataDir)));

      expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    } finally {
      await removeDir(dataDir);
    }
  });

  it('lets a second issuer on the same dataDir verify tokens of the first', async () => {
    const dataDir = await tempDataDir();
    try {
      const first = await startIssuer(dataDir);
      const token = await first.issuer.mintToken('clerk2');
      const firstIssuerUrl = first.issuer.issuerUrl;
      await first.close();

      const second = await startIssuer(dataDir);
      try {
        const verifier = createTokenVerifier({ issuer: firstIssuerUrl, audience: second.issuer.audience, jwksUrl: second.issuer.jwksUrl });

        expect(second.issuer.jwks()).toEqual(first.issuer.jwks());
        await expect(verifier(`Bearer ${token}`)).resolves.toMatchObject({ username: 'clerk2', displayName: '陈静' });
      } finally {
        await second.close();
      }
    } finally {
      await removeDir(dataDir);
    }
  });

  it('refuses a corrupt key file instead of silently replacing it', async () => {
    const dataDir = await tempDataDir();
    try {
      await mkdir(path.join(dataDir, 'issuer'), { recursive: true });
      await writeFile(path.join(dataDir, 'issuer', 'signing-key.jwk.json'), '{"kty":"oct"}');

      await expect(loadOrCreateSigningKey(dataDir)).rejects.toThrow(/not an ES256 private JWK/);
    } finally {
      await removeDir(dataDir);
    }
  });
});

describe('printTokenHelp', () => {
  it('prints a curl command for every demo user', () => {
    const lines = printTokenHelp('http://127.0.0.1:3000/');

    for (const user of DEMO_USERS) {
      expect(lines).toContain(
        `    curl -s -X POST http://127.0.0.1:3000/local-auth/token -H 'content-type: application/json' -d '{"username":"${user.username}"}'`,
      );
    }
    expect(lines.some((l) => l.includes('hrss1') && l.includes('周强') && l.includes('人力资源和社会保障局'))).toBe(true);
  });
});
