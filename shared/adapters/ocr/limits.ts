/**
 * How much of a file the engine agrees to read (docs/ocr.md, "Engine"): checked on the sizes a
 * file declares (image header, TIFF directory, PDF page box) BEFORE anything is decoded or
 * rendered, so a small file that declares a 100,000 × 100,000 page (a page bomb) costs nothing.
 */

export interface PageLimits {
  /** A page whose declared size exceeds this many pixels is rejected unread. */
  maxPixels: number;
  /** A page with an edge longer than this (pixels) is rejected unread. */
  maxEdge: number;
  /** Pages after this many in one file are rejected ("page limit"). */
  maxPages: number;
  /** An allowed page is rendered (or scaled down) so that its long edge is at most this. */
  renderEdge: number;
  /** PDF pages are rendered at this resolution (dots per inch), within `renderEdge`. */
  pdfDpi: number;
}

export const DEFAULT_PAGE_LIMITS: PageLimits = {
  maxPixels: 50_000_000,
  maxEdge: 20_000,
  maxPages: 50,
  renderEdge: 3_600,
  pdfDpi: 220,
};

/** Why a page of the declared size is not read, or null when it may be read. */
export function pageSizeRejection(width: number, height: number, limits: PageLimits): string | null {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width < 1 || height < 1) {
    return `page size ${width} × ${height} is not valid`;
  }
  if (width > limits.maxEdge || height > limits.maxEdge) {
    return `page ${Math.round(width)} × ${Math.round(height)} px has an edge over ${limits.maxEdge} px`;
  }
  if (width * height > limits.maxPixels) {
    return `page ${Math.round(width)} × ${Math.round(height)} px is over ${limits.maxPixels / 1_000_000} megapixels`;
  }
  return null;
}

/** The scale (≤ 1) at which a page of this size is drawn so its long edge fits `renderEdge`. */
export function fitScale(width: number, height: number, renderEdge: number): number {
  return Math.min(1, renderEdge / Math.max(width, height));
}

/** The reason a page beyond the page limit is rejected, or null when it is within it (1-based page). */
export function pageLimitRejection(page: number, limits: PageLimits): string | null {
  return page > limits.maxPages ? `page limit: only the first ${limits.maxPages} pages of a file are read` : null;
}
