/**
 * 统计分析 (#/reports): the figures of a period (GET /reports, docs/reports.md) for directors and
 * clerks — a department sees its own, as the API scopes them. A period picker (month, quarter,
 * year, range), a breakdown, the table of figures with 同比/环比, each rate's formula with its
 * numerator and denominator, light inline SVG bars, 热点问题. Every number links to the cases behind
 * it (#/reports/cases, GET /reports/cases). The choice lives in the URL, so back and forward work.
 * 导出Excel / 导出CSV / 下载PDF报告 download what is on screen (GET /exports/report, the same query).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Breakdown, Report, ReportFigure } from '@shared/domain/reports/report';
import { ExportButton } from '../../components/ExportButton';
import { Button, Card, Empty, ErrorBanner, Loading, Page, Select, TextInput } from '../../components/ui';
import { api } from '../../lib/api';
import { todayInBeijing } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { Link, navigate, useLocation } from '../../lib/router';
import { useVocab } from '../../lib/vocab';
import {
  changeText,
  changeTrend,
  drillQuery,
  figureText,
  lastMonth,
  PERIOD_KIND_LABELS,
  periodKeyOf,
  pickerOf,
  reportExportQuery,
  reportQuery,
  type DrillTarget,
  type PeriodKind,
} from '../../lib/report-view';
import './reports.css';

const DIMENSION_OPTIONS = [
  { code: 'channel', name: '信访形式' },
  { code: 'itemType', name: '事项类型' },
  { code: 'category', name: '内容分类' },
  { code: 'department', name: '承办单位' },
  { code: 'locality', name: '问题属地' },
  { code: 'level', name: '信访层级' },
];

/** The table's sections: the figures offices report, in their order. */
const SECTIONS: { title: string; figures: string[] }[] = [
  { title: '信访总量', figures: ['total', 'letters', 'visits', 'collectiveVisits', 'individualVisits'] },
  { title: '越级访', figures: ['skipLevel', 'skipToCity', 'toProvince', 'toCapital'] },
  { title: '初信初访与重复信访', figures: ['firstTime', 'repeat', 'repeatRate'] },
  {
    title: '受理与办理',
    figures: [
      'accepted',
      'declined',
      'transferred',
      'assigned',
      'notifyDue',
      'notifyOnTime',
      'onTimeNotifyRate',
      'handlingDue',
      'handlingOnTime',
      'onTimeCompletionRate',
      'overdue',
      'supervised',
      'flagged',
      'avgDaysToAcceptance',
      'avgDaysToReply',
    ],
  },
  { title: '复查复核', figures: ['reviews', 'rereviews', 'final'] },
  {
    title: '满意度评价',
    figures: [
      'ratingTotal',
      'satisfied',
      'basicallySatisfied',
      'unsatisfied',
      'ratingExpired',
      'ratingPending',
      'participationRate',
      'satisfactionRate',
      'ratedSatisfactionRate',
    ],
  },
];

/** The columns of a breakdown table (it fits 1280 px). */
const BREAKDOWN_FIGURES = ['total', 'letters', 'visits', 'collectiveVisits', 'skipLevel', 'repeat', 'onTimeCompletionRate', 'satisfactionRate'];

function DrillLink({ target, children, label }: { target: DrillTarget; children: string; label: string }) {
  return (
    <Link to={`/reports/cases?${drillQuery(target)}`} className="rpt-num" aria-label={label} data-figure={target.figure}>
      {children}
    </Link>
  );
}

/** A number of the report, linked to its cases (a rate's own value to the cases it is about). */
function FigureValue({ f, target, where }: { f: ReportFigure; target: DrillTarget; where: string }) {
  return (
    <DrillLink target={{ ...target, figure: f.id }} label={`${where}${f.label} ${figureText(f)}，查看案件`}>
      {figureText(f)}
    </DrillLink>
  );
}

function ChangeCell({ c }: { c: ReportFigure['yoy'] }) {
  return <span className={`rpt-change rpt-${changeTrend(c)}`}>{changeText(c)}</span>;
}

function FormulaDetails({ f, target }: { f: ReportFigure; target: DrillTarget }) {
  if (!f.formula) return null;
  // A product (参评满意率 = 参评率 × 满意率) divides no cases: its numerator and denominator are not links.
  const product = !f.formula.text.includes('÷');
  const part = (p: 'numerator' | 'denominator', n: number) =>
    product ? (
      <span>{n.toLocaleString('en-US')}</span>
    ) : (
      <DrillLink target={{ ...target, figure: f.id, part: p }} label={`${f.label}的${p === 'numerator' ? '分子' : '分母'} ${n}，查看案件`}>
        {n.toLocaleString('en-US')}
      </DrillLink>
    );
  return (
    <details className="rpt-formula">
      <summary>公式</summary>
      <div>
        <code>{f.formula.text}</code>（{f.formula.id}）
      </div>
      <div>
        分子：{f.formula.numeratorLabel} = {part('numerator', f.formula.numerator)}；分母：{f.formula.denominatorLabel} ={' '}
        {part('denominator', f.formula.denominator)}
      </div>
    </details>
  );
}

function FiguresTable({ report, base }: { report: Report; base: DrillTarget }) {
  return (
    <div className="table-wrap">
      <table className="rpt-table">
        <thead>
          <tr>
            <th scope="col">指标</th>
            <th scope="col">批次 / 比率 / 天数</th>
            <th scope="col">人次</th>
            <th scope="col">同比</th>
            <th scope="col">环比</th>
            <th scope="col">说明</th>
          </tr>
        </thead>
        {SECTIONS.map((s) => (
          <tbody key={s.title}>
            <tr className="rpt-section">
              <th colSpan={6} scope="rowgroup">
                {s.title}
              </th>
            </tr>
            {s.figures.map((id) => {
              const f = report.figures[id as keyof Report['figures']];
              if (!f) return null;
              return (
                <tr key={id} data-figure-row={id}>
                  <th scope="row">{f.label}</th>
                  <td className="num">
                    <FigureValue f={f} target={base} where="" />
                  </td>
                  <td className="num">
                    {f.persons !== undefined ? (
                      <DrillLink target={{ ...base, figure: f.id }} label={`${f.label} ${f.persons}人次，查看案件`}>
                        {f.persons.toLocaleString('en-US')}
                      </DrillLink>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="num">
                    <ChangeCell c={f.yoy} />
                  </td>
                  <td className="num">
                    <ChangeCell c={f.mom} />
                  </td>
                  <td className="rpt-note">
                    {f.kind === 'rate' ? <FormulaDetails f={f} target={base} /> : null}
                    {f.kind === 'average' && f.average ? (
                      <span className="muted">
                        共 {f.average.count} 件，合计 {f.average.totalDays} 天
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** Horizontal bars of one figure by row: light inline SVG, with the numbers as text. */
function Bars({ title, rows }: { title: string; rows: { key: string; label: string; value: number }[] }) {
  const shown = rows.filter((r) => r.value > 0);
  if (shown.length === 0) return <Empty>本期无数据</Empty>;
  const max = Math.max(...shown.map((r) => r.value));
  const rowH = 24;
  const labelW = 120;
  const width = 560;
  const barMax = width - labelW - 60;
  return (
    <figure className="rpt-chart">
      <svg viewBox={`0 0 ${width} ${shown.length * rowH + 4}`} role="img" aria-label={`${title}：${shown.map((r) => `${r.label} ${r.value}`).join('，')}`}>
        {shown.map((r, i) => (
          <g key={r.key} aria-hidden="true">
            <text x={labelW - 6} y={i * rowH + 16} textAnchor="end" className="rpt-tick">
              {r.label}
            </text>
            <rect x={labelW} y={i * rowH + 4} width={Math.max(1, (r.value / max) * barMax)} height={rowH - 8} className="rpt-bar" rx={2} />
            <text x={labelW + (r.value / max) * barMax + 6} y={i * rowH + 16} className="rpt-tick">
              {r.value.toLocaleString('en-US')}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted">{title}</figcaption>
    </figure>
  );
}

function BreakdownTable({ b, base }: { b: Breakdown; base: DrillTarget }) {
  const head = BREAKDOWN_FIGURES.map((id) => b.rows[0]?.figures[id as keyof Report['figures']]?.label ?? id);
  return (
    <div className="table-wrap">
      <table className="rpt-table rpt-breakdown" aria-label={`按${b.label}统计`}>
        <thead>
          <tr>
            <th scope="col">{b.label}</th>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
            <th scope="col">人次</th>
            <th scope="col">信访总量同比</th>
          </tr>
        </thead>
        <tbody>
          {b.rows.map((r) => {
            const target = { ...base, dimension: b.dimension, value: r.key };
            return (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.label}</th>
                {BREAKDOWN_FIGURES.map((id) => {
                  const f = r.figures[id as keyof Report['figures']];
                  return (
                    <td key={id} className="num">
                      {f ? <FigureValue f={f} target={target} where={`${r.label}：`} /> : null}
                    </td>
                  );
                })}
                <td className="num">{(r.figures.total.persons ?? 0).toLocaleString('en-US')}</td>
                <td className="num">
                  <ChangeCell c={r.figures.total.yoy} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function Reports({ session }: PageProps) {
  const vocab = useVocab();
  const loc = useLocation();
  const roles = session.user.roles;
  const office = roles.includes('clerk') || roles.includes('director');
  const period = loc.query.get('period') ?? lastMonth(todayInBeijing());
  const dimension = loc.query.get('dimension') ?? 'category';
  const deptCode = office ? (loc.query.get('deptCode') ?? '') : '';
  const [picker, setPicker] = useState(() => pickerOf(period));
  const [pickError, setPickError] = useState<string | undefined>();
  useEffect(() => setPicker(pickerOf(period)), [period]);

  const shown = { period, dimension, deptCode };
  const query = reportQuery(shown);
  const report = useLoad((signal) => api.get<Report>('/reports', { query, signal }).then((r) => r.data), [period, dimension, deptCode]);

  function go(next: { period?: string; dimension?: string; deptCode?: string }): void {
    const p = new URLSearchParams({ period: next.period ?? period, dimension: next.dimension ?? dimension });
    const dept = next.deptCode ?? deptCode;
    if (dept) p.set('deptCode', dept);
    navigate(`/reports?${p.toString()}`);
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    const key = periodKeyOf(picker.kind, picker);
    if (typeof key !== 'string') {
      setPickError(key.error);
      return;
    }
    setPickError(undefined);
    go({ period: key });
  }

  const r = report.data;
  const base: DrillTarget = { period, figure: 'total', ...(deptCode ? { deptCode } : {}) };
  const breakdown = r?.breakdowns.find((b) => b.dimension === dimension);
  const year = Number(todayInBeijing().slice(0, 4));
  const years = Array.from({ length: 6 }, (_, i) => ({ code: String(year - i), name: `${year - i}年` }));

  return (
    <Page
      title="统计分析"
      actions={
        // The figures on screen as files: the query of GET /reports above (the PDF: its period and department).
        <span className="rpt-downloads" data-testid="report-downloads">
          <ExportButton path="/exports/report" query={reportExportQuery(shown, 'xlsx')} label="导出Excel" />
          <ExportButton path="/exports/report" query={reportExportQuery(shown, 'csv')} label="导出CSV" />
          <ExportButton path="/exports/report" query={reportExportQuery(shown, 'pdf')} label="下载PDF报告" />
        </span>
      }
    >
      <Card>
        <form className="rpt-picker" onSubmit={submit} aria-label="统计期间">
          <Select
            label="统计期间"
            options={Object.entries(PERIOD_KIND_LABELS).map(([code, name]) => ({ code, name }))}
            value={picker.kind}
            onChange={(e) => setPicker((p) => ({ ...p, kind: e.target.value as PeriodKind }))}
          />
          {picker.kind === 'month' ? (
            <TextInput label="月份" type="month" value={picker.month} error={pickError} onChange={(e) => setPicker((p) => ({ ...p, month: e.target.value }))} />
          ) : null}
          {picker.kind === 'quarter' || picker.kind === 'year' ? (
            <Select label="年份" options={years} value={picker.year} error={pickError} onChange={(e) => setPicker((p) => ({ ...p, year: e.target.value }))} />
          ) : null}
          {picker.kind === 'quarter' ? (
            <Select
              label="季度"
              options={[1, 2, 3, 4].map((q) => ({ code: String(q), name: `第${q}季度` }))}
              value={picker.quarter}
              onChange={(e) => setPicker((p) => ({ ...p, quarter: e.target.value }))}
            />
          ) : null}
          {picker.kind === 'range' ? (
            <>
              <TextInput
                label="起始日期"
                type="date"
                value={picker.from}
                error={pickError}
                onChange={(e) => setPicker((p) => ({ ...p, from: e.target.value }))}
              />
              <TextInput label="截止日期" type="date" value={picker.to} onChange={(e) => setPicker((p) => ({ ...p, to: e.target.value }))} />
            </>
          ) : null}
          <Button type="submit" variant="primary" busy={report.loading}>
            统计
          </Button>
          <Select label="分类统计" options={DIMENSION_OPTIONS} value={dimension} onChange={(e) => go({ dimension: e.target.value })} />
          {office ? (
            <Select
              label="统计范围"
              options={vocab.departments.filter((d) => !d.retired)}
              placeholder="全部"
              value={deptCode}
              onChange={(e) => go({ deptCode: e.target.value })}
            />
          ) : null}
        </form>
      </Card>
      <ErrorBanner error={report.error} />
      {report.loading && !r ? <Loading /> : null}
      {r ? (
        <>
          <Card
            title={`${r.period.label}信访工作统计（${r.scope.label}）`}
            className="rpt-card"
            actions={
              <span className="muted rpt-asof">
                统计截至 {r.asOf}；同比：{r.comparisons.yoy.period.label}，环比：{r.comparisons.mom.period.label}
                {r.comparisons.yoy.basis === 'frozen' || r.comparisons.mom.basis === 'frozen' ? '（含已发布数据）' : ''}
              </span>
            }
          >
            <p className="rpt-lead" data-testid="report-lead">
              本期共登记信访事项 <FigureValue f={r.figures.total} target={base} where="" /> 批次 {r.figures.total.persons ?? 0} 人次，同比
              {changeText(r.figures.total.yoy)}，环比{changeText(r.figures.total.mom)}。每个数字可点击查看对应案件。
            </p>
            <FiguresTable report={r} base={base} />
          </Card>
          {breakdown ? (
            <Card title={`按${breakdown.label}统计`}>
              <Bars
                title={`按${breakdown.label}统计的信访总量（批次）`}
                rows={breakdown.rows.map((x) => ({ key: x.key, label: x.label, value: x.figures.total.value ?? 0 }))}
              />
              <BreakdownTable b={breakdown} base={base} />
            </Card>
          ) : null}
          <Card title="热点问题">
            {r.hotTopics.length === 0 ? (
              <Empty>本期无数据</Empty>
            ) : (
              <>
                <Bars title="热点问题（批次）" rows={r.hotTopics.map((h) => ({ key: h.category, label: h.label, value: h.cases }))} />
                <div className="table-wrap">
                  <table className="rpt-table" aria-label="热点问题">
                    <thead>
                      <tr>
                        <th scope="col">排名</th>
                        <th scope="col">问题类别</th>
                        <th scope="col">批次</th>
                        <th scope="col">人次</th>
                        <th scope="col">占比</th>
                        <th scope="col">同比</th>
                        <th scope="col">环比</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.hotTopics.map((h) => (
                        <tr key={h.category}>
                          <td>{h.rank}</td>
                          <th scope="row">{h.label}</th>
                          <td className="num">
                            <DrillLink
                              target={{ ...base, figure: 'total', dimension: 'category', value: h.category }}
                              label={`${h.label} ${h.cases}批次，查看案件`}
                            >
                              {h.cases.toLocaleString('en-US')}
                            </DrillLink>
                          </td>
                          <td className="num">{h.persons.toLocaleString('en-US')}</td>
                          <td className="num">{h.share === null ? '—' : `${h.share.toFixed(2)}%`}</td>
                          <td className="num">
                            <ChangeCell c={h.yoy} />
                          </td>
                          <td className="num">
                            <ChangeCell c={h.mom} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </Card>
        </>
      ) : null}
    </Page>
  );
}
