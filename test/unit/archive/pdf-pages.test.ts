import { PDFDocument } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countPdfPages, MAX_INFLATED_BYTES, PdfPageCounter } from '../../../shared/domain/pdf-pages';

/** A PDF whose object stream holds `inflated` bytes of padding before its page tree: small on disk. */
function bombPdf(inflated: number, pages = 3): Uint8Array {
  const tree = Buffer.from(`<< /Type /Pages /Kids [] /Count ${pages} >>`, 'latin1');
  const data = deflateSync(Buffer.concat([Buffer.alloc(inflated, 0x20), tree]), { level: 1 });
  const head = Buffer.from(`%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1');
  return new Uint8Array(Buffer.concat([head, data, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]));
}

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

describe('a compression bomb', () => {
  it('stops inflating at the cap and says why, instead of inflating the whole stream', () => {
    // Prepare: about 600 KB on disk that inflates to twice the cap (1 GB in the report).
    const bytes = bombPdf(MAX_INFLATED_BYTES * 2);
    expect(bytes.byteLength).toBeLessThan(1024 * 1024);
    const counter = new PdfPageCounter();

    // Act
    for (let i = 0; i < bytes.length; i += 64 * 1024) counter.push(bytes.subarray(i, i + 64 * 1024));

    // Assess: no count (never a guess), and a reason the run can report.
    expect(counter.result()).toBeUndefined();
    expect(counter.problem).toMatch(/解压后超过64 MB/);
  });

  it('still counts the pages of an object stream under the cap', () => {
    const counter = new PdfPageCounter();
    counter.push(bombPdf(1024 * 1024, 4));
    expect(counter.result()).toBe(4);
    expect(counter.problem).toBeUndefined();
  });

  it('stops when counting takes longer than its time budget', () => {
    // Prepare: a clock that moves 1.5 s each time it is read.
    let t = 0;
    const counter = new PdfPageCounter({ maxMillis: 2_000, now: () => (t += 1_500) });

    // Act: two chunks of an ordinary file.
    counter.push(new TextEncoder().encode('%PDF-1.4\n2 0 obj << /Type /Pages /Kids [] /Count 2 >> endobj\n'));
    counter.push(new TextEncoder().encode('%%EOF\n'));

    // Assess
    expect(counter.result()).toBeUndefined();
    expect(counter.problem).toMatch(/用时超过2秒/);
  });
});
