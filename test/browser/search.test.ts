/**
 * 案件查询 in a real browser (issue 14): the clerk finds a petitioner by name alone and a letter by
 * a phrase of its text, sees the total and the matched words marked; a department finds only its
 * own. Cases of the relevance corpus (test/support/search-corpus.ts) registered through the API.
 * Takes the README's screenshot of the search (`npm run screenshots`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { CORPUS, registrationOf } from '../support/search-corpus';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch } from '../e2e/helpers';

const NOW = '2026-06-01T02:00:00Z';
/** The cases registered: the first 24 of the corpus, those with a department assigned to it. */
const CASES = CORPUS.slice(0, 24);

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const caseNoOf = new Map<string, string>();

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack({ now: NOW }), launchBrowser()]);
  stack = s;
  browser = b;
  const [clerk, director] = await Promise.all([stack.token('clerk1'), stack.token('director1')]);
  for (const c of CASES) {
    const reg = await stack.api.post('/cases', registrationOf(c), { token: clerk });
    expect(reg.status, JSON.stringify(reg.json)).toBe(201);
    caseNoOf.set(c.key, reg.json.case.caseNo);
    if (c.dept !== 'HOUSING') continue;
    const accepted = await stack.api.post(`/cases/${reg.json.case.caseNo}/accept`, {}, { token: director, headers: ifMatch(1) });
    const assigned = await stack.api.post(
      `/cases/${reg.json.case.caseNo}/assign`,
      { deptCode: c.dept },
      { token: director, headers: ifMatch(accepted.json.version) },
    );
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
  }
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

async function pageAs(username: string): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl, stack.clock.now());
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, username, '/search');
  return page;
}

async function searchFor(page: Page, words: string): Promise<void> {
  await page.getByLabel('关键词').fill(words);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const wanted = new URLSearchParams({ q: words }).toString();
  await page.waitForURL((url) => url.hash.includes(wanted));
}

const rows = (page: Page) => page.locator('.case-table tbody tr');
/** The case numbers listed, in order. */
const listed = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case-no')));
const title = (page: Page) => page.locator('h2', { hasText: '查询结果' }).textContent();
const keys = (...k: string[]) => k.map((x) => caseNoOf.get(x));

describe('案件查询 with words', () => {
  it('finds a petitioner by name alone, shows the total and marks the name', async () => {
    const page = await pageAs('clerk1');
    await searchFor(page, '张建华');
    // Both of his cases (the newer first; not 张建国's), the total, the name marked in each.
    await expect.poll(() => listed(page)).toEqual(keys('road-zhang', 'wage-zhang'));
    expect(await title(page)).toContain('共 2 件');
    // Marked in the names of both rows, and in the letter of the first case (我叫张建华).
    expect(await rows(page).locator('.hit', { hasText: '信访人' }).locator('mark').allTextContents()).toEqual(['张建华', '张建华']);
    expect(await rows(page).nth(1).locator('.hit', { hasText: '来信全文' }).locator('mark').allTextContents()).toEqual(['张建华']);
    expect(new Set(await page.locator('.case-table mark').allTextContents())).toEqual(new Set(['张建华']));
    await screenshot(page, 'web-search');
  });

  it('finds a letter by a phrase of its full text and marks it there', async () => {
    const page = await pageAs('clerk1');
    await searchFor(page, '血汗钱');
    await expect.poll(() => listed(page)).toEqual(keys('wage-zhang'));
    expect(await title(page)).toContain('共 1 件');
    const hit = page
      .locator('.case-table .hit')
      .filter({ has: page.locator('mark') })
      .first();
    expect(await hit.locator('.hit-label').textContent()).toContain('来信全文');
    expect(await hit.locator('mark').allTextContents()).toEqual(['血汗钱']);
  });

  it('several words must all occur; a phrase must occur as typed', async () => {
    const page = await pageAs('clerk1');
    await searchFor(page, '石门镇');
    await expect.poll(() => listed(page)).toEqual(keys('road-zhang', 'land-comp-shimen'));
    await searchFor(page, '征地补偿 石门村');
    await expect.poll(() => listed(page)).toEqual(keys('land-comp-shimen'));
    await searchFor(page, '路面 破损');
    await expect.poll(() => listed(page)).toEqual(keys('road-zhang', 'road-far-apart'));
    await searchFor(page, '路面破损');
    await expect.poll(() => listed(page)).toEqual(keys('road-zhang'));
    expect(await title(page)).toContain('共 1 件');
  });

  it('a department finds only its own cases', async () => {
    const page = await pageAs('housing1');
    await searchFor(page, '张建华');
    await expect.poll(() => listed(page)).toEqual(keys('road-zhang'));
    expect(await title(page)).toContain('共 1 件');
  });
});
