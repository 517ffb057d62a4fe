/**
 * The route table: every HTTP route of the registry, defined once. CDK builds the HTTP API from
 * it (one integration per route, to the function named here), the local gateway routes the same
 * table to the same handlers, and the OpenAPI document is generated from it with the schemas of
 * shared/http/schemas.ts. Plain data: safe to import from infra/ and local/.
 */
import { ACTIONS, type Action } from '../domain/actions';
import { ARCHIVE_ROUTES } from './archive-routes';
import { SWEEP_ROUTES } from './sweep-routes';

/** The functions that serve HTTP routes; each lives in functions/<name>/handler.ts. */
export const HTTP_FUNCTIONS = ['cases-read', 'cases-write', 'documents', 'public', 'openapi', 'admin', 'archive', 'archiver', 'oversight'] as const;
export type HttpFunctionName = (typeof HTTP_FUNCTIONS)[number];

/** Functions triggered by events rather than routes. */
export const EVENT_FUNCTIONS = ['verify-upload', 'archive-verify', 'sweep', 'notify-sender'] as const;
export type EventFunctionName = (typeof EVENT_FUNCTIONS)[number];

export type FunctionName = HttpFunctionName | EventFunctionName;
export const ALL_FUNCTIONS: FunctionName[] = [...HTTP_FUNCTIONS, ...EVENT_FUNCTIONS];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  /** operationId, unique; handlers dispatch on it. */
  id: string;
  method: HttpMethod;
  /** API Gateway v2 path, with {params}. */
  path: string;
  function: HttpFunctionName;
  /** false: no token (public query, OpenAPI). Every other route requires a verified JWT. */
  auth: boolean;
  summary: string;
  tag: string;
}

const actionRoute = (action: Action): RouteDefinition => ({
  id: `action:${action}`,
  method: 'POST',
  path: `/cases/{caseNo}/${action}`,
  function: 'cases-write',
  auth: true,
  summary: `Lifecycle action: ${action}`,
  tag: 'lifecycle',
});

export const ROUTES: RouteDefinition[] = [
  { id: 'openapi', method: 'GET', path: '/openapi.json', function: 'openapi', auth: false, summary: 'This API, as OpenAPI 3.1', tag: 'meta' },
  { id: 'vocabulary', method: 'GET', path: '/vocabulary', function: 'public', auth: false, summary: "The office's departments and categories, and the Chinese label of every code the API returns", tag: 'meta' },
  { id: 'me', method: 'GET', path: '/me', function: 'cases-read', auth: true, summary: 'Who the token says you are', tag: 'meta' },
  { id: 'registerCase', method: 'POST', path: '/cases', function: 'cases-write', auth: true, summary: 'Register a case (登记), with upload links for its scanned letters; takes Idempotency-Key', tag: 'cases' },
  { id: 'checkRegistration', method: 'POST', path: '/cases/check', function: 'cases-read', auth: true, summary: 'Registration warnings for a draft case (final matter, matter in progress, earlier cases of the petitioner)', tag: 'cases' },
  { id: 'listCases', method: 'GET', path: '/cases', function: 'cases-read', auth: true, summary: 'Search and list cases', tag: 'cases' },
  { id: 'getCase', method: 'GET', path: '/cases/{caseNo}', function: 'cases-read', auth: true, summary: 'A case with its timeline, documents and clocks', tag: 'cases' },
  { id: 'getTimeline', method: 'GET', path: '/cases/{caseNo}/timeline', function: 'cases-read', auth: true, summary: 'The hash-chained audit trail of a case', tag: 'cases' },
  { id: 'inbox', method: 'GET', path: '/inbox', function: 'cases-read', auth: true, summary: "A department's open cases ordered by due date", tag: 'cases' },
  ...ACTIONS.map(actionRoute),
  {
    id: 'previewLetter',
    method: 'POST',
    path: '/cases/{caseNo}/letters/preview',
    function: 'cases-write',
    auth: true,
    summary: 'The letters a lifecycle action would issue now, as PDFs (base64) with 〔预览〕 for the document number; same permissions and body as the action; numbers, stores and records nothing',
    tag: 'lifecycle',
  },
  { id: 'createUpload', method: 'POST', path: '/cases/{caseNo}/documents', function: 'documents', auth: true, summary: 'A presigned POST to upload a document of the case', tag: 'documents' },
  { id: 'downloadDocument', method: 'GET', path: '/cases/{caseNo}/documents/{documentId}/download', function: 'documents', auth: true, summary: 'A short-lived download link (recorded in the audit trail)', tag: 'documents' },
  { id: 'publicQuery', method: 'POST', path: '/public/query', function: 'public', auth: false, summary: 'Petitioner query: case number + query code → status, dates, letters', tag: 'public' },
  { id: 'publicRating', method: 'POST', path: '/public/rating', function: 'public', auth: false, summary: 'Petitioner rates the answer (满意 / 基本满意 / 不满意)', tag: 'public' },
  { id: 'publicDownload', method: 'POST', path: '/public/letters/download', function: 'public', auth: false, summary: 'Petitioner downloads a letter addressed to them', tag: 'public' },
  {
    id: 'publicVerifyLetter',
    method: 'POST',
    path: '/public/verify-letter',
    function: 'public',
    auth: false,
    summary: 'Was a letter with this printed hash (校验码, 12 hex characters) issued for this case? Case number + hash → letter type, document number, date; nothing else',
    tag: 'public',
  },
  { id: 'adminListTemplates', method: 'GET', path: '/admin/templates', function: 'admin', auth: true, summary: "Letter templates: each type's default wording, the office's override, the placeholders (admin)", tag: 'admin' },
  { id: 'adminPutTemplate', method: 'PUT', path: '/admin/templates/{type}', function: 'admin', auth: true, summary: "Store the office's wording of one letter type; used by letters issued from then on (admin)", tag: 'admin' },
  { id: 'adminDeleteTemplate', method: 'DELETE', path: '/admin/templates/{type}', function: 'admin', auth: true, summary: 'Back to the default wording of one letter type (admin)', tag: 'admin' },
  ...ARCHIVE_ROUTES,
  ...SWEEP_ROUTES,
];

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function routesOf(fn: HttpFunctionName): RouteDefinition[] {
  return ROUTES.filter((r) => r.function === fn);
}
