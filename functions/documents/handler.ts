/** Document links (presigned POST uploads and recorded, short-lived downloads) and a department's recorded reveal of the petitioners' contact details. */
import { httpHandler } from '../common/http';
import { OCR_PAGE_STATUS_LABELS, OCR_STATUS_LABELS, type OcrDocument } from '../../shared/domain/ocr';

/** The OCR state as the API answers it: labels for staff, no engine-internal reasons. */
function ocrView(caseNo: string, documentId: string, ocr: OcrDocument | null) {
  if (!ocr) return { caseNo, documentId, status: 'none' as const, statusLabel: '不识别（非扫描件）', attempts: 0, pages: [] };
  return {
    caseNo,
    documentId,
    status: ocr.status,
    statusLabel: OCR_STATUS_LABELS[ocr.status],
    attempts: ocr.attempts,
    updatedAt: ocr.updatedAt,
    ...(ocr.engine !== undefined ? { engine: ocr.engine } : {}),
    ...(ocr.error !== undefined ? { error: ocr.error } : {}),
    pages: ocr.pages.map((p) => ({ page: p.page, status: p.status, statusLabel: OCR_PAGE_STATUS_LABELS[p.status], text: p.text, confidence: p.confidence })),
  };
}

export const handler = httpHandler('documents', {
  createUpload: async ({ actor, params, body }, { registry }) => ({ statusCode: 201, body: await registry.createUpload(actor, params.caseNo, body) }),
  downloadDocument: async ({ actor, params }, { registry }) => {
    const { url, expiresInSec, document } = await registry.download(actor, params.caseNo, params.documentId);
    return { body: { url, expiresInSec, fileName: document.fileName, contentType: document.contentType, sha256: document.sha256 } };
  },
  documentOcr: async ({ actor, params }, { registry }) => ({
    body: ocrView(params.caseNo, params.documentId, await registry.ocrReading(actor, params.caseNo, params.documentId)),
  }),
  revealContact: async ({ actor, params }, { registry }) => ({ body: await registry.revealContact(actor, params.caseNo) }),
});
