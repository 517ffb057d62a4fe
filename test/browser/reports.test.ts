/**
 * 统计分析 in a real browser (issue 13, Done-when 4): over a seeded demo the director opens the
 * screen, changes the period, sees a figure equal to GET /reports, follows a number to its cases
 * (as many as the number) and downloads the XLSX of the report and of the drill-down, read back
 * with exceljs. Takes the README's screenshots of 统计分析 and, from the PDF the screen downloads
 * (下载PDF报告, whose sentences are checked), of a page of the 信访工作统计分析 (`npm run screenshots`;
 * pdftoppm).
 *
 * One stack, one small demo (more cases only when taking the screenshots), one page.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { launchBrowser, newContext, pageShown, README_IMAGES, SCREENSHOT_DIR, screenshot, signIn } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';
import { extractPageTexts, normalise } from '../unit/letters/pdf';

const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
/** Enough cases for every section to have numbers; a fuller year for the README's pictures. */
const DEMO_CASES = UPDATE ? 60 : 12;
/** The period the director picks (季度: 2026年第3季度): most demo cases are received in it, the rest in the quarter before (环比). */
const PERIOD = '2026-Q3';
const PERIOD_LABEL = '2026年第3季度';

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let director: string;

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: NOW }), launchBrowser()]);
  stack = s;
  browser = b;
  const { getLetterRuntime } = await import('../../functions/common/letters-runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const { registry } = await getLetterRuntime();
  // Four at a time: twelve at once over the test stack ran out of case-number attempts (NumberTakenError) at 80 cases.
  await seedDemo(registry, stack.clock, { count: DEMO_CASES, today: TODAY, seed: 2026, concurrency: 4 });
  stack.clock.set(NOW);
  director = (await stack.token('director1')) as string;
  context = await newContext(browser, stack.baseUrl, stack.clock.now());
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(page, 'failed-reports', { fullPage: true, readme: false }).catch(() => undefined);
});

async function api<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await stack.api.get(path, { token: director });
  expect(res.status, res.text).toBe(200);
  return res.json as T;
}

/** Clicks a download button and answers the file it saved and its name. */
async function download(button: ReturnType<Page['getByRole']>): Promise<{ bytes: Buffer; name: string }> {
  const downloading = page.waitForEvent('download');
  await button.click();
  const d = await downloading;
  return { bytes: readFileSync(await d.path()), name: d.suggestedFilename() };
}

/** A sheet as rows of header → value. */
async function sheet(bytes: Buffer, name: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(name);
  expect(ws, `sheet ${name}`).toBeDefined();
  const header = (ws!.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws!.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])));
  });
  return rows;
}

interface Figure {
  value: number | null;
  persons?: number;
}
interface ApiReport {
  period: { label: string };
  figures: Record<string, Figure>;
  breakdowns: { dimension: string; rows: { key: string; label: string; figures: Record<string, Figure> }[] }[];
}

const cellOf = (figure: string) => page.locator(`tr[data-figure-row="${figure}"] td.num a.rpt-num`).first();

describe('统计分析', () => {
  let report: ApiReport;

  it('the director changes the period; the figures are the API’s, and the report downloads as XLSX with them', async () => {
    await signIn(page, 'director1', '/reports');
    // Last month by default; then the quarter.
    await page.getByTestId('report-lead').waitFor();
    expect(new URL(page.url()).hash).toBe('#/reports');
    await page.getByRole('combobox', { name: '统计期间' }).selectOption('quarter');
    await page.getByLabel('年份').selectOption('2026');
    await page.getByLabel('季度').selectOption('3');
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.waitForURL((url) => url.hash.includes(`period=${PERIOD}`));
    await page.getByRole('heading', { name: `${PERIOD_LABEL}信访工作统计（全部）` }).waitFor();

    report = await api<ApiReport>(`/reports?period=${PERIOD}&dimensions=category`);
    const total = report.figures.total as Figure;
    expect(total.value).toBeGreaterThan(0);
    await expect.poll(() => cellOf('total').textContent()).toBe(String(total.value));
    expect(await cellOf('visits').textContent()).toBe(String(report.figures.visits!.value));
    expect(await page.locator('tr[data-figure-row="total"] td.num').nth(1).textContent()).toBe(String(total.persons));
    await screenshot(page, 'web-reports');

    const xlsx = await download(page.getByRole('button', { name: '导出Excel' }));
    expect(xlsx.name).toBe(`信访统计_${PERIOD}_全部.xlsx`);
    const overall = await sheet(xlsx.bytes, '总体');
    expect(overall.find((r) => r['指标'] === '信访总量')).toMatchObject({ 数值: total.value, 人次: total.persons });
    expect(overall.find((r) => r['指标'] === '来访')?.['数值']).toBe(report.figures.visits!.value);
    const byCategory = await sheet(xlsx.bytes, '按内容分类');
    for (const row of report.breakdowns[0]!.rows) {
      expect(byCategory.find((r) => r['内容分类'] === row.label && r['指标'] === '信访总量')?.['数值'], row.label).toBe(row.figures.total!.value);
    }

    const pdf = await download(page.getByRole('button', { name: '下载PDF报告' }));
    expect(pdf.name).toBe(`信访统计_${PERIOD}_全部.pdf`);
    // The whole 信访工作统计分析 of the quarter (its 信访形式 chart too, whatever the breakdown on screen).
    const text = (await extractPageTexts(new Uint8Array(pdf.bytes))).map(normalise).join('');
    expect(text).toContain(`${PERIOD_LABEL}信访工作统计分析`);
    expect(text).toContain(normalise(`共登记信访事项${total.value}批次${total.persons}人次`));
    expect(text).toContain('信访形式分布');
    if (UPDATE) {
      // Page 2 of the 信访工作统计分析: the sentences and the first chart, as the README shows it.
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, 'report-analysis.pdf');
      writeFileSync(file, pdf.bytes);
      try {
        execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-r', '110', '-png', '-singlefile', file, join(SCREENSHOT_DIR, 'report-analysis')]);
      } catch (err) {
        throw new Error('The PDF page for the README needs pdftoppm: apt-get install poppler-utils', { cause: err });
      }
      copyFileSync(join(SCREENSHOT_DIR, 'report-analysis.png'), join(README_IMAGES, 'report-analysis.png'));
    }
  });

  it('a number leads to as many cases, and the drill-down’s 导出Excel holds exactly them', async () => {
    // The largest 内容分类 row: its 信访总量 in the breakdown table.
    const rows = report.breakdowns[0]!.rows;
    const top = rows.reduce((a, b) => ((b.figures.total!.value ?? 0) > (a.figures.total!.value ?? 0) ? b : a));
    const figure = top.figures.total!.value as number;
    expect(figure).toBeGreaterThan(0);
    await page.locator(`table.rpt-breakdown tr[data-row="${top.key}"] a[data-figure="total"]`).click();
    await pageShown(page, '/reports/cases');
    await expect.poll(() => page.getByTestId('drill-count').textContent()).toBe(String(figure));
    const drill = await api<{ count: number; caseNos: string[] }>(`/reports/cases?period=${PERIOD}&figure=total&dimension=category&value=${top.key}`);
    expect(drill.count).toBe(figure);
    // Every case on screen (one page of at most 50), in the API's order.
    const listed = await page.locator('.case-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case-no')));
    expect(listed).toEqual(drill.caseNos.slice(0, 50));

    await screenshot(page, 'web-report-cases', { readme: false });
    const xlsx = await download(page.getByRole('button', { name: '导出Excel' }));
    expect(xlsx.name).toBe(`案件明细_${PERIOD_LABEL}_信访总量_${top.label}_${TODAY}.xlsx`);
    expect((await sheet(xlsx.bytes, '案件明细')).map((r) => r['案件编号'])).toEqual(drill.caseNos);
  });
});
