/**
 * A report as rows (DESIGN §8, issue 13; docs/exports.md): every figure of the period, overall
 * and by each breakdown row, with its 同比 / 环比 and, for a rate or an average, what it divided.
 * The XLSX and CSV renderings read these rows, so both carry the same numbers as `GET /reports`.
 * Pure.
 */
import { FIGURE_IDS, type Basis, type Change, type Report, type ReportFigure } from '../domain/reports';

/** How a value is shown: 批次 (a count), per cent (a rate), days (an average). */
export type ValueUnit = 'count' | 'percent' | 'days';

export const UNIT_LABELS: Record<ValueUnit, string> = { count: '批次', percent: '%', days: '天' };
export const BASIS_LABELS: Record<Basis, string> = { frozen: '已发布数据', recomputed: '重新计算' };
/** The words of a change: per cent for counts and averages, points for rates. */
export const CHANGE_UNIT_LABELS: Record<Change['unit'], string> = { percent: '%', points: '个百分点' };

/** The formulas of the averages (the rates carry theirs in the report). */
const AVERAGE_FORMULAS: Record<string, { text: string; numeratorLabel: string; denominatorLabel: string }> = {
  avgDaysToAcceptance: { text: '平均受理天数 = 受理天数合计 ÷ 受理批次', numeratorLabel: '受理天数合计', denominatorLabel: '受理批次' },
  avgDaysToReply: { text: '平均答复天数 = 答复天数合计 ÷ 答复批次', numeratorLabel: '答复天数合计', denominatorLabel: '答复批次' },
};

export interface FigureRow {
  /** The breakdown's label (信访形式 …), or 总体 for the overall figures. */
  dimension: string;
  /** The breakdown row's label (来信 …), or 全部. */
  group: string;
  id: string;
  label: string;
  unit: ValueUnit;
  /** 批次, per cent (0–100) or days; null when there was nothing to divide by. */
  value: number | null;
  persons: number | null;
  yoyPrevious: number | null;
  yoyPreviousPersons: number | null;
  yoyChange: number | null;
  yoyPersonsChange: number | null;
  momPrevious: number | null;
  momPreviousPersons: number | null;
  momChange: number | null;
  momPersonsChange: number | null;
  /** The unit of the changes: per cent, or points for a rate. */
  changeUnit: Change['unit'];
  formula: string | null;
  formulaId: string | null;
  numeratorLabel: string | null;
  denominatorLabel: string | null;
  numerator: number | null;
  denominator: number | null;
}

export const OVERALL_DIMENSION = '总体';
export const OVERALL_GROUP = '全部';

function unitOf(f: ReportFigure): ValueUnit {
  return f.kind === 'count' ? 'count' : f.kind === 'rate' ? 'percent' : 'days';
}

/** One figure as a row. */
export function figureRow(f: ReportFigure, dimension: string, group: string): FigureRow {
  const avg = f.kind === 'average' ? AVERAGE_FORMULAS[f.id] : undefined;
  return {
    dimension,
    group,
    id: f.id,
    label: f.label,
    unit: unitOf(f),
    value: f.value,
    persons: f.kind === 'count' ? (f.persons ?? 0) : null,
    yoyPrevious: f.yoy?.previous ?? null,
    yoyPreviousPersons: f.kind === 'count' ? (f.yoy?.previousPersons ?? null) : null,
    yoyChange: f.yoy?.change ?? null,
    yoyPersonsChange: f.kind === 'count' ? (f.yoy?.personsChange ?? null) : null,
    momPrevious: f.mom?.previous ?? null,
    momPreviousPersons: f.kind === 'count' ? (f.mom?.previousPersons ?? null) : null,
    momChange: f.mom?.change ?? null,
    momPersonsChange: f.kind === 'count' ? (f.mom?.personsChange ?? null) : null,
    changeUnit: f.kind === 'rate' ? 'points' : 'percent',
    formula: f.formula?.text ?? avg?.text ?? null,
    formulaId: f.formula?.id ?? null,
    numeratorLabel: f.formula?.numeratorLabel ?? avg?.numeratorLabel ?? null,
    denominatorLabel: f.formula?.denominatorLabel ?? avg?.denominatorLabel ?? null,
    numerator: f.formula?.numerator ?? f.average?.totalDays ?? null,
    denominator: f.formula?.denominator ?? f.average?.count ?? null,
  };
}

/** The figures of a set, in the order of FIGURE_IDS (counts, rates, averages). */
function rowsOf(figures: Report['figures'], dimension: string, group: string): FigureRow[] {
  return FIGURE_IDS.flatMap((id) => {
    const f = figures[id];
    return f ? [figureRow(f, dimension, group)] : [];
  });
}

/** The overall figures. */
export function overallRows(report: Report): FigureRow[] {
  return rowsOf(report.figures, OVERALL_DIMENSION, OVERALL_GROUP);
}

/** A breakdown's figures, row by row. */
export function breakdownRows(b: Report['breakdowns'][number]): FigureRow[] {
  return b.rows.flatMap((r) => rowsOf(r.figures, b.label, r.label));
}

/** Every figure of the report: overall, then each breakdown. */
export function allRows(report: Report): FigureRow[] {
  return [...overallRows(report), ...report.breakdowns.flatMap(breakdownRows)];
}

/** The file name of an export: 信访统计_2026-Q1_全部.xlsx (ASCII-safe characters only in the period key). */
export function reportFileName(report: Pick<Report, 'period' | 'scope'>, ext: string): string {
  return `信访统计_${report.period.key.replace(/\.\./g, '_')}_${report.scope.label}.${ext}`;
}
