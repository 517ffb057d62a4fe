/**
 * Reading the scans in a real browser (issue 15, docs/ocr.md): the clerk registers a letter with a
 * scanned PDF (Chinese text as an image, no text layer) through 信访登记; the local stack's OCR
 * reads it in the background; the case is then found by a word only the scan holds, the viewer
 * shows 机器识别文本（未校对） page by page beside the image, and the clerk takes it into the
 * case's 来信全文. The OCR may take a while on a busy machine: everything waits by polling.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { launchBrowser, newContext, openCase, screenshot, signIn } from '../support/browser';
import { scannedLetterPdf, testOcrEngine } from '../support/ocr';
import { startTestStack, type TestStack } from '../support/stack';

const NOW = '2026-03-02T02:00:00Z';
const TODAY = '2026-03-02';
/** A word only the scan holds (nothing typed at registration has it). */
const WORD = '青松村排水沟';
const LINES = ['江川市信访局：', `我是${WORD}旁的住户张建华，`, '排水沟堵塞已有三个月，', '雨天污水漫进院子，请求尽快疏通。'];
/** The real engine reads a page in seconds to a minute on a busy 2-core machine. */
const OCR_TIMEOUT_MS = 240_000;

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let caseNo = '';

beforeAll(async () => {
  const [, s, b] = await Promise.all([
    ensureWebBuild({ quiet: true }),
    startTestStack({ now: NOW, ocr: { engine: testOcrEngine(), retryDelayMs: 1000 } }),
    launchBrowser(),
  ]);
  stack = s;
  browser = b;
  context = await newContext(browser, stack.baseUrl, stack.clock.now());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
  page = await context.newPage();
  await signIn(page, 'clerk1', '/register');
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

describe('OCR of a scanned letter, in the browser', () => {
  it('the clerk registers a letter with a scanned PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xf-ocr-scan-'));
    const file = join(dir, '来信扫描件.pdf');
    writeFileSync(file, await scannedLetterPdf(LINES));
    await page.getByLabel('姓名').first().fill('张建华');
    await page.getByLabel('身份证号码').first().fill('11010519491231002X');
    await page.getByLabel('联系电话').first().fill('13812345678');
    await page.getByLabel('住址').first().fill('江川区青松村12号');
    await page.getByLabel('事项类型').selectOption('request-appeal');
    await page.getByLabel('问题类别').selectOption('labour');
    await page.getByLabel('事由').fill('请求疏通排水设施');
    await page.getByLabel('收到日期').fill(TODAY);
    await page.getByLabel('主要诉求及内容摘要').fill('信访人来信反映住处附近排水不畅，请求有关部门尽快处理。');
    await page.getByLabel('选择或拖入扫描件').setInputFiles(file);
    await page.getByRole('button', { name: '保存登记' }).click();
    await page.getByText('信访事项已登记').waitFor({ timeout: 30_000 });
    caseNo = (await page.locator('.reg-case-no').innerText()).trim();
    expect(caseNo).toMatch(/^XF-2026-\d{6}$/);
  });

  it(
    'finds the case by a word only its scan holds, once the OCR has read it',
    async () => {
      const clerk = await stack.token('clerk1');
      await expect
        .poll(
          async () => (await stack.api.get(`/cases?q=${encodeURIComponent(WORD)}`, { token: clerk })).json.items?.map((i: { caseNo: string }) => i.caseNo),
          {
            timeout: OCR_TIMEOUT_MS,
            interval: 2000,
          },
        )
        .toEqual([caseNo]);
      // And through 案件查询: the match is marked in the field 扫描件识别文本.
      await page.goto('/#/search');
      await page.getByLabel('关键词').fill(WORD);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      const row = page.locator('tr, li, article').filter({ hasText: caseNo }).first();
      await row.waitFor();
      await page.getByText('扫描件识别文本').first().waitFor();
    },
    OCR_TIMEOUT_MS + 60_000,
  );

  it(
    'shows 机器识别文本（未校对） beside the scan, page by page with a copy button, and lets the clerk take it into 来信全文',
    async () => {
      await openCase(page, caseNo);
      await page.getByRole('button', { name: '查看 来信扫描件.pdf' }).click();
      const panel = page.getByRole('region', { name: '机器识别文本（未校对）' });
      await panel.waitFor();
      const first = panel.getByRole('article', { name: '第 1 页' });
      await first.waitFor({ timeout: OCR_TIMEOUT_MS });
      await expect.poll(async () => (await first.innerText()).replace(/\s/g, ''), { timeout: 20_000 }).toContain(WORD);
      expect(await first.innerText()).toContain('已识别');
      await first.getByRole('button', { name: '复制第 1 页' }).click();
      await first.getByRole('button', { name: '复制第 1 页' }).getByText('已复制').waitFor();
      expect(String(await page.evaluate('navigator.clipboard.readText()')).replace(/\s/g, '')).toContain(WORD);
      // The scan itself beside its reading: the viewer's first page has been drawn.
      await page.getByRole('img', { name: '来信扫描件.pdf 第 1 页' }).waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'web-ocr');
      await panel.getByRole('button', { name: '填入来信全文' }).click();
      await panel.getByText('已填入来信全文。').waitFor();
      await page.getByRole('button', { name: '关闭' }).click();
      await expect.poll(async () => (await page.locator('main').innerText()).replace(/\s/g, ''), { timeout: 20_000 }).toContain(`我是${WORD}`);
      const c = await stack.api.get(`/cases/${caseNo}`, { token: await stack.token('clerk1') });
      expect((c.json.fullText as string).replace(/\s/g, '')).toContain(WORD);
      expect(c.json.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['document.ocr-read', 'case.full-text-set']));
    },
    OCR_TIMEOUT_MS + 60_000,
  );
});
