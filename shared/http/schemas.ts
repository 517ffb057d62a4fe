/**
 * Request schemas of every route, keyed by route id: the handlers validate with them (400 with
 * the field and the reason, before anything is read or written), and the OpenAPI document is
 * generated from them. Defined once.
 */
import { z } from 'zod';
import { ACTIONS } from '../domain/actions';
import { IsoDate, RATINGS, RegistrationSchema, STATUSES, UploadRequestSchema } from '../domain/case';
import { ACTION_INPUTS } from '../domain/lifecycle';

export const CaseNoParam = z.object({ caseNo: z.string().min(3).max(40) });

export const ListQuerySchema = z.object({
  status: z.enum(STATUSES).optional(),
  deptCode: z.string().regex(/^[A-Z][A-Z0-9_-]{1,19}$/).optional(),
  category: z.string().max(40).optional(),
  dueBefore: IsoDate.optional(),
  receivedFrom: IsoDate.optional(),
  receivedTo: IsoDate.optional(),
  caseNo: z.string().max(40).optional(),
  petitionerName: z.string().max(50).optional(),
  petitionerIdNumber: z.string().max(30).optional(),
  petitionerPhone: z.string().max(30).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

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

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Transitions carry If-Match; creates take Idempotency-Key. */
  headers?: ('If-Match' | 'Idempotency-Key')[];
}

const DocumentParams = CaseNoParam.extend({ documentId: z.string().min(1).max(64) });

export const ROUTE_SCHEMAS: Record<string, RouteSchemas> = {
  registerCase: { body: RegistrationSchema, headers: ['Idempotency-Key'] },
  checkRegistration: { body: RegistrationSchema },
  listCases: { query: ListQuerySchema },
  getCase: { params: CaseNoParam },
  getTimeline: { params: CaseNoParam },
  inbox: { query: PageQuerySchema },
  createUpload: { params: CaseNoParam, body: UploadRequestSchema },
  downloadDocument: { params: DocumentParams },
  publicQuery: { body: PublicQuerySchema },
  publicRating: { body: PublicRatingSchema },
  publicDownload: { body: PublicDownloadSchema },
  ...Object.fromEntries(ACTIONS.map((a) => [`action:${a}`, { params: CaseNoParam, body: ACTION_INPUTS[a], headers: ['If-Match'] } satisfies RouteSchemas])),
};
