/**
 * The OCR test set (test/fixtures/ocr, made by `npm run ocr:corpus`) is well-formed: enough pages,
 * every scan has its truth with as many pages as the scan, and the typefaces and conditions the
 * OCR issue asks for are all there.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import UTIF from 'utif2';
import { describe, expect, it } from 'vitest';
import { countedCharacters } from '../../../shared/domain/ocr-quality';
import { OCR_CORPUS_DIR, OCR_CORPUS_MANIFEST, OcrCorpusManifestSchema, truthFileName, truthPages } from '../../../scripts/ocr-corpus-manifest';

const manifest = OcrCorpusManifestSchema.parse(JSON.parse(readFileSync(OCR_CORPUS_MANIFEST, 'utf8')));

async function pageCount(file: string): Promise<number> {
  const bytes = readFileSync(join(OCR_CORPUS_DIR, file));
  if (file.endsWith('.pdf')) return (await PDFDocument.load(bytes)).getPageCount();
  if (file.endsWith('.tif')) {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return UTIF.decode(buffer).filter((ifd) => ifd.t256 !== undefined).length;
  }
  return 1;
}

describe('the OCR test set', () => {
  it('has at least 20 pages, counting every page of a multi-page file', () => {
    const pages = manifest.files.reduce((s, f) => s + f.pages.length, 0);
    expect(pages).toBeGreaterThanOrEqual(20);
  });

  it('lists every scan in the directory, and each listed scan exists with a truth', () => {
    const scans = readdirSync(OCR_CORPUS_DIR).filter((f) => /\.(png|jpg|pdf|tif)$/.test(f));
    expect(manifest.files.map((f) => f.file).sort()).toEqual(scans.sort());
    const truths = readdirSync(OCR_CORPUS_DIR).filter((f) => f.endsWith('.gt.txt'));
    expect(truths.sort()).toEqual(scans.map(truthFileName).sort());
  });

  it.each(manifest.files.map((f) => [f.file, f] as const))('%s: the scan has as many pages as its truth and the manifest', async (file, entry) => {
    const truth = readFileSync(join(OCR_CORPUS_DIR, truthFileName(file)), 'utf8');
    const pages = truthPages(truth.trimEnd());
    expect(await pageCount(file)).toBe(pages.length);
    expect(entry.pages).toHaveLength(pages.length);
    // Every page is a letter's worth of text, not an empty or truncated truth.
    for (const page of pages) expect(countedCharacters(page).length).toBeGreaterThan(200);
  });

  it('covers the Song, Hei and Kai typefaces and every scanning condition of the issue', () => {
    const typefaces = new Set(manifest.files.flatMap((f) => f.pages.map((p) => p.typeface)));
    expect([...typefaces].sort()).toEqual(['hei', 'kai', 'song']);
    const conditions = new Set(manifest.files.flatMap((f) => f.pages.flatMap((p) => p.conditions)));
    for (const c of ['clean', 'skew', 'speckle', 'blur', 'photocopy', 'jpeg', 'grey-background'] as const) {
      expect(conditions, c).toContain(c);
    }
    const twoPagePdfs = manifest.files.filter((f) => f.file.endsWith('.pdf') && f.pages.length === 2);
    expect(twoPagePdfs.length).toBeGreaterThanOrEqual(2);
    expect(manifest.files.some((f) => f.file.endsWith('.tif') && f.pages.length > 1)).toBe(true);
    // Skews stay within what a crooked feed gives (1–4°).
    const skews = manifest.files.flatMap((f) => f.pages.filter((p) => p.conditions.includes('skew')).map((p) => Math.abs(p.skewDegrees)));
    expect(Math.min(...skews)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...skews)).toBeLessThanOrEqual(4);
  });

  it('stays small enough to commit (under 8 MB)', () => {
    const bytes = readdirSync(OCR_CORPUS_DIR).reduce((s, f) => s + statSync(join(OCR_CORPUS_DIR, f)).size, 0);
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
  });
});
