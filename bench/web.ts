/**
 * The web application: what the production build weighs (gzipped JavaScript of the first screen
 * and of the heavier screens, from Vite's manifest) and how long the case page takes to show in
 * headless Chromium on the local stack seeded with the demo (median and p95 of repeated visits,
 * click to rendered case). Needs /usr/bin/chromium (or CHROMIUM_PATH); without it only the sizes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuild, WEB_DIST } from '../local/web';
import type { BenchResult } from './run';

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const VISITS = 20;
const DEMO_CASES = 200;

function gz(file: string): number {
  return gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length;
}

/** The chunk and everything it imports statically (what loads with it), gzipped bytes. */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): number {
  if (seen.has(key)) return 0;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return 0;
  return gz(chunk.file) + (chunk.imports ?? []).reduce((sum, k) => sum + closure(manifest, k, seen), 0);
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  await ensureWebBuild({ quiet: true });
  const manifest = JSON.parse(readFileSync(join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry) as string;
  const firstScreen = closure(manifest, entry);
  results.push({ name: 'web.first-screen.js.gzip', value: firstScreen, unit: 'bytes' });
  for (const page of ['Register', 'CasePage', 'Dashboard', 'Approvals', 'Public']) {
    const key = Object.keys(manifest).find((k) => k.endsWith(`pages/${page}.tsx`));
    if (key) results.push({ name: `web.page.${page}.js.gzip`, value: closure(manifest, key, new Set([entry])), unit: 'bytes' });
  }
  const pdf = Object.values(manifest).find((c) => c.file.includes('pdf') && c.file.endsWith('.mjs') === false && c.file.endsWith('.js') && /pdf(?!-assets)/i.test(c.name ?? ''));
  if (pdf) results.push({ name: 'web.pdfjs.js.gzip (loaded on the first PDF shown)', value: gz(pdf.file), unit: 'bytes' });

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.log(`(no Chromium at ${chromium}: the case page timing is skipped)`);
    return results;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'xf-bench-web-'));
  const { startStack } = await import('../local/stack');
  const { FakeClock, shanghaiDate } = await import('../shared/domain/time');
  const clock = new FakeClock('2026-09-14T01:30:00Z');
  const stack = await startStack({ dataDir, port: 0, quiet: true, clock });
  const { launchBrowser } = await import('../test/support/browser');
  const browser = await launchBrowser();
  try {
    const { getLetterRuntime } = await import('../functions/common/letters-runtime');
    const { seedDemo } = await import('../local/demo-data');
    const { registry } = await getLetterRuntime();
    const { caseNos } = await seedDemo(registry, clock, { count: DEMO_CASES, today: shanghaiDate(clock.now()), seed: 7 });
    clock.set('2026-09-14T01:30:00Z');
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
    const sorted = samples.sort((a, b) => a - b);
    const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1));
    results.push({ name: `web.case-page.shown.median (${DEMO_CASES} demo cases, click to rendered)`, value: at(0.5), unit: 'ms' });
    results.push({ name: 'web.case-page.shown.p95', value: at(0.95), unit: 'ms' });
    results.push({ name: 'web.case-page.shown.first (page chunk not cached yet)', value: Number((samples[0] ?? 0).toFixed(1)), unit: 'ms' });
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
