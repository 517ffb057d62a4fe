/**
 * 部门管理 and 用户管理 in a real browser (issue 16, the first "Done when"): the admin adds a
 * department and a user in it on the screens; that user signs in on the local sign-in page and
 * sees the department's empty inbox; a case is assigned to the new department (through the API,
 * as the director would); the admin renames the department and the case page shows the new name;
 * the admin disables the user, whose next request is refused (the page drops the session and the
 * sign-in page no longer offers the user). The 操作记录 screen lists each of these changes, and its
 * 立即校验 finds the trail's hash chain intact (no shell command shown to the admin).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { ifMatch, registration, tokens } from '../e2e/helpers';
import { startTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn } from '../support/browser';

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ outboxPollMs: 0 }), launchBrowser()]);
  stack = s;
  browser = b;
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts) for (const p of c.pages()) await screenshot(p, `failed-directory-${n++}`, { fullPage: true, readme: false }).catch(() => undefined);
});

async function pageAs(username: string): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl);
  contexts.push(context);
  const page = await context.newPage();
  // Confirmations (停用, 撤销) are accepted.
  page.on('dialog', (d) => void d.accept());
  await signIn(page, username);
  return page;
}

describe('部门管理 and 用户管理 in a browser', () => {
  it('the admin adds a department and its user, who works there until renamed and disabled', async () => {
    const admin = await pageAs('admin1');
    await admin.goto('/#/admin/departments');
    await admin.getByRole('heading', { name: '部门管理', level: 1 }).waitFor();
    await admin.getByLabel('部门代码').fill('water');
    await admin.getByLabel('部门名称').fill('水务局');
    await admin.getByRole('button', { name: '添加部门' }).click();
    await admin.getByText('已添加部门：水务局').waitFor();
    expect(await admin.getByRole('row', { name: /WATER/ }).innerText()).toMatch(/WATER\s+水务局\s+在用\s+0/);

    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '用户管理' }).click();
    await admin.getByRole('heading', { name: '用户管理', level: 1 }).waitFor();
    await admin.getByLabel('姓名').fill('钱多多');
    await admin.getByLabel('登录名').fill('water1');
    await admin.getByLabel('角色').selectOption({ label: '承办单位' });
    await admin.getByLabel('部门').selectOption({ label: '水务局' });
    await admin.getByLabel('电话').fill('13900001111');
    await admin.getByRole('button', { name: '创建用户' }).click();
    await admin.getByText('已创建用户：钱多多（water1）').waitFor();
    expect(await admin.getByRole('row', { name: /water1/ }).innerText()).toMatch(/钱多多\s+water1\s+承办单位\s+水务局\s+13900001111\s+启用/);

    // The new user signs in on the local sign-in page and lands on the department's empty inbox.
    const water = await pageAs('water1');
    await water.getByRole('heading', { name: '待办案件', level: 1 }).waitFor();
    await water.getByText('暂无待办案件').waitFor();

    // A case is assigned to the new department.
    const t = await tokens(stack);
    const reg = await stack.api.post('/cases', registration(), { token: t.clerk, headers: { 'idempotency-key': 'browser-directory' } });
    expect(reg.status, reg.text).toBe(201);
    const caseNo = reg.json.case.caseNo as string;
    const accepted = await stack.api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(reg.json.case.version) });
    expect(accepted.status, accepted.text).toBe(200);
    const assigned = await stack.api.post(`/cases/${caseNo}/assign`, { deptCode: 'WATER' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status, assigned.text).toBe(200);

    await water.reload();
    await water.getByRole('link', { name: caseNo }).click();
    const department = water.locator('dl.key-dates div', { has: water.getByText('承办单位', { exact: true }) }).locator('dd');
    expect(await department.innerText()).toBe('水务局');
    // People by name, not by login: the timeline names the clerk and the director.
    await water.getByText('李建国').first().waitFor();
    const page = await water.locator('main').innerText();
    for (const login of ['clerk1', 'director1']) expect(page).not.toContain(login);
    expect(page).toContain('王芳');

    // The admin renames the department; the case page shows the new name.
    await admin.goto('/#/admin/departments');
    await admin.getByRole('row', { name: /WATER/ }).getByRole('button', { name: '更名' }).click();
    await admin.getByLabel('WATER 新名称').fill('水利局');
    await admin.getByRole('button', { name: '保存名称' }).click();
    await admin.getByText('已将 WATER 更名为：水利局').waitFor();
    await water.reload();
    await water.locator('dl.key-dates').waitFor();
    expect(await department.innerText()).toBe('水利局');

    // The admin disables the user: their next request is refused, and they are offered no more.
    await admin.goto('/#/admin/users');
    await admin
      .getByRole('row', { name: /water1/ })
      .getByRole('button', { name: '停用' })
      .click();
    await admin.getByText('已停用：钱多多').waitFor();
    await water.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待办案件' }).click();
    await water.getByRole('heading', { name: '登录（本地演示）' }).waitFor();
    await water.locator('[data-username="admin1"]').waitFor();
    expect(await water.locator('[data-username="water1"]').count()).toBe(0);

    // Every change is in the office's trail.
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '操作记录' }).click();
    await admin.getByRole('heading', { name: '操作记录', level: 1 }).waitFor();
    const rows = admin.getByRole('row');
    await rows.nth(4).waitFor();
    const text = await admin.locator('table').innerText();
    for (const line of ['添加部门', '创建用户', '部门更名', '水务局 → 水利局', '停用用户', '刘洋']) expect(text).toContain(line);
    // The user's department by its name (the vocabulary reloaded after the admin's changes), not its code twice.
    expect(text).toContain('部门：水利局（WATER）');
    expect(text).not.toContain('WATER（WATER）');
    // 立即校验 checks the hash chain and says so in Chinese, in Beijing time; no command is shown to the admin.
    await admin.getByRole('button', { name: '立即校验' }).click();
    const verdict = admin.getByRole('status').filter({ hasText: '哈希链完整' });
    await verdict.waitFor();
    expect(await verdict.innerText()).toMatch(/^已校验 \d+ 条记录，哈希链完整（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）$/);
    expect(await admin.locator('main').innerText()).not.toContain('npm run');
    await screenshot(admin, 'web-admin-audit');
  }, 180_000);

  it('the admin changes the reminder days, a future case-number prefix and a letter template from the screens, each checked and audited', async () => {
    const admin = await pageAs('admin1');
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统设置' }).click();
    await admin.getByRole('heading', { name: '系统设置', level: 1 }).waitFor();
    // A value the sweep would refuse is explained in Chinese next to its field; nothing is sent.
    const reminders = admin.getByLabel('到期提醒（提前工作日）');
    expect(await reminders.inputValue()).toBe('5、1');
    await reminders.fill('40、5');
    await admin.getByRole('button', { name: '保存督办与提醒' }).click();
    await admin.getByText('“40”：应在 1–30 个工作日 之间').waitFor();
    await reminders.fill('10、5、1');
    await admin.getByRole('button', { name: '保存督办与提醒' }).click();
    await admin.getByText('已保存：督办与提醒').waitFor();
    expect(await admin.getByLabel('到期提醒（提前工作日）').inputValue()).toBe('10、5、1');

    // A new case-number prefix from next year: this year's numbers stay one series.
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    await admin.getByLabel('新前缀自哪一年起使用').fill(String(year));
    await admin.getByLabel('新前缀', { exact: true }).fill('jx');
    await admin.getByRole('button', { name: '保存案件编号前缀' }).click();
    await admin.getByText(`新前缀只能自以后年度起使用（${year + 1} 年或以后）`).waitFor();
    await admin.getByLabel('新前缀自哪一年起使用').fill(String(year + 1));
    await admin.getByRole('button', { name: '保存案件编号前缀' }).click();
    await admin.getByText(`自 ${year + 1} 年起：JX-${year + 1}-000001`).waitFor();
    const settings = await stack.api.get('/admin/settings', { token: await stack.token('admin1') });
    expect(settings.json.settings.sweep.reminderWorkingDays).toEqual([10, 5, 1]);
    expect(settings.json.settings.caseNumberPrefixes).toEqual([{ fromYear: year + 1, prefix: 'JX' }]);

    // 信函模板: an unknown placeholder is named as it is typed; the PDF is previewed, then saved.
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '信函模板' }).click();
    await admin.getByRole('button', { name: '编辑转送告知书' }).click();
    const text = admin.getByLabel(/^措辞/);
    await text.fill('{{petitionerName}}同志，你反映的事项已转{{receivingOrgan}}办理，请于{{deadline}}前联系。');
    await admin.getByText('未知的占位符：{{deadline}}').waitFor();
    expect(await admin.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    await text.fill('{{petitionerName}}同志，你反映的事项已转{{receivingOrgan}}办理，请与其联系。');
    await admin.getByRole('button', { name: '预览PDF' }).click();
    await admin.getByTestId('template-preview').getByText('预览：转送告知书，共 1 页').waitFor();
    await admin.getByTestId('template-preview').locator('canvas, img').first().waitFor();
    await screenshot(admin, 'web-admin-template', { readme: false });
    await admin.getByRole('button', { name: '保存' }).click();
    await admin.getByText('已保存《转送告知书》第 1 版').waitFor();
    await admin.getByRole('cell', { name: '第 1 版' }).waitFor();
    expect(await admin.getByRole('row', { name: /转送告知书/ }).innerText()).toMatch(/转送告知书\s+本机关修改\s+第 1 版\s+刘洋/);

    // Both changes are in the office's trail, by name.
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '操作记录' }).click();
    await admin.getByRole('cell', { name: '修改文书模板' }).waitFor();
    const trail = await admin.locator('table').innerText();
    for (const line of ['修改系统设置', '到期提醒（提前工作日）：5、1 → 10、5、1', '修改文书模板', 'transfer-notice']) expect(trail).toContain(line);
  }, 180_000);
});
