/**
 * The route table: every HTTP route of the registry, defined once, each with the schemas of its
 * request (shared/http/route.ts). CDK builds the HTTP API from it (one integration per route, to
 * the function named here), the local gateway routes the same table to the same handlers, the
 * middleware validates each request with the route's own schemas, and the OpenAPI document is
 * generated from it. The archive's and oversight's routes live beside their schemas
 * (archive-routes.ts, oversight-routes.ts) and are spread in here.
 */
import { ACTIONS, type Action } from '../domain/actions';
import { ACTION_RULES } from '../domain/lifecycle';
import { ROLES, type Role } from '../domain/roles';
import { LETTER_ACTIONS } from '../app/letters';
import { FullTextInputSchema, RegistrationSchema, UploadRequestSchema } from '../domain/case';
import { ADMIN_ROUTES } from './admin-routes';
import { ARCHIVE_ROUTES } from './archive-routes';
import { OVERSIGHT_ROUTES } from './oversight-routes';
import { REPORT_ROUTES } from './report-routes';
import { EXPORT_ROUTES } from './export-routes';
import { ONLINE_ROUTES } from './online-routes';
import {
  ActorResponse,
  CalendarResponse,
  HealthResponse,
  CasePageResponse,
  CaseViewResponse,
  ContactResponse,
  DownloadLinkResponse,
  OcrResponse,
  LetterPreviewResponse,
  LetterVerificationResponse,
  OpenApiResponse,
  PublicViewResponse,
  RegisteredResponse,
  RegistrationCheckResponse,
  TemplatePreviewResponse,
  TemplateViewResponse,
  TemplatesResponse,
  TimelineResponse,
  UploadLinkResponse,
  VocabularyResponse,
} from './responses';
import { route, type HttpFunctionName, type RouteDefinition } from './route';
import {
  actionBody,
  CaseNoParam,
  DocumentParams,
  LetterPreviewSchema,
  ListQuerySchema,
  PageQuerySchema,
  PublicDownloadSchema,
  PublicQuerySchema,
  PublicRatingSchema,
  PublicVerifyLetterSchema,
  CalendarYearBodySchema,
  CalendarYearParams,
  TemplateBodySchema,
  TemplateParams,
} from './schemas';

export {
  ALL_FUNCTIONS,
  EVENT_FUNCTIONS,
  HTTP_FUNCTIONS,
  routeKey,
  type EventFunctionName,
  type FunctionName,
  type HttpFunctionName,
  type HttpMethod,
  type RouteDefinition,
} from './route';

/** Everyone with a verified token (each use case then narrows what a user sees). */
const ANY_ROLE = ROLES;
/** Who may read a case: the office, the department it is (or was) assigned to, an archivist once it is archived. Not admin (DESIGN §1: configuration only). */
const CASE_READERS = ROLES.filter((r) => r !== 'admin');

const actionRoute = <A extends Action>(action: A) =>
  route({
    id: `action:${action}`,
    method: 'POST',
    path: `/cases/{caseNo}/${action}`,
    function: 'cases-write',
    auth: true,
    roles: ACTION_RULES[action].roles,
    summary: `Lifecycle action: ${action}`,
    tag: 'lifecycle',
    params: CaseNoParam,
    body: actionBody(action),
    headers: ['If-Match'],
    responses: { 200: CaseViewResponse },
  });

/** Who may preview a letter: whoever may take an action that issues one. */
const LETTER_ROLES: Role[] = ROLES.filter((r) => LETTER_ACTIONS.some((a) => ACTION_RULES[a].roles.includes(r)));

export const CASE_ROUTES = [
  route({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    auth: false,
    roles: [],
    summary: 'This API, as OpenAPI 3.1',
    tag: 'meta',
    responses: { 200: OpenApiResponse },
  }),
  route({
    id: 'health',
    method: 'GET',
    path: '/health',
    function: 'public',
    auth: false,
    roles: [],
    summary: 'Is each dependency reachable now (the table, the buckets)? 200 when all are, 503 with Retry-After naming the one that is not; no case data',
    tag: 'meta',
    responses: { 200: HealthResponse, 503: HealthResponse },
  }),
  route({
    id: 'vocabulary',
    method: 'GET',
    path: '/vocabulary',
    function: 'public',
    auth: false,
    roles: [],
    summary: "The office's departments and categories, and the Chinese label of every code the API returns",
    tag: 'meta',
    responses: { 200: VocabularyResponse },
  }),
  route({
    id: 'me',
    method: 'GET',
    path: '/me',
    function: 'cases-read',
    auth: true,
    roles: ANY_ROLE,
    summary: 'Who the token says you are',
    tag: 'meta',
    responses: { 200: ActorResponse },
  }),
  route({
    id: 'registerCase',
    method: 'POST',
    path: '/cases',
    function: 'cases-write',
    auth: true,
    roles: ['clerk'],
    summary: 'Register a case (登记), with upload links for its scanned letters; takes Idempotency-Key',
    tag: 'cases',
    body: RegistrationSchema,
    headers: ['Idempotency-Key'],
    responses: { 201: RegisteredResponse, 200: RegisteredResponse },
  }),
  route({
    id: 'checkRegistration',
    method: 'POST',
    path: '/cases/check',
    function: 'cases-read',
    auth: true,
    roles: ['clerk', 'director'],
    summary: 'Registration warnings for a draft case (final matter, matter in progress, earlier cases of the petitioner)',
    tag: 'cases',
    body: RegistrationSchema,
    responses: { 200: RegistrationCheckResponse },
  }),
  route({
    id: 'listCases',
    method: 'GET',
    path: '/cases',
    function: 'cases-read',
    auth: true,
    roles: CASE_READERS,
    summary: 'Search and list cases',
    tag: 'cases',
    query: ListQuerySchema,
    responses: { 200: CasePageResponse },
  }),
  route({
    id: 'getCase',
    method: 'GET',
    path: '/cases/{caseNo}',
    function: 'cases-read',
    auth: true,
    roles: CASE_READERS,
    summary: 'A case with its timeline, documents and clocks',
    tag: 'cases',
    params: CaseNoParam,
    responses: { 200: CaseViewResponse },
  }),
  route({
    id: 'getTimeline',
    method: 'GET',
    path: '/cases/{caseNo}/timeline',
    function: 'cases-read',
    auth: true,
    roles: CASE_READERS,
    summary: 'The hash-chained audit trail of a case',
    tag: 'cases',
    params: CaseNoParam,
    responses: { 200: TimelineResponse },
  }),
  route({
    id: 'inbox',
    method: 'GET',
    path: '/inbox',
    function: 'cases-read',
    auth: true,
    roles: ['department'],
    summary: "A department's open cases ordered by due date",
    tag: 'cases',
    query: PageQuerySchema,
    responses: { 200: CasePageResponse },
  }),
  ...ACTIONS.map(actionRoute),
  route({
    id: 'setFullText',
    method: 'POST',
    path: '/cases/{caseNo}/full-text',
    function: 'cases-write',
    auth: true,
    roles: ['clerk'],
    summary:
      '来信全文: the clerk sets the full text of the letter while the case is still being registered (typed, or taken from the machine reading of its scans); If-Match; recorded in the audit trail',
    tag: 'cases',
    params: CaseNoParam,
    body: FullTextInputSchema,
    headers: ['If-Match'],
    responses: { 200: CaseViewResponse },
  }),
  route({
    id: 'previewLetter',
    method: 'POST',
    path: '/cases/{caseNo}/letters/preview',
    function: 'cases-write',
    auth: true,
    roles: LETTER_ROLES,
    summary:
      'The letters a lifecycle action would issue now, as PDFs (base64) with 〔预览〕 for the document number; same permissions and body as the action; numbers, stores and records nothing',
    tag: 'lifecycle',
    params: CaseNoParam,
    body: LetterPreviewSchema,
    responses: { 200: LetterPreviewResponse },
  }),
  route({
    id: 'createUpload',
    method: 'POST',
    path: '/cases/{caseNo}/documents',
    function: 'documents',
    auth: true,
    roles: ['clerk', 'department'],
    summary: 'A presigned POST to upload a document of the case',
    tag: 'documents',
    params: CaseNoParam,
    body: UploadRequestSchema,
    responses: { 201: UploadLinkResponse },
  }),
  route({
    id: 'downloadDocument',
    method: 'GET',
    path: '/cases/{caseNo}/documents/{documentId}/download',
    function: 'documents',
    auth: true,
    roles: ['clerk', 'director', 'admin', 'department'],
    summary: 'A short-lived download link (recorded in the audit trail)',
    tag: 'documents',
    params: DocumentParams,
    responses: { 200: DownloadLinkResponse },
  }),
  route({
    id: 'documentOcr',
    method: 'GET',
    path: '/cases/{caseNo}/documents/{documentId}/ocr',
    function: 'documents',
    auth: true,
    roles: ['clerk', 'director', 'admin', 'department'],
    summary: '机器识别文本（未校对）: the OCR of a scan, page by page, for whoever may download it (a reading handed out is recorded in the audit trail)',
    tag: 'documents',
    params: DocumentParams,
    responses: { 200: OcrResponse },
  }),
  route({
    id: 'revealContact',
    method: 'GET',
    path: '/cases/{caseNo}/contact',
    function: 'documents',
    auth: true,
    roles: ['department'],
    summary:
      "The petitioners' ID number, phone and address in full, for the department handling the case (not on an accusation: the accuser is protected); each reveal recorded in the audit trail",
    tag: 'cases',
    params: CaseNoParam,
    responses: { 200: ContactResponse },
  }),
  route({
    id: 'publicQuery',
    method: 'POST',
    path: '/public/query',
    function: 'public',
    auth: false,
    roles: [],
    limited: true,
    summary: 'Petitioner query: case number + query code → status, dates, letters',
    tag: 'public',
    body: PublicQuerySchema,
    responses: { 200: PublicViewResponse },
  }),
  route({
    id: 'publicRating',
    method: 'POST',
    path: '/public/rating',
    function: 'public',
    auth: false,
    roles: [],
    limited: true,
    summary: 'Petitioner rates the answer (满意 / 基本满意 / 不满意)',
    tag: 'public',
    body: PublicRatingSchema,
    responses: { 200: PublicViewResponse },
  }),
  route({
    id: 'publicDownload',
    method: 'POST',
    path: '/public/letters/download',
    function: 'public',
    auth: false,
    roles: [],
    limited: true,
    summary: 'Petitioner downloads a letter addressed to them',
    tag: 'public',
    body: PublicDownloadSchema,
    responses: { 200: DownloadLinkResponse },
  }),
  route({
    id: 'publicVerifyLetter',
    method: 'POST',
    path: '/public/verify-letter',
    function: 'public',
    auth: false,
    roles: [],
    summary:
      'Was a letter with this printed hash (校验码, 12 hex characters) issued for this case? Case number + hash → letter type, document number, date; nothing else',
    tag: 'public',
    body: PublicVerifyLetterSchema,
    responses: { 200: LetterVerificationResponse },
  }),
  route({
    id: 'adminListTemplates',
    method: 'GET',
    path: '/admin/templates',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: "Letter templates: each type's default wording, the office's override, the placeholders (admin)",
    tag: 'admin',
    responses: { 200: TemplatesResponse },
  }),
  route({
    id: 'adminPutTemplate',
    method: 'PUT',
    path: '/admin/templates/{type}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary:
      "Store the office's wording of one letter type over the version read (If-Match: the template's version, 0 for the default); used by letters issued from then on (admin)",
    tag: 'admin',
    params: TemplateParams,
    body: TemplateBodySchema,
    headers: ['If-Match'],
    responses: { 200: TemplateViewResponse },
  }),
  route({
    id: 'adminPreviewTemplate',
    method: 'POST',
    path: '/admin/templates/{type}/preview',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The PDF an edited wording would print, on a sample case, with 〔预览〕 for the document number; checked as a change is, nothing stored (admin)',
    tag: 'admin',
    params: TemplateParams,
    body: TemplateBodySchema,
    responses: { 200: TemplatePreviewResponse },
  }),
  route({
    id: 'adminDeleteTemplate',
    method: 'DELETE',
    path: '/admin/templates/{type}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'Back to the default wording of one letter type, from the version read (If-Match) (admin)',
    tag: 'admin',
    params: TemplateParams,
    headers: ['If-Match'],
    responses: { 200: TemplateViewResponse },
  }),
  route({
    id: 'adminGetCalendar',
    method: 'GET',
    path: '/admin/calendar',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'The holiday calendar by year: shipped, loaded by the office, or provisional (derived from the statutory holidays, with the rule) (admin)',
    tag: 'admin',
    responses: { 200: CalendarResponse },
  }),
  route({
    id: 'adminPreviewCalendarYear',
    method: 'POST',
    path: '/admin/calendar/{year}/preview',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary: 'What loading this year would do: the open clocks whose provisional due dates move, and by how much; nothing is written (admin)',
    tag: 'admin',
    params: CalendarYearParams,
    body: CalendarYearBodySchema,
    responses: { 200: CalendarResponse },
  }),
  route({
    id: 'adminPutCalendarYear',
    method: 'PUT',
    path: '/admin/calendar/{year}',
    function: 'admin',
    auth: true,
    roles: ['admin'],
    summary:
      "Load a year's holidays and make-up working days (the State Council notice): in effect at once; every open provisional date it moves is re-derived, with an audit event and a notice (admin)",
    tag: 'admin',
    params: CalendarYearParams,
    body: CalendarYearBodySchema,
    responses: { 200: CalendarResponse },
  }),
] as const;

/** The whole table, each route with its own literal types (the operations' request types come from it). */
const TYPED_ROUTES = [...CASE_ROUTES, ...ADMIN_ROUTES, ...ARCHIVE_ROUTES, ...OVERSIGHT_ROUTES, ...REPORT_ROUTES, ...EXPORT_ROUTES, ...ONLINE_ROUTES] as const;

/** The whole table, for what reads every route alike (CDK, the local gateway, OpenAPI, the middleware). */
export const ROUTES: readonly RouteDefinition[] = TYPED_ROUTES;

/** Any route of the table, with its own literal types. */
export type AnyRoute = (typeof TYPED_ROUTES)[number];
/** The routes a function serves. */
export type RoutesOf<F extends HttpFunctionName> = Extract<AnyRoute, { function: F }>;

export function routesOf(fn: HttpFunctionName): RouteDefinition[] {
  return ROUTES.filter((r) => r.function === fn);
}
