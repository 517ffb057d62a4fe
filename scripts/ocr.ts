/**
 * `npm run ocr -- --out <dir> [--json <file>] <file>…`: reads each scan (PDF, JPEG, PNG, TIFF)
 * with the registry's OCR engine (shared/adapters/ocr, docs/ocr.md) and writes `<dir>/<name>.txt`
 * (the file's base name without its extension): the text of every page in order, pages separated
 * by a form-feed line, nothing else (no headings: they would count as characters).
 *
 * For each file it prints its pages, their status and the time per page. Where a ground truth
 * sits beside a file (`<name>.gt.txt`, pages separated by form feeds too), it prints the file's
 * character error rate and, at the end, the set's (total edits over total characters, counted as
 * shared/domain/ocr-quality.ts counts them), the mean and 95th-percentile time per page and the
 * process's peak RSS. `--json <file>` writes those figures as [{ name, value, unit }] (`npm run
 * bench` runs this command in a child process and takes them from there).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { OcrContentType } from '../shared/app/ocr-ports';
import { createOcrEngine } from '../shared/adapters/ocr/engine';
import { characterErrorRate, characterErrors, PAGE_SEPARATOR, type CharacterErrors } from '../shared/domain/ocr-quality';

const CONTENT_TYPES: Record<string, OcrContentType> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

interface OcrFigure {
  name: string;
  value: number;
  unit: string;
}

const USAGE = 'usage: npm run ocr -- --out <dir> [--json <file>] <file.pdf|.jpg|.png|.tif | folder>…';

interface Arguments {
  out: string;
  json?: string;
  files: string[];
}

function parseArguments(argv: string[]): Arguments | string {
  let out: string | undefined;
  let json: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out' || arg === '--json') {
      const value = argv[++i];
      if (!value) return `${arg} needs a value`;
      if (arg === '--out') out = value;
      else json = value;
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else {
      files.push(arg);
    }
  }
  if (!out) return '--out <dir> is required';
  if (files.length === 0) return 'no input files';
  const scans: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) return `${file}: no such file`;
    if (statSync(file).isDirectory()) {
      // A folder: its scans, by name (test/fixtures/ocr: the set, beside its ground truths).
      scans.push(
        ...readdirSync(file)
          .sort()
          .filter(isScan)
          .map((name) => join(file, name)),
      );
    } else if (isScan(file)) {
      scans.push(file);
    } else if (!isCompanion(file)) {
      return `${file}: not a .pdf, .jpg, .png or .tif file`;
    }
  }
  if (scans.length === 0) return 'no .pdf, .jpg, .png or .tif file among the inputs';
  return { out, json, files: scans };
}

const isScan = (file: string) => CONTENT_TYPES[extname(file).toLowerCase()] !== undefined;
/** What sits beside the scans of a set and a shell glob picks up with them (`test/fixtures/ocr/*`): ground truths and the manifest, passed over. */
const isCompanion = (file: string) => file.endsWith('.gt.txt') || basename(file) === 'manifest.json';

/** The file's name without its extension (`letter.scan.pdf` → `letter.scan`). */
function baseName(file: string): string {
  return basename(file, extname(file));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  mkdirSync(args.out, { recursive: true });
  const pageMs: number[] = [];
  const counts: CharacterErrors[] = [];
  let current: { ms: number[] } = { ms: [] };
  const engine = createOcrEngine({
    onPage: (page, ms) => {
      current.ms.push(ms);
      pageMs.push(ms);
      console.log(
        `  page ${String(page.page).padStart(3)}  ${page.status.padEnd(10)} ${String(Math.round(ms)).padStart(6)} ms${page.reason ? `  (${page.reason})` : ''}`,
      );
    },
  });
  for (const file of args.files) {
    const name = baseName(file);
    console.log(`${file}`);
    current = { ms: [] };
    const reading = await engine.read({ bytes: readFileSync(file), contentType: CONTENT_TYPES[extname(file).toLowerCase()]! });
    const text = reading.pages.map((p) => (p.status === 'read' ? p.text : '')).join(PAGE_SEPARATOR);
    writeFileSync(join(args.out, `${name}.txt`), text + '\n');
    const truthFile = join(dirname(file), `${name}.gt.txt`);
    const statuses = reading.pages.map((p) => p.status).join(', ');
    let line = `  ${reading.pages.length} page(s): ${statuses}`;
    if (existsSync(truthFile)) {
      const errors = characterErrors(readFileSync(truthFile, 'utf8'), text);
      counts.push(errors);
      line += `; CER ${(100 * characterErrorRate([errors])).toFixed(2)}% (${errors.errors}/${errors.characters})`;
    }
    console.log(line);
  }
  const figures: OcrFigure[] = [];
  if (counts.length > 0) {
    const cer = 100 * characterErrorRate(counts);
    const errors = counts.reduce((s, c) => s + c.errors, 0);
    const characters = counts.reduce((s, c) => s + c.characters, 0);
    console.log(`\nCER ${cer.toFixed(2)}% (${errors} edits / ${characters} characters, ${counts.length} files with a ground truth)`);
    figures.push({ name: 'ocr.cer', value: Number(cer.toFixed(3)), unit: '%' });
  }
  const mean = pageMs.reduce((s, v) => s + v, 0) / Math.max(1, pageMs.length);
  const p95 = percentile(pageMs, 0.95);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`${pageMs.length} page(s): mean ${Math.round(mean)} ms, p95 ${Math.round(p95)} ms per page; peak RSS ${Math.round(peakMb)} MB`);
  figures.push(
    { name: 'ocr.page.ms', value: Math.round(mean), unit: 'ms (mean per page)' },
    { name: 'ocr.page.p95-ms', value: Math.round(p95), unit: 'ms (95th percentile per page)' },
    { name: 'ocr.page.peak-rss-mb', value: Math.round(peakMb), unit: 'MB (peak RSS of the process)' },
  );
  if (args.json) writeFileSync(args.json, JSON.stringify(figures, null, 2) + '\n');
  return 0;
}

process.exitCode = await main();
