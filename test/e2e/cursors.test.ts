/**
 * Page cursors are sealed to their list, query and caller (shared/http/cursors.ts): on every list
 * route a cursor that is not the one the list gave this caller for this query — another user's,
 * another query's, another list's, bit-flipped, forged from DynamoDB keys (another department's
 * inbox, a negative shard), an array, `__proto__` — is a 400 naming `query.cursor`: never a 5xx,
 * never a page. The cursor the list gave does page on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };

/** The seven list routes, each with the token of a user who reads it and a query with a page of one. */
const ROUTES = [
  { route: 'listCases', path: '/cases?limit=1', user: 'clerk', other: '/cases?limit=1&status=registered', otherUser: 'director' },
  { route: 'inbox', path: '/inbox?limit=1', user: 'hrss', other: undefined, otherUser: 'housing' },
  { route: 'archivePending', path: '/archive/pending?limit=1', user: 'archivist', other: undefined, otherUser: undefined },
  { route: 'archiveSearch', path: '/archive/search?limit=1&year=2026', user: 'archivist', other: '/archive/search?limit=1&year=2027', otherUser: undefined },
  {
    route: 'archiveDisposalList',
    path: '/archive/disposal?limit=1&onOrBefore=2099-12-31',
    user: 'director',
    other: '/archive/disposal?limit=1&onOrBefore=2098-12-31',
    otherUser: 'archivist',
  },
  { route: 'archiveFixity', path: '/archive/fixity?limit=1', user: 'archivist', other: undefined, otherUser: undefined },
  {
    route: 'listOutbox',
    path: '/outbox?limit=1&date=2026-03-14',
    user: 'clerk',
    other: '/outbox?limit=1&date=2026-03-14&status=pending',
    otherUser: 'director',
  },
] as const;

type User = keyof typeof t;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const withCursor = (path: string, cursor: string) => `${path}&cursor=${encodeURIComponent(cursor)}`;

async function page(path: string, user: User) {
  const r = await stack.api.get(path, { token: t[user] });
  expect(r.status, `${path}: ${r.text}`).toBe(200);
  return r.json as { items: unknown[]; cursor?: string };
}

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
  const api = stack.api;
  const register = async (over: Record<string, unknown> = {}) => {
    const r = await api.post('/cases', registration(over), { token: t.clerk });
    expect(r.status, r.text).toBe(201);
    return r.json.case as { caseNo: string; version: number };
  };
  // Two cases assigned to HRSS (its inbox).
  for (const subject of ['请求解决拖欠工资问题', '请求补缴社会保险']) {
    const c = await register({ subject });
    const accepted = await api.post(
      `/cases/${c.caseNo}/accept`,
      { warningsOverride: '与在办事项不是同一事项' },
      { token: t.director, headers: ifMatch(c.version) },
    );
    expect(accepted.status, accepted.text).toBe(200);
    const assigned = await api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status, assigned.text).toBe(200);
  }
  // Closed cases: two archived (10 years: on the disposal list), two waiting to be archived.
  const closed: string[] = [];
  for (let i = 0; i < 4; i++) {
    const c = await register({ subject: `反映邻里纠纷问题${i}`, statutoryRoute: { litigation: true, arbitration: false, reconsideration: false } });
    const declined = await api.post(
      `/cases/${c.caseNo}/decline`,
      { route: 'litigation', reason: '该事项已由人民法院受理' },
      { token: t.director, headers: ifMatch(c.version) },
    );
    expect(declined.status, declined.text).toBe(200);
    const done = await api.post(`/cases/${c.caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(declined.json.version) });
    expect(done.status, done.text).toBe(200);
    closed.push(c.caseNo);
  }
  const run = await api.post('/archive/run', { caseNos: closed.slice(0, 2) }, { token: t.archivist });
  expect(run.status, run.text).toBe(200);
  // Cases still registered, whose notify clocks the sweep reminds the office of (the outbox).
  await register({ subject: '反映道路破损问题' });
  await register({ subject: '反映噪音扰民问题' });
  stack.clock.set('2026-03-14T00:00:00Z');
  const sweep = await api.post('/admin/sweep', {}, { token: t.admin });
  expect(sweep.status, sweep.text).toBe(200);
}, 240_000);
afterAll(() => stack?.stop());

describe('a list route’s cursor', () => {
  it.each(ROUTES.filter((r) => r.route !== 'archiveFixity'))('pages on with the cursor $route gave', async ({ path, user }) => {
    const first = await page(path, user);
    expect(first.items).toHaveLength(1);
    expect(first.cursor).toMatch(/^c1\./);
    const second = await page(withCursor(path, first.cursor ?? ''), user);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]).not.toEqual(first.items[0]);
  });

  it.each(ROUTES)('is a 400, never a 5xx or a page, on $route when it was tampered with', async ({ route, path, user, other, otherUser }) => {
    const mine = route === 'archiveFixity' ? undefined : (await page(path, user)).cursor;
    // A cursor of another list (the case list's, or the inbox's), valid there.
    const anotherList = (route === 'listCases' ? await page('/inbox?limit=1', 'hrss') : await page('/cases?limit=1', 'clerk')).cursor ?? '';
    expect(anotherList).toMatch(/^c1\./);
    const [, position = '', mac = ''] = (mine ?? anotherList).split('.');
    const flipped = `c1.${position}.${mac.slice(0, 5)}${mac[5] === 'A' ? 'B' : 'A'}${mac.slice(6)}`;
    const forged = [
      // Unsigned positions as the adapters write them: another department's inbox, a negative shard, an array, __proto__.
      b64({ k: { byDepartmentPk: 'DEPT#HOUSING#OPEN', byDepartmentSk: '2026-01-01#X', pk: 'CASE#XF-2026-000001', sk: '#CASE' } }),
      b64({ p: -1, k: { pk: 'CASE#XF-2026-000001', sk: '#CASE' } }),
      b64([1, 2, 3]),
      Buffer.from('{"__proto__":{"polluted":true},"k":{"__proto__":{"pk":"CASE#X"}}}').toString('base64url'),
      '__proto__',
      `c1.${b64({ p: -1 })}.${mac}`,
      `c1.${position}`,
      flipped,
      anotherList,
    ];
    for (const cursor of forged) {
      const r = await stack.api.get(withCursor(path, cursor), { token: t[user] });
      expect(r.status, `${route} with ${cursor}: ${r.text}`).toBe(400);
      expect(r.json.error.issues).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
      expect(r.json.items).toBeUndefined();
    }
    // The array form of the parameter: cursor=a&cursor=b.
    const twice = await stack.api.get(`${path}&cursor=${encodeURIComponent(mine ?? anotherList)}&cursor=x`, { token: t[user] });
    expect(twice.status, twice.text).toBe(400);
    if (mine && other) {
      const r = await stack.api.get(withCursor(other, mine), { token: t[user] });
      expect(r.status, `${route}: this cursor with another query: ${r.text}`).toBe(400);
      expect(r.json.error.issues).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    }
    if (mine && otherUser) {
      const r = await stack.api.get(withCursor(path, mine), { token: t[otherUser] });
      expect(r.status, `${route}: this cursor from another user: ${r.text}`).toBe(400);
      expect(r.json.error.issues).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    }
  });
});
