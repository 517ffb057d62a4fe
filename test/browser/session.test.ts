/**
 * The web application's sign-in session in a real browser, against the local stack with no seeded
 * data: the page keeps still while nobody uses it, whatever the computer's clock says.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../local/web';
import { startTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, signIn } from '../support/browser';

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [, s, b] = await Promise.all([ensureWebBuild({ quiet: true }), startTestStack(), launchBrowser()]);
  stack = s;
  browser = b;
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

/** Counts, in the page, every read of the stored session (each request reads it, and each expiry check). */
const COUNT_SESSION_READS = `(() => {
  window.__sessionReads = 0;
  const get = Storage.prototype.getItem;
  Storage.prototype.getItem = function (key) {
    if (key === 'xf.session') window.__sessionReads++;
    return get.call(this, key);
  };
})()`;

describe('the session', () => {
  it('is not read over and over by an idle page when the computer clock is weeks behind the issuer', async () => {
    // The token expires in an hour by the issuer's clock: 60 days and an hour from this page's now,
    // beyond the longest wait setTimeout honours (about 24.8 days; a longer one runs at once).
    const context = await newContext(browser, stack.baseUrl);
    contexts.push(context);
    const pageNow = Date.now() - 60 * 86_400_000;
    await context.clock.install({ time: pageNow });
    const page = await context.newPage();
    await signIn(page, 'director1');
    await page.waitForLoadState('networkidle');
    // From here the page's timers run only as the test says: they catch up to six minutes, then a minute passes.
    await page.clock.pauseAt(pageNow + 6 * 60_000);
    await page.evaluate(COUNT_SESSION_READS);
    await page.clock.runFor(60_000);
    // Nothing happened on the page, so nothing read the session (an expiry check due at once does, in a loop).
    expect(await page.evaluate('window.__sessionReads')).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/approvals');
  });
});
