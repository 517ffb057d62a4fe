/**
 * The reports' HTTP routes (DESIGN §8, issue 13; docs/reports.md), part of the route table
 * (routes.ts spreads them in), served by the `oversight` function with the dashboard.
 */
import { z } from 'zod';
import { DIMENSIONS, DRILL_PARTS, FIGURE_IDS, PeriodKeySchema, PeriodSchema, ReportSchema } from '../domain/reports';
import { CaseSummaryResponse } from './responses';
import { route } from './route';

export const ReportQuerySchema = z.object({
  /** `2026-03` (month), `2026-Q1` (quarter), `2026` (year) or `2026-01-05..2026-02-10` (any range of days). */
  period: PeriodKeySchema,
  /** The breakdowns to show, comma-separated (default: all): channel, itemType, category, department, locality, level. */
  dimensions: z
    .string()
    .max(200)
    .transform((s, ctx) => {
      const parts = s
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const bad = parts.find((p) => !(DIMENSIONS as readonly string[]).includes(p));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `unknown breakdown ${bad}; one of ${DIMENSIONS.join(', ')}` });
        return z.NEVER;
      }
      return [...new Set(parts)] as (typeof DIMENSIONS)[number][];
    })
    .optional(),
  /** The office may look at one department's figures (a department always sees its own). */
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
  /** `published`: a frozen period as it was published; default the figures recomputed now, with the published ones' corrections. */
  view: z.enum(['recomputed', 'published']).default('recomputed'),
});

/** GET /reports/cases: the cases behind one number of the report. */
export const ReportCasesQuerySchema = z.object({
  period: PeriodKeySchema,
  /** The figure (its id in the report: total, visits, onTimeCompletionRate, avgDaysToReply, …). */
  figure: z.enum(FIGURE_IDS),
  /** A rate's numerator or denominator; default the figure itself (a rate: the cases it is about, its denominator's). */
  part: z.enum(DRILL_PARTS).default('value'),
  /** A breakdown row: its dimension and the row's key (`none` for the row without a value). */
  dimension: z.enum(DIMENSIONS).optional(),
  value: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** Where the previous page ended (the answer's `cursor`). */
  cursor: z
    .string()
    .regex(/^\d{1,7}$/)
    .optional(),
});

export const ReportCasesResponse = z.looseObject({
  period: PeriodSchema,
  asOf: z.string(),
  scope: z.object({ deptCode: z.string().nullable(), label: z.string() }),
  figure: z.object({ id: z.enum(FIGURE_IDS), label: z.string(), kind: z.enum(['count', 'rate', 'average']) }),
  part: z.enum(DRILL_PARTS),
  row: z.object({ dimension: z.enum(DIMENSIONS), key: z.string(), label: z.string() }).optional(),
  count: z.number().int(),
  persons: z.number().int(),
  caseNos: z.array(z.string()),
  items: z.array(CaseSummaryResponse),
  withheld: z.number().int(),
  cursor: z.string().optional(),
});

export const REPORT_ROUTES = [
  route({
    id: 'report',
    method: 'GET',
    path: '/reports',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      'The statistics of a period (信访总量 批次/人次, 来信/来访, 集体访, 越级, 初信初访/重复, 受理…, 按期受理告知率, 按期办结率, 满意率…) overall and by channel, item type, category, department, 问题属地 and level, with 同比/环比; a department sees only its own figures',
    tag: 'reports',
    query: ReportQuerySchema,
    responses: { 200: ReportSchema },
  }),
  route({
    id: 'reportCases',
    method: 'GET',
    path: '/reports/cases',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      'The cases behind one number of a report (the drill-down): every case number the figure counted in the period (and breakdown row), as many as the number, and a page of them as the case list shows them; scoped as the report (a department its own)',
    tag: 'reports',
    query: ReportCasesQuerySchema,
    responses: { 200: ReportCasesResponse },
  }),
] as const;
