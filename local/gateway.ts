/**
 * The local HTTP gateway: what API Gateway's HTTP API does in AWS, on node:http. It routes the
 * route table of shared/http/routes.ts (the same one CDK builds the API from) to the same
 * handlers, in the same event shape (payload format 2.0), and writes their structured results
 * back the way API Gateway does.
 *
 * Handlers are imported lazily, on the first request for their function, so the caller can set
 * process.env first (the functions read their configuration at cold start).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ALL_FUNCTIONS, ROUTES, routeKey, type FunctionName, type RouteDefinition } from '../shared/http/routes';

/** A Lambda handler, as loaded; the gateway calls HTTP functions with an API Gateway v2 event. */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;
export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
export type LoadHandler = (fn: FunctionName) => Promise<LambdaHandler>;

/** Anything that may answer a request before the routes: the local issuer, the web UI. */
export interface RequestDelegate {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface GatewayOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  routes?: readonly RouteDefinition[];
  /** Default: dynamic import of functions/<fn>/handler.ts, once per function. */
  loadHandler?: LoadHandler;
  /** Served first: its handle() answers /local-auth/... and returns false for anything else. */
  issuer?: RequestDelegate;
  /** Tried when no route matches (e.g. static files), before the 404. */
  extra?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Requests wait for this before being handled (lets the caller finish setting up). */
  ready?: Promise<unknown>;
  /** Per-invocation timeout, like the HTTP API's 30 s integration timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Region in the Lambda context's ARN. Default: AWS_REGION or us-east-1. */
  region?: string;
  /** No access log on stdout. */
  quiet?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  host: string;
  server: Server;
  stop(): Promise<void>;
}

/** Lambda's synchronous invocation payload limit; API Gateway answers 413 above it. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** What the handlers' error handler returns for anything unexpected; never any detail. */
export const INTERNAL_ERROR_BODY = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } });

/** The CORS configuration of the HTTP API (mirrored by infra/). */
export const CORS = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
  exposeHeaders: ['etag'],
  maxAgeSeconds: 600,
} as const;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** functions/<fn>/handler.ts, imported with the runtime's own loader (tsx or vitest). */
export const importFunctionHandler: LoadHandler = async (fn) => {
  if (!(ALL_FUNCTIONS as string[]).includes(fn)) throw new Error(`Unknown function ${fn}`);
  const file = `${repoRoot}functions/${fn}/handler.ts`;
  const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof mod.handler !== 'function') throw new Error(`functions/${fn}/handler.ts exports no handler`);
  return mod.handler as LambdaHandler;
};

// ---------------------------------------------------------------------------------------------
// Route matching
// ---------------------------------------------------------------------------------------------

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledRoute {
  route: RouteDefinition;
  segments: Segment[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(\w+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
  return { route, segments };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = decode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** Literal segments beat parameters, which beat greedy parameters, left to right. */
function specificity(a: CompiledRoute, b: CompiledRoute): number {
  const rank = (s: Segment | undefined): number => (s === undefined ? 3 : s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 2);
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const diff = rank(a.segments[i]) - rank(b.segments[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface RouteMatch {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

/** Matches method + raw path against the route table, as the HTTP API would. */
export function createRouter(routes: readonly RouteDefinition[]): (method: string, rawPath: string) => RouteMatch | undefined {
  const compiled = routes.map(compile).sort(specificity);
  return (method, rawPath) => {
    const parts = rawPath.split('/').slice(1);
    for (const candidate of compiled) {
      const m = candidate.route.method as string;
      if (m !== method && m !== 'ANY') continue;
      const params = matchSegments(candidate.segments, parts);
      if (params) return { route: candidate.route, pathParameters: params };
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Event and context
// ---------------------------------------------------------------------------------------------

const TEXT_TYPES = [/^text\//, /^application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b/, /^application\/[\w.+-]+\+(json|xml)\b/];

/** Whether API Gateway passes a body of this content type as text (else base64). */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.toLowerCase().trim();
  return TEXT_TYPES.some((re) => re.test(type));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the requestContext.time format. */
function clfTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return out;
}

export interface BuildEventInput {
  method: string;
  rawPath: string;
  rawQueryString: string;
  /** Node's rawHeaders: [name, value, name, value, …]. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  route: RouteDefinition;
  pathParameters: Record<string, string>;
  requestId: string;
  now: Date;
}

/**
 * Whether bytes are valid UTF-8. A text body that is not is passed base64-encoded, as it came,
 * so the handler sees the bytes and refuses them (400) instead of receiving U+FFFD in their place.
 */
function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The API Gateway HTTP API (payload format 2.0) event for a request. */
export function buildEvent(input: BuildEventInput): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const name = (input.rawHeaders[i] as string).toLowerCase();
    const value = input.rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      // Format 2.0 moves cookies to their own field.
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const domainName = headers.host ?? 'localhost';
  // API Gateway tells the function the scheme the client used; locally that is plain HTTP.
  headers['x-forwarded-proto'] ??= 'http';
  const key = routeKey(input.route);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]?.split(':')[0] ?? domainName,
      http: {
        method: input.method,
        path: input.rawPath,
        protocol: input.protocol,
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: key,
      stage: '$default',
      time: clfTime(input.now),
      timeEpoch: input.now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  const query = parseQuery(input.rawQueryString);
  if (query) event.queryStringParameters = query;
  if (Object.keys(input.pathParameters).length > 0) event.pathParameters = input.pathParameters;
  if (input.body.length > 0) {
    if (isTextContentType(headers['content-type']) && isUtf8(input.body)) {
      event.body = input.body.toString('utf8');
    } else {
      event.body = input.body.toString('base64');
      event.isBase64Encoded = true;
    }
  }
  return event;
}

/** A Lambda-like context for one invocation. */
export function buildContext(fn: string, requestId: string, timeoutMs: number, region: string): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('context.done/fail/succeed are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

class PayloadTooLarge extends Error {
  override readonly name = 'PayloadTooLarge';
}

/**
 * Reads the body up to `limit` bytes. Above it, the rest is drained (so the client, still
 * sending, gets to read the 413 rather than a reset connection) and PayloadTooLarge is thrown.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(req.headers['content-length'] ?? 0) > limit ? limit + 1 : 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => (size > limit ? reject(new PayloadTooLarge()) : resolve(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The CORS headers of a response to `origin` (none without an Origin or for one not allowed). */
function corsHeaders(origin: string | undefined): Record<string, string> {
  const origins: readonly string[] = CORS.allowOrigins;
  if (!origin || !(origins.includes('*') || origins.includes(origin))) return {};
  return {
    'access-control-allow-origin': origins.includes('*') ? '*' : origin,
    'access-control-expose-headers': CORS.exposeHeaders.join(','),
  };
}

/** Writes a handler's result as API Gateway does (structured, or inferred from a bare value). */
function writeResult(res: ServerResponse, result: unknown, extraHeaders: Record<string, string>): number {
  let structured: APIGatewayProxyStructuredResultV2;
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    structured = result as APIGatewayProxyStructuredResultV2;
  } else {
    // Payload 2.0 inference: anything without a statusCode is a 200 JSON body.
    structured = {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
    };
  }
  const status = structured.statusCode ?? 200;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, 'base64')
        : Buffer.from(structured.body, 'utf8');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  Object.assign(headers, extraHeaders);
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
  return status;
}

const TIMED_OUT = Symbol('timed out');

/** Starts the gateway; resolves once it listens. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const route = createRouter(options.routes ?? ROUTES);
  const load = options.loadHandler ?? importFunctionHandler;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const handlers = new Map<FunctionName, Promise<LambdaHandler>>();

  const handlerFor = (fn: FunctionName): Promise<LambdaHandler> => {
    let loading = handlers.get(fn);
    if (!loading) {
      loading = load(fn);
      handlers.set(fn, loading);
      // A failed import is not cached: the next request tries again (the file may appear).
      loading.catch(() => handlers.delete(fn));
    }
    return loading;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    if (options.ready) await options.ready;
    if (options.issuer && (await options.issuer.handle(req, res))) return;

    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q === -1 ? target : target.slice(0, q);
    const rawQueryString = q === -1 ? '' : target.slice(q + 1);
    const origin = req.headers.origin;
    const requestId = randomUUID();
    const log = (status: number, fn?: string): void => {
      if (!options.quiet) console.log(`${method} ${rawPath} → ${status} ${Date.now() - started}ms${fn ? ` [${fn}]` : ''}`);
    };

    // CORS preflight, answered by the API itself (as the HTTP API does when CORS is configured).
    if (method === 'OPTIONS' && origin && req.headers['access-control-request-method']) {
      const cors = corsHeaders(origin);
      const headers: Record<string, string> = { 'apigw-requestid': requestId, ...cors };
      if (cors['access-control-allow-origin']) {
        headers['access-control-allow-methods'] = CORS.allowMethods.join(',');
        headers['access-control-allow-headers'] = CORS.allowHeaders.join(',');
        headers['access-control-max-age'] = String(CORS.maxAgeSeconds);
      }
      res.writeHead(204, headers);
      res.end();
      log(204);
      return;
    }

    const match = route(method, rawPath);
    if (!match) {
      if (options.extra && (await options.extra(req, res))) return;
      send(res, 404, JSON.stringify({ message: 'Not Found' }), { 'apigw-requestid': requestId, ...corsHeaders(origin) });
      log(404);
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        send(res, 413, JSON.stringify({ message: 'Request Entity Too Large' }), { 'apigw-requestid': requestId, ...corsHeaders(origin) });
        log(413);
        return;
      }
      throw error;
    }

    const fn = match.route.function;
    const event = buildEvent({
      method,
      rawPath,
      rawQueryString,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
      route: match.route,
      pathParameters: match.pathParameters,
      requestId,
      now: new Date(),
    });
    const context = buildContext(fn, requestId, timeoutMs, region);
    const extraHeaders = { 'apigw-requestid': requestId, ...corsHeaders(origin) };

    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = (await handlerFor(fn)) as unknown as HttpHandler;
      const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      });
      const result = await Promise.race([handler(event, context), timedOut]);
      if (result === TIMED_OUT) {
        console.error(`[gateway] ${fn} timed out after ${timeoutMs} ms on ${routeKey(match.route)}`);
        send(res, 503, JSON.stringify({ message: 'Service Unavailable' }), extraHeaders);
        log(503, fn);
        return;
      }
      log(writeResult(res, result, extraHeaders), fn);
    } catch (error) {
      console.error(`[gateway] ${fn} failed on ${routeKey(match.route)} (request ${requestId}):`, error);
      send(res, 500, INTERNAL_ERROR_BODY, extraHeaders);
      log(500, fn);
    } finally {
      clearTimeout(timer);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[gateway] request failed:', error);
      send(res, 500, INTERNAL_ERROR_BODY);
    });
  });
  // Keep-alive sockets must not hold stop() up.
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    server,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return stopping;
    },
  };
}
