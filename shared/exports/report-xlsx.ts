/**
 * A report as an XLSX workbook (DESIGN §8, issue 13; docs/exports.md): a 说明 sheet (period,
 * scope, the day it is as of, what it is compared with, the settings and every formula), a 总体
 * sheet with every figure, one sheet per breakdown, 热点问题, and the corrections of a published
 * period. Chinese headers; counts as whole numbers, rates as 0.00%, 同比 / 环比 as signed changes
 * (per cent, or points for a rate); beside each rate its formula, numerator and denominator.
 * Pure: Report in, bytes out (the frozen reports and the download use the same).
 */
import type { Writable } from 'node:stream';
import type { Report } from '../domain/reports';
import { BASIS_LABELS, breakdownRows, overallRows, UNIT_LABELS, type FigureRow } from './report-table';
import {
  addRow,
  collectWorkbook,
  FMT_DAYS,
  FMT_INTEGER,
  FMT_PERCENT,
  FMT_PERCENT_CHANGE,
  FMT_POINTS_CHANGE,
  sheetWithHeader,
  workbookTo,
  type Column,
  type Sheet,
} from './xlsx';

/** The columns of a sheet of figures (a breakdown's sheet adds 分组 in front). */
export const FIGURE_COLUMNS: readonly Column[] = [
  { header: '指标', width: 16 },
  { header: '单位', width: 6 },
  { header: '数值', width: 10 },
  { header: '人次', width: 9, numFmt: FMT_INTEGER },
  { header: '上年同期', width: 10 },
  { header: '上年同期人次', width: 10, numFmt: FMT_INTEGER },
  { header: '同比', width: 14 },
  { header: '人次同比', width: 11, numFmt: FMT_PERCENT_CHANGE },
  { header: '上期', width: 10 },
  { header: '上期人次', width: 10, numFmt: FMT_INTEGER },
  { header: '环比', width: 14 },
  { header: '人次环比', width: 11, numFmt: FMT_PERCENT_CHANGE },
  { header: '计算公式', width: 46 },
  { header: '分子', width: 10 },
  { header: '分母', width: 10 },
  { header: '公式版本', width: 20 },
];

/** A value as the cell holds it: a rate as its fraction (the format shows it as per cent). */
function cellValue(v: number | null, unit: FigureRow['unit']): number | null {
  if (v === null) return null;
  return unit === 'percent' ? v / 100 : v;
}
function changeValue(v: number | null, unit: FigureRow['changeUnit']): number | null {
  if (v === null) return null;
  return unit === 'percent' ? v / 100 : v;
}
const pct = (v: number | null) => (v === null ? null : v / 100);

function valueFormat(unit: FigureRow['unit']): string {
  return unit === 'count' ? FMT_INTEGER : unit === 'percent' ? FMT_PERCENT : FMT_DAYS;
}

/** The cells of one figure row (without 分组), and their formats by column offset (1-based). */
export function figureCells(r: FigureRow): { values: (string | number | null)[]; formats: Record<number, string> } {
  const vf = valueFormat(r.unit);
  const cf = r.changeUnit === 'points' ? FMT_POINTS_CHANGE : FMT_PERCENT_CHANGE;
  const values = [
    r.label,
    UNIT_LABELS[r.unit],
    cellValue(r.value, r.unit),
    r.persons,
    cellValue(r.yoyPrevious, r.unit),
    r.yoyPreviousPersons,
    changeValue(r.yoyChange, r.changeUnit),
    pct(r.yoyPersonsChange),
    cellValue(r.momPrevious, r.unit),
    r.momPreviousPersons,
    changeValue(r.momChange, r.changeUnit),
    pct(r.momPersonsChange),
    r.formula,
    r.numerator,
    r.denominator,
    r.formulaId,
  ];
  const numFmt = r.unit === 'days' ? FMT_DAYS : FMT_INTEGER;
  return { values, formats: { 3: vf, 5: vf, 7: cf, 9: vf, 11: cf, 14: numFmt, 15: r.unit === 'days' ? FMT_INTEGER : numFmt } };
}

function figureSheet(ws: Sheet, rows: readonly FigureRow[], withGroup: boolean): void {
  for (const r of rows) {
    const { values, formats } = figureCells(r);
    if (!withGroup) addRow(ws, values, formats);
    else addRow(ws, [r.group, ...values], Object.fromEntries(Object.entries(formats).map(([c, f]) => [Number(c) + 1, f])));
  }
}

/** The sheet names, in order (the LibreOffice check and the tests find the sheets by these). */
export function reportSheetNames(report: Report): string[] {
  return [
    '说明',
    '总体',
    ...report.breakdowns.map((b) => `按${b.label}`),
    '热点问题',
    ...(report.publication && report.publication.corrections.length > 0 ? ['发布后更正'] : []),
  ];
}

function writeNotes(ws: Sheet, report: Report): void {
  const { yoy, mom } = report.comparisons;
  const lines: [string, string | number][] = [
    ['报表', '信访工作统计报表'],
    ['统计期间', `${report.period.label}（${report.period.from}至${report.period.to}，按登记收到日期）`],
    ['统计范围', report.scope.label],
    ['统计截至', report.asOf],
    ['同比对照期', `${yoy.period.label}（${BASIS_LABELS[yoy.basis]}）`],
    ['环比对照期', `${mom.period.label}（${BASIS_LABELS[mom.basis]}）`],
    ['集体访标准', `${report.settings.collectiveThreshold}人及以上`],
    ['评价期限', `送达后${report.settings.ratingWindowDays}日`],
    ['满意度公式版本', report.settings.formulaVersion],
    ['统计事实数', report.facts],
  ];
  if (report.publication) {
    lines.push(['发布时间', report.publication.frozenAt], ['发布截至', report.publication.asOf], ['发布文件SHA-256', report.publication.sha256]);
  }
  lines.push(['同比、环比', '件数与天数为增减百分比；比率为增减百分点；上期为0或无数据时不计算']);
  for (const [k, v] of lines) addRow(ws, [k, v]);
  addRow(ws, []);
  addRow(ws, ['比率', '计算公式', '公式版本']);
  for (const f of Object.values(report.figures)) if (f.formula) addRow(ws, [f.label, f.formula.text, f.formula.id]);
}

/** Writes the workbook of a report to `stream` (streamed: each row is written as it is made). */
export async function writeReportXlsx(report: Report, stream: Writable): Promise<void> {
  const wb = workbookTo(stream, { title: `信访工作统计报表 ${report.period.label} ${report.scope.label}`, created: new Date(`${report.asOf}T00:00:00+08:00`) });
  const notes = sheetWithHeader(wb, '说明', [
    { header: '项目', width: 16 },
    { header: '内容', width: 70 },
    { header: '', width: 22 },
  ]);
  writeNotes(notes, report);
  notes.commit();

  const overall = sheetWithHeader(wb, '总体', FIGURE_COLUMNS);
  figureSheet(overall, overallRows(report), false);
  overall.commit();

  for (const b of report.breakdowns) {
    const ws = sheetWithHeader(wb, `按${b.label}`, [{ header: b.label, width: 16 }, ...FIGURE_COLUMNS]);
    figureSheet(ws, breakdownRows(b), true);
    ws.commit();
  }

  const hot = sheetWithHeader(wb, '热点问题', [
    { header: '排名', width: 6, numFmt: FMT_INTEGER },
    { header: '问题类别', width: 16 },
    { header: '批次', width: 8, numFmt: FMT_INTEGER },
    { header: '人次', width: 8, numFmt: FMT_INTEGER },
    { header: '占信访总量', width: 11, numFmt: FMT_PERCENT },
    { header: '上年同期批次', width: 12, numFmt: FMT_INTEGER },
    { header: '同比', width: 10, numFmt: FMT_PERCENT_CHANGE },
    { header: '上期批次', width: 10, numFmt: FMT_INTEGER },
    { header: '环比', width: 10, numFmt: FMT_PERCENT_CHANGE },
  ]);
  for (const t of report.hotTopics) {
    addRow(hot, [
      t.rank,
      t.label,
      t.cases,
      t.persons,
      pct(t.share),
      t.yoy?.previous ?? null,
      pct(t.yoy?.change ?? null),
      t.mom?.previous ?? null,
      pct(t.mom?.change ?? null),
    ]);
  }
  hot.commit();

  const corrections = report.publication?.corrections ?? [];
  if (corrections.length > 0) {
    const ws = sheetWithHeader(wb, '发布后更正', [
      { header: '指标', width: 16 },
      { header: '分组', width: 20 },
      { header: '发布值', width: 10 },
      { header: '发布人次', width: 10, numFmt: FMT_INTEGER },
      { header: '重新计算值', width: 10 },
      { header: '重新计算人次', width: 12, numFmt: FMT_INTEGER },
    ]);
    for (const c of corrections) {
      const b = c.dimension ? report.breakdowns.find((x) => x.dimension === c.dimension) : undefined;
      const group = b ? `${b.label}：${b.rows.find((r) => r.key === c.key)?.label ?? c.key}` : '总体';
      addRow(ws, [c.label, group, c.published, c.publishedPersons ?? null, c.recomputed, c.recomputedPersons ?? null]);
    }
    ws.commit();
  }
  await wb.commit();
}

/** The workbook's bytes. */
export function reportXlsx(report: Report): Promise<Uint8Array> {
  return collectWorkbook((stream) => writeReportXlsx(report, stream));
}
