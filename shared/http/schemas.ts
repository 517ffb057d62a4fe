/**
 * Request schemas of the registry's own routes (cases, documents, the public query, admin): the
 * route table (routes.ts) attaches each to its route, the handlers validate with them (400 with
 * the field and the reason, before anything is read or written), and the OpenAPI document is
 * generated from them. Defined once.
 */
import { z } from 'zod';
import { CalendarYearBodySchema } from '../domain/calendar-change';
import { IsoDate, RATINGS, STATUSES } from '../domain/case';
import { AWAITING } from '../domain/lifecycle';
import { LETTER_ACTIONS } from '../app/letters';
import { actionBody } from '../app/action-body';
import { LetterTypeSchema } from '../domain/letter-types';
import { CHANNELS } from '../domain/taxonomy';

export const CaseNoParam = z.object({ caseNo: z.string().min(3).max(40) });

/** The words and filters of 案件查询 (GET /cases), without its paging: the case-list export takes the same. */
export const CaseFilterFields = z.object({
  /**
   * Words to find (docs/search.md): a name, a place, a phrase of the letter, a number, a case
   * number; several words must all occur. The answer then carries `total` and each case's
   * `highlights`.
   */
  q: z.string().trim().min(1, 'must not be empty').max(100).optional(),
  status: z.enum(STATUSES).optional(),
  /** The channel it came in by: `status=registered&channel=online` is the clerk's 网上信访 queue. */
  channel: z.enum(CHANNELS).optional(),
  /** What awaits the director: proposal (registered), extension (assigned), reply (answered). */
  awaiting: z.enum(AWAITING).optional(),
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
  category: z.string().max(40).optional(),
  dueBefore: IsoDate.optional(),
  receivedFrom: IsoDate.optional(),
  receivedTo: IsoDate.optional(),
  caseNo: z.string().max(40).optional(),
  petitionerName: z.string().max(50).optional(),
  petitionerIdNumber: z.string().max(30).optional(),
  petitionerPhone: z.string().max(30).optional(),
});

/** The rules between the filters: an order of dates, and words without the exact-match fields. */
function listRules<T extends z.ZodType<z.output<typeof CaseFilterFields>>>(schema: T) {
  return schema
    .refine((q) => !q.receivedFrom || !q.receivedTo || q.receivedFrom <= q.receivedTo, { path: ['receivedTo'], message: 'must not be before receivedFrom' })
    .refine((q) => q.q === undefined || (!q.caseNo && !q.petitionerName && !q.petitionerIdNumber && !q.petitionerPhone), {
      path: ['q'],
      message: 'words to find go without caseNo and the petitioner fields (a case number or an ID number may be among the words)',
    });
}

export const ListQuerySchema = listRules(
  CaseFilterFields.extend({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2000).optional(),
  }),
);

/** GET /exports/cases: the filters of GET /cases, every page at once (bounded, docs/exports.md). */
export const CaseExportQuerySchema = listRules(CaseFilterFields);

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

const QueryCredentials = z.object({
  caseNo: z.string().trim().min(3).max(40),
  queryCode: z.string().trim().min(8).max(20),
});

export const PublicQuerySchema = QueryCredentials;
export const PublicRatingSchema = QueryCredentials.extend({ rating: z.enum(RATINGS), comment: z.string().max(500).optional() });
export const PublicDownloadSchema = QueryCredentials.extend({ documentId: z.string().min(1).max(64) });
/** The case number and the 12 hex characters printed in a letter's footer (校验码). */
export const PublicVerifyLetterSchema = z.object({
  caseNo: z.string().trim().min(3).max(40),
  hash: z
    .string()
    .trim()
    .regex(/^[0-9A-Fa-f]{12}$/, 'the 12 characters printed after 校验码'),
});

export const TemplateParams = z.object({ type: LetterTypeSchema });
export const TemplateBodySchema = z.object({ text: z.string().min(1).max(8000) });

/** A calendar year in a path (checked against the loadable range by the use case). */
export const CalendarYearParams = z.object({ year: z.string().regex(/^\d{4}$/, 'must be a four-digit year') });
export { CalendarYearBodySchema };

export { actionBody };

/**
 * The letter preview: an action that issues a letter and its body, parsed with the body schema of
 * that action's own route (issues name `input.<field>`); the operation gets the parsed body.
 */
export const LetterPreviewSchema = z
  .object({
    action: z.enum(LETTER_ACTIONS),
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .transform((b, ctx) => {
    const r = actionBody(b.action).safeParse(b.input);
    if (!r.success) {
      for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: ['input', ...i.path], message: i.message });
      return z.NEVER;
    }
    return { action: b.action, input: r.data };
  });

export const DocumentParams = CaseNoParam.extend({ documentId: z.string().min(1).max(64) });
