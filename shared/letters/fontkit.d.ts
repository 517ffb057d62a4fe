/**
 * The part of fontkit 1.9.0 (upstream, not @pdf-lib/fontkit) the letters use. fontkit ships no
 * types; this declares only what shared/letters and its tests call.
 */
declare module 'fontkit' {
  export interface BBox {
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
    width: number;
    height: number;
  }
  export interface PathCommand {
    command: string;
    args: number[];
  }
  export interface Path {
    commands: PathCommand[];
    bbox: BBox;
  }
  export interface Glyph {
    id: number;
    advanceWidth: number;
    path: Path;
    bbox: BBox;
    codePoints: number[];
  }
  export interface Subset {
    /** Adds a glyph (by id of the source font) and returns its id in the subset. */
    includeGlyph(glyph: number | Glyph): number;
    /** The subset font program (TrueType: glyf, loca, hmtx, head, hhea, maxp, …; no cmap). */
    encodeStream(): NodeJS.ReadableStream;
  }
  export interface Font {
    postscriptName: string;
    familyName: string;
    /** Every code point the cmap maps. */
    characterSet: number[];
    unitsPerEm: number;
    ascent: number;
    descent: number;
    capHeight: number;
    xHeight: number;
    italicAngle: number;
    numGlyphs: number;
    bbox: BBox;
    /** Decoded loca table (TrueType fonts); reading it warms the cache. */
    loca: unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(glyphId: number): Glyph;
    createSubset(): Subset;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
