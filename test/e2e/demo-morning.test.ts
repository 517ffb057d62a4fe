/**
 * After `npm run demo` the office looks like a real morning (issue 18 item 8): the demo seeds its
 * cases (local/demo-data.ts), then the deadline sweep and the archive run catch up on the seeded
 * days (local/demo-morning.ts), as scripts/demo.ts does against the running stack. The dashboard
 * shows 督办 for the overdue clocks, and the archive holds every case closed by today. The cases
 * are written in parallel with the search refresh deferred, then indexed in bulk: every case is
 * found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { tokens } from './helpers';

const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
/** Cases seeded, 12 at a time as `npm run demo` writes them. */
const COUNT = 40;

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
let byStage: Record<string, number> = {};
let caseNos: string[] = [];
let pendingBefore = 0;
let pendingAfter = 0;

beforeAll(async () => {
  stack = await startTestStack({ now: NOW });
  t = await tokens(stack);
  // As scripts/demo.ts: the registry with the search refresh deferred, cases written in parallel,
  // the morning's sweep and archive run, then the search index applied in bulk.
  const { caseLetters } = await import('../../functions/common/letters-runtime');
  const { buildRuntime } = await import('../../functions/common/runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const { demoMorning } = await import('../../local/demo-morning');
  const { registry, searchIndex } = await buildRuntime(caseLetters, { refreshSearch: false });
  ({ byStage, caseNos } = await seedDemo(registry, stack.clock, { count: COUNT, today: TODAY, seed: 2026 }));
  await demoMorning(stack.clock, TODAY);
  pendingBefore = (await searchIndex.pending()).length;
  await searchIndex.refreshMany(caseNos);
  pendingAfter = (await searchIndex.pending()).length;
  stack.clock.set(NOW);
}, 300_000);
afterAll(() => stack?.stop());

describe('the office after npm run demo', () => {
  it('shows the overdue cases under 督办 on the dashboard', async () => {
    const res = await stack.api.get('/dashboard', { token: t.director });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const totals = res.json.totals as { overdue: number; underSupervision: number; flagged: number };
    expect(totals.overdue).toBeGreaterThan(0);
    // The overdue clocks are under 督办 (or 挂牌督办), opened by the sweep.
    expect(totals.underSupervision + totals.flagged).toBeGreaterThan(0);
  });

  it('has archived the closed cases and left none waiting', async () => {
    expect(byStage.closed ?? 0).toBeGreaterThan(0);
    const archived = await stack.api.get('/archive/search?year=2026', { token: t.archivist });
    expect(archived.status, JSON.stringify(archived.json)).toBe(200);
    expect((archived.json.items as unknown[]).length).toBeGreaterThanOrEqual(byStage.closed ?? 0);
    const pending = await stack.api.get('/archive/pending', { token: t.archivist });
    expect(pending.status, JSON.stringify(pending.json)).toBe(200);
    expect(pending.json.items).toEqual([]);
  });

  it('finds every demo case by search once the index is applied in bulk', async () => {
    expect(caseNos).toHaveLength(COUNT);
    expect(new Set(caseNos).size).toBe(COUNT);
    expect(pendingBefore).toBeGreaterThanOrEqual(COUNT);
    expect(pendingAfter).toBe(0);
    // A case by its petitioner's name and by a phrase of its subject, as a clerk types them.
    type Shown = { caseNo: string; status: string; subject: string; petitioners: { name: string }[] };
    const cases = await Promise.all(caseNos.slice(0, 6).map(async (no) => (await stack.api.get(`/cases/${no}`, { token: t.clerk })).json as Shown));
    const c = cases.find((x) => x.status !== 'archived') as Shown;
    for (const q of [c.petitioners[0]?.name ?? '', c.subject.slice(2, 8)]) {
      const res = await stack.api.get(`/cases?${new URLSearchParams({ q, limit: '100' })}`, { token: t.clerk });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.items.map((i: { caseNo: string }) => i.caseNo)).toContain(c.caseNo);
    }
  });
});
