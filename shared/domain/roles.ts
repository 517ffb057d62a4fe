/** Roles (DESIGN §1). In AWS they are Cognito groups; locally the built-in issuer signs the same claims. */
import { ForbiddenError } from './errors';

export const ROLES = ['clerk', 'director', 'department', 'archivist', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  clerk: '信访员',
  director: '负责人',
  department: '承办单位',
  archivist: '档案员',
  admin: '系统管理员',
};

/** Who is acting: taken from a verified token, never from the request body. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Set for department users: the department they belong to. */
  deptCode?: string;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** Throws ForbiddenError (403) unless the actor has one of the roles. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw new ForbiddenError(`Only ${roles.join(' or ')} may do this`, { roles });
}
