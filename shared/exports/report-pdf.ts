/**
 * The 信访工作统计分析 as PDF (issue 13; docs/exports.md): the official layout of the letters
 * (A4, the text area and margins of GB/T 9704, the organ's name in red over a red rule, a bold
 * title, 3号 body with a two-character indent, the signature and date, page numbers `— n —`), the
 * generated sentences of report-text.ts, and the charts of report-charts.ts drawn as vectors: the
 * SVG that ECharts renders is read back (svg-draw.ts), its paths drawn with pdf-lib's
 * drawSvgPath, its labels in the embedded letter font (so they are text: searchable, extractable).
 * Pure: a report, the fonts and the organ in; the same bytes for the same input (no clock).
 */
import {
  beginText,
  concatTransformationMatrix,
  drawSvgPath,
  endText,
  lineTo,
  moveTo,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setCharacterSpacing,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  setTextMatrix,
  showText,
  stroke,
  type PDFOperator,
} from 'pdf-lib';
import { chineseDate, bodyDate } from '../domain/chinese-date';
import type { Report } from '../domain/reports';
import type { FontWeight, LetterFonts } from '../letters/fonts';
import { breakLines } from '../letters/linebreak';
import { FontUsage } from '../letters/pdf-font';
import { BODY_SIZE, PAGE_HEIGHT, PAGE_WIDTH } from '../letters/render';
import { chartSvg, reportCharts } from './report-charts';
import { analysisSections } from './report-text';
import { compose, readSvg, type Matrix, type Rgb, type SvgDrawing } from './svg-draw';

const MM = 72 / 25.4;
const LEFT = 28 * MM;
const TEXT_WIDTH = 156 * MM;
const TEXT_TOP = PAGE_HEIGHT - 37 * MM;
const TEXT_BOTTOM = TEXT_TOP - 225 * MM;
const LINE = (225 * MM) / 22;
const HEADING_SIZE = 30;
const HEADING_TOP = PAGE_HEIGHT - 30 * MM;
const TITLE_SIZE = 22;
const SUBTITLE_SIZE = 12;
const CAPTION_SIZE = 11;
const PAGE_NUMBER_SIZE = 14;
const FOOTER_SIZE = 8;
const BLACK: Rgb = [0, 0, 0];
const RED: Rgb = [0.85, 0, 0];
const GREY: Rgb = [0.45, 0.45, 0.45];

/** What the renderer draws, as data (the tests read the layout without parsing the PDF). */
export type ReportDrawOp =
  | { kind: 'text'; text: string; font: FontWeight; size: number; x: number; y: number; color: Rgb; charSpacing: number; role: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; color: Rgb }
  | { kind: 'chart'; drawing: SvgDrawing; x: number; top: number; scale: number; caption: string };

export interface ReportPdfInput {
  report: Report;
  fonts: LetterFonts;
  /** The issuing organ (发文机关): the red heading and the signature. */
  organName: string;
}

export interface RenderedReportPdf {
  bytes: Uint8Array;
  pages: number;
  layout: ReportDrawOp[][];
}

/** The title: 2026年第1季度信访工作统计分析. */
export function reportTitle(report: Pick<Report, 'period'>): string {
  return `${report.period.label}信访工作统计分析`;
}

function measurer(fonts: LetterFonts, weight: FontWeight, size: number): (s: string) => number {
  const font = fonts[weight];
  return (s: string) => {
    let w = 0;
    for (const ch of s) w += font.advance(ch.codePointAt(0) as number);
    return (w * size) / 1000;
  };
}

/** Baseline that centres a CJK em box (−0.12…0.88 em) in a row whose top is `top`. */
function baselineInRow(top: number, rowHeight: number, size: number): number {
  return top - rowHeight / 2 - 0.38 * size;
}

/** Lays the analysis out on pages. */
export function layoutReportPdf(input: ReportPdfInput): ReportDrawOp[][] {
  const { report, fonts, organName } = input;
  const pages: ReportDrawOp[][] = [[]];
  let y = 0;
  const page = () => pages[pages.length - 1] as ReportDrawOp[];
  const newPage = () => {
    pages.push([]);
    y = TEXT_TOP;
  };
  const text = (t: string, font: FontWeight, size: number, x: number, yy: number, role: string, color: Rgb = BLACK, charSpacing = 0) =>
    page().push({ kind: 'text', text: t, font, size, x, y: yy, color, charSpacing, role });
  const centred = (t: string, font: FontWeight, size: number, yy: number, role: string, color: Rgb = BLACK) =>
    text(t, font, size, LEFT + (TEXT_WIDTH - measurer(fonts, font, size)(t)) / 2, yy, role, color);

  // ---- first page: organ heading, red rule, title, scope ---------------------------------------
  const headingNatural = measurer(fonts, 'bold', HEADING_SIZE)(organName);
  const headingSize = headingNatural > TEXT_WIDTH ? (HEADING_SIZE * TEXT_WIDTH) / headingNatural : HEADING_SIZE;
  const headingBaseline = HEADING_TOP - 0.88 * HEADING_SIZE;
  centred(organName, 'bold', headingSize, headingBaseline, 'heading', RED);
  const rule = headingBaseline - 0.12 * HEADING_SIZE - 4 * MM;
  page().push({ kind: 'line', x1: LEFT, y1: rule, x2: LEFT + TEXT_WIDTH, y2: rule, width: 1.2, color: RED });
  y = rule - 0.5 * LINE;
  for (const l of breakLines(reportTitle(report), { first: TEXT_WIDTH, rest: TEXT_WIDTH }, measurer(fonts, 'bold', TITLE_SIZE))) {
    centred(l.text, 'bold', TITLE_SIZE, baselineInRow(y, 1.4 * LINE, TITLE_SIZE), 'title');
    y -= 1.4 * LINE;
  }
  const { yoy, mom } = report.comparisons;
  const subtitle = `（统计范围：${report.scope.label}；${bodyDate(report.period.from)}至${bodyDate(report.period.to)}，统计截至${bodyDate(report.asOf)}；同比对照${yoy.period.label}，环比对照${mom.period.label}）`;
  for (const l of breakLines(subtitle, { first: TEXT_WIDTH, rest: TEXT_WIDTH }, measurer(fonts, 'regular', SUBTITLE_SIZE))) {
    centred(l.text, 'regular', SUBTITLE_SIZE, baselineInRow(y, 0.8 * LINE, SUBTITLE_SIZE), 'subtitle', GREY);
    y -= 0.8 * LINE;
  }
  y -= 0.3 * LINE;

  // ---- sections: a bold heading, paragraphs, and the charts after the overall section ------------
  const body = measurer(fonts, 'regular', BODY_SIZE);
  const indent = 2 * BODY_SIZE;
  const row = () => {
    if (y - LINE < TEXT_BOTTOM - 0.5) newPage();
  };
  const paragraph = (p: string, font: FontWeight, role: string, first = indent) => {
    const m = font === 'regular' ? body : measurer(fonts, font, BODY_SIZE);
    const lines = breakLines(p, { first: TEXT_WIDTH - first, rest: TEXT_WIDTH }, m);
    lines.forEach((l, i) => {
      row();
      const avail = i === 0 ? TEXT_WIDTH - first : TEXT_WIDTH;
      const chars = [...l.text].length;
      const slack = avail - l.width;
      // Justified like the letters: the slack shared between the characters, never more than half a character each.
      const spacing = !l.last && chars > 1 && slack > 0.01 && slack / (chars - 1) <= 0.5 * BODY_SIZE ? slack / (chars - 1) : 0;
      text(l.text, font, BODY_SIZE, LEFT + (i === 0 ? first : 0), baselineInRow(y, LINE, BODY_SIZE), role, BLACK, spacing);
      y -= LINE;
    });
  };
  const charts = reportCharts(report);
  const chart = (i: number) => {
    const spec = charts[i];
    if (!spec) return;
    const drawing = readSvg(chartSvg(spec, fonts.regular));
    const scale = TEXT_WIDTH / drawing.width;
    const h = drawing.height * scale + 1.2 * LINE;
    if (y - h < TEXT_BOTTOM) newPage();
    y -= 0.3 * LINE;
    page().push({ kind: 'chart', drawing, x: LEFT, top: y, scale, caption: spec.caption });
    y -= drawing.height * scale;
    centred(spec.caption, 'regular', CAPTION_SIZE, baselineInRow(y, 0.9 * LINE, CAPTION_SIZE), 'caption');
    y -= 0.9 * LINE;
  };
  analysisSections(report).forEach((s, i) => {
    // A heading keeps at least one line of its section under it.
    if (y - 2 * LINE < TEXT_BOTTOM - 0.5) newPage();
    paragraph(s.heading, 'bold', 'sectionHeading', indent);
    for (const p of s.paragraphs) paragraph(p, 'regular', 'body');
    if (i === 0) chart(0);
    if (s.heading.endsWith('热点问题')) chart(1);
  });

  // ---- signature and date -------------------------------------------------------------------------
  if (y - 3 * LINE < TEXT_BOTTOM - 0.5) newPage();
  y -= LINE;
  const dateText = chineseDate(report.asOf);
  const rightEdge = LEFT + TEXT_WIDTH;
  const centre = Math.min(rightEdge - 4 * BODY_SIZE - body(dateText) / 2, rightEdge - BODY_SIZE - Math.max(body(organName), body(dateText)) / 2);
  text(organName, 'regular', BODY_SIZE, centre - body(organName) / 2, baselineInRow(y, LINE, BODY_SIZE), 'signature');
  text(dateText, 'regular', BODY_SIZE, centre - body(dateText) / 2, baselineInRow(y - LINE, LINE, BODY_SIZE), 'date');

  // ---- page furniture ------------------------------------------------------------------------------
  const footer = `${reportTitle(report)}\u3000统计范围：${report.scope.label}\u3000统计截至${bodyDate(report.asOf)}`;
  const numberMeasure = measurer(fonts, 'regular', PAGE_NUMBER_SIZE);
  const footerMeasure = measurer(fonts, 'regular', FOOTER_SIZE);
  pages.forEach((ops, i) => {
    const label = `— ${i + 1} —`;
    const x = (i + 1) % 2 === 1 ? rightEdge - PAGE_NUMBER_SIZE - numberMeasure(label) : LEFT + PAGE_NUMBER_SIZE;
    ops.push({
      kind: 'text',
      text: label,
      font: 'regular',
      size: PAGE_NUMBER_SIZE,
      x,
      y: TEXT_BOTTOM - 7 * MM - 0.8 * PAGE_NUMBER_SIZE,
      color: BLACK,
      charSpacing: 0,
      role: 'pageNumber',
    });
    ops.push({
      kind: 'text',
      text: footer,
      font: 'regular',
      size: FOOTER_SIZE,
      x: LEFT + (TEXT_WIDTH - footerMeasure(footer)) / 2,
      y: 12 * MM,
      color: GREY,
      charSpacing: 0,
      role: 'footer',
    });
  });
  return pages;
}

const n2 = (v: number) => Math.round(v * 100) / 100;

/** The operators of a chart: each path drawn with drawSvgPath in the chart's box, each label as text. */
function chartOperators(op: Extract<ReportDrawOp, { kind: 'chart' }>, fonts: LetterFonts, usage: FontUsage, fontName: string): PDFOperator[] {
  const out: PDFOperator[] = [];
  const s = op.scale;
  // SVG (y down, in the chart's units) to the page: p ↦ (x + s·px, top − s·py).
  const toPage: Matrix = [s, 0, 0, -s, op.x, op.top];
  // drawSvgPath flips y itself (scale(1, −1)): undo it inside.
  const flip: Matrix = [1, 0, 0, -1, 0, 0];
  for (const e of op.drawing.ops) {
    if (e.kind === 'path') {
      const m = compose(compose(toPage, e.matrix), flip);
      out.push(
        pushGraphicsState(),
        concatTransformationMatrix(...(m.map((v) => Math.round(v * 10000) / 10000) as [number, number, number, number, number, number])),
        ...drawSvgPath(e.d, {
          x: 0,
          y: 0,
          scale: 1,
          color: e.fill ? rgb(...e.fill) : undefined,
          borderColor: e.stroke ? rgb(...e.stroke) : undefined,
          // No stroke: width 0 draws nothing more (drawSvgPath fills only when given no border width).
          borderWidth: e.stroke ? e.strokeWidth : 0,
        }),
        popGraphicsState(),
      );
    } else {
      const size = e.size * s;
      const width = measurer(fonts, 'regular', size)(e.text);
      const dx = e.anchor === 'middle' ? -width / 2 : e.anchor === 'end' ? -width : 0;
      // ECharts centres its labels (dominant-baseline central): the baseline is 0.38 em under the centre.
      const baselineSvg = e.baseline === 'central' || e.baseline === 'middle' ? e.y + 0.38 * e.size : e.baseline === 'hanging' ? e.y + 0.88 * e.size : e.y;
      out.push(
        setFillingRgbColor(...e.fill),
        beginText(),
        setFontAndSize(fontName, n2(size)),
        setTextMatrix(1, 0, 0, 1, n2(op.x + s * e.x + dx), n2(op.top - s * baselineSvg)),
        showText(usage.encode(e.text)),
        endText(),
      );
    }
  }
  return out;
}

/** The PDF of the analysis. */
export async function renderReportPdf(input: ReportPdfInput): Promise<RenderedReportPdf> {
  const { report, fonts } = input;
  const layout = layoutReportPdf(input);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const stamp = new Date(`${report.asOf}T00:00:00+08:00`);
  doc.setTitle(reportTitle(report));
  doc.setAuthor(input.organName);
  doc.setSubject(`信访工作统计分析 ${report.period.label} ${report.scope.label}`);
  doc.setCreator('信访事项登记系统');
  doc.setProducer('信访事项登记系统');
  doc.setCreationDate(stamp);
  doc.setModificationDate(stamp);
  const usage = { regular: new FontUsage(fonts.regular), bold: new FontUsage(fonts.bold) };
  const refs = { regular: doc.context.nextRef(), bold: doc.context.nextRef() };
  const names = { regular: 'F1', bold: 'F2' } as const;
  for (const ops of layout) {
    const pdfPage = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    const used = new Set<FontWeight>();
    const out: PDFOperator[] = [];
    for (const op of ops) {
      if (op.kind === 'text') {
        used.add(op.font);
        out.push(
          setFillingRgbColor(...op.color),
          beginText(),
          setFontAndSize(names[op.font], op.size),
          setCharacterSpacing(n2(op.charSpacing)),
          setTextMatrix(1, 0, 0, 1, n2(op.x), n2(op.y)),
          showText(usage[op.font].encode(op.text)),
          setCharacterSpacing(0),
          endText(),
        );
      } else if (op.kind === 'line') {
        out.push(setStrokingRgbColor(...op.color), setLineWidth(op.width), moveTo(n2(op.x1), n2(op.y1)), lineTo(n2(op.x2), n2(op.y2)), stroke());
      } else {
        used.add('regular');
        out.push(...chartOperators(op, fonts, usage.regular, names.regular));
      }
    }
    for (const w of used) pdfPage.node.setFontDictionary(PDFName.of(names[w]), refs[w]);
    pdfPage.pushOperators(...out);
  }
  for (const w of ['regular', 'bold'] as const) {
    if (usage[w].used) await usage[w].embed(doc.context, refs[w]);
  }
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: layout.length, layout };
}
