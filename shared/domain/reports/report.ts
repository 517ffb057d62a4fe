/**
 * The report (DESIGN §8, issue 13): every figure of a period, overall and broken down by channel,
 * item type, category, department, 问题属地 and level, each with 同比 (the same period a year
 * before) and 环比 (the period before): a change in per cent for counts and averages, in points
 * for rates, to 0.01. Each rate carries its formula (id with version, text), numerator and
 * denominator. A frozen (published) period is compared with its published figures, and a report
 * of a frozen period shows what was published beside what is recomputed now.
 *
 * The schema below is the API's answer (`GET /reports`), the JSON frozen in the documents bucket,
 * and what the exports (XLSX, CSV, PDF) and the 统计分析 screen read. Pure.
 */
import { z } from 'zod';
import { CHANNEL_LABELS, CHANNELS, ITEM_TYPE_LABELS, ITEM_TYPES, PETITION_LEVEL_LABELS, PETITION_LEVELS } from '../taxonomy';
import type { ReportFact } from './facts';
import {
  AVERAGE_FIGURES,
  AVERAGES,
  COUNT_FIGURES,
  COUNTS,
  FIGURE_IDS,
  FIGURE_LABELS,
  figureKind,
  RATE_FIGURES,
  rateOf,
  round2,
  type CountFigureId,
  type FigureContext,
  type FigureId,
} from './figures';
import { PeriodSchema, type Period } from './period';

export const DIMENSIONS = ['channel', 'itemType', 'category', 'department', 'locality', 'level'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<Dimension, string> = {
  channel: '信访形式',
  itemType: '事项类型',
  category: '内容分类',
  department: '承办单位',
  locality: '问题属地',
  level: '信访层级',
};
/** The row of facts without a value in a dimension (not yet assigned, no locality recorded, not a visit or referral). */
export const NONE_KEY = 'none';
const NONE_LABELS: Record<Dimension, string> = {
  channel: '未注明',
  itemType: '未注明',
  category: '未注明',
  department: '未交办',
  locality: '未填写',
  level: '非来访',
};

export const BASES = ['frozen', 'recomputed'] as const;
/** Where compared figures come from: the period's frozen (published) report, or its facts now. */
export type Basis = (typeof BASES)[number];

const Num = z.number();
export const ChangeSchema = z.object({
  /** The compared figure: 批次 for a count, per cent for a rate, days for an average; null when it had no value. */
  previous: Num.nullable(),
  /** 人次 of the compared count. */
  previousPersons: Num.optional(),
  /** Per cent for counts and averages ((now − before) ÷ before × 100), points for rates (now − before); null when undefined (before 0 or no value). */
  change: Num.nullable(),
  /** The change of 人次, per cent. */
  personsChange: Num.nullable().optional(),
  unit: z.enum(['percent', 'points']),
});
export type Change = z.infer<typeof ChangeSchema>;

export const FigureSchema = z.object({
  id: z.enum(FIGURE_IDS),
  label: z.string(),
  kind: z.enum(['count', 'rate', 'average']),
  /** 批次 (count), per cent to 0.01 (rate), days to 0.01 (average); null when a rate or average has nothing to divide by. */
  value: Num.nullable(),
  /** 人次 (counts). */
  persons: Num.optional(),
  /** Rates: the formula (id@version, text) and what it divided. */
  formula: z
    .object({ id: z.string(), text: z.string(), numeratorLabel: z.string(), denominatorLabel: z.string(), numerator: Num, denominator: Num })
    .optional(),
  /** Averages: the days added up and the cases they cover. */
  average: z.object({ totalDays: Num, count: Num }).optional(),
  /** 同比 */
  yoy: ChangeSchema.optional(),
  /** 环比 */
  mom: ChangeSchema.optional(),
});
export type ReportFigure = z.infer<typeof FigureSchema>;

export const FiguresSchema = z.record(z.enum(FIGURE_IDS), FigureSchema);
export type Figures = Record<FigureId, ReportFigure>;

export const BreakdownRowSchema = z.object({ key: z.string(), label: z.string(), figures: FiguresSchema });
export type BreakdownRow = z.infer<typeof BreakdownRowSchema>;
export const BreakdownSchema = z.object({ dimension: z.enum(DIMENSIONS), label: z.string(), rows: z.array(BreakdownRowSchema) });
export type Breakdown = z.infer<typeof BreakdownSchema>;

export const HotTopicSchema = z.object({
  category: z.string(),
  label: z.string(),
  rank: z.number().int(),
  cases: Num,
  persons: Num,
  /** Share of the period's 信访总量 (批次), per cent. */
  share: Num.nullable(),
  yoy: ChangeSchema.optional(),
  mom: ChangeSchema.optional(),
});
export type HotTopic = z.infer<typeof HotTopicSchema>;

const ComparedSchema = z.object({ period: PeriodSchema, basis: z.enum(BASES) });

/** A figure whose published value differs from the one recomputed now (a later correction). */
export const CorrectionSchema = z.object({
  figure: z.enum(FIGURE_IDS),
  label: z.string(),
  /** Absent: the overall figure; else the breakdown row. */
  dimension: z.enum(DIMENSIONS).optional(),
  key: z.string().optional(),
  published: Num.nullable(),
  publishedPersons: Num.optional(),
  recomputed: Num.nullable(),
  recomputedPersons: Num.optional(),
});
export type Correction = z.infer<typeof CorrectionSchema>;

export const ReportSchema = z.object({
  period: PeriodSchema,
  /** The day clocks and rating windows were judged on. */
  asOf: z.string(),
  /** Whose figures: the office's, or one department's (a department sees only its own). */
  scope: z.object({ deptCode: z.string().nullable(), label: z.string() }),
  /** What the rates were computed with. */
  settings: z.object({ collectiveThreshold: Num, ratingWindowDays: Num, formulaVersion: Num }),
  comparisons: z.object({ yoy: ComparedSchema, mom: ComparedSchema }),
  figures: FiguresSchema,
  breakdowns: z.array(BreakdownSchema),
  hotTopics: z.array(HotTopicSchema),
  /** A frozen period: when it was published, its document's SHA-256, and every figure that changed since ("as published" vs "recomputed"). */
  publication: z
    .object({
      frozenAt: z.string(),
      asOf: z.string(),
      sha256: z.string(),
      documentKey: z.string(),
      corrections: z.array(CorrectionSchema),
    })
    .optional(),
  /** How many report facts the figures were computed from. */
  facts: Num,
});
export type Report = z.infer<typeof ReportSchema>;

/** Names of a dimension's values (categories, departments, localities come from the office). */
export interface ReportLabels {
  categories: readonly { code: string; name: string }[];
  departments: readonly { code: string; name: string }[];
  localities: readonly { code: string; name: string }[];
}

/** The value of a fact in a dimension (NONE_KEY when it has none). */
export function dimensionKey(f: ReportFact, d: Dimension): string {
  switch (d) {
    case 'channel':
      return f.channel;
    case 'itemType':
      return f.itemType;
    case 'category':
      return f.category;
    case 'department':
      return f.deptCode ?? NONE_KEY;
    case 'locality':
      return f.locality ?? NONE_KEY;
    case 'level':
      return f.level ?? NONE_KEY;
  }
}

/** The rows a breakdown always shows (in the office's order), before any value only the facts have. */
function knownRows(d: Dimension, labels: ReportLabels): { key: string; label: string }[] {
  switch (d) {
    case 'channel':
      return CHANNELS.map((c) => ({ key: c, label: CHANNEL_LABELS[c] }));
    case 'itemType':
      return ITEM_TYPES.map((t) => ({ key: t, label: ITEM_TYPE_LABELS[t] }));
    case 'category':
      return labels.categories.map((c) => ({ key: c.code, label: c.name }));
    case 'department':
      return [...labels.departments.map((c) => ({ key: c.code, label: c.name })), { key: NONE_KEY, label: NONE_LABELS.department }];
    case 'locality':
      return [...labels.localities.map((c) => ({ key: c.code, label: c.name })), { key: NONE_KEY, label: NONE_LABELS.locality }];
    case 'level':
      return [...PETITION_LEVELS.map((l) => ({ key: l, label: PETITION_LEVEL_LABELS[l] })), { key: NONE_KEY, label: NONE_LABELS.level }];
  }
}

/** A breakdown row's name as the report shows it (the office's label; 未交办 / 未填写 / 非来访 for `none`; else the key). */
export function rowLabel(d: Dimension, key: string, labels: ReportLabels): string {
  if (key === NONE_KEY) return NONE_LABELS[d];
  return knownRows(d, labels).find((r) => r.key === key)?.label ?? key;
}

/** Every figure of a set of facts, without comparisons. */
export function figuresOf(facts: readonly ReportFact[], ctx: FigureContext): Figures {
  const counts = Object.fromEntries(COUNT_FIGURES.map((id) => [id, 0])) as Record<CountFigureId, number>;
  const persons = Object.fromEntries(COUNT_FIGURES.map((id) => [id, 0])) as Record<CountFigureId, number>;
  const days = Object.fromEntries(AVERAGE_FIGURES.map((id) => [id, { totalDays: 0, count: 0 }])) as Record<
    (typeof AVERAGE_FIGURES)[number],
    { totalDays: number; count: number }
  >;
  for (const f of facts) {
    for (const id of COUNT_FIGURES) {
      if (COUNTS[id](f, ctx)) {
        counts[id] += 1;
        persons[id] += f.persons;
      }
    }
    for (const id of AVERAGE_FIGURES) {
      const d = AVERAGES[id](f);
      if (d !== undefined) {
        days[id].totalDays += d;
        days[id].count += 1;
      }
    }
  }
  const out = {} as Figures;
  for (const id of COUNT_FIGURES) out[id] = { id, label: FIGURE_LABELS[id], kind: 'count', value: counts[id], persons: persons[id] };
  for (const id of RATE_FIGURES) {
    const formula = rateOf(id, counts, ctx.settings);
    out[id] = {
      id,
      label: FIGURE_LABELS[id],
      kind: 'rate',
      value: formula.denominator === 0 ? null : round2((formula.numerator / formula.denominator) * 100),
      formula,
    };
  }
  for (const id of AVERAGE_FIGURES) {
    const a = days[id];
    out[id] = { id, label: FIGURE_LABELS[id], kind: 'average', value: a.count === 0 ? null : round2(a.totalDays / a.count), average: a };
  }
  return out;
}

/** The change from `before` to `now`: per cent for counts and averages, points for rates. */
export function changeOf(now: ReportFigure, before: ReportFigure | undefined): Change {
  const previous = before?.value ?? null;
  if (now.kind === 'rate') {
    return { previous, change: now.value === null || previous === null ? null : round2(now.value - previous), unit: 'points' };
  }
  const pct = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined || b === 0 ? null : round2(((a - b) / b) * 100));
  const change: Change = { previous, change: pct(now.value, previous), unit: 'percent' };
  if (now.kind === 'count') {
    change.previousPersons = before?.persons ?? 0;
    change.personsChange = pct(now.persons ?? 0, before?.persons ?? 0);
    if (before === undefined) change.previous = 0;
  }
  return change;
}

function withChanges(figs: Figures, yoy: Figures | undefined, mom: Figures | undefined): Figures {
  const out = {} as Figures;
  for (const id of FIGURE_IDS) out[id] = { ...figs[id], yoy: changeOf(figs[id], yoy?.[id]), mom: changeOf(figs[id], mom?.[id]) };
  return out;
}

/** The figures to compare with: the overall figures and each breakdown row's. */
export interface ComparedFigures {
  period: Period;
  basis: Basis;
  figures: Figures;
  rows: Map<string, Figures>;
  hotTopics?: undefined;
}

export function rowId(d: Dimension, key: string): string {
  return `${d}/${key}`;
}

/** A computed (or frozen) report as figures to compare another with. */
export function comparedFrom(report: Pick<Report, 'period' | 'figures' | 'breakdowns'>, basis: Basis): ComparedFigures {
  const rows = new Map<string, Figures>();
  for (const b of report.breakdowns) for (const r of b.rows) rows.set(rowId(b.dimension, r.key), r.figures as Figures);
  return { period: report.period, basis, figures: report.figures as Figures, rows };
}

export interface ReportInput {
  period: Period;
  facts: readonly ReportFact[];
  ctx: FigureContext;
  labels: ReportLabels;
  scope: { deptCode: string | null; label: string };
  /** The same period a year before, and the period before, each frozen or recomputed. */
  yoy: ComparedFigures;
  mom: ComparedFigures;
  /** The breakdowns to show (default all). */
  dimensions?: readonly Dimension[];
}

/** Only the facts received in the period (a range may begin or end inside a month). */
export function inPeriod(facts: readonly ReportFact[], p: Pick<Period, 'from' | 'to'>): ReportFact[] {
  return facts.filter((f) => f.receivedOn >= p.from && f.receivedOn <= p.to);
}

/** Figures of the period and of every breakdown row, without comparisons (what a comparison needs). */
export function plainReport(facts: readonly ReportFact[], ctx: FigureContext, labels: ReportLabels, dimensions: readonly Dimension[] = DIMENSIONS) {
  const breakdowns: Breakdown[] = dimensions.map((d) => {
    const groups = new Map<string, ReportFact[]>();
    for (const f of facts) {
      const k = dimensionKey(f, d);
      const g = groups.get(k);
      if (g) g.push(f);
      else groups.set(k, [f]);
    }
    const rows = knownRows(d, labels);
    for (const k of [...groups.keys()].sort()) if (!rows.some((r) => r.key === k)) rows.push({ key: k, label: k === NONE_KEY ? NONE_LABELS[d] : k });
    return { dimension: d, label: DIMENSION_LABELS[d], rows: rows.map((r) => ({ ...r, figures: figuresOf(groups.get(r.key) ?? [], ctx) })) };
  });
  return { figures: figuresOf(facts, ctx), breakdowns };
}

/** The whole report of a period from its facts and the figures it is compared with. */
export function buildReport(input: ReportInput): Report {
  const { period, ctx, labels } = input;
  const facts = inPeriod(input.facts, period);
  const plain = plainReport(facts, ctx, labels, input.dimensions ?? DIMENSIONS);
  const breakdowns = plain.breakdowns.map((b) => ({
    ...b,
    rows: b.rows.map((r) => ({
      ...r,
      figures: withChanges(r.figures, input.yoy.rows.get(rowId(b.dimension, r.key)), input.mom.rows.get(rowId(b.dimension, r.key))),
    })),
  }));
  const figures = withChanges(plain.figures, input.yoy.figures, input.mom.figures);
  const categoryRows = plain.breakdowns.find((b) => b.dimension === 'category')?.rows ?? plainReport(facts, ctx, labels, ['category']).breakdowns[0]!.rows;
  const total = figures.total.value ?? 0;
  const hotTopics: HotTopic[] = categoryRows
    .filter((r) => (r.figures.total.value ?? 0) > 0)
    .sort((a, b) => (b.figures.total.value ?? 0) - (a.figures.total.value ?? 0) || a.key.localeCompare(b.key))
    .slice(0, ctx.settings.hotTopics)
    .map((r, i) => ({
      category: r.key,
      label: r.label,
      rank: i + 1,
      cases: r.figures.total.value ?? 0,
      persons: r.figures.total.persons ?? 0,
      share: total === 0 ? null : round2(((r.figures.total.value ?? 0) / total) * 100),
      yoy: changeOf(r.figures.total, input.yoy.rows.get(rowId('category', r.key))?.total),
      mom: changeOf(r.figures.total, input.mom.rows.get(rowId('category', r.key))?.total),
    }));
  return {
    period,
    asOf: ctx.asOf,
    scope: input.scope,
    settings: {
      collectiveThreshold: ctx.settings.collectiveThreshold,
      ratingWindowDays: ctx.settings.ratingWindowDays,
      formulaVersion: ctx.settings.ratingFormulas.version,
    },
    comparisons: { yoy: { period: input.yoy.period, basis: input.yoy.basis }, mom: { period: input.mom.period, basis: input.mom.basis } },
    figures,
    breakdowns,
    hotTopics,
    facts: facts.length,
  };
}

/** The figures that differ between what was published and what is recomputed now. */
export function correctionsOf(published: Pick<Report, 'figures' | 'breakdowns'>, recomputed: Pick<Report, 'figures' | 'breakdowns'>): Correction[] {
  const out: Correction[] = [];
  const compare = (a: Figures, b: Figures | undefined, where: { dimension?: Dimension; key?: string }) => {
    for (const id of FIGURE_IDS) {
      const p = a[id];
      const r = b?.[id];
      if (!p) continue;
      const rv = r?.value ?? (figureKind(id) === 'count' ? 0 : null);
      const rp = r?.persons ?? (figureKind(id) === 'count' ? 0 : undefined);
      if (p.value === rv && (p.persons ?? undefined) === rp) continue;
      out.push({
        figure: id,
        label: FIGURE_LABELS[id],
        ...where,
        published: p.value,
        ...(p.persons !== undefined ? { publishedPersons: p.persons } : {}),
        recomputed: rv,
        ...(rp !== undefined ? { recomputedPersons: rp } : {}),
      });
    }
  };
  compare(published.figures as Figures, recomputed.figures as Figures, {});
  const now = comparedFrom({ period: undefined as unknown as Period, figures: recomputed.figures, breakdowns: recomputed.breakdowns }, 'recomputed').rows;
  for (const b of published.breakdowns)
    for (const r of b.rows) compare(r.figures as Figures, now.get(rowId(b.dimension, r.key)), { dimension: b.dimension, key: r.key });
  return out;
}
