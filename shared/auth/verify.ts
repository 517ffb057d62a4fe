/**
 * Token verification (DESIGN §7): the Authorization header → a verified Actor.
 *
 * One code path for AWS (Cognito user pool ID tokens) and local (the built-in issuer of
 * local/issuer.ts, which signs the same claims). There is no bypass switch and no "trust a
 * header" mode: every authenticated request carries a signed token checked here.
 *
 * Failures of the token (missing, not Bearer, malformed, bad signature, unknown key, expired,
 * wrong issuer or audience, not an ID token, bad claims) are UnauthenticatedError (401) with a
 * short reason; the token itself is never echoed. When the signing keys cannot be fetched at all
 * (issuer down, JWKS URL wrong) that is not the caller's fault: it is an AuthUnavailableError,
 * which the HTTP error mapping turns into a 5xx so it shows up in alarms instead of as a flood of
 * 401s.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { need, readConfig, type Config } from '../config/env';
import { UnauthenticatedError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import { actorFromClaims } from './claims';

/** Asymmetric algorithms only: Cognito signs with RS256, the local issuer with ES256. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'] as const;

/** Default leeway for exp/nbf, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;

/** Longest Authorization header considered; Cognito ID tokens are a few KB. */
const MAX_HEADER_LENGTH = 16 * 1024;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface TokenVerifierOptions {
  /** Expected `iss`: https://cognito-idp.<region>.amazonaws.com/<poolId>, or the local issuer URL. */
  issuer: string;
  /** Expected `aud`: the app client id. */
  audience: string;
  /** JWKS of the issuer: `${issuer}/.well-known/jwks.json`. */
  jwksUrl: string;
  /** Leeway for exp/nbf, in seconds; default {@link DEFAULT_CLOCK_TOLERANCE_SEC}. */
  clockToleranceSec?: number;
  /** The clock, for tests; default the system clock. */
  now?: () => Date;
}

export type VerifyAuthorization = (authorizationHeader: string | undefined) => Promise<Actor>;

/**
 * A verifier is the verify function itself, also reachable as `.verify`, so both
 * `verifier(header)` and `verifier.verify(header)` read naturally at the call site.
 */
export type TokenVerifier = VerifyAuthorization & { readonly verify: VerifyAuthorization };

/** The signing keys could not be obtained; an infrastructure failure, not a bad token. */
export class AuthUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthUnavailableError';
  }
}

/**
 * One remote key set per JWKS URL per process: jose caches the keys inside it and refetches only
 * for an unknown `kid` (after a cooldown), so every verifier built for the same issuer in this
 * process shares the keys fetched once at the first request.
 */
const keySets = new Map<string, JWTVerifyGetKey>();

function remoteKeySet(jwksUrl: URL): JWTVerifyGetKey {
  const key = jwksUrl.href;
  let keySet = keySets.get(key);
  if (keySet === undefined) {
    keySet = createRemoteJWKSet(jwksUrl, { timeoutDuration: 5_000 });
    keySets.set(key, keySet);
  }
  return keySet;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new Error(`Token verifier: ${name} is not a URL`, { cause });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(`Token verifier: ${name} must be https (plain http only on the loopback interface)`);
  }
  return url;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  parseUrl('issuer', options.issuer);
  const keySet = remoteKeySet(parseUrl('jwksUrl', options.jwksUrl));
  if (options.audience === '') throw new Error('Token verifier: audience is empty');
  const clockTolerance = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;

  const verify: VerifyAuthorization = async (authorizationHeader) => {
    const token = bearerToken(authorizationHeader);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance,
        requiredClaims: ['sub', 'exp', 'iat'],
        ...(options.now ? { currentDate: options.now() } : {}),
      }));
    } catch (error) {
      throw translate(error);
    }
    return actorFromClaims(payload);
  };
  return Object.assign(verify, { verify });
}

/** The verifier configured by AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL; fails fast if one is missing. */
export function verifierFromConfig(config: Config): TokenVerifier {
  return createTokenVerifier({ issuer: need(config, 'authIssuer'), audience: need(config, 'authAudience'), jwksUrl: need(config, 'authJwksUrl') });
}

/** The same, read from an environment (tests, scripts). */
export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  return verifierFromConfig(readConfig(env));
}

/** The compact JWS of a `Bearer` Authorization header, or UnauthenticatedError. */
export function bearerToken(authorizationHeader: string | undefined): string {
  const header = authorizationHeader?.trim();
  if (!header) throw new UnauthenticatedError('Missing bearer token');
  if (header.length > MAX_HEADER_LENGTH) throw new UnauthenticatedError('Invalid token: malformed');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('Authorization header is not a Bearer token');
  const token = match[1] ?? '';
  if (!COMPACT_JWS.test(token)) throw new UnauthenticatedError('Invalid token: malformed');
  return token;
}

function joseCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_')) {
    return error.code;
  }
  return undefined;
}

/** A jose failure → UnauthenticatedError with a short reason, or AuthUnavailableError. */
function translate(error: unknown): Error {
  const code = joseCode(error);
  const unauthenticated = (reason: string) => new UnauthenticatedError(`Invalid token: ${reason}`, { cause: error });
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return unauthenticated('expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: unknown }).claim;
      const reason = (error as { reason?: unknown }).reason;
      if (claim === 'iss') return unauthenticated('wrong issuer');
      if (claim === 'aud') return unauthenticated('wrong audience');
      if (claim === 'nbf') return unauthenticated('not yet valid');
      if (reason === 'missing' && typeof claim === 'string') return unauthenticated(`missing claim ${claim}`);
      return unauthenticated('invalid claims');
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return unauthenticated('bad signature');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return unauthenticated('unknown signing key');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return unauthenticated('signing algorithm not allowed');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return unauthenticated('malformed');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
    case 'ERR_JOSE_GENERIC':
    case undefined:
      // Fetching or reading the key set failed (timeout, connection refused, non-200, bad JSON).
      return new AuthUnavailableError('Signing keys of the token issuer are unavailable', { cause: error });
    default:
      return unauthenticated('rejected');
  }
}
