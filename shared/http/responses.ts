/**
 * What the API answers, as zod schemas: the route table attaches each success response to its
 * route, the error responses are derived from what the route can refuse (openapi.ts), and the
 * OpenAPI document is generated from them. The end-to-end tests check every response they
 * receive against the document (test/support/contract.ts), so these describe what the handlers
 * really return. Known fields are typed; objects admit further fields (a client ignores what it
 * does not know), except where the view is built field by field from a domain schema.
 */
import { OCR_STATUSES, OcrPageSchema } from '../domain/ocr';
import { z } from 'zod';
import { ACTIONS } from '../domain/actions';
import { AuditEventSchema } from '../domain/audit';
import { CaseSchema, STATUSES, WarningSchema } from '../domain/case';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES } from '../domain/documents';
import { ROLES } from '../domain/roles';
import { SupervisionSchema } from '../domain/supervision';

/** Every refusal: a stable code, a message for people, the fields at fault (400), the facts (409). */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** API Gateway's own answer (413: a body over the payload limit), before any function runs. */
export const GatewayErrorResponse = z.object({ message: z.string() });

const page = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item), cursor: z.string().optional() });

export const ActorResponse = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  deptCode: z.string().optional(),
});

export const DocumentView = z.looseObject({
  documentId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  fileName: z.string(),
  contentType: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  size: z.number().optional(),
  sha256: z.string().optional(),
  toPetitioner: z.boolean(),
  uploadedBy: z.string(),
  createdAt: z.string(),
});

/** A case as GET /cases/{caseNo} shows it (shared/app/views.ts toCaseView): the case record without its internal fields, and its documents, timeline and the actions this user may take. */
export const CaseViewResponse = CaseSchema.omit({ queryCodeHash: true, petitionerKeys: true, auditHead: true }).extend({
  statusLabel: z.string(),
  documents: z.array(DocumentView),
  timeline: z.array(AuditEventSchema),
  actions: z.array(z.enum(ACTIONS)),
});

export const CaseSummaryResponse = z.looseObject({
  caseNo: z.string(),
  version: z.number().int(),
  status: z.enum(STATUSES),
  statusLabel: z.string(),
  subject: z.string(),
  receivedOn: z.string(),
  daysLeft: z.number().int().optional(),
});

/** A matched fragment of a case found by words (docs/search.md): the text shown and the ranges to mark in it. */
const HighlightResponse = z.object({
  field: z.string(),
  label: z.string(),
  text: z.string(),
  ranges: z.array(z.tuple([z.number().int(), z.number().int()])),
  clippedStart: z.boolean(),
  clippedEnd: z.boolean(),
});

/** A page of cases; with words (`q`): how many match (exactly when totalExact, else at least that many) and each case's highlights. */
export const CasePageResponse = page(CaseSummaryResponse.extend({ highlights: z.array(HighlightResponse).optional() })).extend({
  total: z.number().int().optional(),
  totalExact: z.boolean().optional(),
});

const PresignedPost = z.looseObject({ url: z.string(), fields: z.record(z.string(), z.string()) });
export const UploadLinkResponse = z.looseObject({ documentId: z.string(), fileName: z.string(), upload: PresignedPost });

export const RegisteredResponse = z.object({ case: CaseViewResponse, queryCode: z.string(), uploads: z.array(UploadLinkResponse), replayed: z.boolean() });

export const RegistrationCheckResponse = z.looseObject({ warnings: z.array(WarningSchema), earlier: z.array(CaseSummaryResponse) });

/** A department's recorded reveal of the petitioners' contact details (Registry.revealContact). */
export const ContactResponse = z.object({
  caseNo: z.string(),
  petitioners: z.array(z.object({ name: z.string(), idNumber: z.string().optional(), phone: z.string().optional(), address: z.string().optional() })),
});

export const TimelineResponse = z.object({ events: z.array(AuditEventSchema) });

export const LetterPreviewResponse = z.looseObject({
  caseNo: z.string(),
  version: z.number().int(),
  action: z.enum(ACTIONS),
  letters: z.array(
    z.looseObject({
      letterKind: z.string(),
      title: z.string(),
      documentNo: z.string().nullable(),
      pages: z.number().int(),
      contentType: z.literal('application/pdf'),
      size: z.number().int(),
      pdfBase64: z.string(),
    }),
  ),
});

/** A short-lived presigned link to one file. */
export const DownloadLinkResponse = z.looseObject({ url: z.string(), expiresInSec: z.number().int(), fileName: z.string() });

/** The machine reading of a document (docs/ocr.md): its OCR status and, once read, the text page by page. `none`: not a scan, or never queued. */
export const OcrResponse = z.object({
  caseNo: z.string(),
  documentId: z.string(),
  status: z.enum([...OCR_STATUSES, 'none']),
  statusLabel: z.string(),
  attempts: z.number().int().min(0),
  updatedAt: z.string().optional(),
  engine: z.string().optional(),
  /** The last failure (English, for staff and support). */
  error: z.string().optional(),
  pages: z.array(OcrPageSchema.omit({ reason: true }).extend({ statusLabel: z.string() })),
});

export const PublicViewResponse = z.looseObject({
  caseNo: z.string(),
  status: z.enum(STATUSES),
  statusLabel: z.string(),
  receivedOn: z.string(),
  letters: z.array(z.looseObject({ documentId: z.string(), fileName: z.string(), createdAt: z.string() })),
  canRate: z.boolean(),
  canUrge: z.boolean(),
});

export const LetterVerificationResponse = z.looseObject({ issued: z.literal(true), issuedOn: z.string() });

const Option = z.object({ code: z.string(), name: z.string() });
export const VocabularyResponse = z.looseObject({
  office: z.looseObject({ name: z.string(), caseNumberPrefix: z.string(), maxUploadBytes: z.number() }),
  departments: z.array(Option),
  categories: z.array(Option),
  localities: z.array(Option),
  petitionLevels: z.array(Option),
  levelChannels: z.array(z.string()),
  statuses: z.array(Option),
  statutoryRoutes: z.array(Option),
});

export const TemplateViewResponse = z.looseObject({
  type: z.string(),
  title: z.string(),
  text: z.string(),
  defaultText: z.string(),
  override: z.looseObject({ text: z.string(), updatedBy: z.string(), updatedAt: z.string(), version: z.number().int() }).nullable(),
  version: z.number().int(),
  placeholders: z.array(z.string()),
  required: z.array(z.string()),
});
export const TemplatePreviewResponse = z.object({
  type: z.string(),
  title: z.string(),
  pages: z.number().int(),
  size: z.number().int(),
  pdfBase64: z.string(),
});
export const TemplatesResponse = z.looseObject({ office: z.looseObject({}), templates: z.array(TemplateViewResponse) });

/** GET /health: each dependency's check (200 when all are up, 503 naming the one that is not). */
export const HealthResponse = z.looseObject({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), ms: z.number(), reason: z.string().optional() })),
});

/** The admin's holiday calendar screens (years, a load's preview and its result): an object; its fields are not yet described here. */
export const CalendarResponse = z.looseObject({});

export const OpenApiResponse = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) });

// ---- the archive ---------------------------------------------------------------------------

export const ArchiveRunResponse = z.looseObject({
  startedAt: z.string(),
  finishedAt: z.string(),
  cases: z.array(z.looseObject({ caseNo: z.string(), outcome: z.string() })),
  disposals: z.array(z.looseObject({})),
  more: z.boolean(),
});
export const ArchiveSummaryResponse = z.looseObject({
  archiveNo: z.string(),
  caseNo: z.string(),
  year: z.number().int(),
  retention: z.string(),
  subject: z.string(),
});
export const ArchivePendingResponse = page(z.looseObject({ caseNo: z.string() }));
export const ArchiveSearchResponse = page(ArchiveSummaryResponse);
export const ArchivePackageResponse = z.looseObject({ archiveNo: z.string(), caseNo: z.string() });
export const ArchiveDownloadResponse = DownloadLinkResponse.extend({ path: z.string() });
export const LoanResponse = z.looseObject({ caseNo: z.string(), archiveNo: z.string(), loanId: z.string(), username: z.string(), until: z.string() });
export const FixityReportResponse = z.looseObject({
  reportId: z.string(),
  source: z.enum(['scheduled', 'command', 'manual']),
  state: z.enum(['open', 'done', 'incomplete']),
  packages: z.number(),
  files: z.number(),
  problems: z.number(),
});
export const FixityReportsResponse = page(z.looseObject({})).extend({ pass: z.looseObject({}).nullable() });
export const DisposalListResponse = page(z.looseObject({ archiveNo: z.string() }));
export const DisposalRecordResponse = z.looseObject({
  state: z.enum(['proposed', 'approved', 'destroyed']),
  reason: z.string(),
  proposedBy: z.string(),
  proposedAt: z.string(),
});

// ---- oversight ------------------------------------------------------------------------------

export const SupervisionViewResponse = SupervisionSchema.extend({ levelLabel: z.string(), unanswered: z.boolean() }).loose();
export const SupervisionsResponse = z.object({ items: z.array(SupervisionViewResponse) });
const dashboardList = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), items: z.array(item) });
const DashboardClockItem = z.looseObject({ caseNo: z.string(), status: z.enum(STATUSES), due: z.string(), daysLeft: z.number().int() });
export const DashboardResponse = z.looseObject({
  today: z.string(),
  weekEnd: z.string(),
  totals: z.object({ dueThisWeek: z.number().int(), overdue: z.number().int(), underSupervision: z.number().int(), flagged: z.number().int() }),
  departments: z.array(
    z.looseObject({
      deptCode: z.string().nullable(),
      name: z.string(),
      listed: z.boolean(),
      dueThisWeek: dashboardList(DashboardClockItem),
      overdue: dashboardList(DashboardClockItem),
      underSupervision: dashboardList(SupervisionViewResponse),
      flagged: dashboardList(SupervisionViewResponse),
    }),
  ),
  perMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
});
export const OutboxResponse = page(z.looseObject({ notice: z.looseObject({ noticeId: z.string() }), delivery: z.looseObject({}) })).extend({
  date: z.string(),
});
export const SweepReportResponse = z.looseObject({ date: z.string(), complete: z.boolean(), entries: z.number().int(), acted: z.number().int() });
