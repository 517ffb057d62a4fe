/** Identity (DESIGN §7): verified ID token → Actor. See verify.ts and claims.ts. */
export { CLAIM, DEPT_CODE_PATTERN, actorFromClaims, idTokenClaimsSchema, type IdTokenClaims } from './claims';
export {
  ALLOWED_ALGORITHMS,
  AuthUnavailableError,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  bearerToken,
  createTokenVerifier,
  verifierFromEnv,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifyAuthorization,
} from './verify';
