/**
 * The OCR store (shared/app/ocr-ports.ts OcrStore) in memory, over a FakeState: what the DynamoDB
 * adapter (shared/adapters/ocr-store.ts) keeps as a status item and page items per document. The
 * contract suite test/support/contracts/ocr-store.ts runs against both.
 */
import type { OcrStore, QueuedOcrJob } from '../../../shared/app/ocr-ports';
import type { OcrDocument, OcrPage, OcrReading } from '../../../shared/domain/ocr';
import { clone, tick, type FakeState } from './state';

const id = (caseNo: string, documentId: string) => `${caseNo}#${documentId}`;

export class FakeOcrStore implements OcrStore {
  constructor(private readonly state: FakeState) {}

  async markQueued(caseNo: string, documentId: string, at: string): Promise<OcrDocument> {
    await tick();
    const existing = this.state.ocr.get(id(caseNo, documentId));
    if (existing) return clone(existing);
    const doc: OcrDocument = { caseNo, documentId, status: 'queued', attempts: 0, queuedAt: at, updatedAt: at, pages: [] };
    this.state.ocr.set(id(caseNo, documentId), doc);
    return clone(doc);
  }

  async recordFailure(caseNo: string, documentId: string, input: { attempts: number; error: string; failed: boolean; at: string }): Promise<void> {
    await tick();
    this.state.checkFault('ocr.recordFailure');
    const existing = this.state.ocr.get(id(caseNo, documentId));
    if (existing?.status === 'done') return;
    this.state.ocr.set(id(caseNo, documentId), {
      caseNo,
      documentId,
      status: input.failed ? 'failed' : 'queued',
      attempts: input.attempts,
      queuedAt: existing?.queuedAt ?? input.at,
      updatedAt: input.at,
      error: input.error,
      pages: [],
    });
  }

  async saveReading(caseNo: string, documentId: string, reading: OcrReading, input: { attempts: number; at: string }): Promise<void> {
    await tick();
    this.state.checkFault('ocr.saveReading');
    const existing = this.state.ocr.get(id(caseNo, documentId));
    this.state.ocr.set(id(caseNo, documentId), {
      caseNo,
      documentId,
      status: 'done',
      attempts: input.attempts,
      queuedAt: existing?.queuedAt ?? input.at,
      updatedAt: input.at,
      engine: reading.engine,
      pages: clone([...reading.pages].sort((a, b) => a.page - b.page)),
    });
  }

  async queuedJobs(limit = 1000): Promise<QueuedOcrJob[]> {
    await tick();
    this.state.checkFault('ocr.queuedJobs');
    return [...this.state.ocr.values()]
      .filter((d) => d.status === 'queued')
      .slice(0, limit)
      .map((d) => ({ caseNo: d.caseNo, documentId: d.documentId, sentAt: this.state.ocrSent.get(id(d.caseNo, d.documentId)) ?? d.queuedAt }));
  }

  async markSent(caseNo: string, documentId: string, at: string): Promise<boolean> {
    await tick();
    if (this.state.ocr.get(id(caseNo, documentId))?.status !== 'queued') return false;
    this.state.ocrSent.set(id(caseNo, documentId), at);
    return true;
  }

  async discard(caseNo: string, documentId: string): Promise<void> {
    await tick();
    if (this.state.ocr.get(id(caseNo, documentId))?.status === 'done') return;
    this.state.ocr.delete(id(caseNo, documentId));
    this.state.ocrSent.delete(id(caseNo, documentId));
  }

  async get(caseNo: string, documentId: string): Promise<OcrDocument | null> {
    await tick();
    return clone(this.state.ocr.get(id(caseNo, documentId)) ?? null);
  }

  async readingsOf(caseNo: string): Promise<{ documentId: string; pages: OcrPage[] }[]> {
    await tick();
    return [...this.state.ocr.values()]
      .filter((d) => d.caseNo === caseNo && d.status === 'done')
      .map((d) => ({ documentId: d.documentId, pages: clone(d.pages) }))
      .sort((a, b) => a.documentId.localeCompare(b.documentId));
  }
}
