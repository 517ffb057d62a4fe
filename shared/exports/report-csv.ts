/**
 * A report as one CSV table (DESIGN §8, issue 13; docs/exports.md): a line per figure, overall
 * (维度 总体) and for every breakdown row, with 同比 / 环比 and each rate's formula, numerator and
 * denominator. Values as the API gives them: rates in per cent (0–100, 单位 %), changes in per cent
 * or, for rates, in points (变化单位). Pure.
 */
import type { Report } from '../domain/reports';
import { csvBytes } from './csv';
import { allRows, CHANGE_UNIT_LABELS, UNIT_LABELS, type FigureRow } from './report-table';

export const REPORT_CSV_HEADER = [
  '统计期间',
  '统计范围',
  '维度',
  '分组',
  '指标',
  '单位',
  '数值',
  '人次',
  '上年同期',
  '上年同期人次',
  '同比',
  '人次同比',
  '上期',
  '上期人次',
  '环比',
  '人次环比',
  '变化单位',
  '计算公式',
  '分子',
  '分母',
  '公式版本',
] as const;

function line(report: Report, r: FigureRow): (string | number | null)[] {
  return [
    report.period.label,
    report.scope.label,
    r.dimension,
    r.group,
    r.label,
    UNIT_LABELS[r.unit],
    r.value,
    r.persons,
    r.yoyPrevious,
    r.yoyPreviousPersons,
    r.yoyChange,
    r.yoyPersonsChange,
    r.momPrevious,
    r.momPreviousPersons,
    r.momChange,
    r.momPersonsChange,
    CHANGE_UNIT_LABELS[r.changeUnit],
    r.formula,
    r.numerator,
    r.denominator,
    r.formulaId,
  ];
}

export function reportCsv(report: Report): Uint8Array {
  return csvBytes(
    REPORT_CSV_HEADER,
    allRows(report).map((r) => line(report, r)),
  );
}
