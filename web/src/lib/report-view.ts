/**
 * How the 统计分析 screen shows a report (docs/reports.md): numbers and changes as offices write
 * them (counts in 批次/人次, rates in per cent, averages in days, 同比/环比 in per cent for counts and
 * in 个百分点 for rates, to 0.01), the periods the picker offers, and the address of the cases
 * behind a number (the drill-down). Pure, so it is tested on its own.
 */
import type { Change, ReportFigure } from '@shared/domain/reports/report';

export const PERIOD_KIND_LABELS = { month: '月度', quarter: '季度', year: '年度', range: '自定义' } as const;
export type PeriodKind = keyof typeof PERIOD_KIND_LABELS;

/** 1234.5 → 1,234.50 (always two decimals), 12 → 12. */
function fixed2(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A figure's value as the table shows it: 123 (批次), 85.00% (rate), 12.34天 (average), — (nothing to divide by). */
export function figureText(f: Pick<ReportFigure, 'kind' | 'value'>): string {
  if (f.value === null) return '—';
  if (f.kind === 'rate') return `${fixed2(f.value)}%`;
  if (f.kind === 'average') return `${fixed2(f.value)}天`;
  return f.value.toLocaleString('en-US');
}

/** A change: +12.34% / -1.20% for counts, +2.50个百分点 for rates, — when undefined (nothing before). */
export function changeText(c: Pick<Change, 'change' | 'unit'> | undefined): string {
  if (!c || c.change === null) return '—';
  const sign = c.change > 0 ? '+' : c.change < 0 ? '-' : '';
  const abs = fixed2(Math.abs(c.change));
  return c.unit === 'points' ? `${sign}${abs}个百分点` : `${sign}${abs}%`;
}

/** The trend class of a change (up, down, flat) for its colour. */
export function changeTrend(c: Pick<Change, 'change'> | undefined): 'up' | 'down' | 'flat' {
  if (!c || c.change === null || c.change === 0) return 'flat';
  return c.change > 0 ? 'up' : 'down';
}

/** The period key of the picker's choice, or the reason it names none (in Chinese). */
export function periodKeyOf(kind: PeriodKind, v: { month?: string; year?: string; quarter?: string; from?: string; to?: string }): string | { error: string } {
  switch (kind) {
    case 'month':
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(v.month ?? '') ? (v.month as string) : { error: '请选择月份' };
    case 'quarter':
      return /^\d{4}$/.test(v.year ?? '') && /^[1-4]$/.test(v.quarter ?? '') ? `${v.year}-Q${v.quarter}` : { error: '请选择年份和季度' };
    case 'year':
      return /^\d{4}$/.test(v.year ?? '') ? (v.year as string) : { error: '请选择年份' };
    case 'range': {
      const date = /^\d{4}-\d{2}-\d{2}$/;
      if (!date.test(v.from ?? '') || !date.test(v.to ?? '')) return { error: '请填写起止日期' };
      if ((v.to as string) < (v.from as string)) return { error: '截止日期不能早于起始日期' };
      return `${v.from}..${v.to}`;
    }
  }
}

/** The picker's fields for a period key (the inverse of periodKeyOf). */
export function pickerOf(key: string): { kind: PeriodKind; month: string; year: string; quarter: string; from: string; to: string } {
  const blank = { month: '', year: key.slice(0, 4), quarter: '1', from: '', to: '' };
  let m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return { ...blank, kind: 'quarter', year: m[1] as string, quarter: m[2] as string };
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (m) return { ...blank, kind: 'range', from: m[1] as string, to: m[2] as string };
  if (/^\d{4}$/.test(key)) return { ...blank, kind: 'year' };
  return { ...blank, kind: 'month', month: key };
}

/** The default period: last month (its figures are complete), in office time. */
export function lastMonth(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export interface DrillTarget {
  period: string;
  figure: string;
  part?: 'value' | 'numerator' | 'denominator';
  dimension?: string;
  value?: string;
  deptCode?: string;
}

/** The query of the cases behind a number: the screen's address (#/reports/cases?…) and the API's (GET /reports/cases?…). */
export function drillQuery(t: DrillTarget): string {
  const p = new URLSearchParams({ period: t.period, figure: t.figure });
  if (t.part && t.part !== 'value') p.set('part', t.part);
  if (t.dimension !== undefined && t.value !== undefined) {
    p.set('dimension', t.dimension);
    p.set('value', t.value);
  }
  if (t.deptCode) p.set('deptCode', t.deptCode);
  return p.toString();
}

/**
 * The query of GET /reports the screen shows (the chosen breakdown and, for 热点问题, the category;
 * one department's figures when the office picked one), and its downloads use the same one
 * (GET /exports/report?…&format=): a department's scope is the API's own, so it sends none.
 */
export function reportQuery(s: { period: string; dimension: string; deptCode?: string }): Record<string, string> {
  const dimensions = s.dimension === 'category' ? 'category' : `${s.dimension},category`;
  return { period: s.period, dimensions, ...(s.deptCode ? { deptCode: s.deptCode } : {}) };
}

/**
 * A download of the report on screen (GET /exports/report): the workbook and the CSV with the
 * screen's query (its breakdown a sheet, or rows, of its own); the PDF, the 信访工作统计分析, is a
 * document of fixed content (its 信访形式 chart reads the channel breakdown), so the period and
 * the department only.
 */
export function reportExportQuery(s: { period: string; dimension: string; deptCode?: string }, format: 'xlsx' | 'csv' | 'pdf'): Record<string, string> {
  const q = reportQuery(s);
  if (format === 'pdf') return { period: q.period as string, ...(q.deptCode ? { deptCode: q.deptCode } : {}), format };
  return { ...q, format };
}

/** The keys of a drill-down's address the API reads (GET /reports/cases without its paging). */
const DRILL_KEYS = ['period', 'figure', 'part', 'dimension', 'value', 'deptCode'] as const;

/** The drill-down's export (GET /exports/report-cases): the same cases as the list on screen, every page of them. */
export function drillExportQuery(address: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of DRILL_KEYS) {
    const v = address.get(k);
    if (v !== null && v !== '') out[k] = v;
  }
  return out;
}
