/**
 * Verifying a case's audit chain as stored: the events are read raw (not through the schema,
 * which would drop an added field before hashing) and checked against the head on the case.
 * The office-level trail is verified by shared/app/office-audit.ts.
 */
import { verifyChain, type AuditEvent } from '../domain/audit';
import type { DynamoDbCaseRepository } from './dynamodb-repository';

export type AuditVerification = { ok: true; count: number } | { ok: false; count: number; brokenAt?: number; reason: string };

export async function verifyCaseAudit(repo: DynamoDbCaseRepository, caseNo: string): Promise<AuditVerification> {
  const head = await repo.auditHead(caseNo);
  if (!head) return { ok: false, count: 0, reason: 'no such case' };
  const events = (await repo.listRawEvents(caseNo)) as AuditEvent[];
  const result = verifyChain(caseNo, events, { head });
  return result.ok ? result : { ok: false, count: result.count, brokenAt: result.brokenAt, reason: result.reason };
}
