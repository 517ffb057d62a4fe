/**
 * What a route is: its method and path, the function that serves it, who may call it, and the
 * schemas of its request. The route tables (routes.ts and the areas it spreads in) are lists of
 * these, defined once; the middleware (functions/common/http.ts) validates each request with the
 * route's own schemas and hands the operation the parsed, typed values; CDK, the local gateway
 * and the OpenAPI document read the same tables.
 */
import type { z } from 'zod';
import type { Role } from '../domain/roles';

/** The functions that serve HTTP routes; each lives in functions/<name>/handler.ts. */
export const HTTP_FUNCTIONS = [
  'cases-read',
  'cases-write',
  'documents',
  'public',
  'online',
  'openapi',
  'admin',
  'archive-api',
  'archive-run',
  'oversight',
  'exports',
] as const;
export type HttpFunctionName = (typeof HTTP_FUNCTIONS)[number];

/** Functions triggered by events rather than routes. */
export const EVENT_FUNCTIONS = ['verify-upload', 'archive-verify', 'sweep', 'notify-sender', 'ocr'] as const;
export type EventFunctionName = (typeof EVENT_FUNCTIONS)[number];

export type FunctionName = HttpFunctionName | EventFunctionName;
export const ALL_FUNCTIONS: FunctionName[] = [...HTTP_FUNCTIONS, ...EVENT_FUNCTIONS];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Transitions carry If-Match; creates take Idempotency-Key. */
export type RouteHeader = 'If-Match' | 'Idempotency-Key';

export interface RouteDefinition {
  /** operationId, unique; handlers dispatch on it. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway v2 path, with {params}. */
  readonly path: string;
  readonly function: HttpFunctionName;
  /** false: no token (public query, OpenAPI). Every other route requires a verified JWT. */
  readonly auth: boolean;
  /**
   * The roles whose users may call the route (the use case checks it; what a user then sees of
   * a case is narrowed further, e.g. a department only its own cases). Empty on public routes.
   */
  readonly roles: readonly Role[];
  readonly summary: string;
  readonly tag: string;
  /** Path parameters, query string and JSON body: validated before the operation runs (400 naming the field). */
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly headers?: readonly RouteHeader[];
  /** Rate-limited (the petitioner's routes, docs/online.md): may answer 429 with Retry-After. */
  readonly limited?: boolean;
  /** Names cases in its query (no path parameter or body does): may answer 404 for one it cannot find or see. */
  readonly namesCases?: boolean;
  /**
   * What the route answers, by status (shared/http/responses.ts): its successes, and any answer of
   * its own beyond the refusals that follow from the above (openapi.ts), such as /health's 503.
   */
  readonly responses: Readonly<Partial<Record<ResponseStatus, z.ZodType>>>;
}

export type ResponseStatus = 200 | 201 | 503;

/** A route, its literal types kept (id, function, schemas), so operations get typed requests. */
export function route<const R extends RouteDefinition>(r: R): R {
  return r;
}

/** The parsed value of a route's schema, `{}` when the route has none. */
type Parsed<R, K extends 'params' | 'query' | 'body'> = R extends { readonly [P in K]: infer S extends z.ZodType }
  ? z.output<S>
  : K extends 'body'
    ? undefined
    : Record<string, never>;

export type RouteParams<R> = Parsed<R, 'params'>;
export type RouteQuery<R> = Parsed<R, 'query'>;
export type RouteBody<R> = Parsed<R, 'body'>;

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
