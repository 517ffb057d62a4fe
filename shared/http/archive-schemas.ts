/**
 * Request schemas of the archive's routes: archive-routes.ts attaches each to its route, the
 * handlers validate with them (400 before anything is read) and OpenAPI is generated from them.
 */
import { z } from 'zod';
import { ArchiveNoSchema, RETENTION_CLASSES } from '../domain/archive';
import { IsoDate } from '../domain/case';

const caseNo = z.string().trim().min(3).max(40);
const reason = z.string().trim().min(2, 'give a reason').max(500);

export const ArchiveRunSchema = z
  .object({
    /** Archive these closed cases now; without it, every eligible case. */
    caseNos: z.array(caseNo).min(1).max(20).optional(),
    /** The retention class an archivist chooses instead of the rules', with the reason. */
    overrides: z
      .array(z.object({ caseNo, retention: z.enum(RETENTION_CLASSES), reason }))
      .max(20)
      .optional(),
  })
  .strict();

export const ArchiveNoParam = z.object({ archiveNo: ArchiveNoSchema });

export const ArchiveSearchQuerySchema = z.object({
  archiveNo: ArchiveNoSchema.optional(),
  year: z.coerce.number().int().min(1900).max(9999).optional(),
  caseNo: caseNo.optional(),
  petitionerName: z.string().max(50).optional(),
  petitionerIdNumber: z.string().max(30).optional(),
  petitionerPhone: z.string().max(30).optional(),
  category: z.string().max(40).optional(),
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
  retention: z.enum(RETENTION_CLASSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

export const ArchivePageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

/** At most this many packages in one 立即检查. */
export const FIXITY_CHECK_MAX_REFS = 10;

export const ArchiveFixityQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z.string().max(2000).optional(),
});

/** 立即检查: the archive or case numbers to re-hash now (a few: the check runs within the request). */
export const ArchiveFixityCheckSchema = z.object({
  refs: z.array(z.string().trim().min(1).max(40)).min(1).max(FIXITY_CHECK_MAX_REFS),
});

export const ArchiveDisposalQuerySchema = ArchivePageQuerySchema.extend({ onOrBefore: IsoDate.optional() });

export const ArchiveDownloadSchema = z.object({
  /** A file of the package as its manifest names it: `originals/001-….pdf`, `metadata.json`, `registration.pdf`, `manifest.json`. */
  path: z.string().min(1).max(200),
  /** Why the file is retrieved (查阅目的): required, recorded in the audit trail. */
  purpose: reason,
});

export const ArchiveLendSchema = z.object({
  username: z.string().trim().min(1).max(128),
  days: z.number().int().min(1).max(365),
  purpose: reason,
});

export const ArchiveProposeDisposalSchema = z.object({ reason });
export const ArchiveApproveDisposalSchema = z.object({ comment: z.string().trim().max(500).optional() });
