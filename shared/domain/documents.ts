/**
 * Documents of a case (DESIGN §4): what was uploaded or generated, where it lives (a key the
 * registry chose), and whether the upload check passed.
 */
import { z } from 'zod';
import { IsoInstant } from './case';
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

export const DOCUMENT_STATUSES = ['pending', 'verified', 'quarantined'] as const;

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
  uploadedBy: z.string(),
  createdAt: IsoInstant,
  checkedAt: IsoInstant.optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;
