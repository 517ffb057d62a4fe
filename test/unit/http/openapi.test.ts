/** The OpenAPI document: a valid OpenAPI 3.1 document listing, for every operation, its responses, statuses and roles. */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../../functions/openapi/handler';
import { openApiDocument } from '../../../shared/http/openapi';
import { ROUTES } from '../../../shared/http/routes';
import { contractChecker } from '../../support/contract';

type Op = { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; 'x-roles': string[]; security: unknown[] };
const doc = openApiDocument('http://127.0.0.1:3000');
const operations = Object.values(doc.paths as Record<string, Record<string, Op>>).flatMap((p) => Object.values(p));

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const res = await new Validator().validate(structuredClone(doc));

    expect(res.errors).toBeUndefined();
    expect(res.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has an operation for every route', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(ROUTES.map((r) => r.id.replace(':', '_')).sort());
  });

  it.each(ROUTES.map((r) => [r.id, r] as const))('%s lists its success schema, its refusals and its roles', (_id, route) => {
    const op = operations.find((o) => o.operationId === route.id.replace(':', '_')) as Op;
    const statuses = Object.keys(op.responses);
    const successes = statuses.filter((s) => s.startsWith('2'));

    expect(successes.length).toBeGreaterThan(0);
    for (const s of statuses) expect(op.responses[s]?.content?.['application/json']?.schema, `${route.id} ${s}`).toBeDefined();
    expect(statuses).toContain('500');
    if (route.auth) {
      expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '503']));
      expect(op['x-roles'].length).toBeGreaterThan(0);
      expect(op.security).toEqual([{ bearer: [] }]);
    } else {
      expect(op['x-roles']).toEqual([]);
      expect(op.security).toEqual([]);
    }
    if (route.headers?.includes('If-Match')) expect(statuses).toEqual(expect.arrayContaining(['409', '428']));
    if (route.headers?.includes('Idempotency-Key')) expect(statuses).toEqual(expect.arrayContaining(['201', '200', '422']));
    if (route.body) expect(statuses).toContain('413');
  });

  it('names the server it is served from: http behind the local gateway, https behind API Gateway', () => {
    const event = (proto: string | undefined) =>
      ({ requestContext: { domainName: '127.0.0.1:3000' }, headers: proto ? { 'x-forwarded-proto': proto } : {} }) as unknown as APIGatewayProxyEventV2;

    expect(serverUrl(event('http'))).toBe('http://127.0.0.1:3000');
    expect(serverUrl(event('https'))).toBe('https://127.0.0.1:3000');
    expect(serverUrl(event(undefined))).toBe('https://127.0.0.1:3000');
  });
});

describe('the contract check of the end-to-end tests', () => {
  const check = contractChecker(doc);
  const error = { error: { code: 'NOT_FOUND', message: 'No such case' } };

  it('accepts a documented status with a body of its schema', () => {
    expect(check('GET', 'http://h/cases/XF-2026-000001', 404, error, true)).toBeUndefined();
    expect(check('GET', 'http://h/me', 200, { userId: 'u', username: 'clerk1', displayName: '王芳', roles: ['clerk'] }, true)).toBeUndefined();
  });

  it('refuses a body that does not match, and a status the operation does not list', () => {
    expect(check('GET', 'http://h/me', 200, { userId: 'u', username: 'clerk1', displayName: '王芳', roles: ['mayor'] }, true)?.message).toMatch(
      /does not match/,
    );
    expect(check('GET', 'http://h/cases/XF-2026-000001', 200, { caseNo: 1 }, true)?.message).toMatch(/does not match/);
    expect(check('GET', 'http://h/me', 422, error, true)?.message).toMatch(/not among the documented/);
    expect(check('POST', 'http://h/public/query', 400, { message: 'x' }, true)?.message).toMatch(/does not match/);
  });

  it('leaves paths outside the API alone', () => {
    expect(check('GET', 'http://h/index.html', 200, undefined, false)).toBeUndefined();
    expect(check('POST', 'http://h/local-auth/token', 200, {}, true)).toBeUndefined();
  });
});
