/**
 * Ports: what the use cases need from the outside world. Adapters (shared/adapters) implement
 * them over DynamoDB and S3; unit tests may implement them in memory. No AWS SDK here.
 */
import type { AuditEvent, AuditEventInput } from '../domain/audit';
import type { Case, CaseStatus } from '../domain/case';
import type { ChannelType } from '../domain/taxonomy';
import type { DocumentRecord } from '../domain/documents';
import type { LetterType } from '../domain/letter-types';
import type { Awaiting } from '../domain/lifecycle';
import type { Notice } from '../domain/supervision';

export type IdempotencyClaim =
  { state: 'claimed'; token: string } | { state: 'done'; caseNo: string; queryCode: string } | { state: 'in-progress' } | { state: 'mismatch' };

export interface CaseQuery {
  status?: CaseStatus;
  /** Only cases that came in by this channel (the clerk's 网上信访 queue: status registered, channel online). */
  channel?: ChannelType;
  deptCode?: string;
  category?: string;
  /** Cases whose handling clock is due on or before this date. */
  dueBefore?: string;
  receivedFrom?: string;
  receivedTo?: string;
  /** Identity keys of a petitioner (keyed hashes). */
  petitionerKeys?: string[];
  /** Only cases where this awaits the director (with `status` = AWAITING_STATUS of it). */
  awaiting?: Awaiting;
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** The audit event of a change, before the repository chains it. */
export type EventDraft = Omit<AuditEventInput, 'caseNo'>;

export interface CaseRepository {
  /**
   * The last sequence number taken in a case-number series (0 when none). A registration takes the
   * next one in the transaction that creates the case (createCase `caseNumber`): gapless.
   */
  lastCaseNumber(prefix: string, year: number): Promise<number>;
  /** Claims an idempotency key for a create (lease-based), or reports its state. */
  claimIdempotency(key: string, requestHash: string, now: Date): Promise<IdempotencyClaim>;
  /**
   * The last number issued in a document-number series (`江信处〔2026〕{seq}号`; 0 when none). A letter
   * is numbered `last + 1` (its record's `numbering`), and every write that stores a numbered
   * letter moves the series' counter in the same transaction, conditional on `last`: a number is
   * never issued twice and never lost (NumberTakenError: number again and retry).
   */
  lastDocumentNumber(series: string): Promise<number>;
  /**
   * Creates the case with its first audit event, documents and index items, in one transaction;
   * `sealedQueryCode` (the query code encrypted for the letters that print it) is kept with it.
   * `caseNumber` is the number the case takes: the series' counter moves from `seq - 1` to `seq`
   * in the same transaction (NumberTakenError when another registration took it first).
   */
  createCase(input: {
    case: Case;
    caseNumber: { prefix: string; year: number; seq: number };
    event: EventDraft;
    documents: DocumentRecord[];
    sealedQueryCode?: string;
    idempotency?: { key: string; token: string; queryCode: string };
  }): Promise<Case>;
  getCase(caseNo: string): Promise<Case | null>;
  /** The sealed query code stored at registration, or null (a case registered before there was one). */
  getSealedQueryCode(caseNo: string): Promise<string | null>;
  /**
   * Writes a transition: the case only if its version is still `before.version`, plus the audit
   * event, in one transaction. Throws ConflictError when someone else changed the case, and
   * NumberTakenError when a letter's document number was issued meanwhile (case unchanged).
   */
  saveTransition(before: Case, after: Case, event: EventDraft, extra?: { documents?: DocumentRecord[]; notices?: Notice[] }): Promise<Case>;
  /** Appends an audit event that changes no state (a document access), keeping the chain. */
  appendEvent(caseNo: string, event: EventDraft): Promise<AuditEvent>;
  listEvents(caseNo: string): Promise<AuditEvent[]>;
  findByPetitionerKeys(keys: string[]): Promise<Case[]>;
  list(query: CaseQuery): Promise<Page<Case>>;
  /** A department's open cases, ordered by its due date. */
  inbox(deptCode: string, limit: number, cursor?: string): Promise<Page<Case>>;
  /**
   * Cases registered per month of receipt (`yyyy-mm`), for the months from `fromMonth` to `toMonth`
   * (inclusive) that have any: the counters createCase adds to, not a count of case items.
   */
  registrationsPerMonth(fromMonth: string, toMonth: string): Promise<{ month: string; count: number }[]>;
  /** A new (pending) document with its audit event, in one transaction: no upload link without its record. */
  putDocument(doc: DocumentRecord, event: EventDraft): Promise<void>;
  getDocument(caseNo: string, documentId: string): Promise<DocumentRecord | null>;
  listDocuments(caseNo: string): Promise<DocumentRecord[]>;
  /**
   * The outcome of a document's check (verified, quarantined, rejected, expired) with its audit
   * event, in one transaction, only if the document is still in `expectedStatus`; false (nothing
   * written) when it was not.
   */
  recordDocumentCheck(doc: DocumentRecord, expectedStatus: DocumentRecord['status'], event: EventDraft): Promise<boolean>;
  /**
   * Pending uploads whose link expired before `before` (ISO instant), oldest first: a Query on
   * the index of pending uploads, never a Scan. `limit` per call; `cursor` continues.
   */
  stalePendingUploads(before: string, limit: number, cursor?: string): Promise<Page<{ caseNo: string; documentId: string }>>;
}

/** An office's own wording of one letter type (an admin stores it; the letter issuer reads it). */
export interface TemplateOverride {
  type: LetterType;
  /** The template text, as validateTemplate normalised it. */
  text: string;
  updatedBy: string;
  updatedAt: string;
  /** 1 for the first override of the default, +1 at each change (0 is the default wording). */
  version: number;
}

/** Where the office's template overrides live (one item per letter type). */
export interface TemplateStore {
  listTemplateOverrides(): Promise<TemplateOverride[]>;
  /** Stores version n over version n − 1 (none stored for n = 1); ConflictError when another is there. */
  putTemplateOverride(override: TemplateOverride): Promise<void>;
  /** Removes the override (only if it is at `version`, when given: else ConflictError); false when there was none. */
  deleteTemplateOverride(type: LetterType, version?: number): Promise<boolean>;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface ObjectInspection {
  size: number;
  firstBytes: Uint8Array;
  sha256: string;
  contentType?: string;
}

export interface DocumentStorage {
  presignUpload(input: { key: string; contentType: string; size: number; expiresInSec: number }): Promise<PresignedPost>;
  presignDownload(input: { key: string; fileName: string; contentType: string; expiresInSec: number }): Promise<string>;
  /** Streams the object once: size, leading bytes and SHA-256 (no full copy in memory). */
  inspect(key: string): Promise<ObjectInspection | null>;
  /** Moves an object to the quarantine prefix (same relative key); returns its new key. */
  quarantine(key: string): Promise<string>;
  /** Server-side copy within the bucket (no bytes through the caller); false when the source is missing. */
  copy(sourceKey: string, targetKey: string): Promise<boolean>;
  /** Deletes an object (nothing happens if there is none). */
  remove(key: string): Promise<void>;
  /** The keys under a prefix, a page at a time (`cursor` continues); for prefixes that hold few objects by design. */
  list(prefix: string, cursor?: string): Promise<{ keys: string[]; cursor?: string }>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

/** A health probe (GET /health, shared/app/health.ts): resolves when its dependency answered as expected, rejects otherwise (or on abort). */
export type Probe = (signal: AbortSignal) => Promise<void>;
