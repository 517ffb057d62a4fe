/**
 * Embeds a subset of a letter font into a PDF, as a Type0 / CIDFontType2 font.
 *
 * pdf-lib's own `embedFont(bytes, { subset: true })` re-parses the 15 MB font for every document
 * and shapes every string through fontkit's layout engine; for letters neither is needed (no
 * ligatures or contextual forms in Chinese body text). Here the parsed font is reused, each
 * character maps through the cmap to one glyph, and the font dictionaries are written directly:
 *
 * - CIDs are assigned per distinct character in order of first use (1, 2, …), so each CID has
 *   exactly one Unicode value in the ToUnicode CMap (text extraction and search are exact, even
 *   where two characters share a glyph);
 * - CIDToGIDMap (a stream) maps each CID to its glyph in the subset font program;
 * - the subset program is fontkit 1.9.0's TrueType subsetter (glyf/loca/hmtx, composites
 *   followed), embedded as FontFile2; upstream fontkit 1.9.0, not @pdf-lib/fontkit, whose
 *   1.1.x subsets of CJK fonts come out with blank glyphs (pdf-lib issue 1232);
 * - the subset tag (the `ABCDEF+` of the font name) is derived from the characters used, so the
 *   same letter gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFHexString, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import type { Subset } from 'fontkit';
import type { LetterFont } from './fonts';

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** UTF-16BE hex of one code point, as ToUnicode wants it. */
function utf16Hex(cp: number): string {
  if (cp < 0x10000) return hex4(cp);
  const v = cp - 0x10000;
  return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
}

/** A FlateDecode stream compressed with Node's zlib (native; pdf-lib's pako is ~10× slower). */
function flate(context: PDFContext, bytes: Uint8Array | string, dict: Record<string, number> = {}) {
  return context.stream(deflateSync(bytes), { ...dict, Filter: 'FlateDecode' });
}

async function encodeSubset(subset: Subset): Promise<Uint8Array> {
  const stream = subset.encodeStream();
  const chunks: Uint8Array[] = [];
  await new Promise<void>((resolveDone, reject) => {
    stream.on('data', (c: Uint8Array) => chunks.push(c));
    stream.on('end', () => resolveDone());
    stream.on('error', reject);
  });
  return Buffer.concat(chunks);
}

/** The characters of one font used in one document, and their CIDs. */
export class FontUsage {
  private readonly cids = new Map<number, number>();
  private readonly codePoints: number[] = [];

  constructor(readonly font: LetterFont) {}

  /** The show-text operand for a string: its CIDs, two bytes each. */
  encode(text: string): PDFHexString {
    let hex = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      let cid = this.cids.get(cp);
      if (cid === undefined) {
        this.codePoints.push(cp);
        cid = this.codePoints.length;
        this.cids.set(cp, cid);
      }
      hex += hex4(cid);
    }
    return PDFHexString.of(hex);
  }

  get used(): boolean {
    return this.codePoints.length > 0;
  }

  /** Write the font objects; the Type0 font dictionary goes to `ref`. */
  async embed(context: PDFContext, ref: PDFRef): Promise<void> {
    const { font } = this;
    const program = font.program;
    const subset = program.createSubset();
    const cidToGid = new Uint8Array(2 * (this.codePoints.length + 1));
    const widths: number[] = [];
    this.codePoints.forEach((cp, i) => {
      const gid = subset.includeGlyph(font.glyphId(cp));
      cidToGid[2 * (i + 1)] = gid >> 8;
      cidToGid[2 * (i + 1) + 1] = gid & 0xff;
      widths.push(Math.round(font.advance(cp) * 100) / 100);
    });
    const programBytes = await encodeSubset(subset);

    const tag = [
      ...createHash('sha256')
        .update(`${font.postscriptName}:${this.codePoints.join(',')}`)
        .digest()
        .subarray(0, 6),
    ]
      .map((b) => String.fromCharCode(65 + (b % 26)))
      .join('');
    const baseFont = `${tag}+${font.postscriptName}`;
    const scale = 1000 / font.unitsPerEm;

    const fontFile = context.register(flate(context, programBytes, { Length1: programBytes.length }));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: baseFont,
        // Serif (2) + Symbolic (4): glyphs are addressed by CID, not a standard Latin encoding.
        Flags: 6,
        FontBBox: [font.bbox.minX * scale, font.bbox.minY * scale, font.bbox.maxX * scale, font.bbox.maxY * scale],
        ItalicAngle: 0,
        Ascent: font.ascent * scale,
        Descent: font.descent * scale,
        CapHeight: font.capHeight * scale,
        StemV: font.weight === 'bold' ? 140 : 80,
        FontFile2: fontFile,
      }),
    );
    const cidToGidMap = context.register(flate(context, cidToGid));
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: baseFont,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        DW: 1000,
        W: [1, widths],
        CIDToGIDMap: cidToGidMap,
      }),
    );
    const toUnicode = context.register(flate(context, this.toUnicodeCMap()));
    context.assign(
      ref,
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: baseFont,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }

  private toUnicodeCMap(): string {
    const lines = [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
    ];
    for (let start = 0; start < this.codePoints.length; start += 100) {
      const chunk = this.codePoints.slice(start, start + 100);
      lines.push(`${chunk.length} beginbfchar`);
      chunk.forEach((cp, i) => lines.push(`<${hex4(start + i + 1)}> <${utf16Hex(cp)}>`));
      lines.push('endbfchar');
    }
    lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
    return lines.join('\n');
  }
}
