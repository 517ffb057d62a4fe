import { describe, expect, it } from 'vitest';
import {
  changeText,
  changeTrend,
  drillExportQuery,
  drillQuery,
  figureText,
  lastMonth,
  periodKeyOf,
  pickerOf,
  reportExportQuery,
  reportQuery,
} from './report-view';

describe('the 统计分析 screen’s numbers', () => {
  it('shows counts, rates and averages as offices write them', () => {
    expect(figureText({ kind: 'count', value: 7722 })).toBe('7,722');
    expect(figureText({ kind: 'rate', value: 85 })).toBe('85.00%');
    expect(figureText({ kind: 'average', value: 12.345 })).toBe('12.35天');
    expect(figureText({ kind: 'rate', value: null })).toBe('—');
  });

  it('shows 同比/环比 in per cent for counts and in points for rates, to 0.01', () => {
    expect(changeText({ change: -1.96, unit: 'percent' })).toBe('-1.96%');
    expect(changeText({ change: 40, unit: 'percent' })).toBe('+40.00%');
    expect(changeText({ change: 2.5, unit: 'points' })).toBe('+2.50个百分点');
    expect(changeText({ change: 0, unit: 'points' })).toBe('0.00个百分点');
    expect(changeText({ change: null, unit: 'percent' })).toBe('—');
    expect(changeTrend({ change: -3 })).toBe('down');
    expect(changeTrend({ change: null })).toBe('flat');
  });

  it('turns the period picker into the API’s period and back', () => {
    expect(periodKeyOf('month', { month: '2026-03' })).toBe('2026-03');
    expect(periodKeyOf('quarter', { year: '2026', quarter: '1' })).toBe('2026-Q1');
    expect(periodKeyOf('year', { year: '2025' })).toBe('2025');
    expect(periodKeyOf('range', { from: '2026-01-05', to: '2026-02-10' })).toBe('2026-01-05..2026-02-10');
    expect(periodKeyOf('range', { from: '2026-02-10', to: '2026-01-05' })).toEqual({ error: '截止日期不能早于起始日期' });
    expect(periodKeyOf('month', { month: '' })).toEqual({ error: '请选择月份' });
    expect(pickerOf('2026-Q1')).toMatchObject({ kind: 'quarter', year: '2026', quarter: '1' });
    expect(pickerOf('2026-01-05..2026-02-10')).toMatchObject({ kind: 'range', from: '2026-01-05', to: '2026-02-10' });
    expect(pickerOf('2025')).toMatchObject({ kind: 'year', year: '2025' });
    expect(pickerOf('2026-03')).toMatchObject({ kind: 'month', month: '2026-03' });
    expect(lastMonth('2026-01-15')).toBe('2025-12');
    expect(lastMonth('2026-03-02')).toBe('2026-02');
  });

  it('addresses the cases behind a number', () => {
    expect(drillQuery({ period: '2026-03', figure: 'total' })).toBe('period=2026-03&figure=total');
    expect(drillQuery({ period: '2026-Q1', figure: 'satisfactionRate', part: 'numerator', dimension: 'locality', value: 'none', deptCode: 'HRSS' })).toBe(
      'period=2026-Q1&figure=satisfactionRate&part=numerator&dimension=locality&value=none&deptCode=HRSS',
    );
  });

  it('downloads the report with the query the screen shows', () => {
    expect(reportQuery({ period: '2026-03', dimension: 'locality', deptCode: 'HRSS' })).toEqual({
      period: '2026-03',
      dimensions: 'locality,category',
      deptCode: 'HRSS',
    });
    expect(reportQuery({ period: '2026', dimension: 'category', deptCode: '' })).toEqual({ period: '2026', dimensions: 'category' });
    const screen = { period: '2026-Q1', dimension: 'level', deptCode: 'HRSS' };
    expect(reportExportQuery(screen, 'xlsx')).toEqual({ period: '2026-Q1', dimensions: 'level,category', deptCode: 'HRSS', format: 'xlsx' });
    expect(reportExportQuery(screen, 'csv')).toEqual({ period: '2026-Q1', dimensions: 'level,category', deptCode: 'HRSS', format: 'csv' });
    // The PDF is the whole 信访工作统计分析 of the period and scope, whatever the breakdown on screen.
    expect(reportExportQuery(screen, 'pdf')).toEqual({ period: '2026-Q1', deptCode: 'HRSS', format: 'pdf' });
    expect(reportExportQuery({ period: '2026-03', dimension: 'channel' }, 'pdf')).toEqual({ period: '2026-03', format: 'pdf' });
  });

  it('exports the drill-down with its own query, without the page', () => {
    const address = new URLSearchParams(
      `${drillQuery({ period: '2026-Q1', figure: 'onTimeCompletionRate', part: 'denominator', dimension: 'level', value: 'none', deptCode: 'HRSS' })}&cursor=50&limit=20&x=1`,
    );
    expect(drillExportQuery(address)).toEqual({
      period: '2026-Q1',
      figure: 'onTimeCompletionRate',
      part: 'denominator',
      dimension: 'level',
      value: 'none',
      deptCode: 'HRSS',
    });
    expect(drillExportQuery(new URLSearchParams('period=2026-03&figure=total&deptCode='))).toEqual({ period: '2026-03', figure: 'total' });
  });
});
