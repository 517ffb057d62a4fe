/**
 * The pages of a scan as images, one at a time and in order: JPEG and PNG decoded by
 * @napi-rs/canvas, every page of a TIFF by utif2, every page of a PDF rendered by pdfjs-dist onto
 * @napi-rs/canvas. Each page's declared size is checked against the limits before it is decoded
 * or rendered (limits.ts); a page that may be read is drawn with its long edge within
 * `renderEdge`. A file that cannot be opened at all yields one rejected page.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, ImageData, loadImage, type Canvas, type Image } from '@napi-rs/canvas';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import UTIF from 'utif2';
import { jpegSize, pngSize, sniffKind } from './headers';
import { fitScale, pageLimitRejection, pageSizeRejection, type PageLimits } from './limits';

/** A page drawn on a canvas, on white. */
export interface RasterPage {
  canvas: Canvas;
  width: number;
  height: number;
}

type RenderParameters = Parameters<PDFPageProxy['render']>[0];

export type PageSource = { page: number; raster: RasterPage } | { page: number; rejected: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function whiteCanvas(width: number, height: number): Canvas {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

/** Draws an image (or a canvas) scaled to fit the render edge, on white. */
function drawFitted(source: Image | Canvas, width: number, height: number, limits: PageLimits): RasterPage {
  const scale = fitScale(width, height, limits.renderEdge);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = whiteCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, w, h);
  return { canvas, width: w, height: h };
}

async function* imagePages(bytes: Uint8Array, kind: 'jpeg' | 'png', limits: PageLimits): AsyncGenerator<PageSource> {
  const size = kind === 'png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size) {
    yield { page: 1, rejected: `not a readable ${kind.toUpperCase()}: no image header` };
    return;
  }
  const tooBig = pageSizeRejection(size.width, size.height, limits);
  if (tooBig) {
    yield { page: 1, rejected: tooBig };
    return;
  }
  let image: Image;
  try {
    image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    yield { page: 1, rejected: `${kind.toUpperCase()} could not be decoded: ${errorText(error)}` };
    return;
  }
  if (image.width < 1 || image.height < 1) {
    yield { page: 1, rejected: `${kind.toUpperCase()} could not be decoded` };
    return;
  }
  yield { page: 1, raster: drawFitted(image, image.width, image.height, limits) };
}

function tagNumber(ifd: UTIF.IFD, tag: string): number {
  const value = ifd[tag];
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : NaN;
}

async function* tiffPages(bytes: Uint8Array, limits: PageLimits): AsyncGenerator<PageSource> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: UTIF.IFD[];
  try {
    ifds = UTIF.decode(buffer);
  } catch (error) {
    yield { page: 1, rejected: `TIFF could not be decoded: ${errorText(error)}` };
    return;
  }
  if (ifds.length === 0) {
    yield { page: 1, rejected: 'TIFF has no pages' };
    return;
  }
  for (const [index, ifd] of ifds.entries()) {
    const page = index + 1;
    const overLimit = pageLimitRejection(page, limits);
    if (overLimit) {
      yield { page, rejected: overLimit };
      continue;
    }
    const width = tagNumber(ifd, 't256');
    const height = tagNumber(ifd, 't257');
    const tooBig = pageSizeRejection(width, height, limits);
    if (tooBig) {
      yield { page, rejected: tooBig };
      continue;
    }
    let rgba: Uint8Array;
    try {
      UTIF.decodeImage(buffer, ifd);
      rgba = UTIF.toRGBA8(ifd);
    } catch (error) {
      yield { page, rejected: `TIFF page could not be decoded: ${errorText(error)}` };
      continue;
    }
    if (rgba.length !== width * height * 4) {
      yield { page, rejected: 'TIFF page could not be decoded: unexpected pixel data' };
      continue;
    }
    const full = createCanvas(width, height);
    full.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), width, height), 0, 0);
    // Transparent pixels (an alpha channel) are drawn over white like any other page.
    yield { page, raster: drawFitted(full, width, height, limits) };
  }
}

const require = createRequire(import.meta.url);

/** pdfjs-dist's own folders (CMaps for CJK fonts, the standard fonts), when the package is on disk. */
function pdfjsAssetUrls(): { cMapUrl?: string; standardFontDataUrl?: string } {
  try {
    const root = dirname(require.resolve('pdfjs-dist/package.json'));
    return {
      cMapUrl: pathToFileURL(join(root, 'cmaps') + '/').href,
      standardFontDataUrl: pathToFileURL(join(root, 'standard_fonts') + '/').href,
    };
  } catch {
    return {};
  }
}

async function* pdfPages(bytes: Uint8Array, limits: PageLimits): AsyncGenerator<PageSource> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs runs its worker in this thread in Node; importing it here (it sets globalThis.pdfjsWorker)
  // lets a bundler include it, instead of pdfjs importing it from a path next to its own file.
  await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  // pdfjs takes a plain Uint8Array (not a Buffer) and transfers it: give it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapPacked: true,
    // An image inside a page is a bomb too: pdfjs refuses to decode one over this many pixels.
    maxImageSize: limits.maxPixels,
    ...pdfjsAssetUrls(),
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy();
    yield { page: 1, rejected: `PDF could not be opened: ${errorText(error)}` };
    return;
  }
  try {
    for (let page = 1; page <= doc.numPages; page++) {
      const overLimit = pageLimitRejection(page, limits);
      if (overLimit) {
        yield { page, rejected: overLimit };
        continue;
      }
      let rendered: RasterPage;
      try {
        const pdfPage = await doc.getPage(page);
        // The page box in points (1/72 inch): rendered at pdfDpi, within the render edge.
        const box = pdfPage.getViewport({ scale: 1 });
        const atDpi = limits.pdfDpi / 72;
        const tooBig = pageSizeRejection(box.width, box.height, limits);
        if (tooBig) {
          pdfPage.cleanup();
          yield { page, rejected: tooBig };
          continue;
        }
        const scale = atDpi * fitScale(box.width * atDpi, box.height * atDpi, limits.renderEdge);
        const viewport = pdfPage.getViewport({ scale });
        const width = Math.max(1, Math.round(viewport.width));
        const height = Math.max(1, Math.round(viewport.height));
        const canvas = whiteCanvas(width, height);
        const context = canvas.getContext('2d');
        await pdfPage.render({
          // @napi-rs/canvas stands in for the DOM canvas (pdfjs-dist uses it itself in Node).
          canvas: canvas as unknown as RenderParameters['canvas'],
          canvasContext: context as unknown as RenderParameters['canvasContext'],
          viewport,
          background: '#ffffff',
        }).promise;
        pdfPage.cleanup();
        rendered = { canvas, width, height };
      } catch (error) {
        yield { page, rejected: `PDF page could not be rendered: ${errorText(error)}` };
        continue;
      }
      yield { page, raster: rendered };
    }
  } finally {
    await doc.destroy();
  }
}

/** Every page of a scan, in order (at least one). */
export async function* pagesOf(bytes: Uint8Array, limits: PageLimits): AsyncGenerator<PageSource> {
  const kind = sniffKind(bytes);
  switch (kind) {
    case 'jpeg':
    case 'png':
      yield* imagePages(bytes, kind, limits);
      return;
    case 'tiff':
      yield* tiffPages(bytes, limits);
      return;
    case 'pdf':
      yield* pdfPages(bytes, limits);
      return;
    default:
      yield { page: 1, rejected: 'not a PDF, JPEG, PNG or TIFF file' };
  }
}
