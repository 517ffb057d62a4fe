/**
 * Compares OCR engines on the test set (test/fixtures/ocr, `npm run ocr:corpus`): character
 * error rate (shared/domain/ocr-quality.ts: total edits over total counted characters), time per
 * page (mean and p95) and peak memory, overall and per condition. docs/ocr.md records the figures.
 *
 *   npm run ocr:compare [-- --engines pp-ocrv4,tesseract-psm6] [--files song-clean,kai-clean]
 *                          [--threads <n>] [--json results.json] [--dump <dir>]
 *
 * `--threads`: threads per engine (PP-OCRv4: onnxruntime's intra-op threads, default the machine's
 * cores; Tesseract: OMP_THREAD_LIMIT, default 1). `--dump` writes each engine's readings.
 *
 * Engines (each runs in its own child process, one after the other, so that their memory is
 * measured apart and they do not compete for the CPU):
 * - `pp-ocrv4`: the project's engine (shared/adapters/ocr/engine.ts, createOcrEngine), in the
 *   worker's Node process; time per page from its `onPage` callback; the first file is read once
 *   before the figures, and its first page (the models' loading included) is reported apart as
 *   the cold start; peak memory is the worker's peak RSS (Node and the models included);
 * - `tesseract-psm6`, `tesseract-psm4`: the Tesseract 5 CLI with Debian's `chi_sim` data
 *   (`apt-get install tesseract-ocr tesseract-ocr-chi-sim`), page segmentation 6 (one block) or
 *   4 (one column), one thread (OMP_THREAD_LIMIT=1); a PDF's pages are first rendered with
 *   pdftoppm at the resolution they were scanned at (counted in the time); time and peak RSS are
 *   those of the tesseract (and pdftoppm) processes, measured with /usr/bin/time.
 * An engine that is not installed (Tesseract, its chi_sim data, /usr/bin/time, pdftoppm) is skipped
 * with a message.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { createOcrEngine } from '../shared/adapters/ocr/engine';
import type { OcrContentType } from '../shared/app/ocr-ports';
import { OcrReadingSchema } from '../shared/domain/ocr';
import { characterErrorRate, characterErrors, PAGE_SEPARATOR, type CharacterErrors } from '../shared/domain/ocr-quality';
import {
  OCR_CONDITIONS,
  OCR_CORPUS_DIR,
  OCR_CORPUS_MANIFEST,
  OcrCorpusManifestSchema,
  truthFileName,
  truthPages,
  type OcrCorpusFile,
} from './ocr-corpus-manifest';

const ENGINES = ['pp-ocrv4', 'tesseract-psm6', 'tesseract-psm4'] as const;
type EngineName = (typeof ENGINES)[number];

/** What a worker reports for one file, one JSON line on stdout. */
const FileResultSchema = z.object({
  file: z.string(),
  /** The text of each page, in order. */
  pages: z.array(z.string()),
  /** Milliseconds for each page. */
  ms: z.array(z.number()),
  /** Peak resident memory while reading this file, kilobytes. */
  peakRssKb: z.number(),
});
type FileResult = z.infer<typeof FileResultSchema>;

const WorkerLineSchema = z.union([
  z.object({ kind: z.literal('file'), result: FileResultSchema }),
  z.object({ kind: z.literal('start'), coldStartMs: z.number(), baselineRssKb: z.number() }),
  z.object({ kind: z.literal('skip'), reason: z.string() }),
]);
type WorkerLine = z.infer<typeof WorkerLineSchema>;

function emit(line: WorkerLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

const CONTENT_TYPES: Record<string, OcrContentType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
  tif: 'image/tiff',
};

// ---------------------------------------------------------------------------------------------
// Workers

async function ppOcrWorker(files: OcrCorpusFile[], threads: number | undefined): Promise<void> {
  const baselineRssKb = process.resourceUsage().maxRSS;
  let pageMs: number[] = [];
  const engine = createOcrEngine({ onPage: (_page, ms) => pageMs.push(ms), ...(threads ? { threads } : {}) });
  // Cold start: the models load on the first page read. The first file is read once before the
  // figures, and its first page's time (the models' loading included) is reported apart.
  const warm = files[0]!;
  const contentType = (file: string) => CONTENT_TYPES[file.split('.').pop()!]!;
  await engine.read({ bytes: readFileSync(join(OCR_CORPUS_DIR, warm.file)), contentType: contentType(warm.file) });
  const warmFirstPageMs = pageMs[0] ?? 0;
  for (const f of files) {
    pageMs = [];
    const t0 = performance.now();
    const reading = OcrReadingSchema.parse(await engine.read({ bytes: readFileSync(join(OCR_CORPUS_DIR, f.file)), contentType: contentType(f.file) }));
    const total = performance.now() - t0;
    const ms = pageMs.length === reading.pages.length ? pageMs : reading.pages.map(() => total / reading.pages.length);
    emit({
      kind: 'file',
      result: { file: f.file, pages: reading.pages.map((p) => p.text), ms, peakRssKb: process.resourceUsage().maxRSS },
    });
  }
  emit({ kind: 'start', coldStartMs: warmFirstPageMs, baselineRssKb });
}

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Runs a command under /usr/bin/time; returns its stdout, wall milliseconds and peak RSS (kB). */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { stdout: string; ms: number; rssKb: number } {
  const report = join(mkdtempSync(join(tmpdir(), 'ocr-time-')), 'time.txt');
  const t0 = performance.now();
  const stdout = execFileSync('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const ms = performance.now() - t0;
  const rssKb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
  rmSync(report, { force: true });
  return { stdout, ms, rssKb };
}

function tesseractWorker(files: OcrCorpusFile[], psm: number, threads: number | undefined): void {
  if (!hasCommand('tesseract', ['--version']) || !/\bchi_sim\b/.test(execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8' }))) {
    emit({ kind: 'skip', reason: 'tesseract with chi_sim is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)' });
    return;
  }
  if (!hasCommand('/usr/bin/time', ['-f', '%M', 'true'])) {
    emit({ kind: 'skip', reason: '/usr/bin/time is not installed (apt-get install time)' });
    return;
  }
  emit({ kind: 'start', coldStartMs: 0, baselineRssKb: 0 });
  const env = { ...process.env, OMP_THREAD_LIMIT: String(threads ?? 1) };
  const ocr = (image: string) => timed('tesseract', [image, '-', '-l', 'chi_sim', '--psm', String(psm)], env);
  for (const f of files) {
    const path = join(OCR_CORPUS_DIR, f.file);
    if (f.file.endsWith('.pdf')) {
      if (!hasCommand('pdftoppm', ['-v'])) {
        emit({ kind: 'skip', reason: `${f.file}: pdftoppm is not installed (apt-get install poppler-utils)` });
        continue;
      }
      const dir = mkdtempSync(join(tmpdir(), 'ocr-pdf-'));
      const render = timed('pdftoppm', ['-r', String(f.pages[0]!.dpi), '-gray', '-png', path, join(dir, 'page')]);
      const images = readdirSync(dir).sort();
      const pages = images.map((image) => ocr(join(dir, image)));
      rmSync(dir, { recursive: true, force: true });
      emit({
        kind: 'file',
        result: {
          file: f.file,
          pages: pages.map((p) => p.stdout),
          ms: pages.map((p) => p.ms + render.ms / pages.length),
          peakRssKb: Math.max(render.rssKb, ...pages.map((p) => p.rssKb)),
        },
      });
    } else {
      // A multi-page TIFF is read whole; tesseract separates its pages with form feeds.
      const run = ocr(path);
      const pages = run.stdout.split('\f').slice(0, f.pages.length);
      emit({ kind: 'file', result: { file: f.file, pages, ms: pages.map(() => run.ms / pages.length), peakRssKb: run.rssKb } });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The comparison

interface PageScore {
  file: string;
  page: number;
  counts: CharacterErrors;
  ms: number;
  conditions: string[];
  typeface: string;
}

interface EngineSummary {
  engine: EngineName;
  skipped?: string;
  coldStartMs?: number;
  baselineRssKb?: number;
  pages: PageScore[];
  peakRssKb: number;
  readings: FileResult[];
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function runEngine(engine: EngineName, files: OcrCorpusFile[], threads: number | undefined): Promise<EngineSummary> {
  const args = ['--import', 'tsx', resolve('scripts/ocr-compare.ts'), '--worker', engine, '--files', files.map((f) => f.file).join(',')];
  if (threads !== undefined) args.push('--threads', String(threads));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  const lines: WorkerLine[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (text.startsWith('{')) {
        const line = WorkerLineSchema.parse(JSON.parse(text));
        lines.push(line);
        if (line.kind === 'file') process.stderr.write(`  ${engine}: ${line.result.file} ${line.result.ms.map((m) => m.toFixed(0)).join('+')} ms\n`);
      }
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const summary: EngineSummary = { engine, pages: [], peakRssKb: 0, readings: [] };
  for (const line of lines) {
    if (line.kind === 'skip') summary.skipped = summary.skipped ? `${summary.skipped}; ${line.reason}` : line.reason;
    if (line.kind === 'start') {
      summary.coldStartMs = line.coldStartMs;
      summary.baselineRssKb = line.baselineRssKb;
    }
    if (line.kind !== 'file') continue;
    const r = line.result;
    summary.readings.push(r);
    summary.peakRssKb = Math.max(summary.peakRssKb, r.peakRssKb);
    const f = files.find((x) => x.file === r.file)!;
    const truths = truthPages(readFileSync(join(OCR_CORPUS_DIR, truthFileName(r.file)), 'utf8').trimEnd());
    truths.forEach((truth, i) => {
      // A reading with the wrong number of pages: a missing page counts as all deleted.
      summary.pages.push({
        file: r.file,
        page: i + 1,
        counts: characterErrors(truth, r.pages[i] ?? ''),
        ms: r.ms[i] ?? 0,
        conditions: f.pages[i]!.conditions,
        typeface: f.pages[i]!.typeface,
      });
    });
  }
  if (code !== 0 && summary.pages.length === 0 && !summary.skipped) summary.skipped = `the worker failed (exit ${code})`;
  return summary;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function cer(pages: PageScore[]): string {
  if (pages.length === 0) return '–';
  return pct(characterErrorRate(pages.map((p) => p.counts)));
}

/** The groups docs/ocr.md reports: clean pages (small type included), noisy ones (speckle, blur, photocopy, JPEG, grey paper, 1-bit), skewed ones, Kai. */
const GROUPS: [string, (p: PageScore) => boolean][] = [
  ['clean', (p) => p.conditions.every((c) => c === 'clean' || c === 'small-type')],
  ['noisy', (p) => p.conditions.some((c) => ['speckle', 'blur', 'photocopy', 'jpeg', 'grey-background', 'bilevel'].includes(c))],
  ['skewed', (p) => p.conditions.includes('skew')],
  ['Song', (p) => p.typeface === 'song'],
  ['Hei', (p) => p.typeface === 'hei'],
  ['Kai', (p) => p.typeface === 'kai'],
];

function report(summaries: EngineSummary[], load: { before: number[]; after: number[] }): string {
  const out: string[] = [];
  out.push(
    `Load average (1, 5, 15 min) before: ${load.before.map((x) => x.toFixed(2)).join(', ')}; after: ${load.after.map((x) => x.toFixed(2)).join(', ')}`,
    '',
    '| Engine | Pages | Characters | CER | Mean ms/page | p95 ms/page | Peak RSS | First page, cold |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of summaries) {
    if (s.skipped !== undefined && s.pages.length === 0) {
      out.push(`| ${s.engine} | skipped: ${s.skipped} | | | | | | |`);
      continue;
    }
    const ms = s.pages.map((p) => p.ms);
    const characters = s.pages.reduce((t, p) => t + p.counts.characters, 0);
    out.push(
      `| ${s.engine} | ${s.pages.length} | ${characters} | ${cer(s.pages)} | ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(0)} | ${percentile(ms, 95).toFixed(0)} | ${mb(s.peakRssKb)} | ${s.coldStartMs ? `${(s.coldStartMs / 1000).toFixed(1)} s` : '–'} |`,
    );
  }
  const withPages = summaries.filter((x) => x.pages.length > 0);
  const cell = (pages: PageScore[]) => `${cer(pages)} (${pages.length})`;
  out.push('', `| Engine | ${GROUPS.map(([g]) => g).join(' | ')} |`, `| --- | ${GROUPS.map(() => '---:').join(' | ')} |`);
  for (const s of withPages) out.push(`| ${s.engine} | ${GROUPS.map(([, test]) => cell(s.pages.filter(test))).join(' | ')} |`);

  const conditions = OCR_CONDITIONS.filter((c) => withPages.some((s) => s.pages.some((p) => p.conditions.includes(c))));
  out.push('', 'Per condition (CER, pages; a page may have several):', '');
  out.push(`| Engine | ${conditions.join(' | ')} |`, `| --- | ${conditions.map(() => '---:').join(' | ')} |`);
  for (const s of withPages) {
    out.push(`| ${s.engine} | ${conditions.map((c) => cell(s.pages.filter((p) => p.conditions.includes(c)))).join(' | ')} |`);
  }

  const engines = withPages.map((s) => s.engine);
  out.push('', 'Per page (CER, edits):', '', `| File | Page | ${engines.join(' | ')} |`, `| --- | ---: | ${engines.map(() => '---:').join(' | ')} |`);
  const keys = withPages[0]?.pages.map((p) => [p.file, p.page] as const) ?? [];
  for (const [file, page] of keys) {
    const cells = withPages.map((s) => {
      const p = s.pages.find((x) => x.file === file && x.page === page);
      return p ? `${pct(p.counts.errors / p.counts.characters)} (${p.counts.errors})` : '–';
    });
    out.push(`| ${file} | ${page} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const manifest = OcrCorpusManifestSchema.parse(JSON.parse(readFileSync(OCR_CORPUS_MANIFEST, 'utf8')));
  const only = option('--files')
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const files = only ? manifest.files.filter((f) => only.some((o) => f.file === o || f.file.startsWith(`${o}.`))) : manifest.files;
  if (files.length === 0) throw new Error('no file of the set matches --files');

  const threadsOption = option('--threads');
  const threads = threadsOption === undefined ? undefined : z.coerce.number().int().min(1).parse(threadsOption);
  const worker = option('--worker');
  if (worker !== undefined) {
    if (worker === 'pp-ocrv4') await ppOcrWorker(files, threads);
    else if (worker === 'tesseract-psm6') tesseractWorker(files, 6, threads);
    else if (worker === 'tesseract-psm4') tesseractWorker(files, 4, threads);
    else throw new Error(`unknown engine ${worker}`);
    return;
  }

  const engines = (option('--engines')?.split(',') ?? [...ENGINES]).map((e) => z.enum(ENGINES).parse(e.trim()));
  const before = loadavg();
  const summaries: EngineSummary[] = [];
  for (const engine of engines) {
    process.stderr.write(`${engine}…\n`);
    const summary = await runEngine(engine, files, threads);
    if (summary.skipped) process.stderr.write(`  ${engine} skipped: ${summary.skipped}\n`);
    summaries.push(summary);
  }
  const text = report(summaries, { before, after: loadavg() });
  console.log(text);
  const json = option('--json');
  if (json !== undefined) {
    writeFileSync(
      json,
      JSON.stringify(
        summaries.map(({ readings: _readings, ...s }) => s),
        null,
        2,
      ) + '\n',
    );
  }
  const dump = option('--dump');
  if (dump !== undefined) {
    for (const s of summaries) {
      const dir = join(dump, s.engine);
      mkdirSync(dir, { recursive: true });
      for (const r of s.readings) writeFileSync(join(dir, truthFileName(r.file).replace('.gt.txt', '.txt')), r.pages.join(PAGE_SEPARATOR));
    }
  }
}

await main();
