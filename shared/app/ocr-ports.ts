/**
 * The OCR engine port (docs/ocr.md): reads a scan, every page in order. One implementation runs
 * the same locally, in the `npm run ocr` command and in the AWS function (PP-OCRv4 through
 * onnxruntime-node); tests of the use case run a fake.
 */
import type { OcrDocument, OcrPage, OcrReading } from '../domain/ocr';

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

/** One OCR job: a verified scan of a case (the queue's message body). */
export interface OcrJob {
  caseNo: string;
  documentId: string;
}

/** A job not finished (its `OCRQ#<shard>` marker) and when it was last sent to the queue. */
export interface QueuedOcrJob extends OcrJob {
  /** When the document was queued, or when the scheduled re-queue last sent its job again (ISO). */
  sentAt: string;
}

/**
 * Where OCR jobs wait: SQS in AWS (with its DLQ; shared/adapters/sqs-ocr-queue.ts), an in-process
 * queue locally (local/ocr-queue.ts). At least once. A job sent is the message the verified copy's
 * object-created event would be, so the `ocr` function reads both alike.
 */
export interface OcrQueue {
  send(job: OcrJob): Promise<void>;
}

/** The bytes of a stored object (the verified copy of a scan), or null when there is none. */
export interface OcrFiles {
  get(key: string): Promise<Uint8Array | null>;
}

/**
 * The readings beside the documents (shared/storage/ocr-keys.ts): a status item per document and
 * an item per page, in the case's partition. Every write is idempotent: a job run twice writes
 * the same items.
 */
export interface OcrStore {
  /** Marks the document queued unless it already has a status; answers the status now stored. */
  markQueued(caseNo: string, documentId: string, at: string): Promise<OcrDocument>;
  /**
   * An attempt that failed: `failed` true marks the document failed (the last attempt), else it
   * stays queued with the error and the attempt counted. Never overwrites a `done` reading.
   */
  recordFailure(caseNo: string, documentId: string, input: { attempts: number; error: string; failed: boolean; at: string }): Promise<void>;
  /** Stores the pages, then the status `done` (the pages first: a crash between leaves it queued, and the retry writes the same). */
  saveReading(caseNo: string, documentId: string, reading: OcrReading, input: { attempts: number; at: string }): Promise<void>;
  /** The OCR state of a document with its pages (one Query), or null when it was never queued. */
  get(caseNo: string, documentId: string): Promise<OcrDocument | null>;
  /**
   * Documents still queued (their job not finished: waiting, running, or failed but for its last
   * attempt), up to `limit`, with when each was last sent. Queries of the markers, no Scan.
   */
  queuedJobs(limit?: number): Promise<QueuedOcrJob[]>;
  /**
   * The job was sent to the queue again at `at`: its marker's `sentAt` moves there, so the next
   * re-queue waits a full grace period for it. Only while the marker exists (a job finished
   * meanwhile is not marked again); answers whether it did.
   */
  markSent(caseNo: string, documentId: string, at: string): Promise<boolean>;
  /**
   * Forgets a job that has nothing to read (its document is no longer a verified scan, e.g.
   * quarantined after the check): its status and its marker go, so the re-queue stops sending it
   * and the viewer shows no 识别中…; a reading already done stays. Idempotent.
   */
  discard(caseNo: string, documentId: string): Promise<void>;
  /** Every document of the case whose OCR is done, with its pages, by document id (one Query, paged). */
  readingsOf(caseNo: string): Promise<{ documentId: string; pages: OcrPage[] }[]>;
}

/** Gives the search the text of a case's scans (the search field 扫描件识别文本) and refreshes the case's index. */
export interface ScanTextIndex {
  /**
   * Stores the text of `readings` readings of the case's scans, unless a text of more readings is
   * already stored (two jobs finishing at once: the later count wins), marks the case for
   * indexing, and refreshes it (a failed refresh stays pending for the scheduled retry).
   */
  setScanText(caseNo: string, text: string, readings: number): Promise<void>;
}
