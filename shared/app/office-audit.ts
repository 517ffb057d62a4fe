/**
 * Verifying the office-level audit trail (the admin's changes and the exports, chain
 * {@link OFFICE_AUDIT_CHAIN}) as stored: the one check behind 立即校验 on 操作记录
 * (POST /admin/audit/verifications) and `npm run audit:verify -- office`. The head is read first,
 * then the events page by page (one Query each on the trail's partition, oldest first), each page
 * checked and let go, so a long trail is never held whole. Events written meanwhile come after
 * the head read and are checked as far as they were read.
 */
import { CHAIN_BREAKS, ChainVerifier, type AuditEvent } from '../domain/audit';
import { OFFICE_AUDIT_CHAIN, type OfficeStore } from './directory-ports';

/**
 * Why the chain is broken: a {@link CHAIN_BREAKS} reason at the event named, or `head-missing`:
 * events but no head item vouching for the last of them (whether events after the one named
 * were deleted cannot be told).
 */
export const OFFICE_AUDIT_BREAKS = [...CHAIN_BREAKS, 'head-missing'] as const;
export type OfficeAuditBreak = (typeof OFFICE_AUDIT_BREAKS)[number];

export interface OfficeAuditVerification {
  ok: boolean;
  /** The events found intact: all of them when `ok`, else those before the break. */
  entries: number;
  /** When the check started (ISO instant). */
  checkedAt: string;
  /** The first event where the chain breaks (`seq`), and why. */
  firstBroken?: { seq: number; reason: OfficeAuditBreak };
}

/** Events per Query page (DynamoDB also ends a page at 1 MB). */
export const OFFICE_AUDIT_PAGE = 250;

export async function verifyOfficeTrail(
  store: Pick<OfficeStore, 'auditHead' | 'rawAuditEvents'>,
  checkedAt: string,
  pageSize = OFFICE_AUDIT_PAGE,
): Promise<OfficeAuditVerification> {
  const head = await store.auditHead();
  const verifier = new ChainVerifier(OFFICE_AUDIT_CHAIN, head);
  let cursor: string | undefined;
  do {
    const page = await store.rawAuditEvents({ ...(cursor ? { cursor } : {}), limit: pageSize });
    // Raw items: the verifier reports whatever does not have an event's shape as a break.
    if (!verifier.add(page.events as AuditEvent[])) break;
    cursor = page.cursor;
  } while (cursor);
  const result = verifier.result();
  if (!result.ok) return { ok: false, entries: result.count, checkedAt, firstBroken: { seq: result.brokenAt, reason: result.reason } };
  if (!head && result.count > 0) return { ok: false, entries: result.count, checkedAt, firstBroken: { seq: result.count, reason: 'head-missing' } };
  return { ok: true, entries: result.count, checkedAt };
}
