/**
 * `npm start`: the whole registry on this machine, data under .data/ at the repository root.
 * PORT (default 3000) sets the gateway's port. Ctrl-C, SIGTERM or SIGHUP stops everything, including
 * DynamoDB Local's JVM; a second Ctrl-C exits at once (the JVM still goes: see local/emulators.ts).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Only the emulators' module before DynamoDB Local is spawned: its JVM takes 2–3 s to answer, which
// overlap the loading of the rest (the stack, the gateway, the handlers' modules; issue 18 item 14).
import { DEFAULT_PORTS, portOrFree, startDynamoDbLocal } from './emulators';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// XF_DATA_DIR: another data folder (as for the command-line tools, local/connect.ts).
const dataDir = process.env.XF_DATA_DIR ? resolve(process.env.XF_DATA_DIR) : fileURLToPath(new URL('../.data/', import.meta.url));
const port = process.env.PORT === undefined || process.env.PORT === '' ? 3000 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, got ${process.env.PORT}`);
  process.exit(1);
}

const started = Date.now();
// Whether this is a first start: before DynamoDB Local creates its folder.
const freshData = !existsSync(join(dataDir, 'dynamodb'));
const dynamodbStarting = portOrFree(port === 0 ? 0 : DEFAULT_PORTS.dynamodb).then((p) => startDynamoDbLocal({ port: p, dataDir: join(dataDir, 'dynamodb') }));
dynamodbStarting.catch(() => undefined); // reported by startStack, which awaits it
const [{ STACK_FILE }, { printTokenHelp }, { formatHealReport }, { POSTINGS_VERSION }, { startStack }, { ensureWebBuild }] = await Promise.all([
  import('./connect'),
  import('./issuer'),
  import('./s3-heal'),
  import('../shared/storage/search-keys'),
  import('./stack'),
  import('./web'),
]);
// The web application is built on first start and whenever web/ changed since the last build.
// XF_WEB_BUILD=skip serves whatever web/dist holds (the crash tests start the stack without Vite).
if (process.env.XF_WEB_BUILD === 'skip') {
  console.log('The web application is not built (XF_WEB_BUILD=skip).');
} else {
  try {
    const web = await ensureWebBuild();
    if (web.built) console.log(`Built the web application (web/dist) in ${(web.ms / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error('The web application could not be built (the API still starts):', error);
  }
}
// The search index's postings version this data was indexed under (docs/search.md): a folder that
// predates a tokenizer change is reindexed in the background once the stack is up.
const postingsFile = join(dataDir, 'search-postings.json');
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    dataDir,
    port,
    dynamodbStarting,
    dailySweep: true,
    dailyArchive: true,
    dailyUploads: true,
    searchRefresh: true,
    // OCR in the background, one job at a time on all but one core, so the API keeps one (docs/ocr.md, "Locally").
    // (The engine module is imported with the first job: onnxruntime-node does not slow the start.)
    ocr: {
      engine: async () => (await import('../shared/adapters/ocr/engine')).createOcrEngine({ threads: Math.max(1, availableParallelism() - 1) }),
    },
  });
} catch (error) {
  console.error('The local stack could not start:', error);
  process.exit(1);
}

// Command-line tools (npm run demo, npm run audit:verify) find the running stack here.
const stackFile = join(dataDir, STACK_FILE);
writeFileSync(stackFile, JSON.stringify({ baseUrl: stack.baseUrl, env: stack.env, pid: process.pid }, null, 2) + '\n', { mode: 0o600 });
process.on('exit', () => rmSync(stackFile, { force: true }));

// What a killed run had left half-written in s3rver's files, moved aside (local/s3-heal.ts).
const healed = formatHealReport(stack.s3Heal, (p) => (p.startsWith(repoRoot) ? relative(repoRoot, p) : p));
const where = (dir: string | undefined): string => (dir ? relative(repoRoot, dir) || '.' : '(shared, not started here)');
const lines = [
  '',
  `Xinfang Registry, local stack — ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ...(healed.length > 0 ? ['', ...healed] : []),
  '',
  `  Web application  ${stack.endpoints.web.replace('127.0.0.1', 'localhost')}           (sign in as a demo user)`,
  `  API gateway      ${stack.baseUrl}            (127.0.0.1 only)`,
  `  OpenAPI          ${stack.endpoints.openapi}`,
  `  Token issuer     ${stack.endpoints.issuer}   (JWKS ${stack.endpoints.jwks})`,
  `  DynamoDB Local   ${stack.endpoints.dynamodb}            data ${where(stack.dataDirs.dynamodb)}  (listens on all interfaces: no bind option)`,
  `  S3 (s3rver)      ${stack.endpoints.s3}            data ${where(stack.dataDirs.s3)}  (127.0.0.1 only)`,
  `  Table            ${stack.tableName}`,
  `  Bucket           ${stack.bucketName}`,
  `  Archive bucket   ${stack.archiveBucketName}   (no Object Lock locally: the registry refuses deletes; real immutability needs AWS)`,
  `  Outbox           ${relative(repoRoot, stack.outboxDir)}/<day>/*.json   (notices; GET /outbox)  — deadline sweep daily at 08:00 Asia/Shanghai and now`,
  `  Credentials      AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER, region ${stack.env.AWS_REGION}`,
  '',
  ...printTokenHelp(stack.baseUrl),
  '',
  'Reset: stop, then delete .data/.  Stop: Ctrl-C.',
  '',
];
console.log(lines.join('\n'));

// A Ctrl-C reaches this process twice (from the terminal, and relayed by the npm parent):
// only a signal more than a second after the first counts as "again".
let stoppingSince: number | undefined;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < 1_000) return;
    console.log(`\n${signal} again: exiting now.`);
    process.exit(1); // the exit hook of local/emulators.ts still kills DynamoDB Local
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stopping the local stack…`);
  stack
    .stop()
    .then(() => {
      console.log('Stopped.');
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error('Stop failed:', error);
      process.exit(1);
    });
};
const indexedUnder = (): string | undefined => {
  try {
    return (JSON.parse(readFileSync(postingsFile, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
};
const markIndexed = (): void => writeFileSync(postingsFile, JSON.stringify({ version: POSTINGS_VERSION }) + '\n');
if (freshData) markIndexed();
else if (indexedUnder() !== POSTINGS_VERSION) {
  console.log(`[search] this data was indexed before search version ${POSTINGS_VERSION}: reindexing in the background (npm run search:reindex)…`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'search-reindex.ts')], {
    cwd: repoRoot,
    env: { ...process.env, XF_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code === 0) {
      markIndexed();
      console.log('[search] reindex done: every case is searchable.');
    } else console.error(`[search] reindex stopped (exit ${code}); run npm run search:reindex`);
  });
  process.on('exit', () => child.kill());
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown); // the terminal went away
