/**
 * `npm run bench`: runs every benchmark module, prints its figures and writes them all to
 * bench/results.json as a list of { name, value, unit }. A benchmark, not a timed test: nothing
 * here passes or fails on a number.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BenchModule, BenchResult } from './result';

const here = dirname(fileURLToPath(import.meta.url));
const modules: Record<string, () => Promise<BenchModule>> = {
  letters: () => import('./letters'),
  api: () => import('./api'),
  archive: () => import('./archive'),
  sweep: () => import('./sweep'),
  web: () => import('./web'),
  search: () => import('./search'),
  reports: () => import('./reports'),
  start: () => import('./start'),
  ocr: () => import('./ocr'),
  'ocr-function': () => import('./ocr-function'),
};

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results: BenchResult[] = [];
for (const [name, load] of Object.entries(modules)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  const mod = await load();
  for (const r of await mod.run()) {
    console.log(`${r.name.padEnd(60)} ${String(r.value).padStart(14)} ${r.unit}`);
    results.push(r);
  }
}
mkdirSync(here, { recursive: true });
const out = join(here, 'results.json');
// A run of some modules (`npm run bench -- reports`) replaces their figures and keeps the others'.
const earlier: BenchResult[] = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]) : [];
const fresh = new Set(results.map((r) => r.name));
const merged = [...earlier.filter((r) => !fresh.has(r.name)), ...results];
writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
console.log(`\nwrote ${results.length} figures to ${dirname(out)}/results.json (${merged.length} in all)`);
