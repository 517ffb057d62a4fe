/**
 * The 信访工作统计分析 PDF (issue 13, docs/exports.md), read back with pdfjs-dist: the generated
 * sentences carry the report's numbers in the offices' style, and each chart is in the PDF as
 * vectors (its bars are filled paths in the series colours, one per value) with its labels as
 * text (categories, legend, values). Also the sentences' wording rules.
 */
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../shared/domain/reports';
import { loadLetterFonts, type LetterFonts } from '../../../shared/letters/fonts';
import { reportCharts, SERIES_COLOURS, SERIES_NAMES } from '../../../shared/exports/report-charts';
import { renderReportPdf, reportTitle } from '../../../shared/exports/report-pdf';
import { analysisSections, countChange, fixed2, rateChange } from '../../../shared/exports/report-text';
import { parseColor } from '../../../shared/exports/svg-draw';
import { fixtureReport } from '../../support/fixtures/report';
import { extractPageTexts, normalise } from '../letters/pdf';

let report: Report;
let fonts: LetterFonts;
let bytes: Uint8Array;
let pages: string[];

beforeAll(async () => {
  report = fixtureReport();
  fonts = await loadLetterFonts();
  bytes = (await renderReportPdf({ report, fonts, organName: '江川市信访局' })).bytes;
  pages = (await extractPageTexts(bytes)).map(normalise);
}, 60_000);

/** The fill colours of the filled paths of each page (pdfjs's operator list), as 0–255 hex. */
async function filledPaths(data: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: data.slice(), verbosity: 0, useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  try {
    const fills: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const ops = await (await doc.getPage(i)).getOperatorList();
      let colour = '';
      ops.fnArray.forEach((fn, k) => {
        if (fn === OPS.setFillRGBColor) colour = String(ops.argsArray[k]?.[0] ?? ops.argsArray[k]).toLowerCase();
        if (fn === OPS.constructPath) {
          const closing = ops.argsArray[k]?.[0];
          if (closing === OPS.fill || closing === OPS.eoFill || closing === OPS.fillStroke) fills.push(colour);
        }
        if (fn === OPS.fill || fn === OPS.eoFill) fills.push(colour);
      });
    }
    return fills;
  } finally {
    await doc.destroy();
  }
}

describe('the analysis as PDF', () => {
  it('is in the official layout: organ, title, scope, signature, page numbers', () => {
    const all = pages.join('');
    expect(pages[0]!.startsWith('江川市信访局')).toBe(true);
    expect(all).toContain(normalise(reportTitle(report)));
    expect(reportTitle(report)).toBe('2026年第1季度信访工作统计分析');
    expect(all).toContain('统计范围：全部');
    expect(all).toContain('二〇二六年七月一日');
    pages.forEach((p, i) => expect(p).toContain(`—${i + 1}—`));
  });

  it("carries the generated sentences with the report's numbers", () => {
    const all = pages.join('');
    const f = report.figures;
    const opening = `本季度共登记信访事项${f.total.value}批次${f.total.persons}人次，${countChange('同比', f.total.yoy)}`;
    expect(all).toContain(normalise(opening));
    expect(opening).toMatch(/同比(上升|下降)\d+\.\d\d%、\d+\.\d\d%|批次同比/);
    expect(all).toContain(normalise(`其中来信${f.letters.value}批次${f.letters.persons}人次`));
    expect(all).toContain(normalise(`集体访${f.collectiveVisits.value}批${f.collectiveVisits.persons}人次`));
    expect(all).toContain(normalise(`按期办结率${fixed2(f.onTimeCompletionRate.value!)}%`));
    expect(all).toContain(normalise(f.satisfactionRate.formula!.text));
    const top = report.hotTopics[0]!;
    expect(all).toContain(normalise(`1.${top.label}问题${top.cases}批${top.persons}人次`));
    for (const s of analysisSections(report)) expect(all).toContain(normalise(s.heading));
  });

  it('draws each chart as vectors: a filled bar per value in the series colours, with its labels as text', async () => {
    const charts = reportCharts(report);
    expect(charts.map((c) => c.caption)).toEqual(['图1  信访形式分布（批次）', '图2  热点问题（批次）']);
    const fills = await filledPaths(bytes);
    const hex = (c: string) => {
      const [r, g, b] = parseColor(c)!;
      return [r, g, b].map((v) => Math.round(v * 255)).join(',');
    };
    const count = (c: string) => fills.filter((f) => f === hex(c) || f === `#${c.slice(1)}`).length;
    // A bar for every non-zero value (ECharts draws no bar for 0); legend icons add one per series and chart.
    const bars = (i: 0 | 1) => charts.reduce((n, c) => n + (i === 0 ? c.now : c.before).filter((v) => v > 0).length, 0);
    expect(count(SERIES_COLOURS[0])).toBe(bars(0) + charts.length);
    expect(count(SERIES_COLOURS[1])).toBe(bars(1) + charts.length);
    const all = pages.join('');
    for (const c of charts) {
      expect(all).toContain(normalise(c.caption));
      for (const label of c.categories) expect(all).toContain(normalise(label));
    }
    for (const n of SERIES_NAMES) expect(all).toContain(n);
    // The value labels of the first chart's bars.
    for (const v of charts[0]!.now.filter((x) => x > 0)) expect(all).toContain(String(v));
  });
});

describe('the sentences', () => {
  it('say 上升 / 下降 with 批次 and 人次 together, or apart when they differ', () => {
    expect(countChange('同比', { previous: 100, change: -1.96, personsChange: -3.9, unit: 'percent' })).toBe('同比下降1.96%、3.90%');
    expect(countChange('同比', { previous: 100, change: 5, personsChange: -2, unit: 'percent' })).toBe('批次同比上升5.00%、人次同比下降2.00%');
    expect(countChange('环比', { previous: 0, change: null, personsChange: null, unit: 'percent' })).toBe('环比无可比数据');
    expect(countChange('同比', { previous: 4, change: 0, personsChange: 0, unit: 'percent' })).toBe('同比持平');
    expect(rateChange('同比', { previous: 80, change: 1.2, unit: 'points' })).toBe('同比上升1.20个百分点');
  });
});
