/**
 * The web application in a real browser (headless Chromium driven by Playwright), against the
 * local stack with the seeded demo: one letter from the clerk's counter to the archive, through
 * the screens of each role. It also takes the README's screenshots (`npm run screenshots` copies
 * them into docs/images/), prints how much JavaScript the first screen loads (asserted under
 * 500 KB gzipped) and how long the case page takes to show (printed, not asserted).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { idNumberCheckChar } from '../../shared/domain/pii-validation';
import { startTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, openCase, pageShown, recordScripts, screenshot, signIn } from '../support/browser';

/** A Monday: 60-day clocks started now end inside the published 2026 calendar. */
const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
const DEMO_CASES = 40;
const ID_NUMBER = `53042119680315002${idNumberCheckChar('53042119680315002')}`;

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: NOW }), launchBrowser()]);
  stack = s;
  browser = b;
  // The seeded demo, as `npm run demo` makes it, through the same registry the handlers use.
  const { getLetterRuntime } = await import('../../functions/common/letters-runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const { registry } = await getLetterRuntime();
  await seedDemo(registry, stack.clock, { count: DEMO_CASES, today: TODAY, seed: 2026 });
  stack.clock.set(NOW);
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

/** On a failure, what each open page showed: test-results/screenshots/failed-<n>.png. */
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts)
    for (const p of c.pages()) await screenshot(p, `failed-${ctx.task.name.slice(0, 20)}-${n++}`, { fullPage: true, readme: false }).catch(() => undefined);
});

/** A page in a fresh browser context (its own session), signed in as `username`. */
async function pageAs(username: string | undefined, hash = ''): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl, stack.clock.now());
  contexts.push(context);
  const page = await context.newPage();
  if (username) await signIn(page, username, hash);
  return page;
}

/** A scanned letter: a two-page PDF. */
async function scannedLetter(): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = [
    'To the Letters and Visits Bureau of Jiangchuan',
    '',
    'I worked on a construction site in Jiangchuan from March',
    'to December and was not paid 32,000 yuan of wages.',
    'The contractor has refused every request to pay.',
    'I ask the bureau to help me recover my wages.',
    '',
    'Zhang Xiuying',
  ];
  for (let i = 1; i <= 2; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Letter of complaint, page ${i} of 2`, { x: 72, y: 760, size: 22, font });
    lines.forEach((line, n) => page.drawText(line, { x: 72, y: 700 - n * 30, size: 16, font }));
  }
  const file = join(tmpdir(), `xf-scan-${process.pid}.pdf`);
  writeFileSync(file, await doc.save());
  return file;
}

const flow: { caseNo?: string; queryCode?: string } = {};

describe('the office in a browser', () => {
  it('loads under 500 KB of gzipped JavaScript for the first screen', async () => {
    const page = await pageAs(undefined);
    const js = recordScripts(page);
    await page.goto('/');
    await page.locator('[data-username="clerk1"]').waitFor();
    await page.waitForLoadState('networkidle');
    const signInKb = (await js.total()) / 1024;
    await page.locator('[data-username="clerk1"]').click();
    await page.locator('nav[aria-label="主导航"]').waitFor();
    await page.locator('main.page h1').waitFor();
    await page.waitForLoadState('networkidle');
    const landingKb = (await js.total()) / 1024;
    // The clerk lands on the dashboard: the counts and the chart of cases per month from the demo.
    await page.locator('svg[role="img"]').waitFor();
    expect(await page.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/^近12个月每月登记信访件数/);
    await screenshot(page, 'web-dashboard');
    console.log(
      `[web] first screen JavaScript, gzipped: sign-in ${signInKb.toFixed(1)} KB; with the clerk's landing page ${landingKb.toFixed(1)} KB (${js.scripts.size} files)`,
    );
    expect(signInKb).toBeGreaterThan(10);
    expect(landingKb).toBeLessThan(500);
  });

  it('a clerk registers a letter with a PDF scan', async () => {
    const page = await pageAs('clerk1', '/register');
    await page.goto('/#/register');
    await page.getByLabel('姓名').first().fill('张秀英');
    // A wrong ID number: the API's error shows next to the field, and nothing typed is lost.
    await page.getByLabel('身份证号码').first().fill('530421196803150020');
    await page.getByLabel('联系电话').first().fill('13888001234');
    await page.getByLabel('住址').first().fill('江川区大街镇星云路18号');
    await page.getByLabel('事项类型').selectOption('request-appeal');
    await page.getByLabel('问题类别').selectOption('labour');
    await page.getByLabel('事由').fill('请求协调解决拖欠工资问题');
    await page.getByLabel('收到日期').fill(TODAY);
    await page.getByLabel('主要诉求及内容摘要').fill('信访人反映其在江川区某建筑工地务工期间被拖欠工资3.2万元，多次索要未果，请求协调解决。');
    await page.getByRole('button', { name: '保存登记' }).click();
    await page.getByText('身份证号码不正确').first().waitFor();
    expect(await page.getByLabel('姓名').first().inputValue()).toBe('张秀英');
    expect(await page.getByLabel('主要诉求及内容摘要').inputValue()).toContain('拖欠工资3.2万元');
    await page.getByLabel('身份证号码').first().fill(ID_NUMBER);
    await page.getByLabel('选择或拖入扫描件').setInputFiles(await scannedLetter());
    await expect.poll(() => page.locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: '保存登记' }).click();
    await page.getByText('信访事项已登记').waitFor({ timeout: 20_000 });
    flow.caseNo = (await page.locator('.reg-case-no').innerText()).trim();
    flow.queryCode = (await page.locator('.reg-query-code').innerText()).trim();
    expect(flow.caseNo).toMatch(/^XF-2026-\d{6}$/);
    expect(flow.queryCode.length).toBeGreaterThanOrEqual(8);
    await stack.settled();
    const c = await stack.api.get(`/cases/${flow.caseNo}`, { token: await stack.token('clerk1') });
    expect(c.json.documents.filter((d: { kind: string; status: string }) => d.kind === 'letter').map((d: { status: string }) => d.status)).toEqual([
      'verified',
    ]);
  });

  /** Opens the case page, takes an action through its form, and waits for the new status. */
  async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, status: string): Promise<void> {
    await openCase(page, flow.caseNo as string);
    await page.locator(`[data-action="${action}"]`).click();
    const form = page.locator(`form[data-action-form="${action}"]`);
    await form.waitFor();
    await fill(form);
    await form.getByTestId('confirm-action').click();
    await expect
      .poll(async () => (await stack.api.get(`/cases/${flow.caseNo}`, { token: await stack.token('clerk1') })).json.status, { timeout: 15_000 })
      .toBe(status);
  }

  it('shows the registration warnings before saving when the petitioner has an open matter', async () => {
    // A petitioner of the seeded demo whose case is still being handled.
    const clerk = await stack.token('clerk1');
    const open = (await stack.api.get('/cases?status=assigned&limit=1', { token: clerk })).json.items[0] as { caseNo: string };
    const earlier = (await stack.api.get(`/cases/${open.caseNo}`, { token: clerk })).json as {
      petitioners: { name: string; idNumber: string; phone?: string; address?: string }[];
    };
    const p = earlier.petitioners[0] as { name: string; idNumber: string; phone?: string; address?: string };
    const page = await pageAs('clerk1');
    await page.goto('/#/register');
    await page.getByLabel('姓名').first().fill(p.name);
    await page.getByLabel('身份证号码').first().fill(p.idNumber);
    await page
      .getByLabel('联系电话')
      .first()
      .fill(p.phone ?? '');
    await page
      .getByLabel('住址')
      .first()
      .fill(p.address ?? '');
    await page.getByLabel('事项类型').selectOption('request-appeal');
    await page.getByLabel('问题类别').selectOption('labour');
    await page.getByLabel('事由').fill('再次反映拖欠工资问题');
    await page.getByLabel('收到日期').fill(TODAY);
    await page.getByLabel('主要诉求及内容摘要').fill('信访人再次来信，反映此前所提拖欠工资问题至今未解决，请求加快办理。');
    await page.getByLabel('选择或拖入扫描件').setInputFiles(await scannedLetter());
    const warning = page.locator('.reg-warning').first();
    await warning.waitFor({ timeout: 15_000 });
    expect(await page.locator('.reg-check').innerText()).toContain(open.caseNo);
    await expect.poll(() => page.locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await screenshot(page, 'web-register', { fullPage: true });
    // Saving asks for the clerk's confirmation first; nothing is created without it.
    await page.getByRole('button', { name: '保存登记' }).click();
    await page.getByLabel('已核对上述提示，仍予登记').waitFor();
    expect(await page.getByText('信访事项已登记').count()).toBe(0);
  });

  it('the clerk proposes to accept it and hand it to a department', async () => {
    const page = await pageAs('clerk1');
    await act(
      page,
      'propose',
      async (form) => {
        await form.getByLabel('拟办意见').selectOption('accept');
        await form.getByLabel('拟交办单位').selectOption('HRSS');
        await form.getByLabel('拟办理由').fill('属人力资源和社会保障局职责范围，拟受理并交办');
      },
      'registered',
    );
    await expect.poll(async () => (await stack.api.get(`/cases/${flow.caseNo}`, { token: await stack.token('clerk1') })).json.proposal?.deptCode).toBe('HRSS');
  });

  it('the director sees it in the approval queue, previews the letter, approves and assigns', async () => {
    const page = await pageAs('director1');
    await page.goto('/#/approvals');
    await page
      .getByRole('link', { name: flow.caseNo as string })
      .first()
      .waitFor();
    await screenshot(page, 'web-approvals');
    await act(
      page,
      'approve-proposal',
      async (form) => {
        await form.getByTestId('preview-letter').click();
        await page.getByTestId('letter-preview').locator('canvas').first().waitFor({ timeout: 20_000 });
      },
      'assigned',
    );
    const c = (await stack.api.get(`/cases/${flow.caseNo}`, { token: await stack.token('clerk1') })).json;
    expect(c.deptCode).toBe('HRSS');
  });

  it('the department finds it in its inbox, opens the case page and answers', async () => {
    const page = await pageAs('hrss1');
    await page.goto('/#/inbox');
    const row = page.getByRole('row', { name: new RegExp(flow.caseNo as string) });
    await row.waitFor();
    await screenshot(page, 'web-inbox');
    // Time to show the case page, from the click in the inbox to the rendered case.
    const started = Date.now();
    await row.getByRole('link', { name: flow.caseNo as string }).click();
    await pageShown(page, `/cases/${flow.caseNo}`);
    const ms = Date.now() - started;
    console.log(`[web] case page shown in ${ms} ms (from the inbox click, local stack with ${DEMO_CASES} demo cases)`);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'web-case');
    // The petitioner's contact is masked for the department; 显示联系方式 reveals it, recorded.
    await page.getByText('江川区大街镇星****').waitFor();
    await page.getByRole('button', { name: '显示联系方式' }).click();
    await page.getByText('江川区大街镇星云路18号').waitFor();
    await page.getByText(`身份证 ${ID_NUMBER}`).waitFor();
    const trail = await stack.api.get(`/cases/${flow.caseNo}/timeline`, { token: await stack.token('clerk1') });
    expect(
      trail.json.events
        .filter((e: { type: string; actor: { username?: string } }) => e.type === 'case.contact-revealed')
        .map((e: { actor: { username?: string } }) => e.actor.username),
    ).toEqual(['hrss1']);
    await act(
      page,
      'answer',
      async (form) => {
        await form.getByLabel('信访人诉求').fill('请求支付拖欠工资3.2万元');
        await form.getByLabel('调查核实的事实').fill('经调查核实，该公司确实拖欠信访人工资3.2万元，情况属实。');
        await form.getByLabel('处理意见').fill('责令该公司于十五日内足额支付拖欠的工资。');
        await form.getByLabel('处理结论').selectOption('support');
        await form.getByLabel('法律依据').fill('《保障农民工工资支付条例》第三条');
      },
      'answered',
    );
  });

  it('the director approves the reply and the clerk records its delivery', async () => {
    const director = await pageAs('director1');
    await act(director, 'approve-reply', async () => undefined, 'replied');
    const clerk = await pageAs('clerk1');
    await act(clerk, 'deliver', async () => undefined, 'delivered');
  });

  it('the petitioner looks the case up, downloads the reply letter and rates the answer', async () => {
    const page = await pageAs(undefined);
    await page.goto('/#/public');
    await page.getByLabel('案件编号').fill(flow.caseNo as string);
    await page.getByLabel('查询码').fill(flow.queryCode as string);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('heading', { name: '办理情况', exact: true }).waitFor();
    const downloading = page.waitForEvent('download');
    await page
      .getByRole('row', { name: /信访处理意见书/ })
      .getByRole('button', { name: /下载/ })
      .click();
    const download = await downloading;
    const file = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toContain('信访处理意见书');
    await page.getByRole('radio', { name: '满意', exact: true }).check();
    await page.getByLabel('意见（选填）').fill('处理及时，感谢。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('已评价').waitFor();
    const c = (await stack.api.get(`/cases/${flow.caseNo}`, { token: await stack.token('clerk1') })).json;
    expect(c.rating?.value).toBe('satisfied');
  });

  it('once closed and archived, an archivist finds the file and retrieves the scan with a purpose', async () => {
    // The review window passes; the clerk closes the case and the archive run takes it (as the daily run would).
    const clerkToken = await stack.token('clerk1');
    let c = (await stack.api.get(`/cases/${flow.caseNo}`, { token: clerkToken })).json;
    stack.clock.set(`${c.clocks.reviewRequestWindow.due}T02:00:00Z`);
    stack.clock.advanceDays(1);
    const closed = await stack.api.post(`/cases/${flow.caseNo}/close`, {}, { token: clerkToken, headers: { 'if-match': `"${c.version}"` } });
    expect(closed.status, closed.text).toBe(200);
    const run = await stack.api.post('/archive/run', { caseNos: [flow.caseNo] }, { token: await stack.token('archivist1') });
    expect(run.status, run.text).toBe(200);
    c = (await stack.api.get(`/cases/${flow.caseNo}`, { token: clerkToken })).json;
    expect(c.status).toBe('archived');
    const archiveNo: string = c.archive.archiveNo;

    const page = await pageAs('archivist1');
    await page.goto('/#/archive');
    await page.getByLabel('案件编号').fill(flow.caseNo as string);
    await page.getByRole('button', { name: '检索' }).click();
    await page.getByRole('link', { name: archiveNo }).click();
    await page.getByLabel('查阅目的').fill('信访人再次来访，核对原始来信');
    await page.locator('tr[data-path^="originals/"]', { hasText: '来信扫描件' }).getByRole('button', { name: '调阅' }).click();
    await page.getByText('已调阅并记录').waitFor({ timeout: 15_000 });
    await page.locator('.file-viewer canvas').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'web-archive');
    const events = (await stack.api.get(`/cases/${flow.caseNo}/timeline`, { token: clerkToken })).json.events as {
      type: string;
      data?: { purpose?: string };
    }[];
    expect(JSON.stringify(events)).toContain('信访人再次来访，核对原始来信');
    // The archivist's 工作台 is the archive's: waiting cases, ended retentions, the last fixity check.
    await page.getByRole('link', { name: '工作台' }).click();
    await page.locator('[data-tile="pending"]').waitFor();
    expect(await page.locator('[data-tile]').count()).toBe(3);
  });
});
