/**
 * The claims of a Cognito ID token and how they become an Actor (DESIGN §7). Pure: no network,
 * no key material. The signature, issuer, audience and expiry are checked before this runs
 * (shared/auth/verify.ts); this module decides what a verified token means.
 *
 * The local issuer (local/issuer.ts) signs exactly these claim names, so the same mapping runs
 * locally and in AWS.
 */
import { z } from 'zod';
import { UnauthenticatedError } from '../domain/errors';
import { ROLES, type Actor, type Role } from '../domain/roles';

/** Claim names of a Cognito user pool ID token, named once. */
export const CLAIM = {
  tokenUse: 'token_use',
  username: 'cognito:username',
  groups: 'cognito:groups',
  deptCode: 'custom:deptCode',
  name: 'name',
} as const;

/**
 * A department code becomes part of table keys and access checks, so only plain codes are
 * accepted (no separators such as `#`, no spaces). An empty value counts as absent.
 */
export const DEPT_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The claims this registry reads from a verified ID token; other claims are ignored. */
export const idTokenClaimsSchema = z.object({
  sub: z.string().min(1).max(128),
  [CLAIM.tokenUse]: z.literal('id'),
  [CLAIM.username]: z.string().min(1).max(128),
  [CLAIM.groups]: z.array(z.string().max(128)).max(100).optional(),
  [CLAIM.deptCode]: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.union([z.literal(''), z.string().regex(DEPT_CODE_PATTERN)]))
    .optional(),
  [CLAIM.name]: z.string().max(256).optional(),
});

export type IdTokenClaims = z.infer<typeof idTokenClaimsSchema>;

/**
 * Map the payload of a token whose signature and registered claims are already verified to the
 * Actor. Groups that are not roles are ignored; a token with no known role is authenticated but
 * has no rights (roles: []). Refused with UnauthenticatedError: a token that is not an ID token,
 * malformed claims, and a `department` user without a department code.
 */
export function actorFromClaims(payload: Record<string, unknown>): Actor {
  if (payload[CLAIM.tokenUse] !== 'id') {
    throw new UnauthenticatedError('Invalid token: not an ID token');
  }
  const parsed = idTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    throw new UnauthenticatedError(`Invalid token: malformed claims (${fields.join(', ')})`);
  }
  const claims = parsed.data;
  const groups = claims[CLAIM.groups] ?? [];
  const roles: Role[] = ROLES.filter((role) => groups.includes(role));
  const deptCode = claims[CLAIM.deptCode] || undefined;
  if (roles.includes('department') && deptCode === undefined) {
    throw new UnauthenticatedError('Invalid token: department user without a department code');
  }
  const username = claims[CLAIM.username];
  const name = claims[CLAIM.name]?.trim();
  const actor: Actor = {
    userId: claims.sub,
    username,
    displayName: name || username,
    roles,
  };
  if (deptCode !== undefined) actor.deptCode = deptCode;
  return actor;
}
