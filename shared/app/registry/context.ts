/** What the registry's use cases share: the dependencies, the clock, the office, a visible case, upload links, the query code, a recorded download. */
import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../../domain/audit';
import type { Case, UploadRequest } from '../../domain/case';
import type { DocumentRecord } from '../../domain/documents';
import { RuleViolationError, NotFoundError, ValidationError } from '../../domain/errors';
import type { OfficeDirectory } from '../../domain/accused';
import { availableActions, canRead, withheldActions } from '../../domain/lifecycle';
import { normaliseCaseNumber, verifyQueryCode } from '../../domain/numbers';
import { officeDirectory } from '../../domain/office';
import type { Actor } from '../../domain/roles';
import { shanghaiDate } from '../../domain/time';
import { parseUploadKey, uploadKey } from '../../storage/object-keys';
import { numberTurnsOf, type NumberTurns } from '../number-turns';
import { openQueryCode } from '../query-code';
import type { RegistryDeps, UploadLink } from './types';

/**
 * How often a registration or a letter is numbered again when another one took its number first
 * (the numbers are taken in the transaction that stores them). Each round one of the contenders
 * wins, so this bounds the registrations (or letters of one series) in flight at the same moment.
 */
export const NUMBER_ATTEMPTS = 40;

/**
 * What a transition's audit event says about the letters it issued (the timeline lists them).
 * Not their content hash: the timeline is shown to departments, and the hash of a letter that
 * prints the query code, whose other content is predictable, would let one search for the code.
 */
export function lettersData(letters: DocumentRecord[]): { letters?: { documentId: string; letterKind?: string; documentNo?: string }[] } {
  if (letters.length === 0) return {};
  return { letters: letters.map((d) => ({ documentId: d.documentId, letterKind: d.letterKind, documentNo: d.documentNo })) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short, jittered pause before numbering again (the contenders spread out). */
export const numberBackoff = (attempt: number) => sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));

/** The base of the registry's use cases. */
export abstract class RegistryUseCase {
  protected readonly newId: () => string;
  constructor(protected readonly deps: RegistryDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
  }

  /** This process's turns at the numbering series of the repository (shared/app/number-turns.ts). */
  protected get turns(): NumberTurns {
    return numberTurnsOf(this.deps.repo);
  }

  protected now() {
    const now = this.deps.clock.now();
    return { now, today: shanghaiDate(now) };
  }
  protected departments(): string[] {
    return this.deps.settings.departments.map((d) => d.code);
  }
  /** The office's departments and locality: what assignment and the Art. 30 rule check against. */
  protected office(): OfficeDirectory {
    return officeDirectory(this.deps.settings);
  }
  protected canRead(actor: Actor, c: Case): boolean {
    return canRead(actor, c, this.office());
  }

  /** The case if this actor may see it; otherwise "not found", whether it exists or not. */
  protected async visibleCase(actor: Actor, caseNo: string): Promise<Case> {
    const normalised = normaliseCaseNumber(caseNo);
    const c = await this.deps.repo.getCase(normalised);
    if (!c || !this.canRead(actor, c)) throw new NotFoundError('case', caseNo);
    return c;
  }
  /** The actions the case offers this actor today, and those held back with the reason (the same checks as applyAction). */
  protected offered(c: Case, actor: Actor) {
    const { today } = this.now();
    return { actions: availableActions(c, actor, today), withheld: withheldActions(c, actor, today) };
  }
  protected checkUploadSize(u: UploadRequest, field: string): void {
    if (u.size > this.deps.settings.maxUploadBytes) throw ValidationError.field(field, `must be at most ${this.deps.settings.maxUploadBytes} bytes`);
  }
  protected pendingDocument(caseNo: string, u: UploadRequest, actor: Actor, now: Date): DocumentRecord {
    const documentId = this.newId();
    return {
      caseNo,
      documentId,
      kind: u.kind,
      toPetitioner: false,
      fileName: u.fileName,
      contentType: u.contentType,
      declaredSize: u.size,
      key: uploadKey(caseNo, documentId),
      status: 'pending',
      uploadExpiresAt: new Date(now.getTime() + this.deps.settings.uploadLinkSeconds * 1000).toISOString(),
      uploadedBy: actor.username,
      createdAt: now.toISOString(),
    };
  }
  /**
   * The presigned POSTs of pending documents. A link never outlives the document's recorded
   * expiry (a replayed registration gets what is left of it, or none), so once that has passed
   * no file can arrive and the reconciliation may settle the document.
   */
  protected async uploadLinks(documents: DocumentRecord[]): Promise<UploadLink[]> {
    const now = this.deps.clock.now().getTime();
    const links: UploadLink[] = [];
    for (const d of documents) {
      const until = d.uploadExpiresAt ? new Date(d.uploadExpiresAt).getTime() : new Date(d.createdAt).getTime() + this.deps.settings.uploadLinkSeconds * 1000;
      const expiresInSec = Math.floor((until - now) / 1000);
      if (expiresInSec < 1) continue;
      links.push({
        documentId: d.documentId,
        fileName: d.fileName,
        upload: await this.deps.storage.presignUpload({
          key: uploadKey(d.caseNo, d.documentId),
          contentType: d.contentType,
          size: d.declaredSize,
          expiresInSec,
        }),
      });
    }
    return links;
  }
  /**
   * An archived case's files are in the archive: retrieved by an archivist, or lent
   * (shared/app/archive.ts) — neither downloaded nor read by machine (OCR) through the registry.
   */
  protected refuseArchivedFiles(c: Case): void {
    if (c.status === 'archived')
      throw new RuleViolationError('The files of an archived case are kept in the archive: an archivist retrieves them or lends them', {
        archiveNo: c.archive?.archiveNo,
      });
  }

  protected async issueDownload(c: Case, documentId: string, actor: AuditActor, allowed: (d: DocumentRecord) => boolean) {
    const doc = await this.deps.repo.getDocument(c.caseNo, documentId);
    if (!doc || !allowed(doc)) throw new NotFoundError('document', documentId);
    this.refuseArchivedFiles(c);
    // Never from an upload key, which a link could overwrite: a document verified before verified
    // copies existed is served once the upload reconciliation has moved it to its copy.
    if (parseUploadKey(doc.key))
      throw new RuleViolationError('This document is being moved to its verified copy (the upload reconciliation does it); try again later', {
        documentId,
        reason: '该材料正在转存为校验副本，请稍后再下载',
      });
    const { now } = this.now();
    // Recorded before the link is handed out: no download without its audit event.
    await this.deps.repo.appendEvent(c.caseNo, {
      at: now.toISOString(),
      actor,
      type: 'document.downloaded',
      data: { documentId, kind: doc.kind, fileName: doc.fileName },
    });
    const expiresInSec = this.deps.settings.downloadLinkSeconds;
    const url = await this.deps.storage.presignDownload({ key: doc.key, fileName: doc.fileName, contentType: doc.contentType, expiresInSec });
    return { url, expiresInSec, document: doc };
  }
  /**
   * The query code of a case, for a letter that prints it: opened from the seal kept at
   * registration and checked against the stored hash.
   */
  protected async recoverQueryCode(c: Case): Promise<string> {
    const sealed = await this.deps.repo.getSealedQueryCode(c.caseNo);
    const code = sealed === null ? null : openQueryCode(this.deps.piiKey, c.caseNo, sealed);
    if (code === null || !verifyQueryCode(this.deps.piiKey, c.caseNo, code, c.queryCodeHash)) {
      throw new RuleViolationError(
        'The query code of this case cannot be recovered for the letter that prints it (the case was registered before letters were issued)',
        { caseNo: c.caseNo },
      );
    }
    return code;
  }
}
