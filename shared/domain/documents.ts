/**
 * Documents of a case (DESIGN §4): what was uploaded or generated, where it lives (a key the
 * registry chose), and whether the upload check passed.
 *
 * An upload lands at `uploads/<caseNo>/<documentId>`, the one key its presigned POST allows. The
 * upload check copies it to `verified/<caseNo>/<documentId>`, a key no upload policy covers, and
 * checks that copy; a verified document's `key` is the copy, so what downloads and the archive
 * read can never be replaced through the upload link (S3 accepts a POST policy again until it
 * expires). Anything that lands at an upload key later is refused and recorded as a rejected
 * upload.
 */
import { z } from 'zod';
import { IsoInstant, type UploadRequest } from './case';
import { LETTER_TYPES } from './letter-types';

export const DOCUMENT_KINDS = ['letter', 'attachment', 'response', 'visit-record', 'generated'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  letter: '来信扫描件',
  attachment: '材料',
  response: '承办材料',
  'visit-record': '来访登记',
  generated: '文书',
};

/**
 * - `pending`: an upload link was issued, nothing checked yet;
 * - `verified`: the file passed the check and is kept under `verified/`;
 * - `quarantined`: the file failed the check (type, size) and was moved to `quarantine/`;
 * - `rejected`: a file that may not land: the case no longer takes uploads, or the link of a
 *   document already checked was used again (a record of its own, `uploadOf` naming that
 *   document); the file was deleted;
 * - `expired`: the link expired and no file arrived (found by the daily reconciliation).
 */
export const DOCUMENT_STATUSES = ['pending', 'verified', 'quarantined', 'rejected', 'expired'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DocumentRecordSchema = z.object({
  caseNo: z.string(),
  documentId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  /** For generated letters: which letter. */
  letterKind: z.enum(LETTER_TYPES).optional(),
  /** Addressed to the petitioner (reachable through the public query). */
  toPetitioner: z.boolean().default(false),
  fileName: z.string(),
  contentType: z.string(),
  declaredSize: z.number().int(),
  key: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  size: z.number().int().optional(),
  sha256: z.string().optional(),
  /** Short content hash printed on a generated letter. */
  contentHash: z.string().optional(),
  documentNo: z.string().optional(),
  /**
   * The document-number series and the sequence number this letter took. The transaction that
   * stores the record moves the series' counter from `seq - 1` to `seq`, so a number is consumed
   * only by a letter that was issued (docs/letters.md, "Document numbers").
   */
  numbering: z.object({ series: z.string().min(1), seq: z.number().int().min(1) }).optional(),
  pages: z.number().int().optional(),
  quarantineReason: z.string().optional(),
  /** Why an upload was rejected, or why a pending one expired. */
  rejectionReason: z.string().optional(),
  /** A rejected re-upload: the document whose upload link was used again. */
  uploadOf: z.string().optional(),
  /** Until when the upload link of a pending document is valid (never re-issued beyond it). */
  uploadExpiresAt: IsoInstant.optional(),
  uploadedBy: z.string(),
  createdAt: IsoInstant,
  checkedAt: IsoInstant.optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

export type UploadKind = UploadRequest['kind'];

export { mayLandUpload, mayRequestUpload } from './upload-rules';
