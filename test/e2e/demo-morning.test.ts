/**
 * After `npm run demo` the office looks like a real morning (issue 18 item 8): the demo seeds its
 * cases (local/demo-data.ts), then the deadline sweep and the archive run catch up on the seeded
 * days (local/demo-morning.ts), as scripts/demo.ts does against the running stack. The dashboard
 * shows 督办 for the overdue clocks, and the archive holds every case closed by today.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { tokens } from './helpers';

const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
let byStage: Record<string, number> = {};

beforeAll(async () => {
  stack = await startTestStack({ now: NOW });
  t = await tokens(stack);
  const { getLetterRuntime } = await import('../../functions/common/letters-runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const { demoMorning } = await import('../../local/demo-morning');
  const { registry } = await getLetterRuntime();
  ({ byStage } = await seedDemo(registry, stack.clock, { count: 24, today: TODAY, seed: 2026 }));
  await demoMorning(stack.clock, TODAY);
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
});
