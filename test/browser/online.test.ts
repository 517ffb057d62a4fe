/**
 * 网上信访 in a real browser (issue 17), one walk: on a 390-pixel-wide phone the petitioner goes
 * from the public query page to 网上信访, fills the form, gets the SMS code (the page solves the
 * proof-of-work challenge; the code is read from the local outbox folder), attaches a PDF and
 * submits; the receipt shows the case number and the query code. The clerk finds it in the
 * 网上信访 queue and proposes to accept it, the director approves (the API), the petitioner's SMS
 * of the acceptance lands in the outbox, and the public page shows the new status.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { ifMatch, scannedPdf } from '../e2e/helpers';
import { launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  const office = { online: { challengeMaxNumber: 300 } };
  const [, s, b] = await Promise.all([
    ensureWebBuild({ quiet: true }),
    startTestStack({ now: new Date(), outboxPollMs: 0, env: { OFFICE_CONFIG: JSON.stringify(office) } }),
    launchBrowser(),
  ]);
  stack = s;
  browser = b;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const PHONE = '13700001234';

function smsCode(): string | undefined {
  const dir = join(stack.outboxDir, 'sms');
  let files: string[];
  try {
    files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(`-${PHONE}.json`));
  } catch {
    return undefined;
  }
  const last = files.sort().at(-1);
  return last ? /验证码为(\d{6})/.exec((JSON.parse(readFileSync(join(dir, last), 'utf8')) as { text: string }).text)?.[1] : undefined;
}

describe('网上信访 on a phone', () => {
  it('submits with an attachment, is accepted from the clerk queue, and the petitioner hears of it', async () => {
    const phone = await newContext(browser, stack.baseUrl);
    const page = await phone.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/#/public');
    await page.getByRole('link', { name: '网上信访：提交新的信访事项' }).click();
    const form = page.locator('form[aria-label="网上信访"]');
    await form.waitFor();

    await form.getByLabel('姓名').fill('孙丽');
    await form.getByLabel('身份证号码').fill('11010519491231002X');
    await form.getByLabel('手机号码').fill(PHONE);
    await form.getByRole('button', { name: '获取验证码' }).click();
    await form.getByText('验证码已发送至137****1234').waitFor();
    await expect.poll(() => smsCode(), { timeout: 15_000 }).toMatch(/^\d{6}$/);
    await form.getByLabel('短信验证码').fill(smsCode() as string);
    await form.getByLabel('住址').fill('江川区宁海街道建设路12号');
    await form.getByLabel('问题属地').fill('江川区宁海街道');
    await form.getByLabel('问题类别').selectOption('labour');
    await form.getByLabel('标题').fill('请求协调解决拖欠工资问题');
    await form.getByLabel('诉求').fill('请求督促用人单位支付拖欠的工资。');
    await form.getByLabel('事实和理由').fill('本人在某公司务工，公司拖欠工资至今未付。');
    const dir = mkdtempSync(join(tmpdir(), 'xf-online-'));
    const file = join(dir, '欠条.pdf');
    writeFileSync(file, await scannedPdf('IOU'));
    await form.locator('input[type="file"]').setInputFiles(file);
    // Nothing scrolls sideways on the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await form.getByRole('button', { name: '提交' }).click();

    const caseNo = (await page.getByTestId('receipt-caseno').textContent()) as string;
    const queryCode = (await page.getByTestId('receipt-querycode').textContent()) as string;
    expect(caseNo).toMatch(/^XF-\d{4}-\d{6}$/);
    expect(queryCode).toMatch(/^[A-Z0-9]{8}$/);
    await screenshot(page, 'web-online-receipt');

    // The clerk: the 网上信访 queue, the case page, a proposal to accept.
    const office = await newContext(browser, stack.baseUrl);
    const clerk = await office.newPage();
    await signIn(clerk, 'clerk1', '/online-queue');
    await clerk.getByRole('link', { name: '网上信访' }).click();
    await clerk.getByRole('link', { name: caseNo }).click();
    await clerk.getByTestId('case-page-ready').waitFor();
    await clerk.locator('[data-action="propose"]').click();
    const propose = clerk.locator('form[data-action-form="propose"]');
    await propose.getByLabel('拟办意见').selectOption('accept');
    await propose.getByLabel('拟办理由').fill('材料齐全，属本机关职责范围，拟受理');
    await propose.getByTestId('confirm-action').click();
    const director = await stack.token('director1');
    await expect.poll(async () => (await stack.api.get(`/cases/${caseNo}`, { token: director })).json.proposal?.action, { timeout: 15_000 }).toBe('accept');
    const c = await stack.api.get(`/cases/${caseNo}`, { token: director });
    expect(c.json.documents.some((d: { kind: string }) => d.kind === 'attachment')).toBe(true);
    const approved = await stack.api.post(`/cases/${caseNo}/approve-proposal`, { comment: '同意受理' }, { token: director, headers: ifMatch(c.json.version) });
    expect(approved.status, approved.text).toBe(200);

    // The petitioner's SMS of the acceptance, in the outbox.
    await stack.drainOutbox();
    const sms = readdirSync(stack.outboxDir, { recursive: true })
      .map(String)
      .filter((f) => f.includes(caseNo) && f.includes('petitioner'));
    expect(sms).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(stack.outboxDir, sms[0] as string), 'utf8')).body).toContain(`编号${caseNo}）已受理`);

    // The public page shows the new status.
    await page.goto(`/#/public?caseNo=${caseNo}`);
    await page.getByLabel('查询码').fill(queryCode);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.locator('.pub-status').getByText('已受理').waitFor();
  });
});
