/**
 * The browser half of bench/web.ts, in a process of its own: the local stack seeded with the
 * demo, headless Chromium, and the case page opened from the search results again and again
 * (click to rendered case). Prints its figures as one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './result';

const VISITS = 20;
const DEMO_CASES = 200;
const NOW = '2026-09-14T01:30:00Z';

const results: BenchResult[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'xf-bench-web-'));
const { startStack } = await import('../local/stack');
const { FakeClock, shanghaiDate } = await import('../shared/domain/time');
const clock = new FakeClock(NOW);
const stack = await startStack({ dataDir, port: 0, quiet: true, clock });
const { launchBrowser } = await import('../test/support/browser');
const browser = await launchBrowser();
try {
  const { getLetterRuntime } = await import('../functions/common/letters-runtime');
  const { seedDemo } = await import('../local/demo-data');
  const { registry } = await getLetterRuntime();
  const { caseNos } = await seedDemo(registry, clock, { count: DEMO_CASES, today: shanghaiDate(clock.now()), seed: 7 });
  clock.set(NOW);
  const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('[data-username="clerk1"]').click();
  await page.locator('nav[aria-label="主导航"]').waitFor();
  const samples: number[] = [];
  for (let i = 0; i < VISITS; i++) {
    const caseNo = caseNos[(i * 7) % caseNos.length] as string;
    await page.goto(`/#/search?caseNo=${encodeURIComponent(caseNo)}`);
    const link = page.getByRole('link', { name: caseNo, exact: true }).first();
    await link.waitFor();
    const t0 = performance.now();
    await link.click();
    await page.locator(`[data-testid="case-page-ready"][data-case-no="${caseNo}"]`).waitFor();
    samples.push(performance.now() - t0);
  }
  const first = samples[0] ?? 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1));
  results.push({ name: `web.case-page.shown.median (${DEMO_CASES} demo cases, click to rendered)`, value: at(0.5), unit: 'ms' });
  results.push({ name: 'web.case-page.shown.p95', value: at(0.95), unit: 'ms' });
  results.push({ name: 'web.case-page.shown.first (page chunk not cached yet)', value: Number(first.toFixed(1)), unit: 'ms' });
} finally {
  await browser.close();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
process.exit(0);
