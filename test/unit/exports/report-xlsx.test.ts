/**
 * The report's XLSX and CSV (issue 13, docs/exports.md): read back with exceljs, every figure of
 * the report is in the workbook with the API's value (rates as fractions formatted 0.00%, changes
 * signed), each rate beside its formula, numerator and denominator; the CSV carries the same rows.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_IDS, type Report } from '../../../shared/domain/reports';
import { csvCell } from '../../../shared/exports/csv';
import { REPORT_CSV_HEADER, reportCsv } from '../../../shared/exports/report-csv';
import { FIGURE_COLUMNS, reportSheetNames, reportXlsx } from '../../../shared/exports/report-xlsx';
import { fixtureReport } from '../../support/fixtures/report';

let report: Report;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  report = fixtureReport();
  const bytes = await reportXlsx(report);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
});

/** A sheet's rows as objects by header. */
function rowsOf(name: string): Record<string, ExcelJS.Cell>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, ExcelJS.Cell>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
  });
  return out;
}

describe('the report as XLSX', () => {
  it('has a sheet per breakdown after 说明 and 总体, then 热点问题', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(reportSheetNames(report));
    expect(reportSheetNames(report)).toEqual(['说明', '总体', '按信访形式', '按事项类型', '按内容分类', '按承办单位', '按问题属地', '按信访层级', '热点问题']);
    expect((wb.getWorksheet('总体')!.getRow(1).values as unknown[]).slice(1)).toEqual(FIGURE_COLUMNS.map((c) => c.header));
  });

  it('holds every overall figure with the API value, counts as integers and rates as 0.00%', () => {
    const rows = rowsOf('总体');
    expect(rows.map((r) => r['指标']!.value)).toEqual(FIGURE_IDS.map((id) => report.figures[id].label));
    for (const id of FIGURE_IDS) {
      const f = report.figures[id];
      const r = rows.find((x) => x['指标']!.value === f.label)!;
      if (f.kind === 'count') {
        expect(r['数值']!.value).toBe(f.value);
        expect(r['数值']!.numFmt).toBe('0');
        expect(r['人次']!.value).toBe(f.persons);
        expect(r['同比']!.numFmt).toBe('+0.00%;-0.00%;0.00%');
        expect(r['同比']!.value ?? null).toBe(f.yoy!.change === null ? null : f.yoy!.change / 100);
        expect(r['上期']!.value).toBe(f.mom!.previous);
      } else if (f.kind === 'rate') {
        expect(r['数值']!.numFmt).toBe('0.00%');
        expect(r['数值']!.value ?? null).toBe(f.value === null ? null : f.value / 100);
        expect(r['计算公式']!.value).toBe(f.formula!.text);
        expect(r['分子']!.value).toBe(f.formula!.numerator);
        expect(r['分母']!.value).toBe(f.formula!.denominator);
        expect(r['公式版本']!.value).toBe(f.formula!.id);
        expect(r['环比']!.numFmt).toContain('个百分点');
        expect(r['环比']!.value ?? null).toBe(f.mom!.change);
      } else {
        expect(r['数值']!.value ?? null).toBe(f.value);
        expect(r['分母']!.value).toBe(f.average!.count);
      }
    }
    // The fixture has something to show in every kind of figure.
    expect(report.figures.total.value).toBeGreaterThan(100);
    expect(report.figures.satisfactionRate.value).not.toBeNull();
    expect(report.figures.total.yoy!.change).not.toBeNull();
  });

  it('lists every breakdown row with its figures', () => {
    for (const b of report.breakdowns) {
      const rows = rowsOf(`按${b.label}`);
      expect(rows).toHaveLength(b.rows.length * FIGURE_IDS.length);
      for (const br of b.rows) {
        const total = rows.find((r) => r[b.label]!.value === br.label && r['指标']!.value === '信访总量')!;
        expect(total['数值']!.value).toBe(br.figures.total.value);
        expect(total['人次']!.value).toBe(br.figures.total.persons);
      }
    }
  });

  it('shows the period, scope, comparisons and formulas on 说明, and 热点问题 with shares', () => {
    const notes = rowsOf('说明').map((r) => [r['项目']!.value, r['内容']!.value]);
    expect(notes).toContainEqual(['统计期间', '2026年第1季度（2026-01-01至2026-03-31，按登记收到日期）']);
    expect(notes).toContainEqual(['同比对照期', '2025年第1季度（重新计算）']);
    expect(notes).toContainEqual(['环比对照期', '2025年第4季度（重新计算）']);
    const hot = rowsOf('热点问题');
    expect(hot.map((r) => r['问题类别']!.value)).toEqual(report.hotTopics.map((t) => t.label));
    expect(hot[0]!['批次']!.value).toBe(report.hotTopics[0]!.cases);
    expect(hot[0]!['占信访总量']!.value).toBeCloseTo(report.hotTopics[0]!.share! / 100, 10);
  });
});

describe('the report as CSV', () => {
  const text = () => new TextDecoder('utf-8', { ignoreBOM: true }).decode(reportCsv(report));

  it('starts with a BOM and the Chinese header, one CRLF line per figure', () => {
    const t = text();
    expect(t.startsWith('\uFEFF统计期间,统计范围,维度,分组,指标')).toBe(true);
    const lines = t.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    expect(lines).toHaveLength(1 + FIGURE_IDS.length * (1 + report.breakdowns.reduce((s, b) => s + b.rows.length, 0)));
  });

  it('carries the API values: a rate in per cent with its formula, numerator and denominator', () => {
    const lines = text().slice(1).split('\r\n');
    const rate = report.figures.onTimeNotifyRate;
    const line = lines.find((l) => l.startsWith('2026年第1季度,全部,总体,全部,按期受理告知率,'))!;
    const cells = line.split(',');
    expect(cells[6]).toBe(String(rate.value));
    expect(cells[16]).toBe('个百分点');
    expect(cells.slice(-3)).toEqual([String(rate.formula!.numerator), String(rate.formula!.denominator), rate.formula!.id]);
    const total = lines.find((l) => l.startsWith('2026年第1季度,全部,总体,全部,信访总量,'))!.split(',');
    expect(total.slice(5, 8)).toEqual(['批次', String(report.figures.total.value), String(report.figures.total.persons)]);
  });

  it('quotes separators and defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"明"')).toBe('"说""明"""');
    expect(csvCell('x\ny')).toBe('"x\ny"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1.96)).toBe('-1.96');
    expect(csvCell(null)).toBe('');
  });
});
