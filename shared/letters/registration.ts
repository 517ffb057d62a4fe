/**
 * The registration form and contents list of an archived case (归档登记表 / 卷内目录) as PDF, set
 * in the letters' font with the letters' primitives (subset CJK font, selectable text, kinsoku
 * line breaking). Pure: form data → bytes; the content comes from shared/domain/archive.ts.
 *
 * Layout: A4; page 1 the registration form, a two-column table (item | value); from page 2 the
 * contents list, a table of 序号 · 题名 · 日期 · 页数 · SHA-256 (the full hash, on two lines),
 * its header repeated on every page; every page has a footer with the archive number and
 * `第n页 共N页`.
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
import { ValidationError } from '../domain/errors';
import type { RegistrationForm } from '../domain/archive';
import type { FontWeight, LetterFonts } from './fonts';
import { breakLines } from './linebreak';
import { FontUsage } from './pdf-font';

const MM = 72 / 25.4;
const PAGE_WIDTH = 210 * MM;
const PAGE_HEIGHT = 297 * MM;
const LEFT = 25 * MM;
const WIDTH = 160 * MM;
const TOP = PAGE_HEIGHT - 22 * MM;
const BOTTOM = 22 * MM;
const PAD = 4;
const TITLE_SIZE = 22;
const FORM_SIZE = 11;
const LIST_SIZE = 9.5;
const HASH_SIZE = 7;
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
type Op = TextOp | LineOp;

export interface RenderedRegistration {
  bytes: Uint8Array;
  pages: number;
}

interface Column {
  width: number;
  size: number;
  font?: FontWeight;
  align?: 'left' | 'centre';
}

/** Lays tables out on pages, breaking rows across pages with the header repeated. */
class Pages {
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

  footer(archiveNo: string): void {
    const total = this.pages.length;
    this.pages.forEach((ops, i) => {
      const text = `档号：${archiveNo}\u3000第${i + 1}页 共${total}页`;
      const w = this.measure('regular', FOOTER_SIZE)(text);
      ops.push({ kind: 'text', text, font: 'regular', size: FOOTER_SIZE, x: LEFT + (WIDTH - w) / 2, y: 12 * MM, color: GREY });
    });
  }
}

function lineHeight(size: number): number {
  return size * 1.45;
}

const FORM_COLUMNS: Column[] = [
  { width: 36 * MM, size: FORM_SIZE, align: 'centre' },
  { width: 124 * MM, size: FORM_SIZE },
];

const LIST_COLUMNS: Column[] = [
  { width: 11 * MM, size: LIST_SIZE, align: 'centre' },
  { width: 66 * MM, size: LIST_SIZE },
  { width: 22 * MM, size: LIST_SIZE, align: 'centre' },
  { width: 11 * MM, size: LIST_SIZE, align: 'centre' },
  // 32 hex digits at 7 pt are 44 mm: the hash fits on exactly two lines.
  { width: 50 * MM, size: HASH_SIZE },
];

/** Characters the fonts cannot draw, by form field: refused rather than printed as empty boxes. */
function checkGlyphs(form: RegistrationForm, fonts: LetterFonts): void {
  const texts: [string, string][] = [
    ['organ', form.organ],
    ...form.rows.map(([k, v], i): [string, string] => [`rows.${i}`, `${k}${v}`]),
    ...form.contents.map((c, i): [string, string] => [`contents.${i}.title`, c.title]),
  ];
  const issues = texts.flatMap(([field, text]) => {
    const missing = [...new Set([...text].filter((ch) => !/\s/u.test(ch) && fonts.regular.glyphId(ch.codePointAt(0) as number) === 0))];
    return missing.length > 0 ? [{ field, reason: `the font has no glyph for ${missing.join(' ')}` }] : [];
  });
  if (issues.length > 0) throw new ValidationError(issues, `${issues[0]?.field}: ${issues[0]?.reason}`);
}

export async function renderRegistrationForm(form: RegistrationForm, fonts: LetterFonts, options: { date: string }): Promise<RenderedRegistration> {
  checkGlyphs(form, fonts);
  const layout = new Pages(fonts);
  layout.newPage();
  layout.title('归档登记表', [form.organ, `档号：${form.archiveNo}`]);
  layout.table(
    FORM_COLUMNS,
    form.rows.map(([k, v]) => [k, v]),
  );
  layout.newPage();
  layout.title('卷内目录', [form.organ, `档号：${form.archiveNo}`]);
  layout.table(
    LIST_COLUMNS,
    form.contents.map((c) => [String(c.seq), c.title, c.date, c.pages, `${c.sha256.slice(0, 32)}\n${c.sha256.slice(32)}`]),
    ['序号', '题名', '日期', '页数', 'SHA-256'],
  );
  layout.footer(form.archiveNo);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(`${options.date}T00:00:00+08:00`);
  doc.setTitle(`归档登记表 ${form.archiveNo}`);
  doc.setAuthor(form.organ);
  doc.setSubject(`档号 ${form.archiveNo}`);
  doc.setCreator('Xinfang Registry');
  doc.setProducer('Xinfang Registry archive (pdf-lib)');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const usage: Record<FontWeight, FontUsage> = { regular: new FontUsage(fonts.regular), bold: new FontUsage(fonts.bold) };
  const refs = { regular: doc.context.nextRef(), bold: doc.context.nextRef() };
  const names: Record<FontWeight, string> = { regular: 'F1', bold: 'F2' };
  const n2 = (v: number) => Math.round(v * 100) / 100;
  for (const ops of layout.pages) {
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
  return { bytes, pages: layout.pages.length };
}

/** A registration-form renderer over fonts loaded on first use: what the archive run is given. */
export type RegistrationRenderer = (form: RegistrationForm, options: { date: string }) => Promise<RenderedRegistration>;

export function registrationRenderer(fonts: () => Promise<LetterFonts>): RegistrationRenderer {
  return async (form, options) => renderRegistrationForm(form, await fonts(), options);
}
