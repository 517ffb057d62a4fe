/**
 * The local gateway with fixture handlers (the real route table, stand-in functions): route
 * matching, the API Gateway v2 event and context, result writing, 404, CORS, the fixed 500,
 * the 6 MB limit, lazy loading, delegation to the issuer; then the local stack's wiring of the
 * environment, the fake clock, tokens and S3 events to verify-upload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { INTERNAL_ERROR_BODY, MAX_BODY_BYTES, importFunctionHandler, startGateway, type Gateway } from '../../local/gateway';
import { createLocalIssuer } from '../../local/issuer';
import { runtimeClock } from '../../functions/common/clock';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes';
import { binary, bare, echo, fixtureLoader, recordingEventHandler, SECRET_DETAIL, thrower, type Echo } from '../support/fixtures/handlers';
import { api, type Api } from '../support/http';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';

const loader = fixtureLoader({ 'cases-read': echo, 'cases-write': echo, documents: thrower, public: binary, openapi: bare });
let gateway: Gateway;
let client: Api;

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    loadHandler: loader,
    quiet: true,
    issuer: {
      handle: async (req, res) => {
        if (!req.url?.startsWith('/local-auth/')) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: 'fake', path: req.url }));
        return true;
      },
    },
  });
  client = api(gateway.url);
});

afterAll(() => gateway?.stop());
afterEach(() => vi.restoreAllMocks());

describe('route matching', () => {
  it('matches method and path against the route table and decodes path parameters', async () => {
    const res = await client.post<Echo>('/cases/XF-2026-000123/accept', { note: 'ok' });

    expect(res.status).toBe(200);
    expect(res.json.event.routeKey).toBe('POST /cases/{caseNo}/accept');
    expect(res.json.event.pathParameters).toEqual({ caseNo: 'XF-2026-000123' });
    expect(res.json.context.functionName).toBe('cases-write');
  });

  it('decodes percent-encoded parameters and keeps rawPath as sent', async () => {
    const res = await client.get<Echo>('/cases/XF%2D2026%20%E4%BF%A1%2F1/timeline');

    expect(res.json.event.routeKey).toBe('GET /cases/{caseNo}/timeline');
    expect(res.json.event.pathParameters).toEqual({ caseNo: 'XF-2026 信/1' });
    expect(res.json.event.rawPath).toBe('/cases/XF%2D2026%20%E4%BF%A1%2F1/timeline');
  });

  it('prefers literal segments over parameters', async () => {
    const routes: RouteDefinition[] = [
      { id: 'param', method: 'GET', path: '/things/{id}', function: 'cases-read', auth: false, roles: [], summary: '', tag: '', responses: {} },
      { id: 'literal', method: 'GET', path: '/things/special', function: 'cases-read', auth: false, roles: [], summary: '', tag: '', responses: {} },
      { id: 'greedy', method: 'GET', path: '/files/{path+}', function: 'cases-read', auth: false, roles: [], summary: '', tag: '', responses: {} },
    ];
    const own = await startGateway({ port: 0, routes, loadHandler: loader, quiet: true });
    try {
      const c = api(own.url);
      expect((await c.get<Echo>('/things/special')).json.event.routeKey).toBe('GET /things/special');
      expect((await c.get<Echo>('/things/other')).json.event.pathParameters).toEqual({ id: 'other' });
      expect((await c.get<Echo>('/files/a/b/c.pdf')).json.event.pathParameters).toEqual({ path: 'a/b/c.pdf' });
    } finally {
      await own.stop();
    }
  });

  it('answers 404 JSON for an unknown path, a wrong method and a trailing slash', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/cases'],
      ['GET', '/cases/'],
    ] as const) {
      const res = await client.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ message: 'Not Found' });
    }
  });

  it('routes every route of the real table to its function', async () => {
    const echoing = ROUTES.filter((r) => r.function === 'cases-read' || r.function === 'cases-write');
    for (const route of echoing) {
      const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => `p-${name}`);
      const res = await client.request<Echo>(route.method, path, route.method === 'GET' ? undefined : {});
      expect(res.json.event.routeKey, route.id).toBe(`${route.method} ${route.path}`);
      expect(res.json.context.functionName, route.id).toBe(route.function);
    }
  });
});

describe('the event and the context', () => {
  it('builds the API Gateway HTTP API payload 2.0 event', async () => {
    const res = await fetch(`${gateway.url}/cases?status=registered&status=accepted&q=%E4%BF%A1`, {
      headers: { 'X-Trace': 'a', 'User-Agent': 'vitest-agent', Cookie: 'c1=v1; c2=v2', Authorization: 'Bearer t' },
    });
    const { event, context } = (await res.json()) as Echo;

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /cases');
    expect(event.rawPath).toBe('/cases');
    expect(event.rawQueryString).toBe('status=registered&status=accepted&q=%E4%BF%A1');
    expect(event.queryStringParameters).toEqual({ status: 'registered,accepted', q: '信' });
    expect(event.headers['x-trace']).toBe('a');
    expect(event.headers.authorization).toBe('Bearer t');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.pathParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    const rc = event.requestContext;
    expect(rc.accountId).toBe('local');
    expect(rc.apiId).toBe('local');
    expect(rc.domainName).toBe(`127.0.0.1:${gateway.port}`);
    expect(rc.http).toEqual({ method: 'GET', path: '/cases', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest-agent' });
    expect(rc.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rc.routeKey).toBe('GET /cases');
    expect(rc.stage).toBe('$default');
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(rc.timeEpoch - Date.now())).toBeLessThan(60_000);
    expect(context.awsRequestId).toBe(rc.requestId);
    expect(context.functionName).toBe('cases-read');
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(30_000);
    expect(res.headers.get('apigw-requestid')).toBe(rc.requestId);
  });

  it('passes a JSON body as UTF-8 text', async () => {
    const res = await client.post<Echo>('/cases', { subject: '拖欠工资' });

    expect(res.json.event.isBase64Encoded).toBe(false);
    expect(JSON.parse(res.json.event.body ?? '')).toEqual({ subject: '拖欠工资' });
  });

  it('passes a binary body as base64', async () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]);
    const res = await client.post<Echo>('/cases', bytes, { headers: { 'content-type': 'application/pdf' } });

    expect(res.json.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.json.event.body ?? '', 'base64')).toEqual(Buffer.from(bytes));
  });
});

describe('results', () => {
  it('writes status, headers, every cookie and a base64 body as bytes', async () => {
    const res = await fetch(`${gateway.url}/public/query`, { method: 'POST', body: '{}' });

    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]));
  });

  it('infers a 200 JSON response from a bare value', async () => {
    const res = await client.get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ hello: '世界' });
  });

  it('turns a throwing handler into the fixed 500, with the detail on stderr only', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const res = await client.post('/cases/XF-1/documents', {});

    expect(res.status).toBe(500);
    expect(res.text).toBe(INTERNAL_ERROR_BODY);
    expect(res.text).not.toContain(SECRET_DETAIL);
    expect(stderr).toHaveBeenCalled();
    expect(String(stderr.mock.calls.flat().map(String))).toContain(SECRET_DETAIL);
  });

  it('refuses a body above 6 MB with 413 without invoking the handler, and takes one of 6 MB', async () => {
    let calls = 0;
    const counting = async (...args: Parameters<typeof echo>): ReturnType<typeof echo> => {
      calls++;
      return echo(...args);
    };
    const own = await startGateway({ port: 0, quiet: true, loadHandler: fixtureLoader({ 'cases-write': counting }) });
    try {
      const c = api(own.url);
      const binaryType = { headers: { 'content-type': 'application/octet-stream' } };

      const tooBig = await c.post('/cases', new Uint8Array(MAX_BODY_BYTES + 1), binaryType);
      const atLimit = await c.post('/cases', new Uint8Array(MAX_BODY_BYTES), binaryType);

      expect(tooBig.status).toBe(413);
      expect(tooBig.json).toEqual({ message: 'Request Entity Too Large' });
      expect(atLimit.status).toBe(200);
      expect(calls).toBe(1);
    } finally {
      await own.stop();
    }
  });
  it('answers 503 like the HTTP API when a handler outlives the integration timeout', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const slow = async (): Promise<{ statusCode: number }> => new Promise((r) => setTimeout(() => r({ statusCode: 200 }), 300));
    const own = await startGateway({ port: 0, quiet: true, timeoutMs: 50, loadHandler: fixtureLoader({ 'cases-read': slow }) });
    try {
      const res = await api(own.url).get('/me');

      expect(res.status).toBe(503);
      expect(res.json).toEqual({ message: 'Service Unavailable' });
    } finally {
      await own.stop();
    }
  });
});

describe('CORS', () => {
  it('answers a preflight like the HTTP API CORS configuration', async () => {
    const res = await fetch(`${gateway.url}/cases/XF-1/accept`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,if-match' },
    });

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'if-match', 'idempotency-key']));
    expect(res.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it('exposes ETag on actual cross-origin responses', async () => {
    const res = await client.get('/me', { headers: { origin: 'http://localhost:5173' } });

    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('etag');
    expect(res.headers.get('etag')).toBe('"7"');
  });
});

describe('handler loading', () => {
  it('loads each function once, on its first request', async () => {
    const lazy = fixtureLoader({ 'cases-read': echo });
    const own = await startGateway({ port: 0, loadHandler: lazy, quiet: true });
    try {
      expect(lazy.loads).toEqual([]);
      await api(own.url).get('/me');
      await api(own.url).get('/inbox');
      expect(lazy.loads).toEqual(['cases-read']);
    } finally {
      await own.stop();
    }
  });

  it('answers 500 while a handler cannot be loaded, and retries the load on the next request', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let available = false;
    const own = await startGateway({
      port: 0,
      quiet: true,
      loadHandler: async (fn) => {
        if (!available) throw new Error(`functions/${fn}/handler.ts not found`);
        return echo as never;
      },
    });
    try {
      expect((await api(own.url).get('/me')).status).toBe(500);
      available = true;
      expect((await api(own.url).get('/me')).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('refuses to import anything but a known function', async () => {
    await expect(importFunctionHandler('../../etc' as never)).rejects.toThrow(/Unknown function/);
  });

  it('holds requests until ready', async () => {
    let open!: () => void;
    const ready = new Promise<void>((r) => {
      open = r;
    });
    const own = await startGateway({ port: 0, quiet: true, loadHandler: fixtureLoader({ 'cases-read': echo }), ready });
    try {
      let answered = false;
      const pending = api(own.url)
        .get('/me')
        .then((r) => {
          answered = true;
          return r;
        });
      await new Promise((r) => setTimeout(r, 100));
      expect(answered).toBe(false);
      open();
      expect((await pending).status).toBe(200);
    } finally {
      await own.stop();
    }
  });
});

describe('the issuer', () => {
  it('is asked first for /local-auth/ paths', async () => {
    const res = await client.get('/local-auth/anything');

    expect(res.json).toEqual({ issuer: 'fake', path: '/local-auth/anything' });
  });

  it('serves the real local issuer through the gateway', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xf-issuer-'));
    let own: Gateway | undefined;
    try {
      let issuer: Awaited<ReturnType<typeof createLocalIssuer>> | undefined = undefined;
      own = await startGateway({
        port: 0,
        quiet: true,
        loadHandler: loader,
        issuer: { handle: (req, res) => issuer?.handle(req, res) ?? Promise.resolve(false) },
      });
      issuer = await createLocalIssuer({ dataDir, issuerUrl: `${own.url}/local-auth`, audience: 'xinfang-local' });
      const c = api(own.url);

      const jwks = await c.get<{ keys: unknown[] }>('/local-auth/.well-known/jwks.json');
      const token = await c.post<{ token: string }>('/local-auth/token', { username: 'clerk1' });
      const routed = await c.get<Echo>('/me', { token: token.json.token });

      expect(jwks.status).toBe(200);
      expect(jwks.json.keys.length).toBeGreaterThan(0);
      expect(token.status).toBe(200);
      expect(token.json.token.split('.')).toHaveLength(3);
      expect(routed.json.event.headers.authorization).toBe(`Bearer ${token.json.token}`);
    } finally {
      await own?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the local stack', () => {
  let stack: TestStack;
  const verify = recordingEventHandler();

  beforeAll(async () => {
    stack = await startTestStack({
      now: '2026-03-02T01:00:00Z',
      loadHandler: fixtureLoader({ 'cases-read': echo, 'cases-write': echo, 'verify-upload': verify.handler }),
    });
  }, 60_000);

  afterAll(() => stack?.stop());

  it('sets the environment before the handlers load and installs the fake clock', async () => {
    const res = await stack.api.get<Echo>('/me');

    expect(res.json.env.tableName).toBe(stack.tableName);
    expect(process.env.TABLE_NAME).toBe(stack.tableName);
    expect(process.env.DOCUMENTS_BUCKET).toBe(stack.bucketName);
    expect(process.env.DYNAMODB_ENDPOINT).toBe(stack.endpoints.dynamodb);
    expect(process.env.S3_ENDPOINT).toBe(stack.endpoints.s3);
    expect(process.env.AUTH_ISSUER).toBe(`${stack.baseUrl}/local-auth`);
    expect(process.env.AUTH_JWKS_URL).toBe(stack.endpoints.jwks);
    expect(process.env.PII_HASH_KEY?.length).toBeGreaterThanOrEqual(32);
    expect(runtimeClock.now().toISOString()).toBe('2026-03-02T01:00:00.000Z');
    stack.clock.advanceDays(16);
    expect(runtimeClock.now().toISOString()).toBe('2026-03-18T01:00:00.000Z');
  });

  it('mints tokens for the demo users', async () => {
    const token = await stack.token('hrss1');

    expect(token.split('.')).toHaveLength(3);
  });

  it('delivers object-created events under uploads/ to verify-upload, and no others', async () => {
    const key = 'uploads/XF-2026-000009/01ABC.pdf';
    const form = await createPresignedPost(stack.clients.s3, { Bucket: stack.bucketName, Key: key, Expires: 300 });

    const upload = await uploadPresignedPost(form, Buffer.from('%PDF-1.7\n%%EOF\n'), { contentType: 'application/pdf' });
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: 'generated/XF-2026-000009/x.pdf', Body: 'x' }));
    await stack.settled();

    expect(upload.status).toBe(204);
    expect(verify.events.map((e) => e.Records.map((r) => r.s3.object.key))).toEqual([[key]]);
    expect(verify.events[0]?.Records[0]?.s3.bucket.name).toBe(stack.bucketName);
  });
});
