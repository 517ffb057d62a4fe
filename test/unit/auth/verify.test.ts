import { generateKeyPair, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthUnavailableError, createTokenVerifier, verifierFromEnv, type TokenVerifier } from '../../../shared/auth/verify';
import { UnauthenticatedError } from '../../../shared/domain/errors';
import { createLocalIssuer, issuerEnv, localIssuerUrl, loadOrCreateSigningKey } from '../../../local/issuer';
import { deadBaseUrl, idClaims, removeDir, signWith, signWithIssuerKey, startIssuer, tempDataDir, type RunningIssuer } from './harness';

/** Verify and expect a 401 whose message gives the reason and never echoes the token. */
async function refused(verifier: TokenVerifier, header: string | undefined, reason: RegExp): Promise<void> {
  const error: unknown = await verifier(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  const message = (error as Error).message;
  expect(message).toMatch(reason);
  const token = header?.split(' ').pop() ?? '';
  if (token.length > 8) expect(message).not.toContain(token);
}

describe('createTokenVerifier against the local issuer', () => {
  let running: RunningIssuer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    running = await startIssuer(await tempDataDir());
    verifier = createTokenVerifier({
      issuer: running.issuer.issuerUrl,
      audience: running.issuer.audience,
      jwksUrl: running.issuer.jwksUrl,
    });
  });

  afterAll(async () => {
    await running.close();
    await removeDir(running.dataDir);
  });

  describe('accepts', () => {
    it('maps a clerk token to the clerk Actor', async () => {
      const token = await running.issuer.mintToken('clerk1');

      const actor = await verifier(`Bearer ${token}`);

      expect(actor).toEqual({
        userId: '0b7e4c1a-3f2d-4a51-9c01-000000000101',
        username: 'clerk1',
        displayName: '王芳',
        roles: ['clerk'],
      });
    });

    it('maps a department token to an Actor with its deptCode', async () => {
      const token = await running.issuer.mintToken('hrss1');

      const actor = await verifier.verify(`Bearer ${token}`);

      expect(actor).toEqual({
        userId: '0b7e4c1a-3f2d-4a51-9c01-000000000501',
        username: 'hrss1',
        displayName: '周强',
        roles: ['department'],
        deptCode: 'HRSS',
      });
    });

    it('accepts the scheme in any case and surrounding whitespace', async () => {
      const token = await running.issuer.mintToken('director1');

      const actor = await verifier(`  bearer   ${token} `);

      expect(actor.roles).toEqual(['director']);
    });

    it('ignores groups that are not roles; a token with no known role has no roles', async () => {
      const token = await signWithIssuerKey(running.dataDir, idClaims(running, { 'cognito:groups': ['us-east-1_pool_Google', 'superuser'] }));

      const actor = await verifier(`Bearer ${token}`);

      expect(actor.roles).toEqual([]);
      expect(actor.username).toBe('someone');
    });

    it('accepts a token without cognito:groups as authenticated with no roles', async () => {
      const claims = idClaims(running);
      delete claims['cognito:groups'];
      const token = await signWithIssuerKey(running.dataDir, claims);

      expect((await verifier(`Bearer ${token}`)).roles).toEqual([]);
    });
  });

  describe('refuses', () => {
    it('a missing header', async () => {
      await refused(verifier, undefined, /missing bearer token/i);
      await refused(verifier, '', /missing bearer token/i);
      await refused(verifier, '   ', /missing bearer token/i);
    });

    it('a header that is not Bearer', async () => {
      const token = await running.issuer.mintToken('clerk1');
      await refused(verifier, 'Basic Y2xlcmsxOnNlY3JldA==', /not a Bearer token/);
      await refused(verifier, token, /not a Bearer token/);
      await refused(verifier, `Bearer ${token} extra`, /not a Bearer token/);
    });

    it('garbage', async () => {
      await refused(verifier, 'Bearer garbage', /malformed/);
      await refused(verifier, 'Bearer aaaa.bbbb.cccc', /malformed/);
      await refused(verifier, `Bearer ${'a'.repeat(20_000)}`, /malformed/);
    });

    it('an unsigned token (alg none)', async () => {
      const token = new UnsecuredJWT(idClaims(running)).encode();
      await refused(verifier, `Bearer ${token}`, /malformed/);
    });

    it('a token signed by another key with the same kid (forged)', async () => {
      const { kid } = await loadOrCreateSigningKey(running.dataDir);
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await signWith(privateKey, idClaims(running, { 'cognito:groups': ['admin'] }), { alg: 'ES256', kid });

      await refused(verifier, `Bearer ${forged}`, /bad signature/);
    });

    it('a token signed by a key the issuer does not publish', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await signWith(privateKey, idClaims(running), { alg: 'RS256', kid: 'not-a-published-kid' });

      await refused(verifier, `Bearer ${token}`, /unknown signing key/);
    });

    it('a symmetric (HS256) token, whatever its kid', async () => {
      const { kid } = await loadOrCreateSigningKey(running.dataDir);
      const token = await signWith(new TextEncoder().encode('x'.repeat(32)), idClaims(running), { alg: 'HS256', kid });

      await refused(verifier, `Bearer ${token}`, /algorithm not allowed/);
    });

    it('an expired token', async () => {
      const token = await running.issuer.mintToken('clerk1', { now: new Date(Date.now() - 2 * 3600_000) });

      await refused(verifier, `Bearer ${token}`, /expired/);
    });

    it('a token past its expiry on the verifier clock, but within the tolerance', async () => {
      const now = new Date('2026-03-02T08:00:00Z');
      const token = await running.issuer.mintToken('clerk1', { now, expiresInSec: 60 });
      const at = (ms: number) => createTokenVerifier({ ...issuerEnvOptions(running), clockToleranceSec: 5, now: () => new Date(now.getTime() + ms) });

      await expect(at(63_000)(`Bearer ${token}`)).resolves.toMatchObject({ username: 'clerk1' });
      await refused(at(66_000), `Bearer ${token}`, /expired/);
    });

    it('a token of another issuer signed with the right key', async () => {
      const other = await createLocalIssuer({
        dataDir: running.dataDir,
        issuerUrl: localIssuerUrl('http://127.0.0.1:1'),
        audience: running.issuer.audience,
      });
      const token = await other.mintToken('clerk1');

      await refused(verifier, `Bearer ${token}`, /wrong issuer/);
    });

    it('a token for another audience', async () => {
      const other = await createLocalIssuer({ dataDir: running.dataDir, issuerUrl: running.issuer.issuerUrl, audience: 'another-app-client' });
      const token = await other.mintToken('clerk1');

      await refused(verifier, `Bearer ${token}`, /wrong audience/);
    });

    it('an access token', async () => {
      const withAud = await signWithIssuerKey(running.dataDir, idClaims(running, { token_use: 'access' }));
      // Cognito's real access token has client_id instead of aud.
      const claims = idClaims(running, { token_use: 'access', client_id: running.issuer.audience, scope: 'aws.cognito.signin.user.admin' });
      delete claims.aud;
      const cognitoShaped = await signWithIssuerKey(running.dataDir, claims);

      await refused(verifier, `Bearer ${withAud}`, /not an ID token/);
      await refused(verifier, `Bearer ${cognitoShaped}`, /audience|aud/);
    });

    it('a department user without deptCode', async () => {
      const noDept = await signWithIssuerKey(running.dataDir, idClaims(running, { 'cognito:groups': ['department'] }));
      const emptyDept = await signWithIssuerKey(running.dataDir, idClaims(running, { 'cognito:groups': ['department'], 'custom:deptCode': '' }));

      await refused(verifier, `Bearer ${noDept}`, /department user without a department code/);
      await refused(verifier, `Bearer ${emptyDept}`, /department user without a department code/);
    });

    it('a token without exp', async () => {
      const claims = idClaims(running);
      delete claims.exp;
      const token = await signWithIssuerKey(running.dataDir, claims);

      await refused(verifier, `Bearer ${token}`, /missing claim exp/);
    });

    it('malformed claims', async () => {
      const token = await signWithIssuerKey(running.dataDir, idClaims(running, { 'cognito:groups': 'clerk', 'custom:deptCode': 'HRSS#1' }));

      await refused(verifier, `Bearer ${token}`, /malformed claims \(cognito:groups, custom:deptCode\)/);
    });
  });
});

function issuerEnvOptions(running: RunningIssuer) {
  return { issuer: running.issuer.issuerUrl, audience: running.issuer.audience, jwksUrl: running.issuer.jwksUrl };
}

describe('the key set', () => {
  it('is fetched once per process for all verifiers of one JWKS URL', async () => {
    const running = await startIssuer(await tempDataDir());
    try {
      const first = createTokenVerifier(issuerEnvOptions(running));
      const second = createTokenVerifier(issuerEnvOptions(running));
      const clerk = `Bearer ${await running.issuer.mintToken('clerk1')}`;
      const dept = `Bearer ${await running.issuer.mintToken('eco1')}`;

      await Promise.all([first(clerk), second(dept)]);
      await first(dept);
      await second(clerk);

      expect(running.jwksHits()).toBe(1);
    } finally {
      await running.close();
      await removeDir(running.dataDir);
    }
  });

  it('that cannot be fetched is an infrastructure failure, not a 401', async () => {
    const dataDir = await tempDataDir();
    try {
      const offline = await createLocalIssuer({ dataDir, issuerUrl: localIssuerUrl(await deadBaseUrl()), audience: 'a' });
      const verifier = createTokenVerifier({ issuer: offline.issuerUrl, audience: 'a', jwksUrl: offline.jwksUrl });
      const token = await offline.mintToken('clerk1');

      const error: unknown = await verifier(`Bearer ${token}`).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AuthUnavailableError);
      expect(error).not.toBeInstanceOf(UnauthenticatedError);
    } finally {
      await removeDir(dataDir);
    }
  });
});

describe('verifierFromEnv', () => {
  it('fails fast when a variable is missing', () => {
    expect(() => verifierFromEnv({ AUTH_ISSUER: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool', AUTH_AUDIENCE: 'client' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('verifies tokens of the issuer named by AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL', async () => {
    const running = await startIssuer(await tempDataDir());
    try {
      const verifier = verifierFromEnv(issuerEnv(running.issuer));

      const actor = await verifier(`Bearer ${await running.issuer.mintToken('archivist1')}`);

      expect(actor).toMatchObject({ username: 'archivist1', displayName: '赵敏', roles: ['archivist'] });
    } finally {
      await running.close();
      await removeDir(running.dataDir);
    }
  });

  it('refuses a plain-http JWKS URL off the loopback interface', () => {
    expect(() => createTokenVerifier({ issuer: 'https://issuer.example', audience: 'a', jwksUrl: 'http://issuer.example/.well-known/jwks.json' })).toThrow(
      /https/,
    );
  });
});
