/**
 * No bad input is a 5xx: a table-driven walk over EVERY route of the route table (routes.ts with
 * the archive's and oversight's routes spread in — iterated, not listed here), as every role and
 * without a token, with bad path parameters, bad bodies, wrong content types and bad query
 * strings. Each answer must be below 500: bad input is a 4xx naming what is wrong, never an
 * internal error. (Tampered pagination cursors are tested with the signed cursors.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration } from './helpers';

let stack: TestStack;
let caseNo: string;
let tokens: Record<string, string | undefined>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  const users = { clerk: 'clerk1', director: 'director1', department: 'hrss1', archivist: 'archivist1', admin: 'admin1' };
  tokens = { none: undefined, ...Object.fromEntries(await Promise.all(Object.entries(users).map(async ([role, u]) => [role, await stack.token(u)] as const))) };
  const r = await stack.api.post('/cases', registration(), { token: tokens.clerk });
  expect(r.status).toBe(201);
  caseNo = r.json.case.caseNo as string;
}, 60_000);
afterAll(() => stack?.stop());

/** Path parameter values: a real case, one that does not exist, malformed, traversal, odd Unicode, overlong. */
const PARAM_VALUES = (real: string) => [
  real,
  'XF-2026-999999',
  'not-a-case',
  '..%2F..%2Fetc%2Fpasswd',
  '%2E%2E',
  '%E2%80%AE%F0%9F%92%A5%C2%A0',
  'x'.repeat(600),
  '%00',
  '%FF%FE',
];

/** Bodies that are not what any route takes: [content-type, body, what]. */
const HUGE = 'x'.repeat(300_000);
const BODIES: [string | undefined, string, string][] = [
  ['application/json', '{not json', 'malformed JSON'],
  ['application/json', '[]', 'an array'],
  ['application/json', 'null', 'null'],
  ['application/json', '"text"', 'a string'],
  ['application/json', '12', 'a number'],
  ['application/json', JSON.stringify(HUGE), 'a huge string'],
  ['text/plain', '{"reason":"x"}', 'JSON as text/plain'],
  ['application/x-www-form-urlencoded', 'a=1&b=2', 'a form'],
  ['multipart/form-data; boundary=zz', '--zz\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--zz--', 'multipart'],
  [undefined, '{"deptCode":"HRSS"}', 'no content type'],
];

/** Objects with every field a route commonly takes, of the wrong type or too long, or odd. */
const WRONG_FIELDS = [
  'caseNo',
  'queryCode',
  'deptCode',
  'days',
  'reason',
  'comment',
  'text',
  'petitioners',
  'kind',
  'size',
  'contentType',
  'fileName',
  'outcome',
  'rating',
  'date',
  'purpose',
  'documentId',
  'archiveNo',
  'caseNos',
  'action',
  'input',
  'edits',
  'deliveredOn',
  'requestedOn',
  'receivedOn',
  'clock',
  'hash',
  'username',
];
const WRONG_OBJECTS: [unknown, string][] = [
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, 12345])), 'numbers everywhere'],
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, { nested: [1, { a: null }] }])), 'objects everywhere'],
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, ['a', 'b']])), 'arrays everywhere'],
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, 'x'.repeat(20_000)])), 'overlong strings'],
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, '\u202e💥\u0000\ufeff𠀀'])), 'odd Unicode'],
  [Object.fromEntries(WRONG_FIELDS.map((k) => [k, null])), 'nulls'],
  [{ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }, 'prototype keys'],
  [{ ...registration(), petitioners: [{ name: '\ud83d' }], persons: -1, receivedOn: '2026-02-30' }, 'a broken registration'],
];

const QUERIES = [
  'limit=-1',
  'limit=0',
  'limit=1e9',
  'limit=99999999999999999999',
  'limit=abc',
  'from=2026-13-45&to=yesterday&date=2026-02-30&receivedFrom=0000-00-00&receivedTo=9999-99-99',
  'status=%00&deptCode=..%2F&category=%E2%80%AE&year=-5&retention=x&state=%FF',
  'caseNo=..%2F..%2F&petitionerName=%F0%9F%92%A5&petitionerIdNumber=1&petitionerPhone=x',
  `q=${'x'.repeat(5000)}`,
  'limit=1&limit=2&status=a&status=b',
];

function pathFor(route: RouteDefinition, value: string): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'caseNo' ? value : value === caseNo ? 'x1' : value));
}

type Probe = { method: string; path: string; body?: string; contentType?: string; what: string };

function probesOf(route: RouteDefinition): Probe[] {
  const out: Probe[] = [];
  const hasParams = route.path.includes('{');
  for (const v of hasParams ? PARAM_VALUES(caseNo) : [caseNo]) {
    out.push({
      method: route.method,
      path: pathFor(route, v),
      body: route.method === 'GET' ? undefined : '{}',
      contentType: 'application/json',
      what: `param ${v.slice(0, 30)}`,
    });
  }
  const base = pathFor(route, caseNo);
  if (route.method !== 'GET') {
    for (const [contentType, body, what] of BODIES) out.push({ method: route.method, path: base, body, contentType, what });
    for (const [obj, what] of WRONG_OBJECTS) out.push({ method: route.method, path: base, body: JSON.stringify(obj), contentType: 'application/json', what });
  }
  for (const q of QUERIES)
    out.push({
      method: route.method,
      path: `${base}?${q}`,
      body: route.method === 'GET' ? undefined : '{}',
      contentType: 'application/json',
      what: `query ${q.slice(0, 40)}`,
    });
  return out;
}

describe('bad input on every route, as every role', () => {
  it('walks the whole route table', () => {
    // The tables are spread into ROUTES: the walk below covers the archive's and oversight's routes too.
    expect(ROUTES.some((r) => r.function === 'archive-api')).toBe(true);
    expect(ROUTES.some((r) => r.function === 'oversight')).toBe(true);
    expect(ROUTES.length).toBeGreaterThan(40);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s never answers 5xx',
    async (_name, route) => {
      const failures: string[] = [];
      const roles = route.auth ? Object.keys(tokens) : ['none'];
      for (const role of roles) {
        const probes = probesOf(route);
        // A few at a time: the machine is shared.
        for (let i = 0; i < probes.length; i += 6) {
          await Promise.all(
            probes.slice(i, i + 6).map(async (p) => {
              const headers: Record<string, string> = { ...ifMatch(1), 'idempotency-key': `bad-input-${i}-${role}-x` };
              if (p.contentType) headers['content-type'] = p.contentType;
              const r = await stack.api.request(p.method, p.path, p.body, { token: tokens[role], headers });
              if (r.status >= 500) failures.push(`${role}: ${p.what} → ${r.status} ${r.text.slice(0, 200)}`);
            }),
          );
        }
      }
      expect(failures).toEqual([]);
    },
    300_000,
  );
});
