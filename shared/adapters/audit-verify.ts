/**
 * Verifying a case's audit chain as stored: the events are read raw (not through the schema,
 * which would drop an added field before hashing) and checked against the head on the case.
 */
import { OFFICE_AUDIT_CHAIN } from '../app/directory-ports';
import { verifyChain, type AuditEvent } from '../domain/audit';
import type { DynamoDbCaseRepository } from './dynamodb-repository';
import type { DynamoDbOfficeStore } from './office-store';

export type AuditVerification = { ok: true; count: number } | { ok: false; count: number; brokenAt?: number; reason: string };

export async function verifyCaseAudit(repo: DynamoDbCaseRepository, caseNo: string): Promise<AuditVerification> {
  const head = await repo.auditHead(caseNo);
  if (!head) return { ok: false, count: 0, reason: 'no such case' };
  const events = (await repo.listRawEvents(caseNo)) as AuditEvent[];
  const result = verifyChain(caseNo, events, { head });
  return result.ok ? result : { ok: false, count: result.count, brokenAt: result.brokenAt, reason: result.reason };
}

/** The office-level trail of admin changes (`npm run audit:verify -- office`), against its head item. */
export async function verifyOfficeAudit(store: DynamoDbOfficeStore): Promise<AuditVerification> {
  const { head, events } = await store.rawAuditChain();
  if (!head) return events.length === 0 ? { ok: true, count: 0 } : { ok: false, count: 0, reason: 'events without a head' };
  const result = verifyChain(OFFICE_AUDIT_CHAIN, events as AuditEvent[], { head });
  return result.ok ? result : { ok: false, count: result.count, brokenAt: result.brokenAt, reason: result.reason };
}
