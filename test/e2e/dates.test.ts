/**
 * Every date the API takes is a real date: a table-driven test over the route table. The date
 * fields are found in each route's schemas (zod's JSON Schema marks the one date schema,
 * `IsoDate`, as `format: date`), so a date field added later is covered without touching this
 * file. For each one, a request with 2026-02-30 in that field (and nothing else of interest) is
 * refused with 400 naming the field, and the same request with a real date carries no issue for
 * that field — so the test proves the field is found and checked, both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LETTER_ACTIONS } from '../../shared/app/letters';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes';
import { startTestStack, type TestStack } from '../support/stack';
import { registration } from './helpers';

type Json = Record<string, unknown>;
type Segment = string | number;

const IMPOSSIBLE = '2026-02-30';
const REAL = '2026-02-27';

const jsonSchema = (s: z.ZodType): Json => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;

/** The paths to every `format: date` string in a JSON Schema (array items as index 0). */
function datePaths(s: Json, at: Segment[] = []): Segment[][] {
  if (s.format === 'date') return [at];
  const out: Segment[][] = [];
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Json>)) out.push(...datePaths(v, [...at, k]));
  if (s.items && typeof s.items === 'object') out.push(...datePaths(s.items as Json, [...at, 0]));
  for (const branch of [...((s.anyOf ?? []) as Json[]), ...((s.oneOf ?? []) as Json[]), ...((s.allOf ?? []) as Json[])]) out.push(...datePaths(branch, at));
  return out;
}

/**
 * The smallest value that puts `date` at `path`: objects with just that property (plus the
 * `const` discriminator of the union branch that has it), arrays with one element.
 */
function valueAt(s: Json, path: Segment[], date: string): unknown {
  if (path.length === 0) return date;
  const [head, ...rest] = path;
  const branches = [...((s.anyOf ?? []) as Json[]), ...((s.oneOf ?? []) as Json[])];
  if (branches.length > 0) {
    const branch = branches.find((b) => datePaths(b).some((p) => p[0] === head)) as Json;
    return valueAt(branch, path, date);
  }
  if (typeof head === 'number') return [valueAt(s.items as Json, rest, date)];
  const props = (s.properties ?? {}) as Record<string, Json>;
  const discriminators = Object.fromEntries(Object.entries(props).flatMap(([k, v]) => ('const' in v ? [[k, v.const]] : [])));
  return { ...discriminators, [head as string]: valueAt(props[head as string] as Json, rest, date) };
}

interface DateCase {
  name: string;
  route: RouteDefinition;
  where: 'body' | 'query';
  field: string;
  request(date: string): { path: string; body?: object };
}

const SAMPLE_PARAMS: Record<string, string> = {
  caseNo: 'XF-2026-000001',
  documentId: 'doc-1',
  archiveNo: 'X001-2026-Y-0001',
  type: 'receipt',
  supervisionId: 'handling.2026-05-06',
};
const pathOf = (route: RouteDefinition) => route.path.replace(/\{(\w+)\}/g, (_m, p: string) => SAMPLE_PARAMS[p] ?? 'x');

function dateCases(): DateCase[] {
  const out: DateCase[] = [];
  for (const route of ROUTES) {
    const schemas = route;
    if (schemas.body) {
      const js = jsonSchema(schemas.body);
      for (const p of datePaths(js)) {
        out.push({
          name: `${route.id} body.${p.join('.')}`,
          route,
          where: 'body',
          field: `body.${p.join('.')}`,
          request: (d) => ({ path: pathOf(route), body: valueAt(js, p, d) as object }),
        });
      }
    }
    if (schemas.query) {
      for (const p of datePaths(jsonSchema(schemas.query))) {
        const name = String(p[0]);
        out.push({
          name: `${route.id} query.${name}`,
          route,
          where: 'query',
          field: `query.${name}`,
          request: (d) => ({ path: `${pathOf(route)}?${name}=${d}` }),
        });
      }
    }
  }
  // The letter preview takes the body of a letter action as `input`: the same dates, one level down.
  const preview = ROUTES.find((r) => r.id === 'previewLetter') as RouteDefinition;
  for (const action of LETTER_ACTIONS) {
    const body = ROUTES.find((r) => r.id === `action:${action}`)?.body;
    if (!body) continue;
    const js = jsonSchema(body);
    for (const p of datePaths(js)) {
      out.push({
        name: `previewLetter ${action} input.${p.join('.')}`,
        route: preview,
        where: 'body',
        field: `body.input.${p.join('.')}`,
        request: (d) => ({ path: pathOf(preview), body: { action, input: valueAt(js, p, d) } }),
      });
    }
  }
  return out;
}

const CASES = dateCases();

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  token = (await stack.token('clerk1')) as string;
}, 60_000);
afterAll(() => stack?.stop());

async function send(c: DateCase, date: string) {
  const { path, body } = c.request(date);
  return stack.api.request(c.route.method, path, body, c.route.auth ? { token } : {});
}

const issuesOf = (json: unknown): { field: string; reason: string }[] =>
  (json as { error?: { issues?: { field: string; reason: string }[] } })?.error?.issues ?? [];

describe('every date field of every route', () => {
  it('finds the date fields of the registration, the lifecycle, the lists, the outbox, the sweep and the disposal list', () => {
    const names = CASES.map((c) => c.name);
    for (const expected of [
      'registerCase body.receivedOn',
      'registerCase body.channel.deadline',
      'checkRegistration body.channel.deadline',
      'action:deliver body.deliveredOn',
      'action:rereview-opinion body.deliveredOn',
      'action:request-review body.requestedOn',
      'listCases query.receivedFrom',
      'listCases query.dueBefore',
      'listOutbox query.date',
      'adminSweep body.date',
      'archiveDisposalList query.onOrBefore',
      'previewLetter review-opinion input.deliveredOn',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s refuses an impossible date with 400 naming the field, and takes a real one', async (_name, c) => {
    const bad = await send(c, IMPOSSIBLE);
    expect(bad.status).toBe(400);
    expect(issuesOf(bad.json).map((i) => i.field)).toContain(c.field);

    const good = await send(c, REAL);
    expect(issuesOf(good.json).map((i) => i.field)).not.toContain(c.field);
  });

  it('refuses a supervision id whose date cannot be (path parameter)', async () => {
    const bad = await stack.api.post('/cases/XF-2026-000001/supervisions/handling.2026-02-30/answer', { text: '已整改' }, { token });
    expect(bad.status).toBe(400);
    expect(issuesOf(bad.json).map((i) => i.field)).toContain('path.supervisionId');
    const good = await stack.api.post('/cases/XF-2026-000001/supervisions/handling.2026-02-27/answer', { text: '已整改' }, { token });
    expect(issuesOf(good.json).map((i) => i.field)).not.toContain('path.supervisionId');
  });
});

describe('a date of receipt', () => {
  it('is not in the future: refused at registration and at the check, naming receivedOn', async () => {
    // The stack's today is 2026-03-02 in Beijing.
    for (const path of ['/cases', '/cases/check']) {
      const r = await stack.api.post(path, registration({ receivedOn: '2026-03-03' }), { token });
      expect(r.status).toBe(400);
      expect(issuesOf(r.json).map((i) => i.field)).toEqual(['receivedOn']);
    }
    const today = await stack.api.post('/cases/check', registration({ receivedOn: '2026-03-02' }), { token });
    expect(today.status).toBe(200);
  });
});
