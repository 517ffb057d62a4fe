/**
 * Done-when 2 of issue 13 (docs/exports.md): the report's XLSX and PDF downloads open in
 * LibreOffice (`soffice --headless --convert-to`) without error, and the numbers LibreOffice reads
 * from the XLSX equal the API's. Runs where soffice is installed (`apt-get install
 * libreoffice-calc-nogui libreoffice-draw-nogui`; .ci/run installs them, about half a minute);
 * skipped where it is missing — test/e2e/exports.test.ts checks the same downloads with exceljs
 * and pdfjs-dist everywhere.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { registration, tokens } from './helpers';

const run = promisify(execFile);

function sofficePath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const soffice = sofficePath();

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
let dir: string;

/** soffice --convert-to with a profile of its own (two runs at once would share and lock the default one). */
async function convert(file: string, to: string): Promise<string> {
  const out = join(dir, 'out');
  const { stdout, stderr } = await run(
    soffice as string,
    [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', to, '--outdir', out, file],
    { timeout: 240_000 },
  );
  expect(`${stdout}${stderr}`).not.toMatch(/Error/);
  return out;
}

describe.skipIf(soffice === null)('the downloads in LibreOffice', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xf-soffice-'));
    stack = await startTestStack({ now: '2026-03-20T01:00:00Z' });
    t = await tokens(stack);
    for (const [i, over] of [
      { receivedOn: '2026-02-10' },
      { receivedOn: '2026-03-03', persons: 8, representatives: ['张建华'], channel: { type: 'visit' }, level: 'skip-level', locality: 'jiuxi' },
      { receivedOn: '2026-03-06', locality: 'jiuxi' },
    ].entries()) {
      const res = await stack.api.post('/cases', registration(over), { token: t.clerk, headers: { 'idempotency-key': `soffice-case-${i}` } });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
  }, 90_000);
  afterAll(() => {
    stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function download(format: string): Promise<string> {
    const res = await stack.api.get(`/exports/report?period=2026-Q1&format=${format}`, { token: t.director });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const file = join(dir, `report.${format}`);
    writeFileSync(file, new Uint8Array(await (await fetch(res.json.url as string)).arrayBuffer()));
    return file;
  }

  it('reads every sheet of the XLSX, with the numbers of GET /reports', async () => {
    const api = (await stack.api.get('/reports?period=2026-Q1', { token: t.director })).json;
    // Every sheet to its own CSV (sheet -1), values unformatted where LibreOffice allows.
    const out = await convert(await download('xlsx'), 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1');
    const sheets = readdirSync(out).sort();
    expect(sheets).toContain('report-总体.csv');
    expect(sheets).toContain('report-按问题属地.csv');
    const rows = readFileSync(join(out, 'report-总体.csv'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.split(','));
    const header = rows[0]!;
    const cell = (label: string, column: string) => rows.find((r) => r[0] === label)?.[header.indexOf(column)];
    expect(cell('信访总量', '数值')).toBe(String(api.figures.total.value));
    expect(cell('信访总量', '人次')).toBe(String(api.figures.total.persons));
    expect(cell('集体访', '人次')).toBe(String(api.figures.collectiveVisits.persons));
    expect(cell('重复信访率', '分子')).toBe(String(api.figures.repeatRate.formula.numerator));
    const rate = cell('重复信访率', '数值')!;
    expect(Number(rate.replace('%', ''))).toBeCloseTo(api.figures.repeatRate.value, 2);
  }, 300_000);

  it('opens the PDF (Draw imports it) without error', async () => {
    const out = await convert(await download('pdf'), 'odg');
    expect(readdirSync(out)).toContain('report.odg');
  }, 300_000);
});
