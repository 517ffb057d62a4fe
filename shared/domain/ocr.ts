/**
 * Machine reading of scans (机器识别, OCR): what a reading of a scanned letter is, page by page.
 * The text is never the document: it is stored beside it (never in the case item), shown as
 * 机器识别文本（未校对）, and indexed by the search. OCR never blocks registration and never
 * changes the document.
 */
import { z } from 'zod';

/**
 * What became of one page:
 * - `read`: text was found (it may still hold errors: it is not proof-read);
 * - `blank`: nothing on the page (空白页);
 * - `unreadable`: ink on the page, but nothing the engine could read with confidence (a photo,
 *   handwriting, another script) (无法识别);
 * - `rejected`: the page was not read at all, because it is too large to render safely (a page
 *   bomb) or could not be decoded (未识别).
 */
export const OCR_PAGE_STATUSES = ['read', 'blank', 'unreadable', 'rejected'] as const;
export const OcrPageStatusSchema = z.enum(OCR_PAGE_STATUSES);
export type OcrPageStatus = z.infer<typeof OcrPageStatusSchema>;

/** What staff read beside each status (the viewer, the case page). */
export const OCR_PAGE_STATUS_LABELS: Record<OcrPageStatus, string> = {
  read: '已识别',
  blank: '空白页',
  unreadable: '无法识别（照片、手写或非中文）',
  rejected: '未识别（页面过大或无法解码）',
};

export const OcrPageSchema = z.object({
  /** 1-based page number within the file. */
  page: z.number().int().min(1),
  status: OcrPageStatusSchema,
  /** The page's text, lines joined by '\n'; '' unless `status` is `read`. */
  text: z.string(),
  /** Mean recognition confidence of the kept lines (0–1); null when nothing was recognised. */
  confidence: z.number().min(0).max(1).nullable(),
  /** Why a page is `unreadable` or `rejected`, in English for the logs (the label is for staff). */
  reason: z.string().optional(),
});
export type OcrPage = z.infer<typeof OcrPageSchema>;

/** A reading of one file: every page in order (a file that could not be opened at all has one `rejected` page). */
export const OcrReadingSchema = z.object({
  /** Engine and model that produced it, e.g. `pp-ocrv4-onnx`. */
  engine: z.string().min(1),
  pages: z.array(OcrPageSchema).min(1),
});
export type OcrReading = z.infer<typeof OcrReadingSchema>;

/** The text of a reading as one string: the read pages in order, separated by blank lines. */
export function readingText(reading: OcrReading): string {
  return reading.pages
    .filter((p) => p.status === 'read' && p.text !== '')
    .map((p) => p.text)
    .join('\n\n');
}

/**
 * Where the OCR of one document stands (docs/ocr.md, "The flow"): `queued` from the moment its scan
 * was verified until a reading is stored; `done` once it is (every page with its own status);
 * `failed` when the engine failed on every attempt (the job is then in the DLQ, in AWS).
 */
export const OCR_STATUSES = ['queued', 'done', 'failed'] as const;
export const OcrStatusSchema = z.enum(OCR_STATUSES);
export type OcrStatus = z.infer<typeof OcrStatusSchema>;

/** What staff read for each status (the document viewer). */
export const OCR_STATUS_LABELS: Record<OcrStatus, string> = {
  queued: '识别中…',
  done: '已识别',
  failed: '识别失败',
};

/** Attempts of one OCR job before it is marked failed (SQS maxReceiveCount in AWS; the local queue's retries). */
export const OCR_MAX_ATTEMPTS = 3;

/** Characters kept of one page's text (a page of a letter holds 1–3 thousand; the rest is noise). */
export const OCR_MAX_PAGE_CHARS = 20_000;
/** Characters of a case's scans the search indexes (the letter's own full text is bounded at 50,000). */
export const OCR_MAX_SEARCH_CHARS = 100_000;

/** The OCR state of one document, as stored beside it and answered by the API. */
export const OcrDocumentSchema = z.object({
  caseNo: z.string(),
  documentId: z.string(),
  status: OcrStatusSchema,
  /** Attempts made so far (0 while it waits for its first). */
  attempts: z.number().int().min(0),
  queuedAt: z.string(),
  updatedAt: z.string(),
  /** The engine that produced the reading (when done). */
  engine: z.string().optional(),
  /** The last failure, in English, for staff and the logs. */
  error: z.string().optional(),
  /** The pages, in order (when done; [] otherwise). */
  pages: z.array(OcrPageSchema),
});
export type OcrDocument = z.infer<typeof OcrDocumentSchema>;

/** A reading bounded for storage: each page's text cut at OCR_MAX_PAGE_CHARS. */
export function boundReading(reading: OcrReading): OcrReading {
  return { ...reading, pages: reading.pages.map((p) => (p.text.length > OCR_MAX_PAGE_CHARS ? { ...p, text: p.text.slice(0, OCR_MAX_PAGE_CHARS) } : p)) };
}

/**
 * The text of a case's scans for the search (the field 扫描件识别文本): the readings in the order
 * given (the use case sorts them by document), separated by blank lines, bounded at OCR_MAX_SEARCH_CHARS.
 */
export function scanSearchText(readings: readonly { pages: readonly OcrPage[] }[]): string {
  const text = readings
    .map((r) => readingText({ engine: '', pages: [...r.pages] }))
    .filter((t) => t !== '')
    .join('\n\n');
  return text.length > OCR_MAX_SEARCH_CHARS ? text.slice(0, OCR_MAX_SEARCH_CHARS) : text;
}
