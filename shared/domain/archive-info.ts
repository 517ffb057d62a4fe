/**
 * What an archived case carries on its record (DESIGN §6): its archive number (档号), the
 * retention class and where the package is, and the hash of the package's manifest. A leaf
 * module (zod only) so case.ts can embed it without an import cycle; the archive rules
 * themselves are in archive.ts.
 */
import { z } from 'zod';

/** 保管期限: permanent, 30 years, 10 years (信访档案管理, DA/T 22). */
export const RETENTION_CLASSES = ['permanent', '30y', '10y'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const CaseArchiveInfoSchema = z.object({
  /** 档号: fonds – year – retention code – item number, e.g. `X001-2026-D30-0007`. */
  archiveNo: z.string(),
  fonds: z.string(),
  year: z.number().int(),
  item: z.number().int().positive(),
  retention: z.enum(RETENTION_CLASSES),
  retentionReason: z.string(),
  /** The first day the package may be disposed of; absent for permanent records. */
  retentionEnds: z.string().regex(ISO_DATE).optional(),
  /** `packages/<archiveNo>/` in the archive bucket. */
  packagePrefix: z.string(),
  /** SHA-256 of manifest.json exactly as stored. */
  manifestSha256: z.string().regex(HEX_SHA256),
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
  archivedAt: z.iso.datetime(),
  archivedBy: z.string(),
});
export type CaseArchiveInfo = z.infer<typeof CaseArchiveInfoSchema>;
