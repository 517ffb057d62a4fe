#!/usr/bin/env node
/**
 * Before the tests: the browser tests drive the machine's Chromium (Playwright cannot download
 * its own here), with CJK fonts for the Chinese pages. When they are missing, this installs them
 * from Debian's packages (as root, or with passwordless sudo), so `npm test` needs nothing
 * installed by hand. CHROMIUM_PATH points at another Chromium and skips all of this.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function installed(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .includes('install ok installed');
  } catch {
    return false;
  }
}

if (process.env.CHROMIUM_PATH) {
  if (existsSync(process.env.CHROMIUM_PATH)) process.exit(0);
  console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  process.exit(1);
}
if (existsSync(CHROMIUM) && installed('fonts-noto-cjk')) process.exit(0);

const hint = 'The browser tests need Chromium and CJK fonts: `sudo apt-get install chromium fonts-noto-cjk`, or set CHROMIUM_PATH.';
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const run = (args) => {
  const [cmd, ...rest] = asRoot ? ['apt-get', ...args] : ['sudo', '-n', 'apt-get', ...args];
  execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};
try {
  console.log('Installing Chromium and CJK fonts for the browser tests (apt-get install chromium fonts-noto-cjk)…');
  run(['update', '-qq']);
  run(['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk']);
} catch {
  console.error(`Could not install them. ${hint}`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`Installed, but there is no ${CHROMIUM}. ${hint}`);
  process.exit(1);
}
console.log('Chromium installed.');
