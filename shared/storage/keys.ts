/**
 * Key design of the single table (DESIGN §9). Every item of a case lives in the case's
 * partition (`CASE#<caseNo>`), so a case, its audit trail, clocks and documents are one
 * collection; the sparse indexes of definitions.ts give every other access pattern a Query.
 *
 *   item                pk                  sk                     index keys
 *   case                CASE#<no>           #CASE                  byStatus, byReceived, byCategory, byDepartment (open work)
 *   audit event         CASE#<no>           AUDIT#<seq:08>         —
 *   clock               CASE#<no>           CLOCK#<kind>           byDue (running clocks only)
 *   document            CASE#<no>           DOC#<id>               —
 *   petitioner identity CASE#<no>           PID#<key>              byPetitioner
 *   department history  CASE#<no>           DEPT#<code>            byDepartment (all cases ever assigned)
 *   case-number counter COUNTER#<p>#<year>  #COUNTER               —
 *   idempotency record  IDEMP#<key>         #IDEMP                 — (TTL)
 */
import { createHash } from 'node:crypto';
import { DUE_SHARDS } from './definitions';

export const key = {
  case: (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: '#CASE' }),
  audit: (caseNo: string, seq: number) => ({ pk: `CASE#${caseNo}`, sk: `AUDIT#${String(seq).padStart(8, '0')}` }),
  clock: (caseNo: string, kind: string) => ({ pk: `CASE#${caseNo}`, sk: `CLOCK#${kind}` }),
  document: (caseNo: string, documentId: string) => ({ pk: `CASE#${caseNo}`, sk: `DOC#${documentId}` }),
  petitioner: (caseNo: string, identity: string) => ({ pk: `CASE#${caseNo}`, sk: `PID#${identity}` }),
  departmentHistory: (caseNo: string, deptCode: string) => ({ pk: `CASE#${caseNo}`, sk: `DEPT#${deptCode}` }),
  counter: (prefix: string, year: number) => ({ pk: `COUNTER#${prefix}#${year}`, sk: '#COUNTER' }),
  idempotency: (idempotencyKey: string) => ({ pk: `IDEMP#${idempotencyKey}`, sk: '#IDEMP' }),
};

export const SK_PREFIX = { audit: 'AUDIT#', clock: 'CLOCK#', document: 'DOC#', petitioner: 'PID#', department: 'DEPT#' } as const;

/** Index partition values. */
export const ipk = {
  status: (status: string) => `STATUS#${status}`,
  received: (month: string) => `RCV#${month}`,
  category: (category: string, year: number | string) => `CAT#${category}#${year}`,
  departmentOpen: (deptCode: string) => `DEPT#${deptCode}#OPEN`,
  departmentAll: (deptCode: string) => `DEPT#${deptCode}#ALL`,
  petitioner: (identity: string) => `PID#${identity}`,
  due: (shard: number) => `DUE#${shard}`,
};

/** The byDue shard of a case: stable, spreads clocks over DUE_SHARDS partitions. */
export function dueShard(caseNo: string): number {
  return createHash('sha256').update(caseNo).digest().readUInt16BE(0) % DUE_SHARDS;
}

export const ALL_DUE_SHARDS = Array.from({ length: DUE_SHARDS }, (_, i) => i);
