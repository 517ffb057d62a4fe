/**
 * Search through the HTTP API (issue 14): the relevance corpus registered, accepted and assigned
 * through the local gateway, then every query of the corpus as `GET /cases?q=…`, paged with the
 * signed cursors — for a department (住房和城乡建设局, housing1): exactly the expected cases that
 * are its own, and its total counts only those; for the clerk: exactly the expected cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { CORPUS, opinionOf, QUERIES, registrationOf } from '../support/search-corpus';
import { ifMatch, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
const keyOf = new Map<string, string>();
const deptTokens = new Map<string, string>();

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-06-01T02:00:00Z' });
  t = await tokens(stack);
  deptTokens.set('HOUSING', t.housing);
  deptTokens.set('HRSS', t.hrss);
  for (const c of CORPUS) {
    const reg = await stack.api.post('/cases', registrationOf(c), { token: t.clerk });
    expect(reg.status, JSON.stringify(reg.json)).toBe(201);
    const caseNo: string = reg.json.case.caseNo;
    keyOf.set(caseNo, c.key);
    if (!c.dept) continue;
    const accepted = await stack.api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const assigned = await stack.api.post(`/cases/${caseNo}/assign`, { deptCode: c.dept }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
    const token = deptTokens.get(c.dept);
    if (c.answer && token) {
      const answered = await stack.api.post(`/cases/${caseNo}/answer`, opinionOf(c.answer), { token, headers: ifMatch(assigned.json.version) });
      expect(answered.status, JSON.stringify(answered.json)).toBe(200);
    }
  }
}, 600_000);
afterAll(() => stack?.stop());

/** Every page of GET /cases?q=…, following the signed cursors; the keys found and the totals each page gave. */
async function found(token: string, q: string): Promise<{ keys: string[]; totals: number[] }> {
  const keys: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const res = await stack.api.get(`/cases?${new URLSearchParams({ q, limit: '5', ...(cursor ? { cursor } : {}) })}`, { token });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    totals.push(res.json.total);
    expect(res.json.totalExact).toBe(true);
    keys.push(...res.json.items.map((i: { caseNo: string }) => keyOf.get(i.caseNo) ?? i.caseNo));
    cursor = res.json.cursor;
  } while (cursor);
  return { keys, totals };
}

describe('GET /cases?q= through the gateway', () => {
  it('a department finds exactly its own expected cases for every query, and counts only those', async () => {
    let own = 0;
    for (const q of QUERIES) {
      const expected = q.expect.filter((k) => CORPUS.find((c) => c.key === k)?.dept === 'HOUSING').sort();
      const { keys, totals } = await found(t.housing, q.q);
      expect({ q: q.q, keys: [...keys].sort() }).toEqual({ q: q.q, keys: expected });
      expect(new Set(totals)).toEqual(new Set([expected.length]));
      own += expected.length;
    }
    // The corpus gives the department something to find, and other departments' cases to miss.
    expect(own).toBeGreaterThanOrEqual(8);
  });

  it('the clerk finds exactly the expected cases for every query', async () => {
    for (const q of QUERIES) {
      const { keys, totals } = await found(t.clerk, q.q);
      expect({ q: q.q, keys: [...keys].sort() }).toEqual({ q: q.q, keys: [...q.expect].sort() });
      expect(new Set(totals)).toEqual(new Set([q.expect.length]));
    }
  });

  it('answers with highlights, and refuses a query with no word, or with a case number or petitioner lookup', async () => {
    const res = await stack.api.get(`/cases?${new URLSearchParams({ q: '白沙河桥 裂缝' })}`, { token: t.housing });
    expect(res.status).toBe(200);
    expect(res.json.items.map((i: { caseNo: string }) => keyOf.get(i.caseNo))).toEqual(['xue-bridge']);
    const [h] = res.json.items[0].highlights;
    expect(h.field).toBe('subject');
    expect(h.ranges.map(([s, e]: [number, number]) => h.text.slice(s, e))).toEqual(['白沙河桥', '裂缝']);
    const refused: Record<string, string>[] = [{ q: '，。' }, { q: '张建华', caseNo: 'XF-2026-000001' }, { q: '张建华', petitionerName: '张建华' }];
    for (const query of refused) {
      const bad = await stack.api.get(`/cases?${new URLSearchParams(query)}`, { token: t.clerk });
      expect(bad.status, JSON.stringify(query)).toBe(400);
    }
  });
});
