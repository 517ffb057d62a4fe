import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { countPdfPages, PdfPageCounter } from '../../../shared/domain/pdf-pages';

async function pdf(pages: number, useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage();
  return doc.save({ useObjectStreams });
}

describe('the page count of a PDF, while it streams past', () => {
  it.each([
    [1, false],
    [3, false],
    [1, true],
    [7, true],
    [250, true],
  ])('finds %i pages (object streams: %s), however the bytes are chunked', async (pages, objectStreams) => {
    const bytes = await pdf(pages, objectStreams);
    expect(countPdfPages(bytes)).toBe(pages);
    for (const size of [1, 7, 1000]) {
      const counter = new PdfPageCounter();
      for (let i = 0; i < bytes.length; i += size) counter.push(bytes.subarray(i, i + size));
      expect(counter.result(), `chunks of ${size}`).toBe(pages);
    }
  });

  it('takes the root of a nested page tree, not an inner node or an outline count', () => {
    const text = [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R /Outlines 9 0 R >> endobj',
      '9 0 obj << /Type /Outlines /Count 40 >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 12 /Resources << /Font << /F1 5 0 R >> >> >> endobj',
      '3 0 obj << /Type /Pages /Parent 2 0 R /Kids [] /Count 5 >> endobj',
      '4 0 obj << /Type /Pages /Parent 2 0 R /Kids [] /Count 7 >> endobj',
      '%%EOF',
    ].join('\n');
    expect(countPdfPages(new TextEncoder().encode(text))).toBe(12);
  });

  it('says nothing rather than guess for what is not a readable PDF', () => {
    expect(countPdfPages(new TextEncoder().encode('not a pdf at all'))).toBeUndefined();
    expect(countPdfPages(new Uint8Array(100_000).fill(0x41))).toBeUndefined();
  });
});
