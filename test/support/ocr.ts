/**
 * OCR in the end-to-end and browser tests (docs/ocr.md): scanned letters made the way a scanner
 * makes them — Chinese text set in Noto Serif SC, drawn onto an image (@napi-rs/canvas), the image
 * alone in a PDF page (pdf-lib), no text layer — and the engine the local stack runs for them.
 *
 * `testOcrEngine()` is the engine the tests give the stack: the real PP-OCRv4 engine
 * (shared/adapters/ocr/engine.ts, the stack's default), or with XF_TEST_OCR=fake a stand-in that
 * knows the text of the scans this module made (by their bytes) and reads nothing else (a quick
 * run of the flow).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import type { OcrEngine } from '../../shared/app/ocr-ports';

const FONT = path.resolve(import.meta.dirname, '../../node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
let fontRegistered = false;

/** What the stand-in engine reads: the text of each scan this module made, by SHA-256 of its bytes. */
const written = new Map<string, string[]>();
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A PNG of the lines, black on white, as a 150 dpi scan of an A5 page. */
export function scanImage(lines: string[]): Uint8Array {
  if (!fontRegistered) fontRegistered = GlobalFonts.registerFromPath(FONT, 'XfScanSerif') !== null;
  const canvas = createCanvas(874, 1240);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111111';
  ctx.font = '34px XfScanSerif';
  lines.forEach((line, i) => ctx.fillText(line, 70, 120 + i * 64));
  return new Uint8Array(canvas.encodeSync('png'));
}

/** A one-page PDF holding only the image of the lines (a scan: no text layer). */
export async function scannedLetterPdf(lines: string[]): Promise<Uint8Array> {
  const png = scanImage(lines);
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(png);
  const page = doc.addPage([420, 595]);
  page.drawImage(image, { x: 0, y: 0, width: 420, height: 595 });
  const bytes = await doc.save();
  written.set(digest(bytes), lines);
  return bytes;
}

/** The stand-in: reads the scans this module made (one page, their lines), fails on anything else. */
export const fakeOcrEngine: OcrEngine = {
  async read({ bytes }) {
    const lines = written.get(digest(bytes));
    if (!lines) throw new Error('the stand-in OCR engine reads only the scans test/support/ocr.ts made');
    return { engine: 'test-stand-in', pages: [{ page: 1, status: 'read', text: lines.join('\n'), confidence: 0.99 }] };
  },
};

/** The engine the tests run: the real one (undefined: the stack's default), or the stand-in with XF_TEST_OCR=fake. */
export function testOcrEngine(): (() => Promise<OcrEngine>) | undefined {
  return process.env.XF_TEST_OCR === 'fake' ? async () => fakeOcrEngine : undefined;
}
