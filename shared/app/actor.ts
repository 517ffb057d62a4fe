/** Who acted, as the audit trail records it: one mapping for every use case. */
import type { AuditActor } from '../domain/audit';
import type { Actor } from '../domain/roles';

export function auditActor(actor: Actor): AuditActor {
  return { userId: actor.userId, username: actor.username, roles: actor.roles, ...(actor.deptCode ? { deptCode: actor.deptCode } : {}) };
}
