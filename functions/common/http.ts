/**
 * The one HTTP middleware stack. A function lists its operations by route id; this module finds
 * the route for the event, verifies the token (same code in AWS and locally), validates params,
 * query and body with the route's schemas, calls the operation, and maps the result or the
 * error to a response. Operations never build their own 4xx.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ValidationError } from '../../shared/domain/errors';
import type { Actor } from '../../shared/domain/roles';
import { boundQuery, type CursorSigner } from '../../shared/http/cursors';
import { errorResponse } from '../../shared/http/errors';
import { routeKey, routesOf, type HttpFunctionName, type RouteDefinition, type RoutesOf } from '../../shared/http/routes';
import type { RouteBody, RouteParams, RouteQuery } from '../../shared/http/route';
import type { TokenVerifier } from '../../shared/auth/verify';
import { admitted, refreshOffice } from './office';
import { getRuntime, getTokenlessRuntime, logger, type Runtime } from './runtime';

/** The request an operation receives: validated with its route's schemas, typed by them. */
export interface Request<R = RouteDefinition> {
  route: RouteDefinition;
  actor: Actor;
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
  ifMatch?: number;
  idempotencyKey?: string;
  sourceIp?: string;
}

export interface Result {
  statusCode?: number;
  body: unknown;
  /** The case version to return as ETag. */
  etag?: number;
  headers?: Record<string, string>;
}

export type Operation<Rt = Runtime, R = RouteDefinition> = (req: Request<R>, rt: Rt) => Promise<Result>;

/** A function's operations: one per route it serves, keyed by route id, each typed by its route. */
export type Operations<F extends HttpFunctionName, Rt> = { [R in RoutesOf<F> as R['id']]: Operation<Rt, R> };

/** An anonymous actor for public routes: it has no role, so it can reach no role-checked use case. */
const ANONYMOUS: Actor = { userId: 'public', username: 'public', displayName: '公众', roles: [] };

export function httpHandler<F extends HttpFunctionName>(fn: F, operations: NoInfer<Operations<F, Runtime>>) {
  // A function whose routes are all public (the petitioner's) reads no token issuer.
  return httpHandlerWith(routesOf(fn).some((r) => r.auth) ? getRuntime : getTokenlessRuntime, fn, operations);
}

/**
 * The same stack over another runtime (a function that needs less than the registry). A runtime
 * serving list routes carries the signer of their page cursors: the stack opens the cursor of a
 * request before the operation sees it and seals the one of the page it returns
 * (shared/http/cursors.ts), the same for every list route.
 */
export function httpHandlerWith<R extends { verify: TokenVerifier; cursors?: CursorSigner }, F extends HttpFunctionName>(
  getRt: () => Promise<R>,
  fn: F,
  typed: NoInfer<Operations<F, R>>,
) {
  // Each operation is called with the request its own route's schemas produced (parseRequest).
  const operations = typed as unknown as Record<string, Operation<R> | undefined>;
  const routes = new Map(routesOf(fn).map((r) => [routeKey(r), r]));
  const base = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    // Every log line of the request carries the Lambda context, the route and the case number.
    if (context?.functionName) logger.addContext(context);
    logger.appendKeys({ route: event.routeKey, ...(event.pathParameters?.caseNo ? { caseNo: event.pathParameters.caseNo } : {}) });
    try {
      const route = routes.get(event.routeKey);
      const operation = route ? operations[route.id] : undefined;
      if (!route || !operation) return json(404, { error: { code: 'NOT_FOUND', message: 'No such route' } });
      const rt = await getRt();
      // The department list (cached briefly) where a request may use it, and the directory's word on
      // the user: disabled → 401. /health and the petitioner's routes read neither (a table that is
      // down must not stop /health from saying so).
      if (route.auth || route.id === 'vocabulary') await refreshOffice();
      const actor = route.auth ? await admitted(await rt.verify(event.headers.authorization)) : ANONYMOUS;
      const request = parseRequest(route, actor, event);
      const paging = pagingOf(route, request, rt.cursors);
      const result = paging.sealPage(await operation(paging.request, rt));
      const headers: Record<string, string> = { ...result.headers };
      if (result.etag !== undefined) headers.etag = `"${result.etag}"`;
      return json(result.statusCode ?? 200, result.body, headers);
    } catch (err) {
      const { statusCode, body, headers } = errorResponse(err);
      if (statusCode === 503) logger.warn('dependency unavailable', { routeKey: event.routeKey, error: err as Error });
      else if (statusCode >= 500) logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      else logger.info('request refused', { routeKey: event.routeKey, statusCode, code: body.error.code });
      return json(statusCode, body, headers);
    } finally {
      logger.resetKeys();
    }
  };
  // A request still running this close to the function's timeout answers 503 with Retry-After
  // (a dependency too slow, as errorResponse maps it), instead of middy's error, which the
  // gateway turns into a 500.
  return middy(base, {
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      const timeout = Object.assign(new Error('The function ran out of time'), { name: 'TimeoutError' });
      logger.warn('request timed out', { error: timeout });
      const { statusCode, body, headers } = errorResponse(timeout);
      return json(statusCode, body, headers);
    },
  }).use(httpHeaderNormalizer());
}

/** How long before the function's timeout a request still running is answered 503. */
export const TIMEOUT_MARGIN_MS = 1_000;

function parseRequest(route: RouteDefinition, actor: Actor, event: APIGatewayProxyEventV2): Request {
  const body = route.body ? validate('body', route.body, parseBody(event)) : undefined;
  const params = route.params ? validate('path', route.params, event.pathParameters ?? {}) : {};
  const query = route.query ? validate('query', route.query, event.queryStringParameters ?? {}) : {};
  const headers = event.headers;
  return {
    route,
    actor,
    params: params as Request['params'],
    query: query as Request['query'],
    body: body as Request['body'],
    ifMatch: parseIfMatch(headers['if-match']),
    idempotencyKey: parseIdempotencyKey(headers['idempotency-key']),
    sourceIp: event.requestContext?.http?.sourceIp,
  };
}

/** A list route's request with its cursor opened, and how to seal the cursor of its answer. */
function pagingOf(route: RouteDefinition, request: Request, signer: CursorSigner | undefined): { request: Request; sealPage: (r: Result) => Result } {
  if (!isPaged(route)) return { request, sealPage: (r) => r };
  if (!signer) throw new Error(`The runtime of ${route.id} has no cursor signer`);
  const query = request.query as Record<string, unknown>;
  const binding = { route: route.id, caller: request.actor.userId, query: boundQuery(query) };
  const cursor = query.cursor;
  const opened =
    typeof cursor === 'string' && cursor !== ''
      ? { ...request, query: { ...query, cursor: signer.open(cursor, binding) } as unknown as Request['query'] }
      : request;
  return {
    request: opened,
    sealPage: (r) => {
      const body = r.body as { cursor?: unknown } | null;
      if (typeof body !== 'object' || body === null || typeof body.cursor !== 'string') return r;
      return { ...r, body: { ...body, cursor: signer.seal(body.cursor, binding) } };
    },
  };
}

/** A list route: its query schema takes a `cursor`. */
function isPaged(route: RouteDefinition): boolean {
  const query = route.query as { shape?: Record<string, unknown> } | undefined;
  return query?.shape !== undefined && 'cursor' in query.shape;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const NOT_UTF8 = 'must be valid UTF-8';

/**
 * The body as JSON, refusing text that is not valid UTF-8 rather than storing U+FFFD in its
 * place: a base64 body is decoded strictly; a text body that carries U+FFFD (what a decoder puts
 * where bytes were not UTF-8) or a lone surrogate (`"\ud800"` in JSON) is refused too.
 */
function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return {};
  let text: string;
  if (event.isBase64Encoded) {
    try {
      text = UTF8.decode(Buffer.from(event.body, 'base64'));
    } catch {
      throw ValidationError.field('(body)', NOT_UTF8);
    }
  } else {
    text = event.body;
  }
  if (text.includes('\uFFFD')) throw ValidationError.field('(body)', `${NOT_UTF8} (it contains U+FFFD, the mark of bytes that were not)`);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw ValidationError.field('(body)', 'must be valid JSON');
  }
  const bad = illFormedAt(value, []);
  if (bad !== undefined) throw ValidationError.field(bad.length > 0 ? `body.${bad.join('.')}` : '(body)', `${NOT_UTF8} text (a lone surrogate)`);
  return value;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** The path to the first string (or key) holding a lone surrogate, if any. */
function illFormedAt(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = illFormedAt(value[i], [...path, String(i)]);
      if (at) return at;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(k)) return path;
      const at = illFormedAt(v, [...path, k]);
      if (at) return at;
    }
  }
  return undefined;
}

function validate(
  where: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  value: unknown,
): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw ValidationError.fromZod(r.error ?? { issues: [] }, { prefix: where });
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw ValidationError.field('If-Match', 'must be the ETag of the case, e.g. "3"');
  return Number(m[1]);
}

function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(header)) throw ValidationError.field('Idempotency-Key', 'must be 8–128 characters of letters, digits, _ . : -');
  return header;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
