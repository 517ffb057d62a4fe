/**
 * Headless Chromium for the browser tests, driven by Playwright (playwright-core): the machine's
 * Chromium (`apt-get install chromium`, see .ci/run), never a browser Playwright downloads.
 */
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { LOCAL_TOKEN_TTL_SEC } from '../../local/issuer';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags that keep Chromium quiet on a machine with no outside network. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}: \`npm test\` installs it (scripts/ensure-chromium.mjs), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * A fresh context (own session storage) of the size the README screenshots use, its clock set to
 * the stack's when `now` is given (else the page runs on the machine's clock).
 *
 * The local issuer mints tokens on the machine's clock (valid for LOCAL_TOKEN_TTL_SEC), and the
 * web app drops a session whose `exp` is past by the page's clock (lib/auth currentSession): a
 * page clock set beyond the token's expiry signs the user out on the first request (no token,
 * 401, back to the sign-in page). So a stack clock ahead of the machine's cannot be the page's.
 */
export async function newContext(browser: Browser, baseUrl: string, now?: Date): Promise<BrowserContext> {
  if (now && now.getTime() > Date.now() + (LOCAL_TOKEN_TTL_SEC - 600) * 1000) {
    throw new Error(
      `newContext: the page clock ${now.toISOString()} is past the expiry of a token minted now (${new Date().toISOString()}); the page would drop the session at once. Omit \`now\` (the page keeps the machine's clock) or start the stack's clock in the past.`,
    );
  }
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  // A missing element fails the test naming the locator, well before the test's own timeout.
  context.setDefaultTimeout(20_000);
  // The page's "today" (default dates, days left) is the test stack's FakeClock, not the machine's.
  if (now) await context.clock.setFixedTime(now);
  return context;
}

/**
 * Signs in on the local sign-in page by picking a demo user; resolves when the landing page shows:
 * the page `hash` names (a link opened before signing in), else the user's home page, rendered.
 * The navigation bar alone is not enough: it shows while the landing page is still loading, and a
 * test that navigates on at once races the application's own landing.
 */
export async function signIn(page: Page, username: string, hash = ''): Promise<void> {
  await page.goto(`/${hash ? `#${hash}` : ''}`);
  await page.locator(`[data-username="${username}"]`).click();
  await page.locator('nav[aria-label="主导航"]').waitFor();
  await page.waitForURL((url) => (hash ? url.hash === `#${hash}` : !['', '#', '#/', '#/signin'].includes(url.hash)));
  await pageShown(page, new URL(page.url()).hash.slice(1).split('?')[0] as string);
}

/**
 * Resolves when the application shows the page of `path` ('/search', '/cases/XF-2026-000001'),
 * rendered (its heading, or a case page's loaded case). After a navigation the page on screen
 * stays until the next one is ready: waiting for any heading, or for any case page, would find
 * the page before.
 */
export async function pageShown(page: Page, path: string): Promise<void> {
  const shell = page.locator(`.shell[data-path="${path}"]`);
  const caseNo = /^\/cases\/([^/]+)$/.exec(path)?.[1];
  if (caseNo) await shell.locator(`[data-testid="case-page-ready"][data-case-no="${decodeURIComponent(caseNo)}"]`).waitFor();
  else await shell.locator('main.page h1').first().waitFor();
}

/** Opens the case page of `caseNo`; resolves when that case (not the one shown before) is on screen. */
export async function openCase(page: Page, caseNo: string): Promise<void> {
  await page.goto(`/#/cases/${encodeURIComponent(caseNo)}`);
  await pageShown(page, `/cases/${encodeURIComponent(caseNo)}`);
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
export const README_IMAGES = join(repoRoot, 'docs', 'images');

/**
 * A full-width screenshot to test-results/screenshots/<name>.png; with UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`) also to docs/images/<name>.png, where the README shows it.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; readme?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  if (process.env.UPDATE_SCREENSHOTS === '1' && options.readme !== false) {
    mkdirSync(README_IMAGES, { recursive: true });
    copyFileSync(file, join(README_IMAGES, `${name}.png`));
  }
  return file;
}

/** Records the JavaScript a page loads (URL and gzip size of each response body). */
export function recordScripts(page: Page): { scripts: Map<string, number>; total(): Promise<number> } {
  const scripts = new Map<string, number>();
  const pending: Promise<unknown>[] = [];
  page.on('response', (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (!type.includes('javascript')) return;
    pending.push(
      res
        .body()
        .then((body) => scripts.set(res.url(), gzipSync(body, { level: 9 }).length))
        .catch(() => undefined),
    );
  });
  return {
    scripts,
    total: async () => {
      await Promise.all(pending);
      return [...scripts.values()].reduce((a, b) => a + b, 0);
    },
  };
}
