/** Documents: upload links, recorded downloads, the upload check and the daily reconciliation of uploads. */
import { STATUS_LABELS, type Case, type UploadRequest } from '../../domain/case';
import { mayLandUpload, mayRequestUpload, type DocumentRecord } from '../../domain/documents';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../../domain/errors';
import type { OcrDocument } from '../../domain/ocr';
import { matchesDeclaredType, MAGIC_BYTES_NEEDED } from '../../domain/filetypes';
import { hasRole, requireRole, type Actor } from '../../domain/roles';
import { systemActor } from '../../domain/system-actors';
import { parseUploadKey, uploadKey, UPLOADS_PREFIX, verifiedKey } from '../../storage/object-keys';
import { auditActor } from '../actor';
import type { ObjectInspection } from '../ports';
import { mayOpenQueryCodeLetter, printsQueryCode } from '../query-code';
import { RegistryUseCase } from './context';
import type { UploadLink, UploadReconciliation } from './types';

/** A pending upload is reconciled this long after its link expired (a late S3 event still lands first). */
export const RECONCILE_GRACE_MS = 15 * 60_000;

function countStatus(report: UploadReconciliation, status: DocumentRecord['status']): void {
  if (status === 'verified' || status === 'quarantined' || status === 'rejected' || status === 'expired') report[status] += 1;
}

const DOC_STATUS_LABELS: Record<DocumentRecord['status'], string> = {
  pending: '待校验',
  verified: '校验',
  quarantined: '隔离',
  rejected: '拒绝',
  expired: '过期',
};

function statusLabel(status: Case['status']): string {
  return STATUS_LABELS[status];
}

export class Documents extends RegistryUseCase {
  async createUpload(actor: Actor, caseNo: string, request: UploadRequest): Promise<UploadLink> {
    const c = await this.visibleCase(actor, caseNo);
    if (request.kind === 'response') {
      if (!hasRole(actor, 'department') || c.deptCode !== actor.deptCode) throw new ForbiddenError('Only the department handling the case uploads responses');
      if (!mayRequestUpload(c, request.kind)) throw new RuleViolationError('Responses are uploaded while the case is assigned', { status: c.status });
    } else {
      requireRole(actor, 'clerk');
      if (!mayRequestUpload(c, request.kind))
        throw new RuleViolationError(`No uploads to a ${c.status} case: the office is no longer working on it`, { status: c.status });
    }
    this.checkUploadSize(request, 'size');
    const { now } = this.now();
    const doc = this.pendingDocument(c.caseNo, request, actor, now);
    await this.deps.repo.putDocument(doc, {
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'document.upload-requested',
      data: { documentId: doc.documentId, kind: doc.kind, contentType: doc.contentType, size: doc.declaredSize },
    });
    const [link] = await this.uploadLinks([doc]);
    return link as UploadLink;
  }

  async download(actor: Actor, caseNo: string, documentId: string): Promise<{ url: string; expiresInSec: number; document: DocumentRecord }> {
    const c = await this.visibleCase(actor, caseNo);
    // A letter that prints the query code is for the office and the petitioner, not a department.
    return this.issueDownload(c, documentId, auditActor(actor), (d) => d.status === 'verified' && (!printsQueryCode(d) || mayOpenQueryCodeLetter(actor)));
  }

  /**
   * The upload check: runs when an object lands at an upload key (S3's event, at least once), and
   * from the daily reconciliation. Idempotent.
   *
   * - A pending document: the file is first copied to its `verified/` key, which no upload policy
   *   covers, and that copy is checked (size, magic bytes, SHA-256), so what is recorded is
   *   exactly what downloads and the archive will read. It passes (verified, the copy is its key),
   *   fails (quarantined) or may not land because the case no longer takes uploads (rejected);
   *   the outcome and its audit event are one transaction; the file at the upload key is deleted.
   * - A document already settled: a file at its upload key is a second use of the link. It is
   *   refused, deleted, and recorded as a rejected upload of its own (with its audit event);
   *   the verified copy is untouched. (The same bytes again are only deleted.)
   */
  async verifyUpload(caseNo: string, documentId: string): Promise<DocumentRecord | null> {
    const doc = await this.deps.repo.getDocument(caseNo, documentId);
    if (!doc || doc.kind === 'generated') return doc; // unknown key: nothing to do
    if (doc.status !== 'pending') {
      await this.refuseReupload(doc);
      return this.deps.repo.getDocument(caseNo, documentId);
    }
    const upload = uploadKey(caseNo, documentId);
    const snapshot = verifiedKey(caseNo, documentId);
    const c = await this.deps.repo.getCase(caseNo);
    if (!c) return doc;
    const { now } = this.now();
    if (!mayLandUpload(c)) {
      // The case no longer takes uploads: the file is refused, not checked.
      const inspection = await this.deps.storage.inspect(upload);
      if (!inspection) return doc;
      const reason = `案件${statusLabel(c.status)}，不再接受上传`;
      const next: DocumentRecord = {
        ...doc,
        status: 'rejected',
        key: upload,
        size: inspection.size,
        sha256: inspection.sha256,
        rejectionReason: reason,
        checkedAt: now.toISOString(),
      };
      const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
        at: now.toISOString(),
        actor: systemActor('verify-upload'),
        type: 'document.upload-rejected',
        data: { documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, reason },
      });
      await this.deps.storage.remove(upload);
      return saved ? next : this.deps.repo.getDocument(caseNo, documentId);
    }
    // The copy is taken from the upload key when there is a file there; after a crash between the
    // copy and the record, the copy made then is checked.
    if (!(await this.deps.storage.copy(upload, snapshot)) && !(await this.deps.storage.inspect(snapshot))) return doc;
    const inspection = await this.deps.storage.inspect(snapshot);
    if (!inspection) return doc;
    const reason =
      inspection.size !== doc.declaredSize
        ? `大小不符：声明${doc.declaredSize}字节，实际${inspection.size}字节`
        : inspection.size > this.deps.settings.maxUploadBytes
          ? '超过大小限制'
          : !matchesDeclaredType(doc.contentType, inspection.firstBytes.subarray(0, MAGIC_BYTES_NEEDED))
            ? `文件内容与声明类型${doc.contentType}不符`
            : undefined;
    let next: DocumentRecord;
    if (reason === undefined) {
      next = { ...doc, status: 'verified', key: snapshot, size: inspection.size, sha256: inspection.sha256, checkedAt: now.toISOString() };
    } else {
      const key = await this.deps.storage.quarantine(snapshot);
      next = { ...doc, status: 'quarantined', key, size: inspection.size, sha256: inspection.sha256, quarantineReason: reason, checkedAt: now.toISOString() };
    }
    const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
      at: now.toISOString(),
      actor: systemActor('verify-upload'),
      type: reason === undefined ? 'document.verified' : 'document.quarantined',
      data: { documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, ...(reason ? { reason } : {}) },
    });
    if (!saved) return this.deps.repo.getDocument(caseNo, documentId);
    await this.deps.storage.remove(upload);
    if (next.status === 'verified') await this.queueOcr(next);
    return next;
  }

  /** Queues the OCR of a scan just verified. Never fails the check: a failure is reported, the document stays verified. */
  private async queueOcr(doc: DocumentRecord): Promise<void> {
    const ocr = this.deps.ocr;
    if (!ocr) return;
    try {
      await ocr.enqueue(doc);
    } catch (err) {
      (ocr.onQueueError ?? ((e) => console.error(`ocr: queueing ${doc.caseNo}/${doc.documentId} failed`, e)))(err, doc);
    }
  }

  /**
   * The machine reading of a document (机器识别文本), for whoever may download it: the same rule
   * (the case visible to the caller, the document verified, a letter printing the query code not
   * for a department) and the same answer for an archived case (409: its files are the
   * archive's). A reading handed out is recorded in the case's audit trail, like a download
   * (`document.ocr-read`); a status without text (queued, failed) is not. null: the document has
   * no OCR (not a scan, or never queued).
   */
  async ocrReading(actor: Actor, caseNo: string, documentId: string): Promise<OcrDocument | null> {
    const c = await this.visibleCase(actor, caseNo);
    const doc = await this.deps.repo.getDocument(c.caseNo, documentId);
    if (!doc || doc.status !== 'verified' || (printsQueryCode(doc) && !mayOpenQueryCodeLetter(actor))) throw new NotFoundError('document', documentId);
    // As a download: an archived case's files (and so what was read from them) are the archive's (409).
    this.refuseArchivedFiles(c);
    const state = (await this.deps.ocr?.readings.get(c.caseNo, documentId)) ?? null;
    if (state?.status === 'done') {
      const { now } = this.now();
      await this.deps.repo.appendEvent(c.caseNo, {
        at: now.toISOString(),
        actor: auditActor(actor),
        type: 'document.ocr-read',
        data: { documentId, kind: doc.kind, fileName: doc.fileName },
      });
    }
    return state;
  }

  /** A file at the upload key of a document already settled: refused, deleted, recorded. */
  private async refuseReupload(doc: DocumentRecord): Promise<void> {
    const upload = uploadKey(doc.caseNo, doc.documentId);
    // A record verified before verified copies existed still reads its upload key: it moves to its copy first.
    if (doc.status === 'verified' && doc.key === upload) return this.secureLegacyUpload(doc);
    const inspection = await this.deps.storage.inspect(upload);
    if (!inspection) return; // a repeated event for a file already handled
    if (doc.sha256 !== undefined && inspection.sha256 === doc.sha256 && inspection.size === doc.size) {
      // The same bytes (a repeated event before the upload key was cleared): nothing changes.
      await this.deps.storage.remove(upload);
      return;
    }
    const { now } = this.now();
    const reason = doc.status === 'verified' ? '上传链接被再次使用：该材料已校验，不得替换' : `上传链接被再次使用：该材料已${DOC_STATUS_LABELS[doc.status]}`;
    const rejected: DocumentRecord = {
      caseNo: doc.caseNo,
      documentId: this.newId(),
      kind: doc.kind,
      toPetitioner: false,
      fileName: doc.fileName,
      contentType: doc.contentType,
      declaredSize: doc.declaredSize,
      key: upload,
      status: 'rejected',
      size: inspection.size,
      sha256: inspection.sha256,
      rejectionReason: reason,
      uploadOf: doc.documentId,
      uploadedBy: doc.uploadedBy,
      createdAt: now.toISOString(),
      checkedAt: now.toISOString(),
    };
    await this.deps.repo.putDocument(rejected, {
      at: now.toISOString(),
      actor: systemActor('verify-upload'),
      type: 'document.upload-rejected',
      data: { documentId: rejected.documentId, uploadOf: doc.documentId, kind: doc.kind, size: inspection.size, sha256: inspection.sha256, reason },
    });
    await this.deps.storage.remove(upload);
  }

  /**
   * A document verified before verified copies existed: its record still names the upload key,
   * which its link (or anyone with a link policy) could overwrite. It is moved to its verified
   * copy, once: the file is copied to `verified/` and the copy's SHA-256 and size are checked
   * against those recorded when it was verified. The same bytes: the record names the copy
   * (`document.copy-secured`) and the upload key is cleared. Other bytes (the file was replaced
   * after its check, and the original is gone from the working key): the document is quarantined
   * with the reason, so it is never served as the one that was verified. Idempotent; run by the
   * daily reconciliation, which finds these files under `uploads/`.
   */
  private async secureLegacyUpload(doc: DocumentRecord): Promise<void> {
    const upload = uploadKey(doc.caseNo, doc.documentId);
    const copyKey = verifiedKey(doc.caseNo, doc.documentId);
    const same = (o: ObjectInspection | null): boolean => o !== null && o.sha256 === doc.sha256 && o.size === doc.size;
    // A copy left by an earlier attempt is used when it matches; otherwise it is made (again).
    let copy = await this.deps.storage.inspect(copyKey);
    if (!copy || !same(copy)) {
      if (!(await this.deps.storage.copy(upload, copyKey))) return; // no file: nothing to move (a download fails the same either way)
      copy = await this.deps.storage.inspect(copyKey);
      if (!copy) return;
    }
    const { now } = this.now();
    const at = now.toISOString();
    if (same(copy)) {
      const saved = await this.deps.repo.recordDocumentCheck({ ...doc, key: copyKey }, 'verified', {
        at,
        actor: systemActor('verify-upload'),
        type: 'document.copy-secured',
        data: { documentId: doc.documentId, kind: doc.kind, size: copy.size, sha256: copy.sha256 },
      });
      if (saved) await this.deps.storage.remove(upload);
      return;
    }
    const reason = `校验后文件被替换：SHA-256与校验记录不符（应为${doc.sha256 ?? '未记录'}），不再提供下载`;
    const key = await this.deps.storage.quarantine(copyKey);
    const saved = await this.deps.repo.recordDocumentCheck({ ...doc, status: 'quarantined', key, quarantineReason: reason, checkedAt: at }, 'verified', {
      at,
      actor: systemActor('verify-upload'),
      type: 'document.quarantined',
      data: { documentId: doc.documentId, kind: doc.kind, size: copy.size, sha256: copy.sha256, ...(doc.sha256 ? { verifiedSha256: doc.sha256 } : {}), reason },
    });
    if (saved) await this.deps.storage.remove(upload);
  }

  /**
   * The daily reconciliation of uploads (an S3 event can be lost): every document still pending
   * after its link expired (plus a grace period for late events) is checked now — verified,
   * quarantined or rejected if its file is there — or else marked expired with its audit event.
   * Reads only the pending uploads whose link has expired (an index Query per shard).
   */
  async reconcileUploads(options: { deadline?: number; limit?: number } = {}): Promise<UploadReconciliation> {
    const { now } = this.now();
    const before = new Date(now.getTime() - RECONCILE_GRACE_MS).toISOString();
    const report: UploadReconciliation = { checked: 0, verified: 0, quarantined: 0, rejected: 0, expired: 0, leftovers: 0, complete: true };
    const late = () => options.deadline !== undefined && Date.now() > options.deadline;
    // Files left at upload keys. Each check deletes its file, so the prefix holds only files in
    // flight (pending: settled below once their link expired) and these, few by design.
    let token: string | undefined;
    do {
      const page = await this.deps.storage.list(UPLOADS_PREFIX, token);
      for (const key of page.keys) {
        const target = parseUploadKey(key);
        if (!target) continue;
        if (late()) {
          report.complete = false;
          return report;
        }
        const doc = await this.deps.repo.getDocument(target.caseNo, target.documentId);
        if (!doc || doc.status === 'pending' || doc.kind === 'generated') continue;
        report.leftovers += 1;
        await this.verifyUpload(target.caseNo, target.documentId);
      }
      token = page.cursor;
    } while (token);
    let cursor: string | undefined;
    do {
      const page = await this.deps.repo.stalePendingUploads(before, options.limit ?? 100, cursor);
      for (const { caseNo, documentId } of page.items) {
        if (late()) {
          report.complete = false;
          return report;
        }
        report.checked += 1;
        const after = await this.verifyUpload(caseNo, documentId);
        if (after?.status === 'pending') {
          const settled = await this.expireUpload(after);
          if (settled.status === 'expired') report.expired += 1;
          else countStatus(report, settled.status);
        } else if (after) countStatus(report, after.status);
      }
      cursor = page.cursor;
    } while (cursor);
    return report;
  }

  private async expireUpload(doc: DocumentRecord): Promise<DocumentRecord> {
    const { now } = this.now();
    const reason = '上传链接已过期，未收到文件';
    const next: DocumentRecord = { ...doc, status: 'expired', rejectionReason: reason, checkedAt: now.toISOString() };
    const saved = await this.deps.repo.recordDocumentCheck(next, 'pending', {
      at: now.toISOString(),
      actor: systemActor('upload-reconciliation'),
      type: 'document.upload-expired',
      data: { documentId: doc.documentId, kind: doc.kind, reason },
    });
    return saved ? next : ((await this.deps.repo.getDocument(doc.caseNo, doc.documentId)) ?? doc);
  }
}
