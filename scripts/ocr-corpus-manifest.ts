/**
 * The manifest of the OCR test set (test/fixtures/ocr/manifest.json): what each file is made of,
 * page by page (typeface, resolution and the degradations applied). Written by
 * `npm run ocr:corpus` (scripts/ocr-corpus.ts), read by `npm run ocr:compare` (per-condition
 * error rates) and by the unit test that checks the set is well-formed.
 */
import { z } from 'zod';

export const OCR_CORPUS_DIR = 'test/fixtures/ocr';
export const OCR_CORPUS_MANIFEST = `${OCR_CORPUS_DIR}/manifest.json`;

/** Printed typefaces: 宋体 (Noto Serif SC), 黑体 (WenQuanYi Zen Hei), 楷体 (AR PL UKai). */
export const OCR_TYPEFACES = ['song', 'hei', 'kai'] as const;

/**
 * What was done to a page after printing it:
 * - `clean`: nothing (a good flatbed scan);
 * - `skew`: rotated 1–4° (fed crooked);
 * - `speckle`: salt-and-pepper dots and specks (dust, a dirty glass);
 * - `blur`: out of focus / a copy of a copy;
 * - `photocopy`: low contrast, grey toner, a dark edge shadow;
 * - `jpeg`: saved at a low JPEG quality (block artefacts);
 * - `grey-background`: grey, uneven recycled paper;
 * - `bilevel`: black-and-white (1-bit) scanner mode;
 * - `small-type`: printed at 10.5 pt (五号) or smaller.
 */
export const OCR_CONDITIONS = ['clean', 'skew', 'speckle', 'blur', 'photocopy', 'jpeg', 'grey-background', 'bilevel', 'small-type'] as const;

export const OcrCorpusPageSchema = z.object({
  typeface: z.enum(OCR_TYPEFACES),
  conditions: z.array(z.enum(OCR_CONDITIONS)).min(1),
  /** Scan resolution (dots per inch) of the page image. */
  dpi: z.number().int().min(72).max(600),
  /** Skew applied, degrees (counter-clockwise positive); 0 when none. */
  skewDegrees: z.number(),
});
export type OcrCorpusPage = z.infer<typeof OcrCorpusPageSchema>;

export const OcrCorpusFileSchema = z.object({
  /** File name inside test/fixtures/ocr, e.g. `song-clean.png`; its truth is `<name>.gt.txt`. */
  file: z.string().regex(/^[a-z0-9-]+\.(png|jpg|pdf|tif)$/),
  /** What the file exercises, one line in English (docs/ocr.md lists them). */
  description: z.string().min(1),
  pages: z.array(OcrCorpusPageSchema).min(1),
});
export type OcrCorpusFile = z.infer<typeof OcrCorpusFileSchema>;

export const OcrCorpusManifestSchema = z.object({
  generator: z.string(),
  files: z.array(OcrCorpusFileSchema).min(1),
});
export type OcrCorpusManifest = z.infer<typeof OcrCorpusManifestSchema>;

/** The truth file beside a scan: `song-clean.png` → `song-clean.gt.txt`. */
export function truthFileName(file: string): string {
  return file.replace(/\.[a-z]+$/, '.gt.txt');
}

export { PAGE_SEPARATOR } from '../shared/domain/ocr-quality';

export function truthPages(truth: string): string[] {
  return truth.split(/\n?\f\n?/);
}
