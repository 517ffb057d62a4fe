/**
 * The charts of the 信访工作统计分析 (issue 13; docs/exports.md), rendered by ECharts on the server
 * as SVG (`renderToSVGString`, no browser, no canvas): text is measured with the letter font, so
 * labels fit as they are printed. Pure: a report and a font in, SVG strings out.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Report } from '../domain/reports';
import type { LetterFont } from '../letters/fonts';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

/** The colours of the series: this period, the same period a year before. */
export const SERIES_COLOURS = ['#b8312f', '#8c96a5'] as const;
export const SERIES_NAMES = ['本期', '上年同期'] as const;

export interface ChartSpec {
  /** 图1 …: the caption printed under the chart. */
  caption: string;
  /** The category labels (x axis, or y for a horizontal chart). */
  categories: string[];
  /** This period's values and the same period a year before. */
  now: number[];
  before: number[];
  horizontal: boolean;
  width: number;
  height: number;
}

/** The charts of a report: 信访总量 by 信访形式, and the 热点问题. */
export function reportCharts(report: Report): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const channels = report.breakdowns.find((b) => b.dimension === 'channel');
  if (channels) {
    const rows = channels.rows.filter((r) => (r.figures.total.value ?? 0) > 0 || (r.figures.total.yoy?.previous ?? 0) > 0);
    charts.push({
      caption: `图${charts.length + 1}  信访形式分布（批次）`,
      categories: rows.map((r) => r.label),
      now: rows.map((r) => r.figures.total.value ?? 0),
      before: rows.map((r) => r.figures.total.yoy?.previous ?? 0),
      horizontal: false,
      width: 440,
      height: 200,
    });
  }
  const hot = report.hotTopics.slice(0, 6);
  if (hot.length > 0) {
    charts.push({
      caption: `图${charts.length + 1}  热点问题（批次）`,
      categories: hot.map((t) => t.label).reverse(),
      now: hot.map((t) => t.cases).reverse(),
      before: hot.map((t) => t.yoy?.previous ?? 0).reverse(),
      horizontal: true,
      width: 440,
      height: 60 + 30 * hot.length,
    });
  }
  return charts;
}

/** Measures text as the letter font prints it (ECharts asks with a CSS font string: "12px serif"). */
function measureWith(font: LetterFont) {
  return (text: string, css?: string) => {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(css ?? '')?.[1] ?? 12);
    let w = 0;
    for (const ch of text) w += font.advance(ch.codePointAt(0) as number);
    return { width: (w * size) / 1000 };
  };
}

/** A chart as SVG. */
export function chartSvg(spec: ChartSpec, font: LetterFont): string {
  echarts.setPlatformAPI({ measureText: measureWith(font) });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  const valueAxis = { type: 'value' as const, minInterval: 1, axisLabel: { fontSize: 10, color: '#333333' }, splitLine: { lineStyle: { color: '#dddddd' } } };
  const categoryAxis = {
    type: 'category' as const,
    data: spec.categories,
    axisLabel: { fontSize: 10, color: '#333333', interval: 0 },
    axisLine: { lineStyle: { color: '#666666' } },
    axisTick: { show: false },
  };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'serif' },
    color: [...SERIES_COLOURS],
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10, color: '#333333' }, data: [...SERIES_NAMES] },
    // ECharts 6 keeps the axis labels inside the chart by itself (grid.outerBoundsMode 'auto').
    grid: { left: 8, right: 24, top: 24, bottom: 4 },
    xAxis: spec.horizontal ? valueAxis : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxis,
    series: [
      {
        name: SERIES_NAMES[0],
        type: 'bar',
        data: spec.now,
        barMaxWidth: 22,
        label: { show: true, position: spec.horizontal ? 'right' : 'top', fontSize: 9, color: '#000000' },
      },
      {
        name: SERIES_NAMES[1],
        type: 'bar',
        data: spec.before,
        barMaxWidth: 22,
        label: { show: true, position: spec.horizontal ? 'right' : 'top', fontSize: 9, color: '#555555' },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
