/**
 * The office's daily friction (issue 18), each item in a real browser against the local stack
 * with a small seeded demo and one case driven through the API to delivery (a scan, letters):
 * page widths (public pages at 360 px, office pages at 1280 px, nothing scrolls sideways and no
 * button is clipped), sign-in shared across tabs, the statutory due dates in lists, Chinese labels
 * and Beijing dates, and the other items as they are fixed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { ifMatch, registration, scannedPdf, tokens } from '../e2e/helpers';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { launchBrowser, newContext, openCase, pageShown, screenshot, signIn } from '../support/browser';

/** A Monday morning in Beijing. */
const NOW = '2026-09-14T01:30:00Z';
const TODAY = '2026-09-14';
const DEMO_CASES = 24;

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** A case driven through the API: registered with a scan (long file name), accepted, assigned, answered, replied, delivered. */
const flow = { caseNo: '', queryCode: '' };

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: NOW }), launchBrowser()]);
  stack = s;
  browser = b;
  const { getLetterRuntime } = await import('../../functions/common/letters-runtime');
  const { seedDemo } = await import('../../local/demo-data');
  const { registry } = await getLetterRuntime();
  await seedDemo(registry, stack.clock, { count: DEMO_CASES, today: TODAY, seed: 18 });
  stack.clock.set(NOW);

  const t = await tokens(stack);
  const scan = await scannedPdf('A letter with a long file name');
  const reg = await stack.api.post(
    '/cases',
    registration({
      receivedOn: TODAY,
      uploads: [
        { kind: 'letter', contentType: 'application/pdf', size: scan.length, fileName: '来信扫描件-张建华-关于拖欠工资问题的第二次来信-2026年9月14日收到.pdf' },
      ],
    }),
    { token: t.clerk, headers: { 'idempotency-key': 'friction-flow' } },
  );
  expect(reg.status, reg.text).toBe(201);
  flow.caseNo = reg.json.case.caseNo;
  flow.queryCode = reg.json.queryCode;
  expect((await uploadPresignedPost(reg.json.uploads[0].upload, scan, { contentType: 'application/pdf' })).status).toBeLessThan(300);
  await stack.settled();
  let version: number = reg.json.case.version;
  const act = async (token: string, action: string, body: Record<string, unknown>): Promise<void> => {
    const res = await stack.api.post(`/cases/${flow.caseNo}/${action}`, body, { token, headers: ifMatch(version) });
    expect(res.status, `${action}: ${res.text}`).toBe(200);
    version = res.json.version;
  };
  await act(t.director, 'accept', { warningsOverride: '不同事项' });
  await act(t.director, 'assign', { deptCode: 'HRSS' });
  await act(t.hrss, 'answer', {
    request: '请求支付拖欠工资',
    facts: '经调查核实，情况属实。',
    decision: '责令该公司足额支付。',
    outcome: 'support',
    legalBasis: '《保障农民工工资支付条例》第三条',
  });
  await act(t.director, 'approve-reply', {});
  await act(t.clerk, 'deliver', { deliveredOn: TODAY, method: 'post' });
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts) for (const p of c.pages()) await screenshot(p, `failed-friction-${n++}`, { fullPage: true, readme: false }).catch(() => undefined);
});

async function freshContext(width = 1280): Promise<BrowserContext> {
  const context = await newContext(browser, stack.baseUrl, stack.clock.now());
  contexts.push(context);
  if (width !== 1280) for (const p of context.pages()) await p.setViewportSize({ width, height: 800 });
  return context;
}

async function pageAs(username: string | undefined, width = 1280): Promise<Page> {
  const context = await freshContext();
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  if (username) await signIn(page, username);
  return page;
}

/**
 * What does not fit: the page wider than the window, or a control (button, link, field) cut off by
 * the window or by a box that clips or scrolls its content. Described, for the assertion message.
 */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOW_SCRIPT) as Promise<string[]>;
}

/** Runs in the page (a string: this project's TypeScript has no DOM types outside web/). */
const OVERFLOW_SCRIPT = `(() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) problems.push('page ' + doc.scrollWidth + 'px wide in a ' + window.innerWidth + 'px window');
  const name = (el) => el.tagName.toLowerCase() + ' "' + ((el.textContent || '').trim().slice(0, 30) || el.getAttribute('aria-label') || '') + '"';
  for (const el of document.querySelectorAll('button, a, input, select, textarea')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden' || (el.tagName === 'INPUT' && el.type === 'file')) continue;
    if (r.right > window.innerWidth + 1) {
      problems.push(name(el) + ' ends at ' + Math.round(r.right) + 'px, past the window (' + window.innerWidth + 'px)');
      continue;
    }
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX === 'visible') continue;
      const pr = p.getBoundingClientRect();
      if (r.right > pr.right + 1) {
        problems.push(name(el) + ' cut off by ' + p.tagName.toLowerCase() + '.' + p.className + ' (ends at ' + Math.round(r.right) + 'px, box at ' + Math.round(pr.right) + 'px)');
        break;
      }
    }
  }
  return problems;
})()`;

async function ready(page: Page): Promise<void> {
  await page.locator('main.page h1, main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page
    .locator('.loading')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
}

describe('page widths (issue 18 item 1)', () => {
  it('every public page works at 360 px: the lookup, the case with its letters and 下载 buttons, the letter check', async () => {
    const page = await pageAs(undefined, 360);
    await page.goto('/#/public');
    await ready(page);
    expect(await overflow(page)).toEqual([]);
    await page.getByLabel('案件编号').fill(flow.caseNo);
    await page.getByLabel('查询码').fill(flow.queryCode);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('heading', { name: '办理情况', exact: true }).waitFor();
    await page
      .getByRole('row', { name: /信访处理意见书/ })
      .getByRole('button', { name: /下载/ })
      .waitFor();
    await screenshot(page, 'web-public-360', { fullPage: true, readme: false });
    expect(await overflow(page)).toEqual([]);
    // The sign-in page is public too.
    await page.goto('/#/signin');
    await page.locator('[data-username="clerk1"]').waitFor();
    expect(await overflow(page)).toEqual([]);
  }, 120_000);

  it('every office page works at 1280 px, the case page with its materials table included', async () => {
    const screens: [string, string[]][] = [
      ['clerk1', ['/dashboard', '/search', '/register', `/cases/${flow.caseNo}`]],
      ['director1', ['/approvals', '/archive/disposal', `/cases/${flow.caseNo}`]],
      ['hrss1', ['/inbox', `/cases/${flow.caseNo}`]],
      ['archivist1', ['/dashboard', '/archive', '/archive/pending', '/archive/fixity']],
      ['admin1', ['/admin', '/admin/calendar']],
    ];
    const found: string[] = [];
    for (const width of [1280, 1366]) {
      for (const [user, paths] of screens) {
        const page = await pageAs(user, width);
        for (const path of paths) {
          await page.goto(`/#${path}`);
          await pageShown(page, path);
          await ready(page);
          for (const p of await overflow(page)) found.push(`${user} ${path} at ${width}px: ${p}`);
        }
        await page.context().close();
      }
    }
    expect(found).toEqual([]);
  }, 240_000);
});

describe('sign-in (issue 18 item 2)', () => {
  it('is one per browser: a second tab opens a pasted case link signed in, and 退出 signs every tab out', async () => {
    const context = await freshContext();
    const first = await context.newPage();
    await signIn(first, 'clerk1');
    const second = await context.newPage();
    await openCase(second, flow.caseNo);
    expect(await second.locator('[data-username]').count()).toBe(0);
    await second.getByRole('button', { name: '退出' }).click();
    await second.locator('[data-username="clerk1"]').waitFor();
    // The first tab follows without a reload.
    await first.locator('[data-username="clerk1"]').waitFor();
    expect(await first.getByText('登录已过期').count()).toBe(0);
  }, 120_000);

  it('a refused token says 登录已过期; the same user returns to the page, another user starts at home', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await signIn(page, 'clerk1');
    const casePage = `/#/cases/${flow.caseNo}`;
    await openCase(page, flow.caseNo);
    // The API refuses the token (revoked, or signed by a rotated key): the next request is a 401.
    const spoil = async (): Promise<void> => {
      await page.evaluate(`(() => {
        const s = JSON.parse(localStorage.getItem('xf.session'));
        s.token = s.token.slice(0, -4) + 'AAAA';
        localStorage.setItem('xf.session', JSON.stringify(s));
      })()`);
    };
    await spoil();
    await page.reload();
    await page.getByText('登录已过期').waitFor();
    expect(page.url()).toContain(casePage);
    // Someone else signs in at this browser: their own home page, not the previous user's case.
    await page.locator('[data-username="hrss1"]').click();
    await page.locator('nav[aria-label="主导航"]').waitFor();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/inbox');

    await openCase(page, flow.caseNo);
    await spoil();
    await page.reload();
    await page.getByText('登录已过期').waitFor();
    await page.locator('[data-username="hrss1"]').click();
    // The same user: back where they were.
    await pageShown(page, `/cases/${flow.caseNo}`);
    expect(new URL(page.url()).hash).toBe(`#/cases/${flow.caseNo}`);
  }, 120_000);
});

describe('registration drafts and visits (issue 18 items 3 and 10)', () => {
  it('attached files survive a reload and an expired sign-in, go on 退出; a visit asks for 来访材料', async () => {
    const page = await pageAs('clerk1');
    await page.goto('/#/register');
    await pageShown(page, '/register');
    await page.getByRole('heading', { name: '来信扫描件' }).waitFor();
    await page.getByLabel('信访形式').selectOption('visit');
    await page.getByRole('heading', { name: '来访材料' }).waitFor();
    expect(await page.getByRole('heading', { name: '来信扫描件' }).count()).toBe(0);
    const file = { name: '来访人递交的材料.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await scannedPdf('visit materials')) };
    const attached = () => page.locator('.shell[data-path="/register"] .fd-name', { hasText: file.name });
    await page.getByLabel('选择或拖入来访人递交的材料').setInputFiles(file);
    await attached().waitFor();

    // A reload keeps the typed draft and the attached file.
    await page.reload();
    await pageShown(page, '/register');
    await page.getByText('已恢复上次添加的 1 个文件').waitFor();
    await attached().waitFor();
    expect(await page.getByLabel('信访形式').inputValue()).toBe('visit');

    // The session expires (the API refuses the token): the same user signs in again and keeps it.
    await page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('xf.session'));
      s.token = s.token.slice(0, -4) + 'AAAA';
      localStorage.setItem('xf.session', JSON.stringify(s));
    })()`);
    await page.goto('/#/search');
    await page.getByText('登录已过期').waitFor();
    await page.locator('[data-username="clerk1"]').click();
    // The same user is taken back to where the session ended (the test 'a refused token says
    // 登录已过期' checks where): let that landing finish before going on to 登记.
    await page.locator('nav[aria-label="主导航"]').waitFor();
    await page.waitForLoadState('networkidle');
    if (new URL(page.url()).hash !== '#/register') await page.goto('/#/register');
    await pageShown(page, '/register');
    await attached().waitFor();

    // 退出 forgets them: the next user of this browser starts with an empty form.
    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('[data-username="clerk1"]').waitFor();
    await signIn(page, 'clerk1');
    await page.goto('/#/register');
    await pageShown(page, '/register');
    await page.getByRole('heading', { name: '来信扫描件' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await attached().count()).toBe(0);
  }, 120_000);
});

describe('printing (issue 18 item 11)', () => {
  it('prints the case page without the navigation, buttons or upload box, and hands out the 登记表 as PDF', async () => {
    const page = await pageAs('clerk1');
    await openCase(page, flow.caseNo);
    expect(await page.locator('.file-drop').first().isVisible()).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('group', { name: '打印' }).getByRole('button', { name: '登记表' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^信访事项登记表_${flow.caseNo}_.*\\.pdf$`));
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['nav', 'button', '.file-drop', '.card-actions', '.topbar']) {
      const shown = await page
        .locator(hidden)
        .evaluateAll((els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).length);
      expect(shown, hidden).toBe(0);
    }
    expect(await page.locator('main').innerText()).toContain(flow.caseNo);
    await page.emulateMedia({ media: 'screen' });
  }, 120_000);
});

describe('due dates in lists (issue 18 item 4)', () => {
  it('lists show the statutory deadline now counting: 受理告知期限 of a registered case, 办理期限 with the department date beside', async () => {
    const clerk = await stack.token('clerk1');
    const registered = (await stack.api.get('/cases?status=registered&limit=50', { token: clerk })).json.items as { caseNo: string }[];
    const late = [];
    for (const { caseNo } of registered) {
      const c = (await stack.api.get(`/cases/${caseNo}`, { token: clerk })).json as { caseNo: string; clocks: { notify?: { due: string; status: string } } };
      if (c.clocks.notify?.status === 'running' && c.clocks.notify.due < TODAY) late.push(c);
    }
    expect(late.length, 'the demo has a registered case past its 受理告知期限').toBeGreaterThan(0);
    const overdue = late[0] as { caseNo: string; clocks: { notify: { due: string } } };

    const page = await pageAs('clerk1');
    await page.goto(`/#/search?caseNo=${overdue.caseNo}`);
    const row = page.locator(`tr[data-case-no="${overdue.caseNo}"]`);
    await row.waitFor();
    const text = await row.innerText();
    const [y, m, d] = overdue.clocks.notify.due.split('-').map(Number);
    expect(text).toContain(`${y}年${m}月${d}日`);
    expect(text).toContain('受理告知期限');
    expect(text).toMatch(/逾期 \d+ 天/);
    expect(await row.getAttribute('class')).toContain('row-overdue');

    // The department's inbox: the statutory 办理期限 first, its own earlier date beside it.
    const assigned = (await stack.api.get('/cases?status=assigned&limit=1', { token: clerk })).json.items as { caseNo: string }[];
    expect(assigned.length, 'the demo has an assigned case').toBe(1);
    const inboxCase = (await stack.api.get(`/cases/${assigned[0]?.caseNo}`, { token: clerk })).json as {
      caseNo: string;
      deptCode: string;
      clocks: { handling: { due: string }; departmentDue: { due: string } };
    };
    // The demo's department users are named after their department (hrss1, housing1, …).
    const dept = await pageAs(`${inboxCase.deptCode.toLowerCase()}1`);
    await dept.goto('/#/inbox');
    const inboxRow = dept.locator(`tr[data-case-no="${inboxCase.caseNo}"]`);
    await inboxRow.waitFor();
    const cn = (iso: string) => {
      const [a, b, e] = iso.split('-').map(Number);
      return `${a}年${b}月${e}日`;
    };
    expect(await inboxRow.locator('td[data-clock="handling"]').innerText()).toMatch(
      new RegExp(`^${cn(inboxCase.clocks.handling.due)}\\s+办理期限\\s+承办单位 ${cn(inboxCase.clocks.departmentDue.due)}$`),
    );
  }, 120_000);
});

describe('the case page after a decision and an answer (issue 18 item 13)', () => {
  it("批办决定 shows the director's comment, and the success message stays after 承办答复", async () => {
    const t = await tokens(stack);
    const reg = await stack.api.post('/cases', registration({ receivedOn: TODAY }), { token: t.clerk, headers: { 'idempotency-key': 'friction-13' } });
    expect(reg.status, reg.text).toBe(201);
    const caseNo: string = reg.json.case.caseNo;
    const proposed = await stack.api.post(
      `/cases/${caseNo}/propose`,
      { action: 'accept', deptCode: 'HRSS', reason: '王芳拟：属人社局职责范围' },
      { token: t.clerk, headers: ifMatch(reg.json.case.version) },
    );
    expect(proposed.status, proposed.text).toBe(200);
    const approved = await stack.api.post(
      `/cases/${caseNo}/approve-proposal`,
      { comment: '同意，请人社局从快办理', warningsOverride: '不同事项' },
      { token: t.director, headers: ifMatch(proposed.json.version) },
    );
    expect(approved.status, approved.text).toBe(200);

    const page = await pageAs('hrss1');
    await openCase(page, caseNo);
    const decision = await page.locator('dt', { hasText: '批办决定' }).locator('xpath=following-sibling::dd[1]').innerText();
    expect(decision).toContain('同意，请人社局从快办理');
    expect(decision).not.toContain('王芳拟');

    await page.locator('[data-action="answer"]').click();
    const form = page.locator('form[data-action-form="answer"]');
    await form.getByLabel('信访人诉求').fill('请求支付拖欠工资');
    await form.getByLabel('调查核实的事实').fill('经调查核实，情况属实。');
    await form.getByLabel('处理意见').fill('责令该公司足额支付。');
    await form.getByLabel('处理结论').selectOption('support');
    await form.getByLabel('法律依据').fill('《保障农民工工资支付条例》第三条');
    await form.getByTestId('confirm-action').click();
    await page.getByText('已承办答复').waitFor();
    // The department has no action left, and the message is still there once the case is read again.
    await expect.poll(async () => (await stack.api.get(`/cases/${caseNo}`, { token: t.clerk })).json.status).toBe('answered');
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('已承办答复').count()).toBe(1);
  }, 120_000);
});

/** A date written the ISO way ('2026-09-14'), which people should never read. */
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

describe('Chinese labels and Beijing time (issue 18 items 6 and 7)', () => {
  it('the case page and the demo read in Chinese: no ISO dates, no department codes in the demo text', async () => {
    const clerk = await stack.token('clerk1');
    const assigned = (await stack.api.get('/cases?status=assigned&limit=1', { token: clerk })).json.items as { caseNo: string }[];
    const page = await pageAs('clerk1');
    for (const caseNo of [flow.caseNo, assigned[0]?.caseNo as string]) {
      await openCase(page, caseNo);
      await page.waitForLoadState('networkidle');
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(ISO_DATE);
      expect(text).not.toMatch(/属[A-Z]+职责范围/);
    }
  }, 120_000);

  it('an archive package archived at 00:39 Beijing time is dated that day, with titles instead of file names, and 立即检查 instead of a command', async () => {
    const t = await tokens(stack);
    const c = (await stack.api.get(`/cases/${flow.caseNo}`, { token: t.clerk })).json;
    // After the review window: closed, then archived at 00:39 on a Beijing morning (16:39 UTC the day before).
    stack.clock.set(`${c.clocks.reviewRequestWindow.due}T02:00:00Z`);
    stack.clock.advanceDays(1);
    const closed = await stack.api.post(`/cases/${flow.caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(c.version) });
    expect(closed.status, closed.text).toBe(200);
    const day = stack.clock.now().toISOString().slice(0, 10);
    stack.clock.set(`${day}T16:39:00Z`);
    const run = await stack.api.post('/archive/run', { caseNos: [flow.caseNo] }, { token: t.archivist });
    expect(run.status, run.text).toBe(200);
    const archived = (await stack.api.get(`/cases/${flow.caseNo}`, { token: t.clerk })).json;
    const archiveNo: string = archived.archive.archiveNo;
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const beijingDay = `${next.getUTCFullYear()}年${next.getUTCMonth() + 1}月${next.getUTCDate()}日`;

    const page = await pageAs('archivist1');
    await page.goto(`/#/archive/packages/${encodeURIComponent(archiveNo)}`);
    await page.locator('tr[data-path]').first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(`${beijingDay} 00:39`);
    expect(text).not.toMatch(ISO_DATE);
    expect(text).not.toMatch(/originals\/|metadata\.json|manifest\.json|manifest/);
    // 锁定至: the lock's last day in Beijing as well.
    const pkg = (await stack.api.get(`/archive/packages/${encodeURIComponent(archiveNo)}`, { token: t.archivist })).json as { lockUntil: string };
    const lockInBeijing = new Date(new Date(pkg.lockUntil).getTime() + 8 * 3600_000);
    const lock = await page.locator('dt', { hasText: '锁定' }).locator('xpath=following-sibling::dd[1]').innerText();
    expect(lock).toContain(`${lockInBeijing.getUTCFullYear()}年${lockInBeijing.getUTCMonth() + 1}月${lockInBeijing.getUTCDate()}日`);

    // 立即检查 on the package's page: its files re-hashed now, the verdict in Chinese.
    await page.getByRole('button', { name: '立即检查' }).click();
    await page.getByText(/已检查 1 件档案、\d+ 个文件；未发现问题。/).waitFor();

    // The fixity page tells the archivist of no command: 立即检查 takes archive or case numbers,
    // and the new report (立即检查, with who asked) heads the list.
    await page.goto('/#/archive/fixity');
    await page.getByRole('heading', { name: '完整性检查', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('npm run');
    await page.getByLabel('档号或案件编号').fill(`${flow.caseNo}，XF-2099-999999`);
    await page.getByRole('form', { name: '立即检查' }).getByRole('button', { name: '立即检查' }).click();
    await page.getByText(/已检查 1 件档案、\d+ 个文件；未发现问题；未找到档案：XF-2099-999999。/).waitFor();
    await page.locator('.archive-report', { hasText: '立即检查' }).first().waitFor();
  }, 120_000);
});
