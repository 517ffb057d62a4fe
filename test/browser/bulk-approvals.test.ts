/**
 * 批量审批 (issue 18 item 12) in a real browser against the local stack with three proposals seeded
 * through the API: the director ticks them (全选), previews one letter, approves them together;
 * one case changed after the list was read (its version bumped through the API) is reported as
 * failed with its reason while the others move on, and the list refreshes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { idNumberCheckChar } from '../../shared/domain/pii-validation';
import { ifMatch, registration, tokens } from '../e2e/helpers';
import { startTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn } from '../support/browser';

const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
const NAMES = ['陈丽华', '赵国强', '孙桂芳'];

let stack: TestStack;
let browser: Browser;
let t: Awaited<ReturnType<typeof tokens>>;
const contexts: BrowserContext[] = [];
const cases: { caseNo: string; version: number }[] = [];

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: NOW }), launchBrowser()]);
  stack = s;
  browser = b;
  t = await tokens(stack);
  // Three petitioners with nothing else on file (no registration warning to override), each case proposed for 受理 and 交办.
  for (const [i, name] of NAMES.entries()) {
    const first17 = `5301021980010${i + 1}${String(100 + i)}`;
    const reg = await stack.api.post(
      '/cases',
      registration({
        receivedOn: TODAY,
        subject: `请求协调解决拖欠工资问题（${name}）`,
        petitioners: [{ name, idNumber: `${first17}${idNumberCheckChar(first17)}`, phone: `1390000000${i}`, address: '江川区宁海街道建设路12号' }],
      }),
      { token: t.clerk, headers: { 'idempotency-key': `bulk-approvals-${i}` } },
    );
    expect(reg.status, reg.text).toBe(201);
    const p = await stack.api.post(
      `/cases/${reg.json.case.caseNo}/propose`,
      { action: 'accept', deptCode: 'HRSS', reason: '属人力资源和社会保障局职责范围，拟受理并交办' },
      { token: t.clerk, headers: ifMatch(reg.json.case.version) },
    );
    expect(p.status, p.text).toBe(200);
    cases.push({ caseNo: reg.json.case.caseNo, version: p.json.version });
  }
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts) for (const p of c.pages()) await screenshot(p, `failed-bulk-${n++}`, { fullPage: true, readme: false }).catch(() => undefined);
});

async function directorPage(): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl);
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, 'director1', '/approvals');
  return page;
}

const statusOf = async (caseNo: string): Promise<{ status: string; version: number }> => (await stack.api.get(`/cases/${caseNo}`, { token: t.director })).json;

describe('批量审批 on 待审批', () => {
  it('approves the selected proposals one by one after a preview, reports the one that changed meanwhile, and refreshes the list', async () => {
    const [first, changed, third] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    const page = await directorPage();
    const proposals = page.locator('#queue-proposal');
    for (const c of cases) await proposals.locator(`tr[data-case-no="${c.caseNo}"]`).waitFor();

    // 全选 ticks every proposal; one is unticked and ticked again from the keyboard.
    await page.getByTestId('pick-all-proposal').check();
    const bar = page.getByTestId('bulk-bar');
    await expect.poll(() => bar.getByRole('status').innerText()).toContain('已选 3 项');
    const box = proposals.locator(`tr[data-case-no="${third.caseNo}"]`).getByTestId('pick');
    await box.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => bar.getByRole('status').innerText()).toContain('已选 2 项');
    await page.keyboard.press('Space');
    await expect.poll(() => bar.getByRole('status').innerText()).toContain('已选 3 项');
    await bar.getByLabel(/批办意见/).fill('同意，请人社局按期办结');

    await page.getByTestId('bulk-open').click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByText('确认批准 3 项').waitFor();
    // The letter the first approval will issue, as the single approval previews it.
    await dialog.locator(`li[data-case-no="${first.caseNo}"]`).getByTestId('bulk-preview').click();
    await dialog.getByTestId('letter-preview').locator('canvas').first().waitFor();
    // Nothing sideways at 1280 px, with the bar and the dialog open.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await screenshot(page, 'web-approvals-bulk', { readme: false });

    // Meanwhile the clerk revises one proposal: the version the list read is no longer the case's.
    const bumped = await stack.api.post(
      `/cases/${changed.caseNo}/propose`,
      { action: 'accept', deptCode: 'HRSS', reason: '补充：经核实属人社局职责范围' },
      { token: t.clerk, headers: ifMatch(changed.version) },
    );
    expect(bumped.status, bumped.text).toBe(200);

    await dialog.getByTestId('bulk-confirm').click();
    const summary = dialog.getByTestId('bulk-summary');
    await summary.waitFor();
    expect(await dialog.getByTestId('bulk-progress').innerText()).toContain('已完成 3 / 3');
    await screenshot(page, 'web-approvals-bulk-summary', { readme: false });
    const ok = summary.getByTestId('bulk-succeeded');
    const failed = summary.getByTestId('bulk-failed');
    expect(await ok.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-case-no')))).toEqual([first.caseNo, third.caseNo]);
    expect(await failed.locator(`li[data-case-no="${changed.caseNo}"]`).innerText()).toContain('案件已被他人更新，请刷新后重试');

    // Both approved cases moved on (批办 carries out the proposal: 受理 and 交办), with the director's comment; the changed one did not.
    for (const c of [first, third]) expect((await statusOf(c.caseNo)).status).toBe('assigned');
    expect((await statusOf(changed.caseNo)).status).toBe('registered');
    const timeline = (await stack.api.get(`/cases/${first.caseNo}/timeline`, { token: t.director })).json.events as { data?: Record<string, unknown> }[];
    expect(JSON.stringify(timeline)).toContain('同意，请人社局按期办结');

    // The list was read again: only the changed proposal is left, unticked.
    await summary.getByRole('button', { name: '关闭' }).press('Enter');
    await expect.poll(() => proposals.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-no')))).toEqual([changed.caseNo]);
    expect(await proposals.getByTestId('pick').isChecked()).toBe(false);
    expect(await page.getByTestId('bulk-bar').count()).toBe(0);
    // The keyboard user is back on the queue, not at the top of the document.
    await expect
      .poll(() => page.evaluate<string>('document.activeElement?.closest(".queue-tabs") ? "tabs" : String(document.activeElement?.tagName)'))
      .toBe('tabs');
  });
});
