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
import { errorResponse } from '../../shared/http/errors';
import { routeKey, routesOf, type HttpFunctionName, type RouteDefinition } from '../../shared/http/routes';
import { ROUTE_SCHEMAS } from '../../shared/http/schemas';
import type { TokenVerifier } from '../../shared/auth/verify';
import { getRuntime, logger, type Runtime } from './runtime';

export interface Request {
  route: RouteDefinition;
  actor: Actor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
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

export type Operation<R = Runtime> = (req: Request, rt: R) => Promise<Result>;

/** An anonymous actor for public routes: it has no role, so it can reach no role-checked use case. */
const ANONYMOUS: Actor = { userId: 'public', username: 'public', displayName: '公众', roles: [] };

export function httpHandler(fn: HttpFunctionName, operations: Record<string, Operation>) {
  return httpHandlerWith(getRuntime, fn, operations);
}

/** The same stack over another runtime (a function that needs less than the registry). */
export function httpHandlerWith<R extends { verify: TokenVerifier }>(getRt: () => Promise<R>, fn: HttpFunctionName, operations: Record<string, Operation<R>>) {
  const routes = new Map(routesOf(fn).map((r) => [routeKey(r), r]));
  const base = async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const route = routes.get(event.routeKey);
      const operation = route ? operations[route.id] : undefined;
      if (!route || !operation) return json(404, { error: { code: 'NOT_FOUND', message: 'No such route' } });
      const rt = await getRt();
      const actor = route.auth ? await rt.verify(event.headers.authorization) : ANONYMOUS;
      const result = await operation(parseRequest(route, actor, event), rt);
      const headers: Record<string, string> = { ...result.headers };
      if (result.etag !== undefined) headers.etag = `"${result.etag}"`;
      return json(result.statusCode ?? 200, result.body, headers);
    } catch (err) {
      const { statusCode, body } = errorResponse(err);
      if (statusCode >= 500) logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      else logger.info('request refused', { routeKey: event.routeKey, statusCode, code: body.error.code });
      return json(statusCode, body);
    }
  };
  return middy(base).use(httpHeaderNormalizer());
}

function parseRequest(route: RouteDefinition, actor: Actor, event: APIGatewayProxyEventV2): Request {
  const schemas = ROUTE_SCHEMAS[route.id] ?? {};
  const body = schemas.body ? validate('body', schemas.body, parseBody(event)) : undefined;
  const params = schemas.params ? (validate('path', schemas.params, event.pathParameters ?? {}) as Record<string, string>) : {};
  const query = schemas.query ? (validate('query', schemas.query, event.queryStringParameters ?? {}) as Record<string, unknown>) : {};
  const headers = event.headers;
  return { route, actor, params, query, body, ifMatch: parseIfMatch(headers['if-match']), idempotencyKey: parseIdempotencyKey(headers['idempotency-key']), sourceIp: event.requestContext?.http?.sourceIp };
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw ValidationError.field('(body)', 'must be valid JSON');
  }
}

function validate(where: string, schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError((r.error?.issues ?? []).map((i) => ({ field: [where, ...i.path.map(String)].join('.'), reason: i.message })));
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
