/**
 * The S3 object keys of the registry. Keys are always chosen by the registry, never by a client
 * (a file name never becomes part of a key); the prefixes are in definitions.ts.
 */
import { ARCHIVE_PREFIX, S3_PREFIX } from './definitions';

/** Where uploads land (`uploads/`): files stay there only until their check. */
export const UPLOADS_PREFIX = S3_PREFIX.uploads;

/** The key of an upload: chosen by the registry, never by the client. */
export function uploadKey(caseNo: string, documentId: string): string {
  return `${S3_PREFIX.uploads}${caseNo}/${documentId}`;
}

/**
 * Where the upload check keeps a verified upload: no upload policy covers this prefix, so what
 * downloads and the archive read cannot be replaced through the upload link.
 */
export function verifiedKey(caseNo: string, documentId: string): string {
  return `${S3_PREFIX.verified}${caseNo}/${documentId}`;
}

/** The key of a letter the registry generated. */
export function generatedKey(caseNo: string, documentId: string): string {
  return `${S3_PREFIX.generated}${caseNo}/${documentId}.pdf`;
}

/** Parses an upload key back to its case and document; null for any other key. */
export function parseUploadKey(key: string): { caseNo: string; documentId: string } | null {
  if (!key.startsWith(S3_PREFIX.uploads)) return null;
  const [caseNo, documentId, ...rest] = key.slice(S3_PREFIX.uploads.length).split('/');
  if (!caseNo || !documentId || rest.length > 0) return null;
  return { caseNo, documentId };
}

/** Parses a verified copy's key back to its case and document (the OCR's object-created events); null for any other key. */
export function parseVerifiedKey(key: string): { caseNo: string; documentId: string } | null {
  if (!key.startsWith(S3_PREFIX.verified)) return null;
  const [caseNo, documentId, ...rest] = key.slice(S3_PREFIX.verified.length).split('/');
  if (!caseNo || !documentId || rest.length > 0) return null;
  return { caseNo, documentId };
}

/**
 * The body of an OCR job's message: the object-created event its verified copy would send (the
 * key URL-encoded as S3 sends it), so the \`ocr\` function reads a job sent again (the scheduled
 * re-queue, the local queue at start) exactly as S3's event.
 */
export function ocrJobMessageBody(job: { caseNo: string; documentId: string }): string {
  const key = encodeURIComponent(verifiedKey(job.caseNo, job.documentId)).replace(/%2F/g, '/');
  return JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Copy', s3: { object: { key } } }] });
}

/** The prefix of an archive package in the archive bucket: `packages/<archiveNo>/`. */
export function packagePrefix(archiveNo: string): string {
  return `${ARCHIVE_PREFIX.packages}${archiveNo}/`;
}

/** Where a frozen report's JSON lives in the documents bucket (the exports add `.xlsx` and `.pdf` beside it): reports/<scope>/<period>.json. */
export function frozenReportObjectKey(periodKey: string, scope: string = 'office'): string {
  return `${S3_PREFIX.reports}${scope}/${periodKey}.json`;
}

/** Where an export waits for its download (kept a day by the bucket's lifecycle): exports/<yyyy-mm-dd>/<id>.<ext>. */
export function exportObjectKey(day: string, id: string, ext: string): string {
  return `${S3_PREFIX.exports}${day}/${id}.${ext}`;
}
