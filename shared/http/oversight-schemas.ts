/** Request schemas of oversight's routes: oversight-routes.ts attaches each to its route. */
import { z } from 'zod';
import { IsoDate } from '../domain/case';
import { NOTICE_STATUSES } from '../domain/supervision';
import { CaseNoParam } from './schemas';

/** `<clock kind>.<due date>`: the date part is a real date, checked with the one date schema. */
export const SupervisionParams = CaseNoParam.extend({
  supervisionId: z
    .string()
    .regex(/^[A-Za-z]+\.\d{4}-\d{2}-\d{2}$/, 'a supervision id like handling.2026-05-06')
    .refine((id) => IsoDate.safeParse(id.slice(id.indexOf('.') + 1)).success, 'the date of a supervision id must be a real date'),
});

export const SupervisionsQuerySchema = z.object({
  state: z.enum(['unanswered', 'open']).default('unanswered'),
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
});

/** The dashboard: the group whose cases are listed (the office's; a department always sees its own). */
export const DashboardQuerySchema = z.object({
  group: z
    .string()
    .regex(/^(OFFICE|[A-Z][A-Z0-9_-]{1,19})$/, "a department code, or OFFICE for the office's own")
    .optional(),
});

export const OutboxQuerySchema = z.object({
  date: IsoDate.optional(),
  status: z.enum(NOTICE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(2000).optional(),
});

export const SweepRequestSchema = z.object({ date: IsoDate.optional() });
