/** A closed case and its documents, for the archive's unit tests (built with the real lifecycle). */
import type { Case } from '../../../shared/domain/case';
import type { DocumentRecord } from '../../../shared/domain/documents';
import { clerk, director, hrss, opinion, registered, run } from '../lifecycle/fixtures';

export function closedCase(over: Parameters<typeof registered>[0] = {}): Case {
  return run(registered(over), [
    ['accept', director, '2026-03-04', {}],
    ['assign', director, '2026-03-04', { deptCode: 'HRSS' }],
    ['answer', hrss, '2026-03-20', opinion],
    ['approve-reply', director, '2026-03-21', {}],
    ['deliver', clerk, '2026-03-23', { deliveredOn: '2026-03-23' }],
    ['close', clerk, '2026-05-07', {}],
  ]);
}

export function declinedAndClosed(): Case {
  return run(registered({ statutoryRoute: { litigation: true, arbitration: false, reconsideration: false } }), [
    ['decline', director, '2026-03-04', { route: 'litigation', reason: '该事项已由人民法院受理' }],
    ['close', clerk, '2026-03-05', {}],
  ]);
}

const hex = (c: string) => c.repeat(64);

export function doc(over: Partial<DocumentRecord> & Pick<DocumentRecord, 'documentId' | 'kind'>): DocumentRecord {
  return {
    caseNo: 'XF-2026-000001',
    toPetitioner: false,
    fileName: `${over.documentId}.pdf`,
    contentType: 'application/pdf',
    declaredSize: 1000,
    key: `uploads/XF-2026-000001/${over.documentId}`,
    status: 'verified',
    size: 1000,
    sha256: hex('a'),
    uploadedBy: 'clerk1',
    createdAt: '2026-03-02T02:00:00.000Z',
    ...over,
  };
}

export const DOCUMENTS: DocumentRecord[] = [
  doc({ documentId: 'd-letter', kind: 'letter', fileName: '来信扫描件.pdf', sha256: hex('1'), createdAt: '2026-03-02T02:00:00.000Z' }),
  doc({
    documentId: 'd-receipt',
    kind: 'generated',
    letterKind: 'receipt',
    fileName: 'XF-2026-000001-受理凭证.pdf',
    key: 'generated/XF-2026-000001/d-receipt.pdf',
    pages: 1,
    sha256: hex('2'),
    createdAt: '2026-03-02T02:00:01.000Z',
  }),
  doc({
    documentId: 'd-notice',
    kind: 'generated',
    letterKind: 'acceptance-notice',
    documentNo: '江信受〔2026〕3号',
    key: 'generated/XF-2026-000001/d-notice.pdf',
    pages: 1,
    sha256: hex('3'),
    createdAt: '2026-03-04T03:00:00.000Z',
  }),
  doc({ documentId: 'd-photo', kind: 'response', fileName: '现场照片.png', contentType: 'image/png', sha256: hex('4'), createdAt: '2026-03-20T03:00:00.000Z' }),
  doc({ documentId: 'd-pending', kind: 'attachment', status: 'pending', sha256: undefined, size: undefined }),
  doc({ documentId: 'd-bad', kind: 'attachment', status: 'quarantined', quarantineReason: '文件内容与声明类型不符' }),
];
