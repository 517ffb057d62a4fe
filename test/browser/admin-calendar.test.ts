/**
 * 节假日日历 (#/admin/calendar) in a real browser: the admin signs in, opens the calendar from the
 * navigation, picks 2027 (provisional, with the statutory rule it is derived from), pastes the
 * notice's holiday blocks and make-up working days, previews what saving would move (the case
 * seeded here has a provisional 2027 handling clock that the notice moves), saves, and the page
 * then shows 2027 as loaded; through the API the case's clock is re-derived with an audit event.
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
let caseNo = '';

/** The 2027 notice as an admin pastes it (test data, not the real notice): blocks, one make-up Saturday. */
const HOLIDAYS = [
  '2027-01-01至2027-01-03',
  '2027-02-05至2027-02-12',
  '2027-04-03至2027-04-05',
  '2027-05-01至2027-05-05',
  '2027-06-09',
  '2027-09-15',
  '2027-10-01至2027-10-07',
].join('\n');
const MAKEUP = '2027-02-20\n2027-10-09';

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: '2026-12-07T02:00:00Z', outboxPollMs: 0 }), launchBrowser()]);
  stack = s;
  browser = b;
  // Registered and accepted on 2026-12-07: the handling clock (60 days) ends on 2027-02-05, inside
  // the provisional 春节 block (5–10 Feb), so it is due 2027-02-11 and provisional.
  const t = await tokens(stack);
  const reg = await stack.api.post('/cases', registration({ receivedOn: '2026-12-07' }), {
    token: t.clerk,
    headers: { 'idempotency-key': 'browser-calendar' },
  });
  expect(reg.status, reg.text).toBe(201);
  caseNo = reg.json.case.caseNo;
  const accepted = await stack.api.post(
    `/cases/${caseNo}/accept`,
    { warningsOverride: '不同事项' },
    { token: t.director, headers: ifMatch(reg.json.case.version) },
  );
  expect(accepted.status, accepted.text).toBe(200);
  stack.clock.set('2026-12-10T02:00:00Z');
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts) for (const p of c.pages()) await screenshot(p, `failed-calendar-${n++}`, { fullPage: true, readme: false }).catch(() => undefined);
});

/**
 * A page signed in as `username`. Its clock stays the machine's: the stack's (December 2026) may be
 * ahead of it, and a page clock past the token's expiry drops the session (see newContext).
 */
async function pageAs(username: string): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl);
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}

async function handlingClock(): Promise<{ due: string; derivation: { provisionalYears?: number[] } }> {
  const res = await stack.api.get(`/cases/${caseNo}`, { token: await stack.token('clerk1') });
  expect(res.status).toBe(200);
  return res.json.clocks.handling;
}

describe('节假日日历 in a browser', () => {
  it('the admin loads the 2027 notice: preview shows the moved clock, saving re-derives it', async () => {
    expect(await handlingClock()).toMatchObject({ due: '2027-02-11', derivation: { provisionalYears: [2027] } });

    const page = await pageAs('admin1');
    await page.goto('/#/admin/calendar');
    await page.getByRole('heading', { name: '节假日日历', level: 1 }).waitFor();

    await page.getByLabel('年份').selectOption('2027');
    await page.getByRole('heading', { name: '2027年 · 暂定（按法定节假日推算）' }).waitFor();
    expect(await page.getByText('2027年节假日安排尚未录入').innerText()).toContain('《全国年节及纪念日放假办法》');

    await page.getByLabel('放假日期').fill(HOLIDAYS);
    await page.getByLabel('调休上班日期').fill(MAKEUP);
    await page.getByLabel('通知文号').fill('国办发明电〔2026〕99号（测试）');
    await page.getByText('共 28 个放假日、2 个调休上班日。').waitFor();
    const save = page.getByRole('button', { name: '保存并重新计算期限' });
    expect(await save.isDisabled()).toBe(true);

    await page.getByRole('button', { name: '预览影响' }).click();
    const effect = page.locator('section.card', { has: page.getByRole('heading', { name: '预览：保存后的影响（尚未保存）' }) });
    await effect.waitFor();
    expect(await effect.innerText()).toContain('将调整 1 个案件的 1 个期限');
    const row = effect.getByRole('row', { name: new RegExp(caseNo) });
    expect(await row.innerText()).toMatch(/办理期限\s+2027年2月11日\s+2027年2月15日\s+顺延4日/);
    // A preview writes nothing.
    expect((await handlingClock()).due).toBe('2027-02-11');

    await save.click();
    await page.getByRole('heading', { name: '2027年 · 已录入（本机关维护）' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('年份').locator('option:checked').innerText()).toBe('2027年 · 已录入（本机关维护）');
    expect(await page.getByText('来源：国办发明电〔2026〕99号（测试）').count()).toBe(1);
    expect(await page.getByLabel('放假日期').inputValue()).toBe(HOLIDAYS);

    const clock = await handlingClock();
    expect(clock.due).toBe('2027-02-15');
    expect(clock.derivation.provisionalYears).toBeUndefined();
    const events = (await stack.api.get(`/cases/${caseNo}/timeline`, { token: await stack.token('clerk1') })).json.events as {
      type: string;
      data: { changes?: unknown };
    }[];
    expect(events.filter((e) => e.type === 'clock.rederived').map((e) => e.data.changes)).toEqual([
      [{ clock: 'handling', from: '2027-02-11', to: '2027-02-15', days: 4 }],
    ]);
  });
});
