/**
 * Letter content → PDF bytes. Pure: same content and fonts, same bytes (no clock, no random
 * font tag; the PDF dates are the issue date).
 *
 * Layout after GB/T 9704-2012 (党政机关公文格式), simplified for letters:
 * - A4; text area 156 × 225 mm, top margin 37 mm, left margin 28 mm; body 15.75 pt (≈ 3号,
 *   so that 28 characters fill a line) on 22 lines per page;
 * - first page: issuing organ in red bold as the heading (发文机关标志), its top 30 mm from the
 *   top edge as in the letter format (信函格式, §10.1) so a short letter keeps to one page; the
 *   document number (发文字号) centred below it, a red rule the width of the text area 4 mm under
 *   the number, the title centred in bold (2号), the addressee flush left with `：`, the body;
 * - body paragraphs with a two-character first-line indent, justified, Chinese line breaking
 *   with kinsoku (linebreak.ts); long bodies continue on further pages without the heading;
 * - signature (发文机关署名) centred over the date, the date four characters from the right
 *   margin, a seal area (dashed circle with the seal text) over both, starting within one line
 *   of the body; if the signature does not fit, the last two body lines move to the next page
 *   with it (a page never holds only the signature), and the last page never starts with a
 *   paragraph's single last line;
 * - every page: page number `— n —` 7 mm below the text area (odd pages right, even pages left,
 *   one character in), and a footer with the case number and the short content hash.
 */
import {
  PDFDocument,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  appendBezierCurve,
  beginText,
  closePath,
  endText,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  setDashPattern,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  setTextMatrix,
  showText,
  stroke,
} from 'pdf-lib';
import type { PDFHexString } from 'pdf-lib';
import { ValidationError, type FieldIssue } from '../domain/errors';
import { LetterContentSchema, letterContentHash, shortLetterHash, type LetterContent } from './content';
import type { FontWeight, LetterFonts } from './fonts';
import { breakLines, justificationGaps, type Line } from './linebreak';
import { FontUsage } from './pdf-font';
import { zodToValidationError } from '../domain/validation';

const MM = 72 / 25.4;
export const PAGE_WIDTH = 210 * MM;
export const PAGE_HEIGHT = 297 * MM;
const LEFT = 28 * MM;
const TEXT_WIDTH = 156 * MM;
const TEXT_TOP = PAGE_HEIGHT - 37 * MM;
const TEXT_BOTTOM = TEXT_TOP - 225 * MM;
export const BODY_SIZE = 15.75;
const LINE = (225 * MM) / 22;
const HEADING_SIZE = 30;
/** Top of the organ heading: 30 mm from the top edge, as in the GB/T 9704 letter format (信函格式). */
const HEADING_TOP = PAGE_HEIGHT - 30 * MM;
const TITLE_SIZE = 22;
const PAGE_NUMBER_SIZE = 14;
const FOOTER_SIZE = 8;
const SEAL_RADIUS = 21 * MM;
const SEAL_TEXT_SIZE = 9;
/** The seal's centre sits a little above the middle of the organ and date rows (GB/T 9704 §7.3.5.1). */
const SEAL_CENTRE_DROP = 0.85 * LINE;
/** From the end of the body to the top of the organ row: the seal's top stays under the body. */
const SIGNATURE_GAP = Math.max(0.5 * LINE, SEAL_RADIUS - SEAL_CENTRE_DROP + 4);
/** How far the seal may reach below the text area (the page number sits 7 mm below it). */
const SEAL_OVERHANG = 16;
/** Justify a line only when the space added per gap stays below half a character. */
const MAX_JUSTIFY_SPACING = 0.5 * BODY_SIZE;

type Rgb = readonly [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const RED: Rgb = [0.85, 0, 0];
const GREY: Rgb = [0.45, 0.45, 0.45];

/** What the renderer draws, as data (the layout is testable without parsing a PDF). */
export type DrawOp =
  /** `charSpacing`: extra space (pt) added at every justification gap (justificationGaps). */
  | { kind: 'text'; text: string; font: FontWeight; size: number; x: number; y: number; color: Rgb; charSpacing: number; role: TextRole }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; color: Rgb }
  | { kind: 'circle'; cx: number; cy: number; r: number; width: number; color: Rgb; dash: readonly number[] };

export type TextRole = 'heading' | 'documentNo' | 'title' | 'recipient' | 'body' | 'signature' | 'date' | 'seal' | 'pageNumber' | 'footer';

export interface LetterLayout {
  pages: DrawOp[][];
}

export interface RenderedLetter {
  bytes: Uint8Array;
  pages: number;
  /** SHA-256 hex of the canonical content (letterContentHash); the footer prints its first 12. */
  contentHash: string;
}

function measurer(fonts: LetterFonts, weight: FontWeight, size: number): (s: string) => number {
  const font = fonts[weight];
  return (s: string) => {
    let w = 0;
    for (const ch of s) w += font.advance(ch.codePointAt(0) as number);
    return (w * size) / 1000;
  };
}

function isBlank(ch: string): boolean {
  return /\s/u.test(ch);
}

/** Baseline that centres a CJK em box (−0.12…0.88 em) in a row whose top is `top`. */
function baselineInRow(top: number, rowHeight: number, size: number): number {
  return top - rowHeight / 2 - 0.38 * size;
}

/** The printed strings of a letter, with the font each uses and where it comes from. */
function printedStrings(content: LetterContent): { field: string; text: string; font: FontWeight }[] {
  return [
    { field: 'organ', text: content.organ, font: 'bold' },
    { field: 'organ', text: content.organ, font: 'regular' },
    { field: 'documentNo', text: content.documentNo ?? '', font: 'regular' },
    { field: 'title', text: content.title, font: 'bold' },
    { field: 'recipient', text: content.recipient, font: 'regular' },
    ...content.paragraphs.map((p, i) => ({ field: `paragraphs.${i}`, text: p, font: 'regular' as const })),
    { field: 'dateText', text: content.dateText, font: 'regular' },
    { field: 'seal', text: content.seal, font: 'regular' },
    { field: 'caseNo', text: content.caseNo, font: 'regular' },
  ];
}

/**
 * Characters the letter fonts cannot draw, by content field. A letter with any of these is
 * refused rather than printed with empty boxes; call it before storing a letter.
 */
export function missingGlyphs(content: LetterContent, fonts: LetterFonts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { field, text, font } of printedStrings(content)) {
    const missing = [...new Set([...text].filter((ch) => !isBlank(ch) && fonts[font].glyphId(ch.codePointAt(0) as number) === 0))];
    if (missing.length > 0)
      issues.push({
        field: `content.${field}`,
        reason: `the letter font has no glyph for ${missing.map((c) => `${c} (U+${(c.codePointAt(0) as number).toString(16).toUpperCase()})`).join(', ')}`,
      });
  }
  return issues;
}

/** Throws ValidationError when the fonts cannot draw every character of the letter. */
export function checkLetterGlyphs(content: LetterContent, fonts: LetterFonts): void {
  const issues = missingGlyphs(content, fonts);
  if (issues.length > 0) throw new ValidationError(issues, `${issues[0]?.field}: ${issues[0]?.reason}`);
}

const IDEOGRAPHIC_SPACE = '\u3000';

/** The footer line printed on every page. */
export function footerText(content: LetterContent, contentHash: string): string {
  return `案件编号：${content.caseNo}${IDEOGRAPHIC_SPACE}校验码：${shortLetterHash(contentHash)}`;
}

/** `— 3 —` */
export function pageNumberText(n: number): string {
  return `— ${n} —`;
}

/** Lay a letter out on pages (no PDF yet). */
export function layoutLetter(content: LetterContent, fonts: LetterFonts, contentHash: string): LetterLayout {
  const body = measurer(fonts, 'regular', BODY_SIZE);
  const text = (t: string, font: FontWeight, size: number, x: number, y: number, role: TextRole, color: Rgb = BLACK, charSpacing = 0): DrawOp => ({
    kind: 'text',
    text: t,
    font,
    size,
    x,
    y,
    color,
    charSpacing,
    role,
  });
  const centred = (t: string, font: FontWeight, size: number, y: number, role: TextRole, color: Rgb = BLACK, spacing = 0): DrawOp => {
    const n = [...t].length;
    const w = measurer(fonts, font, size)(t) + spacing * (n - 1);
    return text(t, font, size, LEFT + (TEXT_WIDTH - w) / 2, y, role, color, spacing);
  };

  // ---- first-page header -------------------------------------------------------------------
  const header: DrawOp[] = [];
  let headingSize = HEADING_SIZE;
  const headingNatural = measurer(fonts, 'bold', HEADING_SIZE)(content.organ);
  if (headingNatural > TEXT_WIDTH) headingSize = (HEADING_SIZE * TEXT_WIDTH) / headingNatural;
  const headingChars = [...content.organ].length;
  const headingSpacing =
    headingChars > 1 ? Math.max(0, Math.min(0.3 * headingSize, (TEXT_WIDTH - measurer(fonts, 'bold', headingSize)(content.organ)) / (headingChars - 1))) : 0;
  const headingBaseline = HEADING_TOP - 0.88 * HEADING_SIZE;
  header.push(centred(content.organ, 'bold', headingSize, headingBaseline, 'heading', RED, headingSpacing));
  let rule: number;
  if (content.documentNo !== null) {
    const docNoBaseline = headingBaseline - 44;
    header.push(centred(content.documentNo, 'regular', BODY_SIZE, docNoBaseline, 'documentNo'));
    rule = docNoBaseline - 0.12 * BODY_SIZE - 4 * MM;
  } else {
    rule = headingBaseline - 0.12 * HEADING_SIZE - 4 * MM;
  }
  header.push({ kind: 'line', x1: LEFT, y1: rule, x2: LEFT + TEXT_WIDTH, y2: rule, width: 1.2, color: RED });
  let top = rule - 0.5 * LINE;
  const titleLines = breakLines(content.title, { first: TEXT_WIDTH, rest: TEXT_WIDTH }, measurer(fonts, 'bold', TITLE_SIZE));
  for (const l of titleLines) {
    header.push(centred(l.text, 'bold', TITLE_SIZE, baselineInRow(top, 1.4 * LINE, TITLE_SIZE), 'title'));
    top -= 1.4 * LINE;
  }
  top -= 0.4 * LINE;

  // ---- body rows: the addressee, then the paragraphs -----------------------------------------
  type Row = { line: Line; indent: number; avail: number; role: TextRole };
  const rows: Row[] = [];
  for (const l of breakLines(`${content.recipient}：`, { first: TEXT_WIDTH, rest: TEXT_WIDTH }, body)) {
    rows.push({ line: { ...l, last: true }, indent: 0, avail: TEXT_WIDTH, role: 'recipient' });
  }
  const indent = 2 * BODY_SIZE;
  for (const p of content.paragraphs) {
    breakLines(p, { first: TEXT_WIDTH - indent, rest: TEXT_WIDTH }, body).forEach((l, i) => {
      rows.push({ line: l, indent: i === 0 ? indent : 0, avail: i === 0 ? TEXT_WIDTH - indent : TEXT_WIDTH, role: 'body' });
    });
  }

  // Place the rows: page 1 starts under the header, later pages at the top of the text area.
  const pagesRows: Row[][] = [[]];
  const pageTops: number[] = [top];
  let y = top;
  for (const row of rows) {
    if (y - LINE < TEXT_BOTTOM - 0.5) {
      pagesRows.push([]);
      pageTops.push(TEXT_TOP);
      y = TEXT_TOP;
    }
    (pagesRows[pagesRows.length - 1] as Row[]).push(row);
    y -= LINE;
  }
  // The signature block: a gap, the organ and date rows inside the text area; the seal's lower
  // edge may reach into the bottom margin, above the page number.
  const fitsSignature = (yy: number) =>
    yy - SIGNATURE_GAP - 2 * LINE >= TEXT_BOTTOM - 0.5 && yy - SIGNATURE_GAP - SEAL_CENTRE_DROP - SEAL_RADIUS >= TEXT_BOTTOM - SEAL_OVERHANG;
  // No single line of a paragraph alone at the top of the last page (widow): take one more.
  const lastRows = pagesRows[pagesRows.length - 1] as Row[];
  const before = pagesRows[pagesRows.length - 2];
  if (before && lastRows.length === 1 && before.length >= 3 && before[before.length - 1]?.role === 'body' && !before[before.length - 1]?.line.last) {
    lastRows.unshift(before.pop() as Row);
    y -= LINE;
  }
  if (!fitsSignature(y)) {
    const carry = lastRows.length >= 3 ? 2 : Math.max(0, lastRows.length - 1);
    const moved = lastRows.splice(lastRows.length - carry, carry);
    pagesRows.push(moved);
    pageTops.push(TEXT_TOP);
    y = TEXT_TOP - moved.length * LINE;
  }

  const pages: DrawOp[][] = pagesRows.map((pageRows, i) => {
    const ops: DrawOp[] = i === 0 ? [...header] : [];
    let rowTop = pageTops[i] as number;
    for (const r of pageRows) {
      const gaps = justificationGaps(r.line.text).filter(Boolean).length;
      const slack = r.avail - r.line.width;
      const spacing = !r.line.last && gaps > 0 && slack > 0.01 && slack / gaps <= MAX_JUSTIFY_SPACING ? slack / gaps : 0;
      ops.push(text(r.line.text, 'regular', BODY_SIZE, LEFT + r.indent, baselineInRow(rowTop, LINE, BODY_SIZE), r.role, BLACK, spacing));
      rowTop -= LINE;
    }
    return ops;
  });

  // ---- signature, date, seal ---------------------------------------------------------------------
  const last = pages[pages.length - 1] as DrawOp[];
  const organTop = y - SIGNATURE_GAP;
  const dateWidth = body(content.dateText);
  const organWidth = body(content.organ);
  const rightEdge = LEFT + TEXT_WIDTH;
  let centre = rightEdge - 4 * BODY_SIZE - dateWidth / 2;
  centre = Math.min(centre, rightEdge - BODY_SIZE - Math.max(organWidth, dateWidth) / 2);
  last.push(text(content.organ, 'regular', BODY_SIZE, centre - organWidth / 2, baselineInRow(organTop, LINE, BODY_SIZE), 'signature'));
  last.push(text(content.dateText, 'regular', BODY_SIZE, centre - dateWidth / 2, baselineInRow(organTop - LINE, LINE, BODY_SIZE), 'date'));
  const cy = organTop - SEAL_CENTRE_DROP;
  last.push({ kind: 'circle', cx: centre, cy, r: SEAL_RADIUS, width: 0.8, color: GREY, dash: [3, 2] });
  // The seal text fits in the upper part of the circle: at most two lines, smaller type if needed.
  let sealSize = SEAL_TEXT_SIZE;
  let sealLines = breakLines(content.seal, { first: 1.5 * SEAL_RADIUS, rest: 1.5 * SEAL_RADIUS }, measurer(fonts, 'regular', sealSize));
  while (sealLines.length > 2 && sealSize > 6) {
    sealSize -= 1;
    sealLines = breakLines(content.seal, { first: 1.5 * SEAL_RADIUS, rest: 1.5 * SEAL_RADIUS }, measurer(fonts, 'regular', sealSize));
  }
  sealLines.forEach((l, i) => {
    last.push(text(l.text, 'regular', sealSize, centre - l.width / 2, cy + 0.55 * SEAL_RADIUS - i * (sealSize + 2), 'seal', GREY));
  });

  // ---- page furniture ------------------------------------------------------------------------------
  const numberMeasure = measurer(fonts, 'regular', PAGE_NUMBER_SIZE);
  const footer = footerText(content, contentHash);
  const footerMeasure = measurer(fonts, 'regular', FOOTER_SIZE);
  pages.forEach((ops, i) => {
    const label = pageNumberText(i + 1);
    const w = numberMeasure(label);
    const x = (i + 1) % 2 === 1 ? rightEdge - PAGE_NUMBER_SIZE - w : LEFT + PAGE_NUMBER_SIZE;
    ops.push(text(label, 'regular', PAGE_NUMBER_SIZE, x, TEXT_BOTTOM - 7 * MM - 0.8 * PAGE_NUMBER_SIZE, 'pageNumber'));
    ops.push(text(footer, 'regular', FOOTER_SIZE, LEFT + (TEXT_WIDTH - footerMeasure(footer)) / 2, 12 * MM, 'footer', GREY));
  });
  return { pages };
}

const n2 = (v: number) => Math.round(v * 100) / 100;

function circleOps(cx: number, cy: number, r: number): PDFOperator[] {
  const k = 0.5523 * r;
  return [
    moveTo(n2(cx + r), n2(cy)),
    appendBezierCurve(n2(cx + r), n2(cy + k), n2(cx + k), n2(cy + r), n2(cx), n2(cy + r)),
    appendBezierCurve(n2(cx - k), n2(cy + r), n2(cx - r), n2(cy + k), n2(cx - r), n2(cy)),
    appendBezierCurve(n2(cx - r), n2(cy - k), n2(cx - k), n2(cy - r), n2(cx), n2(cy - r)),
    appendBezierCurve(n2(cx + k), n2(cy - r), n2(cx + r), n2(cy - k), n2(cx + r), n2(cy)),
    closePath(),
  ];
}

/**
 * Show a justified line with TJ: the extra space goes between characters at the gaps
 * justificationGaps allows (between Chinese characters, around Latin words, never inside one).
 */
function showJustified(doc: PDFDocument, usage: FontUsage, line: string, spacing: number, size: number): PDFOperator {
  const chars = [...line];
  const gaps = justificationGaps(line);
  const adjust = -Math.round((spacing * 1000 * 1000) / size) / 1000;
  const parts: (PDFHexString | number)[] = [];
  let run = '';
  chars.forEach((ch, i) => {
    run += ch;
    if (gaps[i]) {
      parts.push(usage.encode(run), adjust);
      run = '';
    }
  });
  if (run !== '') parts.push(usage.encode(run));
  return PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [doc.context.obj(parts)]);
}

/** Parse stored content (throws ValidationError), check glyphs, lay out and write the PDF. */
export async function renderLetter(content: LetterContent, fonts: LetterFonts): Promise<RenderedLetter> {
  const parsed = LetterContentSchema.safeParse(content);
  if (!parsed.success) throw zodToValidationError(parsed.error, 'content');
  const c = parsed.data;
  checkLetterGlyphs(c, fonts);
  const contentHash = letterContentHash(c);
  const layout = layoutLetter(c, fonts, contentHash);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(`${c.issueDate}T00:00:00+08:00`);
  doc.setTitle(c.documentNo === null ? c.title : `${c.title} ${c.documentNo}`);
  doc.setAuthor(c.organ);
  doc.setSubject(`案件编号 ${c.caseNo}`);
  doc.setKeywords([`sha256:${contentHash}`]);
  doc.setCreator('Xinfang Registry');
  doc.setProducer('Xinfang Registry letters (pdf-lib)');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);

  const usage: Record<FontWeight, FontUsage> = { regular: new FontUsage(fonts.regular), bold: new FontUsage(fonts.bold) };
  const refs = { regular: doc.context.nextRef(), bold: doc.context.nextRef() };
  const names: Record<FontWeight, string> = { regular: 'F1', bold: 'F2' };

  for (const ops of layout.pages) {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    const used = new Set<FontWeight>();
    const out: PDFOperator[] = [];
    for (const op of ops) {
      if (op.kind === 'text') {
        used.add(op.font);
        out.push(
          setFillingRgbColor(...op.color),
          beginText(),
          setFontAndSize(names[op.font], op.size),
          setTextMatrix(1, 0, 0, 1, n2(op.x), n2(op.y)),
          op.charSpacing === 0 ? showText(usage[op.font].encode(op.text)) : showJustified(doc, usage[op.font], op.text, op.charSpacing, op.size),
          endText(),
        );
      } else if (op.kind === 'line') {
        out.push(setStrokingRgbColor(...op.color), setLineWidth(op.width), moveTo(n2(op.x1), n2(op.y1)), lineTo(n2(op.x2), n2(op.y2)), stroke());
      } else {
        out.push(
          pushGraphicsState(),
          setStrokingRgbColor(...op.color),
          setLineWidth(op.width),
          setDashPattern([...op.dash], 0),
          ...circleOps(op.cx, op.cy, op.r),
          stroke(),
          popGraphicsState(),
        );
      }
    }
    for (const w of used) page.node.setFontDictionary(PDFName.of(names[w]), refs[w]);
    page.pushOperators(...out);
  }
  for (const w of ['regular', 'bold'] as const) {
    if (usage[w].used) await usage[w].embed(doc.context, refs[w]);
  }
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: layout.pages.length, contentHash };
}
