/**
 * The OCR engine port (docs/ocr.md): reads a scan, every page in order. One implementation runs
 * the same locally, in the `npm run ocr` command and in the AWS function (PP-OCRv4 through
 * onnxruntime-node); tests of the use case run a fake.
 */
import type { OcrReading } from '../domain/ocr';

/** The scan types an engine reads (shared/domain/filetypes.ts SCAN_CONTENT_TYPES). */
export type OcrContentType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/tiff';

export interface OcrInput {
  bytes: Uint8Array;
  contentType: OcrContentType;
}

export interface OcrEngine {
  /** Reads every page. Never throws for a bad file (its pages are `rejected`); throws only when the engine itself fails. */
  read(input: OcrInput): Promise<OcrReading>;
}
