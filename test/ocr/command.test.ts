/**
 * `npm run ocr` (scripts/ocr.ts, docs/ocr.md): the command offices and the tests run on files.
 * Two files of the test set given as a shell glob gives them (with their ground truths and the
 * manifest): one text file per scan named by its base name, the pages of the two-page PDF in
 * order separated by a form feed line, and the character error rate printed; a usage error
 * exits 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { characterErrors, PAGE_SEPARATOR } from '../../shared/domain/ocr-quality';

const SET = 'test/fixtures/ocr';
const out = mkdtempSync(join(tmpdir(), 'xf-ocr-command-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ocr.ts', ...args], { encoding: 'utf8', timeout: 240_000 });

describe('npm run ocr', () => {
  it('writes <out>/<name>.txt for each scan, all pages in order, and prints the error rate against the ground truths', () => {
    const inputs = ['kai-clean.gt.txt', 'kai-clean.png', 'manifest.json', 'scan-song-2page.gt.txt', 'scan-song-2page.pdf'].map((f) => join(SET, f));
    const result = run(['--out', out, ...inputs]);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['kai-clean.txt', 'scan-song-2page.txt']);
    const pdf = readFileSync(join(out, 'scan-song-2page.txt'), 'utf8');
    const truth = readFileSync(join(SET, 'scan-song-2page.gt.txt'), 'utf8');
    const pages = pdf.split(PAGE_SEPARATOR);
    expect(pages).toHaveLength(2);
    const truthPages = truth.split(/\n?\f\n?/);
    pages.forEach((text, i) => {
      const { errors, characters } = characterErrors(truthPages[i]!, text);
      expect(errors / characters).toBeLessThanOrEqual(0.01);
    });
    expect(result.stdout).toMatch(/CER \d+\.\d\d% \(\d+ edits \/ \d+ characters, 2 files with a ground truth\)/);
    expect(result.stdout).toMatch(/3 page\(s\): mean \d+ ms, p95 \d+ ms per page; peak RSS \d+ MB/);
  }, 300_000);

  it('refuses what is not a scan, and a missing --out, with exit code 2', () => {
    const notScan = run(['--out', out, 'README.md']);
    expect(notScan.status).toBe(2);
    expect(notScan.stderr).toContain('README.md: not a .pdf, .jpg, .png or .tif file');
    expect(run([join(SET, 'kai-clean.png')]).status).toBe(2);
  });
});
