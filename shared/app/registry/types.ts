/** The registry's dependencies, and what its use cases take and answer (shared/app/registry.ts re-exports them). */
import type { Action } from '../../domain/actions';
import type { Case } from '../../domain/case';
import type { CaseClockContext } from '../../domain/clocks';
import type { DocumentRecord } from '../../domain/documents';
import type { TransitionResult } from '../../domain/lifecycle';
import type { OfficeSettings } from '../../domain/office';
import type { HashKey } from '../../domain/pii';
import type { Actor } from '../../domain/roles';
import type { Clock } from '../../domain/time';
import type { CaseRepository, DocumentStorage, PresignedPost } from '../ports';
import type { OcrStore } from '../ocr-ports';
import type { CaseView } from '../views';

export interface RegistryDeps {
  repo: CaseRepository;
  storage: DocumentStorage;
  clock: Clock;
  settings: OfficeSettings;
  clocks: CaseClockContext;
  piiKey: HashKey;
  /** Renders the letters a transition issues (shared/app/letters.ts); optional. */
  letters?: LetterIssuer;
  newId?: () => string;
  /** Machine reading of the scans (shared/app/ocr.ts); optional: without it nothing is queued and no reading is found. */
  ocr?: RegistryOcr;
}

/** What the registry needs of the OCR: queueing a verified scan, and reading a document's OCR state. */
export interface RegistryOcr {
  /** Queues the OCR of a document if it is a verified scan (OcrService.enqueue). */
  enqueue(doc: DocumentRecord): Promise<unknown>;
  readings: Pick<OcrStore, 'get'>;
  /** A failure to queue (logged by the caller's runtime): it never fails the upload check. */
  onQueueError?: (err: unknown, doc: DocumentRecord) => void;
}

/** What the issuer may need beyond the case and the transition. */
export interface IssueContext {
  action: Action;
  /** The action's parsed body (ActionBody, shared/app/action-body.ts): some letters take content the lifecycle does not keep. */
  input: object;
  /** The petitioner's query code, recovered from its seal (for the letters that print it). */
  queryCode(): Promise<string>;
  /** The case's documents. */
  documents(): Promise<DocumentRecord[]>;
}

/**
 * Issues the letters of a transition: checks, numbers, renders and stores them, and returns their
 * document records, which the registry saves with the transition. A ValidationError (400) is
 * thrown before anything is stored.
 */
export interface LetterIssuer {
  issue(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<DocumentRecord[]>;
  /** The receipt (受理凭证) of a new case, with its query code. */
  issueReceipt(c: Case, queryCode: string, actor: Actor): Promise<DocumentRecord[]>;
  /**
   * The letters a transition would issue, rendered with a placeholder for the document number:
   * no number is taken, nothing is stored (the letter preview).
   */
  preview(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<RenderedPreview[]>;
  /** Step 1 of issuing only: the letters' data, content and font checked; nothing numbered, rendered or stored. */
  check(c: Case, result: TransitionResult, actor: Actor, context: IssueContext): Promise<void>;
}

/** One letter rendered for the preview, before it is issued. */
export interface RenderedPreview {
  letterKind: NonNullable<DocumentRecord['letterKind']>;
  title: string;
  /** The placeholder printed where the document number will be, or null (a letter without one). */
  documentNo: string | null;
  pages: number;
  bytes: Uint8Array;
}

/** What the letter preview returns: each letter as a base64 PDF (1–3 pages, tens of KB). */
export interface LetterPreview {
  caseNo: string;
  /** The version of the case the letters were rendered from. */
  version: number;
  action: Action;
  letters: {
    letterKind: RenderedPreview['letterKind'];
    title: string;
    documentNo: string | null;
    pages: number;
    contentType: 'application/pdf';
    size: number;
    pdfBase64: string;
  }[];
}

/** What the public letter check answers: that such a letter was issued, and nothing else. */
export interface LetterVerification {
  issued: true;
  letterKind: DocumentRecord['letterKind'];
  documentNo?: string;
  issuedOn: string;
}

export interface UploadLink {
  documentId: string;
  fileName: string;
  upload: PresignedPost;
}

export interface Registered {
  case: CaseView;
  /** Shown once, on the receipt: the petitioner's query code (查询码). */
  queryCode: string;
  uploads: UploadLink[];
  replayed: boolean;
}

export interface ContactDetails {
  name: string;
  idNumber?: string;
  phone?: string;
  address?: string;
}

/** What the daily upload reconciliation did. */
export interface UploadReconciliation {
  /** Pending uploads whose link had expired. */
  checked: number;
  verified: number;
  quarantined: number;
  rejected: number;
  /** No file had arrived. */
  expired: number;
  /**
   * Files found at the upload key of a document already settled (each check deletes its file):
   * a second use of a link whose event was lost (refused), or a document verified before verified
   * copies existed (moved to its copy, or quarantined if its bytes changed since).
   */
  leftovers: number;
  /** False when the run stopped at its deadline (the next run continues). */
  complete: boolean;
}
