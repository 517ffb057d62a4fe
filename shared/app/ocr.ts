/**
 * Machine reading of the scans (docs/ocr.md, "The flow"): when a scan is verified its document is
 * marked queued, and the object-created event of its verified copy (S3 → SQS in AWS, s3rver's
 * event → the in-process queue locally) carries the job; the job reads the verified copy, runs the
 * engine, stores the reading beside the document (never in the case item) and gives the case's
 * scan text to the search. OCR never blocks registration or the upload check and never changes
 * the document: it only reads it.
 *
 * Idempotent: a job run twice (a duplicate message, a retry after a crash) writes the same items,
 * and a reading already stored is not read again. A job whose engine fails is retried by the
 * queue; its last attempt marks the document failed (in AWS the message then goes to the DLQ).
 */
import type { DocumentRecord } from '../domain/documents';
import { SCAN_CONTENT_TYPES } from '../domain/filetypes';
import { boundReading, OCR_MAX_ATTEMPTS, scanSearchText, type OcrDocument } from '../domain/ocr';
import type { Clock } from '../domain/time';
import type { OcrContentType, OcrEngine, OcrFiles, OcrJob, OcrQueue, OcrStore, QueuedOcrJob, ScanTextIndex } from './ocr-ports';
import type { CaseRepository } from './ports';

/** A document the OCR reads: an uploaded scan (not a letter the registry generated), verified. */
export function isOcrCandidate(doc: Pick<DocumentRecord, 'kind' | 'status' | 'contentType'>): doc is typeof doc & { contentType: OcrContentType } {
  return doc.kind !== 'generated' && doc.status === 'verified' && (SCAN_CONTENT_TYPES as readonly string[]).includes(doc.contentType);
}

export interface OcrDeps {
  repo: Pick<CaseRepository, 'getDocument'>;
  store: OcrStore;
  /**
   * Where `enqueue` sends a job. Optional: in AWS and locally the verified copy's object-created
   * event is the message (it cannot be lost between the commit and a send); a queue given here
   * gets the job as well (a duplicate is harmless).
   */
  queue?: OcrQueue;
  files: OcrFiles;
  /** The engine, built on first use (its models take seconds and hundreds of MB to load). */
  engine: () => Promise<OcrEngine>;
  search: ScanTextIndex;
  clock: Clock;
  /** Attempts before a job is marked failed (default OCR_MAX_ATTEMPTS: SQS's maxReceiveCount). */
  maxAttempts?: number;
  /**
   * How long a job waits for its document's check to commit (the verified copy's event can come
   * before the check records it; default 30 s), polling every `pollMs` (default 1 s).
   */
  verificationWaitMs?: number;
  pollMs?: number;
}

/** The document is still pending: the check that made the verified copy has not committed yet (the queue retries). */
export class NotVerifiedYetError extends Error {
  constructor(caseNo: string, documentId: string) {
    super(`document ${caseNo}/${documentId} is not verified yet`);
    this.name = 'NotVerifiedYetError';
  }
}

/** What a run did: read the scan, found it already read (only the search text refreshed), or had nothing to read. */
export type OcrRunOutcome = 'read' | 'already-read' | 'skipped';

export class OcrService {
  constructor(private readonly deps: OcrDeps) {}

  private at(): string {
    return this.deps.clock.now().toISOString();
  }

  /**
   * Queues the OCR of a verified scan: marks it queued (unless it has a status already) and sends
   * the job, unless its reading is done. Safe to call again (a repeated event): a duplicate job
   * finds the reading and writes nothing new. Other documents are ignored (false).
   */
  async enqueue(doc: DocumentRecord): Promise<boolean> {
    if (!isOcrCandidate(doc)) return false;
    const state = await this.deps.store.markQueued(doc.caseNo, doc.documentId, this.at());
    if (state.status === 'done') return false;
    await this.deps.queue?.send({ caseNo: doc.caseNo, documentId: doc.documentId });
    return true;
  }

  /**
   * Runs one job (`attempt`: 1 for the first delivery). Throws when the engine or a store fails,
   * so the queue retries it; the failure is recorded first, as `failed` on the last attempt.
   */
  async run(job: OcrJob, attempt = 1): Promise<OcrRunOutcome> {
    const { caseNo, documentId } = job;
    const maxAttempts = this.deps.maxAttempts ?? OCR_MAX_ATTEMPTS;
    const doc = await this.verifiedDocument(caseNo, documentId);
    if (!doc || !isOcrCandidate(doc)) {
      // Nothing to read (never a verified scan, or quarantined since): the job is forgotten, so
      // the re-queue does not send it every hour and the viewer shows no 识别中….
      await this.deps.store.discard(caseNo, documentId);
      return 'skipped';
    }
    const state = await this.deps.store.get(caseNo, documentId);
    if (state?.status === 'done') {
      await this.publish(caseNo);
      return 'already-read';
    }
    try {
      const bytes = await this.deps.files.get(doc.key);
      if (!bytes) throw new Error(`the verified copy ${doc.key} is missing`);
      const engine = await this.deps.engine();
      const reading = boundReading(await engine.read({ bytes, contentType: doc.contentType }));
      await this.deps.store.saveReading(caseNo, documentId, reading, { attempts: attempt, at: this.at() });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await this.deps.store.recordFailure(caseNo, documentId, {
        attempts: attempt,
        error: error.slice(0, 1000),
        failed: attempt >= maxAttempts,
        at: this.at(),
      });
      throw err;
    }
    await this.publish(caseNo);
    return 'read';
  }

  /** The document once its check has committed (a pending one is waited for, then NotVerifiedYetError). */
  private async verifiedDocument(caseNo: string, documentId: string): Promise<DocumentRecord | null> {
    const until = Date.now() + (this.deps.verificationWaitMs ?? 30_000);
    for (;;) {
      const doc = await this.deps.repo.getDocument(caseNo, documentId);
      if (doc?.status !== 'pending') return doc;
      if (Date.now() >= until) throw new NotVerifiedYetError(caseNo, documentId);
      await new Promise((resolve) => setTimeout(resolve, this.deps.pollMs ?? 1000));
    }
  }

  /** The case's scan text, from every reading stored, handed to the search (which refreshes the case). */
  private async publish(caseNo: string): Promise<void> {
    const readings = (await this.deps.store.readingsOf(caseNo)).sort((a, b) => a.documentId.localeCompare(b.documentId));
    await this.deps.search.setScanText(caseNo, scanSearchText(readings), readings.length);
  }

  /** The OCR state of a document (no access check: the registry's `ocrReading` checks and records the access). */
  state(caseNo: string, documentId: string): Promise<OcrDocument | null> {
    return this.deps.store.get(caseNo, documentId);
  }
}

/**
 * How long a queued job's marker may stay before its job is sent again: longer than a job can
 * legitimately take in the queue — 3 attempts (OCR_MAX_ATTEMPTS), each up to the queue's
 * visibility timeout of 11 minutes (the function's 10 plus 1), and a backlog behind the function's
 * concurrency of 2 — so a job in flight is seldom sent twice (a duplicate is harmless: the job is
 * idempotent and a reading already stored is not read again).
 */
export const OCR_REQUEUE_GRACE_MS = 60 * 60_000;

/** Markers read per run (the first Queries of the `OCRQ#` shards) and jobs sent per run at most. */
export const OCR_REQUEUE_READ_LIMIT = 1000;
export const OCR_REQUEUE_SEND_LIMIT = 200;

export interface OcrRequeueDeps {
  store: Pick<OcrStore, 'queuedJobs' | 'markSent'>;
  queue: OcrQueue;
  clock: Clock;
  /** Default OCR_REQUEUE_GRACE_MS. */
  graceMs?: number;
  /** Default OCR_REQUEUE_READ_LIMIT. */
  readLimit?: number;
  /** Default OCR_REQUEUE_SEND_LIMIT. */
  sendLimit?: number;
}

export interface OcrRequeueReport {
  /** Jobs sent to the queue again. */
  sent: number;
  /** Jobs not finished but sent within the grace period (left alone: probably in flight). */
  recent: number;
  /** Jobs whose send (or its mark) failed: their markers stay, so a later run sends them. */
  failed: OcrJob[];
  /** Work was left for the next run (the send limit, the read limit or the deadline). */
  more: boolean;
}

/**
 * The scheduled re-queue of OCR jobs (docs/ocr.md, "In AWS"): a job whose `OCRQ#` marker is older
 * than the grace period — its message lost (S3 did not announce the verified copy, or the local
 * queue stopped) — is sent to the OCR queue again, and its marker's `sentAt` moves to now, so the
 * next runs wait another grace period for it. A job finished meanwhile has no marker and is not
 * sent; a duplicate (the job was only slow) finds the reading stored. Bounded: at most `sendLimit`
 * sends, until `deadline`; reads are Queries of the markers only.
 */
export class OcrRequeue {
  constructor(private readonly deps: OcrRequeueDeps) {}

  async run(input: { deadline?: number; onError?: (job: OcrJob, err: unknown) => void } = {}): Promise<OcrRequeueReport> {
    const readLimit = this.deps.readLimit ?? OCR_REQUEUE_READ_LIMIT;
    const sendLimit = this.deps.sendLimit ?? OCR_REQUEUE_SEND_LIMIT;
    const now = this.deps.clock.now();
    const before = now.getTime() - (this.deps.graceMs ?? OCR_REQUEUE_GRACE_MS);
    const jobs = await this.deps.store.queuedJobs(readLimit);
    const report: OcrRequeueReport = { sent: 0, recent: 0, failed: [], more: jobs.length >= readLimit };
    const due: QueuedOcrJob[] = [];
    for (const job of jobs) {
      if (Date.parse(job.sentAt) > before) report.recent += 1;
      else due.push(job);
    }
    // The longest waiting first.
    due.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    for (const [i, job] of due.entries()) {
      if (report.sent + report.failed.length >= sendLimit || (input.deadline !== undefined && Date.now() >= input.deadline)) {
        report.more = report.more || i < due.length;
        break;
      }
      const { caseNo, documentId } = job;
      try {
        await this.deps.queue.send({ caseNo, documentId });
        // After the send: a failure to mark leaves the old time, and a later run sends it once more (harmless).
        await this.deps.store.markSent(caseNo, documentId, now.toISOString());
        report.sent += 1;
      } catch (err) {
        input.onError?.({ caseNo, documentId }, err);
        report.failed.push({ caseNo, documentId });
      }
    }
    return report;
  }
}
