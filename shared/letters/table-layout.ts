/**
 * Tables on A4 in the letters' font (subset CJK font, selectable text, kinsoku line breaking):
 * the layout of the archive's 归档登记表 / 卷内目录 (registration.ts) and the office's printed
 * forms (forms.ts). `Pages` lays out titles, tables whose rows break across pages with the header
 * repeated, lines for signatures and page footers; `writeTablePdf` writes its pages as a PDF.
 */
import {
  PDFDocument,
  PDFName,
  beginText,
  endText,
  lineTo,
  moveTo,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  setTextMatrix,
  showText,
  stroke,
  type PDFOperator,
} from 'pdf-lib';
import type { FontWeight, LetterFonts } from './fonts';
import { breakLines } from './linebreak';
import { FontUsage } from './pdf-font';

export const MM = 72 / 25.4;
const PAGE_WIDTH = 210 * MM;
const PAGE_HEIGHT = 297 * MM;
const LEFT = 25 * MM;
const WIDTH = 160 * MM;
const TOP = PAGE_HEIGHT - 22 * MM;
const BOTTOM = 22 * MM;
const PAD = 4;
const TITLE_SIZE = 22;
export const FORM_SIZE = 11;
export const LIST_SIZE = 9.5;
export const HASH_SIZE = 7;
const FOOTER_SIZE = 9;

type Rgb = readonly [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [0.4, 0.4, 0.4];

interface TextOp {
  kind: 'text';
  text: string;
  font: FontWeight;
  size: number;
  x: number;
  y: number;
  color: Rgb;
}
interface LineOp {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export type Op = TextOp | LineOp;

export interface Column {
  width: number;
  size: number;
  font?: FontWeight;
  align?: 'left' | 'centre';
}

/** Lays tables out on pages, breaking rows across pages with the header repeated. */
export class Pages {
  readonly pages: Op[][] = [];
  private y = TOP;
  constructor(private readonly fonts: LetterFonts) {}

  measure(font: FontWeight, size: number): (s: string) => number {
    const f = this.fonts[font];
    return (s: string) => {
      let w = 0;
      for (const ch of s) w += f.advance(ch.codePointAt(0) as number);
      return (w * size) / 1000;
    };
  }

  private get current(): Op[] {
    return this.pages[this.pages.length - 1] as Op[];
  }

  newPage(): void {
    this.pages.push([]);
    this.y = TOP;
  }

  text(text: string, font: FontWeight, size: number, x: number, baseline: number, color: Rgb = BLACK): void {
    this.current.push({ kind: 'text', text, font, size, x, y: baseline, color });
  }

  title(text: string, sub: [string, string]): void {
    const w = this.measure('bold', TITLE_SIZE)(text);
    this.text(text, 'bold', TITLE_SIZE, LEFT + (WIDTH - w) / 2, this.y - TITLE_SIZE);
    this.y -= TITLE_SIZE + 14;
    this.text(sub[0], 'regular', FORM_SIZE, LEFT, this.y - FORM_SIZE);
    const right = this.measure('regular', FORM_SIZE)(sub[1]);
    this.text(sub[1], 'regular', FORM_SIZE, LEFT + WIDTH - right, this.y - FORM_SIZE);
    this.y -= FORM_SIZE + 8;
  }

  private cellLines(text: string, col: Column): string[] {
    const measure = this.measure(col.font ?? 'regular', col.size);
    const avail = col.width - 2 * PAD;
    return text.split('\n').flatMap((para) => (para === '' ? [''] : breakLines(para, { first: avail, rest: avail }, measure).map((l) => l.text)));
  }

  /** One table row; returns false (and draws nothing) when it does not fit on this page. */
  private row(cells: string[], cols: Column[], bold = false): boolean {
    // A header row is set in bold at the body size (the hash column's small size is for digits).
    const fit = (i: number): Column => ({ ...(cols[i] as Column), ...(bold ? { font: 'bold' as const, size: LIST_SIZE } : {}) });
    const split = cells.map((c, i) => this.cellLines(c, fit(i)));
    const height = Math.max(...split.map((lines, i) => lines.length * lineHeight(fit(i).size))) + 2 * PAD;
    if (this.y - height < BOTTOM) return false;
    const top = this.y;
    let x = LEFT;
    split.forEach((lines, i) => {
      const col = fit(i);
      const font: FontWeight = col.font ?? 'regular';
      const measure = this.measure(font, col.size);
      lines.forEach((line, j) => {
        const baseline = top - PAD - j * lineHeight(col.size) - col.size * 0.95;
        const offset = col.align === 'centre' || bold ? (col.width - measure(line)) / 2 : PAD;
        this.text(line, font, col.size, x + offset, baseline);
      });
      x += col.width;
    });
    this.y -= height;
    // Borders: the bottom rule and the column rules of this row (the top rule is the row above's).
    this.current.push({ kind: 'line', x1: LEFT, y1: this.y, x2: LEFT + WIDTH, y2: this.y });
    let cx = LEFT;
    for (const col of [{ width: 0 } as Column, ...cols]) {
      cx += col.width;
      this.current.push({ kind: 'line', x1: cx, y1: top, x2: cx, y2: this.y });
    }
    return true;
  }

  table(cols: Column[], rows: string[][], header?: string[]): void {
    const topRule = () => this.current.push({ kind: 'line', x1: LEFT, y1: this.y, x2: LEFT + WIDTH, y2: this.y });
    topRule();
    if (header) this.row(header, cols, true);
    for (const r of rows) {
      if (this.row(r, cols)) continue;
      this.newPage();
      topRule();
      if (header) this.row(header, cols, true);
      if (!this.row(r, cols)) throw new Error('a table row is taller than a page');
    }
  }

  /** Numbers the pages from `from` on (a document of several forms numbers each apart): `text(n, total)`. */
  footer(text: (page: number, total: number) => string, from = 0): void {
    const mine = this.pages.slice(from);
    mine.forEach((ops, i) => {
      const line = text(i + 1, mine.length);
      const w = this.measure('regular', FOOTER_SIZE)(line);
      ops.push({ kind: 'text', text: line, font: 'regular', size: FOOTER_SIZE, x: LEFT + (WIDTH - w) / 2, y: 12 * MM, color: GREY });
    });
  }

  /** Lines of text under a table (signatures, notes), each broken to the width; a new page if needed. */
  lines(texts: string[], gapBefore = 18): void {
    const measure = this.measure('regular', FORM_SIZE);
    const lines = texts.flatMap((t) => breakLines(t, { first: WIDTH, rest: WIDTH }, measure).map((l) => l.text));
    const height = gapBefore + lines.length * lineHeight(FORM_SIZE) * 1.6;
    if (this.y - height < BOTTOM) this.newPage();
    else this.y -= gapBefore;
    for (const line of lines) {
      this.text(line, 'regular', FORM_SIZE, LEFT, this.y - FORM_SIZE);
      this.y -= lineHeight(FORM_SIZE) * 1.6;
    }
  }
}

export function lineHeight(size: number): number {
  return size * 1.45;
}

export interface RenderedTables {
  bytes: Uint8Array;
  pages: number;
}

export interface TablePdfMeta {
  title: string;
  author: string;
  subject: string;
  producer: string;
  /** The document's date (creation and modification), `yyyy-mm-dd` in Beijing: the same input gives the same bytes. */
  date: string;
}

export async function writeTablePdf(pages: readonly (readonly Op[])[], fonts: LetterFonts, meta: TablePdfMeta): Promise<RenderedTables> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(`${meta.date}T00:00:00+08:00`);
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setCreator('Xinfang Registry');
  doc.setProducer(meta.producer);
  doc.setLanguage('zh-CN');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const usage: Record<FontWeight, FontUsage> = { regular: new FontUsage(fonts.regular), bold: new FontUsage(fonts.bold) };
  const refs = { regular: doc.context.nextRef(), bold: doc.context.nextRef() };
  const names: Record<FontWeight, string> = { regular: 'F1', bold: 'F2' };
  const n2 = (v: number) => Math.round(v * 100) / 100;
  for (const ops of pages) {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    const used = new Set<FontWeight>();
    const out: PDFOperator[] = [setStrokingRgbColor(0, 0, 0), setLineWidth(0.6)];
    for (const op of ops) {
      if (op.kind === 'text') {
        if (op.text === '') continue;
        used.add(op.font);
        out.push(
          setFillingRgbColor(...op.color),
          beginText(),
          setFontAndSize(names[op.font], op.size),
          setTextMatrix(1, 0, 0, 1, n2(op.x), n2(op.y)),
          showText(usage[op.font].encode(op.text)),
          endText(),
        );
      } else {
        out.push(moveTo(n2(op.x1), n2(op.y1)), lineTo(n2(op.x2), n2(op.y2)), stroke());
      }
    }
    for (const w of used) page.node.setFontDictionary(PDFName.of(names[w]), refs[w]);
    page.pushOperators(...out);
  }
  for (const w of ['regular', 'bold'] as const) {
    if (usage[w].used) await usage[w].embed(doc.context, refs[w]);
  }
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: pages.length };
}
