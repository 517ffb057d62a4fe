/**
 * Test helpers that read a letter PDF back the way a reader would, independently of the code
 * that wrote it:
 * - extractPageTexts: the text of each page as pdfjs-dist (Mozilla's PDF engine, legacy build
 *   for Node) extracts it;
 * - embeddedFonts: each embedded font program (FontFile2) parsed with fontkit, with the PDF's own
 *   ToUnicode and CIDToGIDMap, so a character can be followed to the glyph a viewer will draw;
 * - shownCids: the CIDs the page content streams actually show, per font resource.
 */
import * as fontkit from 'fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * How extracted text is compared: every whitespace character is removed, on both sides. A PDF
 * has no lines or paragraphs, only positioned glyphs; pdfjs infers line ends and, where a
 * justified line is spread, spaces between characters. Neither is content. (The cost: a space
 * between two Latin words is not checked.)
 */
export function normalise(text: string): string {
  return text.replace(/\s+/gu, '');
}

export async function extractPageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: bytes.slice(), verbosity: 0, useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

function lookupDict(doc: PDFDocument, obj: PDFObject | undefined): PDFDict {
  const o = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (!(o instanceof PDFDict)) throw new Error('expected a dictionary');
  return o;
}

function streamBytes(doc: PDFDocument, obj: PDFObject | undefined): Uint8Array {
  const o = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (!(o instanceof PDFRawStream)) throw new Error('expected a stream');
  return decodePDFRawStream(o).decode();
}

export interface EmbeddedFont {
  /** Font resource name on the pages (F1, F2). */
  resource: string;
  baseFont: string;
  program: fontkit.Font;
  /** CID → Unicode string, from the ToUnicode CMap. */
  toUnicode: Map<number, string>;
  /** CID → glyph id in the embedded program, from CIDToGIDMap. */
  cidToGid: (cid: number) => number;
  /** Size of the embedded (decoded) font program in bytes. */
  programBytes: number;
}

function parseToUnicode(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const units = (m[2] ?? '').match(/.{4}/g)?.map((h) => parseInt(h, 16)) ?? [];
      map.set(parseInt(m[1] ?? '', 16), String.fromCharCode(...units));
    }
  }
  if (/beginbfrange/.test(text)) throw new Error('bfrange not expected in these letters');
  return map;
}

/** Every Type0 font used on any page, with its embedded program parsed by fontkit. */
export async function embeddedFonts(bytes: Uint8Array): Promise<EmbeddedFont[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const seen = new Map<string, EmbeddedFont>();
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    if (!fonts) continue;
    for (const [name, ref] of fonts.entries()) {
      const resource = name.decodeText();
      if (seen.has(resource)) continue;
      const type0 = lookupDict(doc, ref);
      const descendants = type0.lookup(PDFName.of('DescendantFonts'), PDFArray);
      const cidFont = lookupDict(doc, descendants.get(0));
      const descriptor = lookupDict(doc, cidFont.get(PDFName.of('FontDescriptor')));
      const program = streamBytes(doc, descriptor.get(PDFName.of('FontFile2')));
      const toUnicode = parseToUnicode(new TextDecoder().decode(streamBytes(doc, type0.get(PDFName.of('ToUnicode')))));
      const mapObj = cidFont.get(PDFName.of('CIDToGIDMap'));
      let cidToGid: (cid: number) => number = (cid) => cid;
      if (!(mapObj instanceof PDFName)) {
        const map = streamBytes(doc, mapObj);
        cidToGid = (cid) => ((map[2 * cid] ?? 0) << 8) | (map[2 * cid + 1] ?? 0);
      }
      seen.set(resource, {
        resource,
        baseFont: type0.lookup(PDFName.of('BaseFont'), PDFName).decodeText(),
        program: fontkit.create(Buffer.from(program)),
        toUnicode,
        cidToGid,
        programBytes: program.length,
      });
    }
  }
  return [...seen.values()];
}

/** The CIDs shown by each page's content stream, per font resource name. */
export async function shownCids(bytes: Uint8Array): Promise<Map<string, Set<number>>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const out = new Map<string, Set<number>>();
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const text = streams.map((s) => new TextDecoder('latin1').decode(streamBytes(doc, s))).join('\n');
    let font = '';
    for (const m of text.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>/g)) {
      if (m[1] !== undefined) {
        font = m[1];
        continue;
      }
      const cids = out.get(font) ?? new Set<number>();
      for (const h of (m[2] ?? '').match(/.{4}/g) ?? []) cids.add(parseInt(h, 16));
      out.set(font, cids);
    }
  }
  return out;
}

/** A glyph draws something: it has outline commands and a bounding box with area. */
export function glyphHasOutline(program: fontkit.Font, gid: number): boolean {
  const glyph = program.getGlyph(gid);
  const { bbox, commands } = glyph.path;
  return commands.length > 0 && bbox.maxX - bbox.minX > 0 && bbox.maxY - bbox.minY > 0;
}

/**
 * The characters of `text` that no embedded font can draw: not in any ToUnicode map, or mapped
 * to a glyph without an outline in the embedded program. `skipWhitespace` leaves out spaces,
 * whose glyphs are empty by design.
 */
export function blankCharacters(fonts: EmbeddedFont[], text: string, skipWhitespace = true): string[] {
  const bad = new Set<string>();
  for (const ch of new Set(text)) {
    if (skipWhitespace && /\s/u.test(ch)) continue;
    let drawn = false;
    let mapped = false;
    for (const f of fonts) {
      for (const [cid, uni] of f.toUnicode) {
        if (uni !== ch) continue;
        mapped = true;
        if (glyphHasOutline(f.program, f.cidToGid(cid))) drawn = true;
        else bad.add(ch);
      }
    }
    if (!mapped || !drawn) bad.add(ch);
  }
  return [...bad];
}
