/**
 * The web application: what the production build weighs (gzipped JavaScript of the first screen
 * and of the heavier screens, from Vite's manifest) and how long the case page takes to show in
 * headless Chromium on the local stack seeded with the demo (median and p95 of repeated visits,
 * click to rendered case). Needs /usr/bin/chromium (or CHROMIUM_PATH); without it only the sizes.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ensureWebBuild, WEB_DIST } from '../local/web';
import type { BenchResult } from './result';

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

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
  const pdf = Object.values(manifest).find(
    (c) => c.file.includes('pdf') && c.file.endsWith('.mjs') === false && c.file.endsWith('.js') && /pdf(?!-assets)/i.test(c.name ?? ''),
  );
  if (pdf) results.push({ name: 'web.pdfjs.js.gzip (loaded on the first PDF shown)', value: gz(pdf.file), unit: 'bytes' });

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.log(`(no Chromium at ${chromium}: the case page timing is skipped)`);
    return results;
  }
  // In a process of its own: the handlers cache their runtime per process, and the other
  // benchmarks' stacks are gone by now.
  const worker = fileURLToPath(new URL('./web-worker.ts', import.meta.url));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', worker], { maxBuffer: 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
    );
  });
  const line = stdout.trim().split('\n').pop() ?? '[]';
  results.push(...(JSON.parse(line) as BenchResult[]));
  return results;
}
