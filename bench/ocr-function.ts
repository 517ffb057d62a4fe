/**
 * The OCR function's deployment figures (docs/ocr.md, "In AWS"), cheap enough for every bench run:
 * - `ocr.bundle.mb`: what the function deploys, unzipped — its esbuild bundle (as CDK builds it:
 *   ESM, minified, the engine's native packages external) plus what infra/ocr-bundle.ts stages
 *   beside it (onnxruntime-node's linux-arm64 binaries, pdfjs-dist, @napi-rs/canvas and its
 *   arm64 binary, the models); Lambda allows 250 MB;
 * - `ocr.cold-start.ms`: in a fresh Node process, the time from the process's start until the
 *   engine's module is imported and its two ONNX sessions are loaded (what the first job of a new
 *   instance waits for before it reads a page), median of 3, with this machine's native build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { OCR_EXTERNAL_MODULES, stageOcrAssets } from '../infra/ocr-bundle';
import type { BenchResult } from './result';

const ROOT = join(import.meta.dirname, '..');

function bytesUnder(dir: string): number {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => statSync(join(dir, f)))
    .filter((s) => s.isFile())
    .reduce((n, s) => n + s.size, 0);
}

async function bundleMb(): Promise<number> {
  const out = join(ROOT, '.cache', 'bench-ocr', 'function');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'functions', 'ocr', 'handler.ts')],
    outfile: join(out, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: true,
    external: OCR_EXTERNAL_MODULES,
    banner: { js: "import { createRequire as __xfCreateRequire } from 'node:module'; const require = __xfCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  stageOcrAssets(out);
  return Number((bytesUnder(out) / 1024 / 1024).toFixed(1));
}

async function coldStartMs(): Promise<number> {
  // The engine bundled as the function bundles it, in a folder of the repository (its node_modules resolve the externals).
  const dir = join(ROOT, '.cache', 'bench-ocr', 'cold');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'engine.mjs');
  await build({
    stdin: {
      contents: "export { createOcrEngine } from './shared/adapters/ocr/engine';\nexport { loadModels } from './shared/adapters/ocr/models';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    external: OCR_EXTERNAL_MODULES,
    banner: { js: "import { createRequire as __xfCreateRequire } from 'node:module'; const require = __xfCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const script = `const m = await import(${JSON.stringify(entry)}); m.createOcrEngine(); await m.loadModels(); console.log(performance.now());`;
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    samples.push(Number(out.trim().split('\n').at(-1)));
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[1] ?? 0);
}

export async function run(): Promise<BenchResult[]> {
  return [
    { name: 'ocr.bundle.mb', value: await bundleMb(), unit: 'MB' },
    { name: 'ocr.cold-start.ms', value: await coldStartMs(), unit: 'ms' },
  ];
}
