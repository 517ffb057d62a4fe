import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_LIMITS, fitScale, pageLimitRejection, pageSizeRejection } from '../../../shared/adapters/ocr/limits';
import { jpegSize, pngSize, sniffKind } from '../../../shared/adapters/ocr/headers';

describe('OCR page limits (the page-bomb guard)', () => {
  it('rejects a page over the pixel or edge limit, and lets an A4 page at 300 dpi through', () => {
    expect(pageSizeRejection(100_000, 100_000, DEFAULT_PAGE_LIMITS)).toMatch(/edge over 20000/);
    expect(pageSizeRejection(20_001, 10, DEFAULT_PAGE_LIMITS)).toMatch(/edge/);
    expect(pageSizeRejection(8_000, 7_000, DEFAULT_PAGE_LIMITS)).toMatch(/over 50 megapixels/);
    expect(pageSizeRejection(0, 100, DEFAULT_PAGE_LIMITS)).toMatch(/not valid/);
    expect(pageSizeRejection(2_480, 3_508, DEFAULT_PAGE_LIMITS)).toBeNull();
  });

  it('scales a big page down to the render edge, never up', () => {
    expect(fitScale(7_200, 3_600, 3_600)).toBe(0.5);
    expect(fitScale(1_000, 800, 3_600)).toBe(1);
  });

  it('reads the first pages of a file and rejects the rest', () => {
    expect(pageLimitRejection(50, DEFAULT_PAGE_LIMITS)).toBeNull();
    expect(pageLimitRejection(51, DEFAULT_PAGE_LIMITS)).toMatch(/page limit/);
  });
});

describe('OCR file headers', () => {
  it('tells the file type from its first bytes', () => {
    expect(sniffKind(new TextEncoder().encode('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffKind(new Uint8Array([0x49, 0x49, 0x2a, 0x00]))).toBe('tiff');
    expect(sniffKind(new Uint8Array([0x4d, 0x4d, 0x00, 0x2a]))).toBe('tiff');
    expect(sniffKind(new TextEncoder().encode('hello'))).toBeNull();
  });

  it('reads the declared size of a PNG from its IHDR chunk', () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 70_000);
    expect(pngSize(png)).toEqual({ width: 100_000, height: 70_000 });
    expect(pngSize(png.subarray(0, 20))).toBeNull();
  });

  it('reads the declared size of a JPEG from its frame header, past the other segments', () => {
    // SOI, an APP0 segment of 16 bytes, a DQT of 4, then SOF0 declaring 60,000 × 40,000.
    const jpeg = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array<number>(14).fill(0),
      0xff,
      0xdb,
      0x00,
      0x04,
      0x00,
      0x00,
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x9c,
      0x40,
      0xea,
      0x60,
      0x03,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(jpegSize(jpeg)).toEqual({ width: 60_000, height: 40_000 });
    expect(jpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });
});
