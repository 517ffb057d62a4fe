/**
 * The OCR engine end to end (shared/adapters/ocr, docs/ocr.md): the real PP-OCRv4 models on pages
 * drawn here, small so the file takes seconds. A page bomb, a blank page and a page without
 * Chinese each get their own clear status; a Chinese page is read within 1% character errors;
 * the pages of a PDF and of a TIFF come back in order.
 */
import { crc32 } from 'node:zlib';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcrEngine } from '../../shared/app/ocr-ports';
import { createOcrEngine } from '../../shared/adapters/ocr/engine';
import { characterErrorRate, characterErrors } from '../../shared/domain/ocr-quality';
import { OcrReadingSchema } from '../../shared/domain/ocr';
import { drawLetterPage, grayTiff, seeded } from '../support/ocr-pages';

/** Small pages: 100 dpi, 20-point type (28 px), so each is read in well under a second. */
const small = { dpi: 100, points: 20 };

const CHINESE = [
  '尊敬的县信访局领导：',
  '我家住城关镇东风村三组，联系电话13907310562。2025年8月至今被拖欠工资共计38650元，恳请督促该公司尽快支付。',
  '信访人：张秀兰',
];
const SECOND = ['关于小区停车位问题的反映', '物业公司擅自将地下停车位对外出租，每月收取费用300元，业主多次反映未果。'];

async function png(canvas: Canvas): Promise<Uint8Array> {
  return canvas.encode('png');
}

/** A valid 1 × 1 PNG whose header is rewritten to declare a width × height page (CRC fixed). */
async function pngDeclaring(width: number, height: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await createCanvas(1, 1).encode('png'));
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(bytes.subarray(12, 29)));
  return bytes;
}

let engine: OcrEngine;
beforeAll(() => {
  engine = createOcrEngine();
});

describe('OCR engine', () => {
  it('rejects a page bomb from its header, without decoding it', async () => {
    const bomb = await pngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const reading = await engine.read({ bytes: bomb, contentType: 'image/png' });
    expect(OcrReadingSchema.parse(reading).pages).toEqual([
      { page: 1, status: 'rejected', text: '', confidence: null, reason: expect.stringMatching(/100000 × 100000/) },
    ]);
  });

  it('rejects a file it cannot open as one page', async () => {
    const reading = await engine.read({ bytes: new TextEncoder().encode('not a scan'), contentType: 'application/pdf' });
    expect(reading.pages).toMatchObject([{ page: 1, status: 'rejected' }]);
    const broken = await engine.read({ bytes: new TextEncoder().encode('%PDF-1.7\nbroken'), contentType: 'application/pdf' });
    expect(broken.pages).toMatchObject([{ page: 1, status: 'rejected' }]);
  });

  it('calls an empty page blank', async () => {
    const { canvas } = drawLetterPage({ paragraphs: [], ...small });
    const reading = await engine.read({ bytes: await png(canvas), contentType: 'image/png' });
    expect(reading.pages).toEqual([{ page: 1, status: 'blank', text: '', confidence: null }]);
  });

  it('calls a page of English text, and a photo-like picture, unreadable', async () => {
    const english = drawLetterPage({
      paragraphs: ['Dear Sir or Madam,', 'I am writing to complain about the noise from the factory next to our building, which runs all night.'],
      ...small,
    });
    const letter = await engine.read({ bytes: await png(english.canvas), contentType: 'image/png' });
    expect(letter.pages).toMatchObject([{ page: 1, status: 'unreadable', text: '', reason: expect.stringMatching(/no Chinese text/) }]);

    const photo = createCanvas(600, 450);
    const ctx = photo.getContext('2d');
    const random = seeded(7);
    for (let y = 0; y < 450; y += 6) {
      for (let x = 0; x < 600; x += 6) {
        const v = Math.round(60 + 120 * (0.5 + 0.5 * Math.sin(x / 40 + y / 70)) + 60 * random());
        ctx.fillStyle = `rgb(${v}, ${Math.round(v * 0.8)}, ${Math.round(v * 0.6)})`;
        ctx.fillRect(x, y, 6, 6);
      }
    }
    const picture = await engine.read({ bytes: await photo.encode('jpeg', 80), contentType: 'image/jpeg' });
    expect(picture.pages).toMatchObject([{ page: 1, status: 'unreadable', text: '' }]);
  });

  it('reads a clean Chinese page within 1% character errors', async () => {
    const page = drawLetterPage({ paragraphs: CHINESE, ...small });
    const reading = await engine.read({ bytes: await png(page.canvas), contentType: 'image/png' });
    const [only] = reading.pages;
    expect(only).toMatchObject({ page: 1, status: 'read' });
    expect(only!.confidence).toBeGreaterThan(0.8);
    expect(characterErrorRate([characterErrors(page.text, only!.text)])).toBeLessThanOrEqual(0.01);
  });

  it('reads a page scanned upside down', async () => {
    const page = drawLetterPage({ paragraphs: CHINESE, ...small });
    const upsideDown = createCanvas(page.canvas.width, page.canvas.height);
    const ctx = upsideDown.getContext('2d');
    ctx.translate(page.canvas.width, page.canvas.height);
    ctx.rotate(Math.PI);
    ctx.drawImage(page.canvas, 0, 0);
    const reading = await engine.read({ bytes: await png(upsideDown), contentType: 'image/png' });
    expect(reading.pages).toMatchObject([{ page: 1, status: 'read' }]);
    expect(characterErrorRate([characterErrors(page.text, reading.pages[0]!.text)])).toBeLessThanOrEqual(0.01);
  });

  it('reads the pages of a PDF in order', async () => {
    const pdf = await PDFDocument.create();
    const texts: string[] = [];
    for (const paragraphs of [SECOND, CHINESE]) {
      const page = drawLetterPage({ paragraphs, ...small });
      texts.push(page.text);
      const image = await pdf.embedPng(await png(page.canvas));
      pdf.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
    }
    const reading = await engine.read({ bytes: await pdf.save(), contentType: 'application/pdf' });
    expect(reading.pages.map((p) => [p.page, p.status])).toEqual([
      [1, 'read'],
      [2, 'read'],
    ]);
    reading.pages.forEach((p, i) => expect(characterErrorRate([characterErrors(texts[i]!, p.text)])).toBeLessThanOrEqual(0.02));
  });

  it('reads every page of a TIFF in order, each with its own status, within the page limit', async () => {
    const first = drawLetterPage({ paragraphs: SECOND, ...small });
    const blank = drawLetterPage({ paragraphs: [], ...small });
    const tiff = grayTiff([
      { canvas: first.canvas },
      { canvas: blank.canvas },
      { canvas: createCanvas(4, 4), declare: { width: 90_000, height: 90_000 } },
      { canvas: blank.canvas },
    ]);
    const limited = createOcrEngine({ limits: { maxPages: 3 } });
    const reading = await limited.read({ bytes: tiff, contentType: 'image/tiff' });
    expect(reading.pages.map((p) => [p.page, p.status])).toEqual([
      [1, 'read'],
      [2, 'blank'],
      [3, 'rejected'],
      [4, 'rejected'],
    ]);
    expect(reading.pages[2]!.reason).toMatch(/edge over/);
    expect(reading.pages[3]!.reason).toMatch(/page limit/);
    expect(characterErrorRate([characterErrors(first.text, reading.pages[0]!.text)])).toBeLessThanOrEqual(0.02);
  });
});
