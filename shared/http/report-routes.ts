/**
 * The reports' HTTP routes (DESIGN §8, issue 13; docs/reports.md), part of the route table
 * (routes.ts spreads them in), served by the `oversight` function with the dashboard.
 */
import { z } from 'zod';
import { DIMENSIONS, PeriodKeySchema, ReportSchema } from '../domain/reports';
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
] as const;
