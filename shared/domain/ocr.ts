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
