/**
 * `npm run bench -- start`: how long `npm start` and `npm run demo` take, as a user runs them
 * (issue 18 items 8 and 14). Each figure is the median of 3 runs; the machine's load (`uptime`)
 * is printed with them, since the figures mean little without it.
 *
 * - demo.300.s: `npm run demo -- --count 300` against a freshly started stack (seeding, the
 *   morning's sweep and archive run, the search index in bulk), from spawn to exit.
 * - start.empty.s: `npm start` with an empty data folder, from spawn to its "ready" line.
 * - start.10k.s: `npm start` after a clean stop with 10,000 cases in the data folder: the demo's
 *   cases cloned under new case numbers, every item of their case partitions in DynamoDB Local
 *   (BatchWriteItem) and every file of their documents in s3rver's folder, so both emulators hold
 *   the cases, items and objects 10,000 cases leave (not cloned: the search postings and the
 *   dashboard's counters, which the start does not read). About 4 minutes here, in /dev/shm.
 *
 * `npm run bench -- start --start-only` measures the two start figures only: the demo runs once
 * (on the last empty start's folder, to seed the cases to clone) and demo.300.s is not written.
 *
 * Every stack here runs with XF_WEB_BUILD=skip: the web application is built once beforehand
 * (a start with web/dist up to date builds nothing).
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const RUNS = 3;
const DEMO_CASES = 300;
const CLONED_CASES = 10_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

interface Started {
  ms: number;
  stop: () => Promise<void>;
}

/** `npm start` (local/start.ts) on `dataDir`; resolves at its ready line. */
function startStackProcess(dataDir: string): Promise<Started> {
  const t0 = performance.now();
  // As `npm start` runs it: node with tsx's loader, no tsx parent (its signal relay SIGKILLs a child
  // that does not answer within 30 ms — a busy start — and the next start then walks s3rver's folder).
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, XF_DATA_DIR: dataDir, PORT: '0', XF_WEB_BUILD: 'skip' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready in')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        const ms = performance.now() - t0;
        resolve({
          ms,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before ready:\n${output.slice(-2000)}`)));
  });
}

/** `npm run demo -- --count n` against the stack of `dataDir`; its wall time in ms. */
function runDemo(dataDir: string, count: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/demo.ts', '--count', String(count)], { cwd: ROOT, env: { ...process.env, XF_DATA_DIR: dataDir }, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`npm run demo exited ${code}`))));
  });
}

/**
 * Grows a stopped stack's data to `target` cases: every case partition of the demo's cases read
 * (a Query each) and written again under new numbers (XF-2019-…), and s3rver's files of their
 * documents copied under the new numbers. The stack is started for the DynamoDB part and stopped
 * cleanly before the files are copied.
 */
async function cloneCases(dataDir: string, target: number): Promise<void> {
  // DynamoDB Local commits every put to its SQLite file: on this machine's disk that is ~1 MB/s of
  // cases (20 minutes for 10,000). The clone is made in a copy of the folder in /dev/shm (RAM) when
  // there is one, then copied back over the folder: the same files, written 20 times faster.
  const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/xf-bench-clone-') : undefined;
  if (shm) execSync(`cp -a ${JSON.stringify(dataDir)}/. ${JSON.stringify(shm)}/`);
  try {
    await cloneCasesIn(shm ?? dataDir, target);
    if (shm) {
      rmSync(dataDir, { recursive: true, force: true });
      execSync(`cp -a ${JSON.stringify(shm)} ${JSON.stringify(dataDir)}`);
    }
  } finally {
    if (shm) rmSync(shm, { recursive: true, force: true });
  }
}

async function cloneCasesIn(dataDir: string, target: number): Promise<void> {
  const { startStack } = await import('../local/stack');
  const { QueryCommand, BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { documentClient } = await import('../shared/adapters/dynamodb-repository');
  const { casePartition } = await import('../shared/storage/keys');
  const t0 = performance.now();
  const stack = await startStack({ dataDir, port: 0, quiet: true, dailySweep: false, dailyArchive: false, dailyUploads: false });
  const db = documentClient(stack.clients.dynamodb);
  const bucketDir = join(dataDir, 's3', stack.bucketName, 'generated');
  const sources = readdirSync(bucketDir).filter((n) => /^XF-\d{4}-\d{6}$/.test(n));
  const partitions = new Map<string, Record<string, unknown>[]>();
  const readOne = async (caseNo: string): Promise<void> => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': casePartition(caseNo) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    partitions.set(caseNo, items);
  };
  for (let i = 0; i < sources.length; i += 8) await Promise.all(sources.slice(i, i + 8).map(readOne));
  const tRead = performance.now();
  const have = sources.length;
  const clones: { from: string; to: string }[] = [];
  for (let i = 0; have + clones.length < target; i++) {
    clones.push({ from: sources[i % have] as string, to: `XF-2019-${String(i + 1).padStart(6, '0')}` });
  }
  const puts: Record<string, unknown>[] = [];
  for (const { from, to } of clones) {
    for (const item of partitions.get(from) ?? [])
      puts.push(
        JSON.parse(
          JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...v] : v))
            .split(from)
            .join(to),
        ),
      );
  }
  // BatchWriteItem, 25 puts a call, several calls in flight; what DynamoDB Local leaves unprocessed is retried.
  let next = 0;
  const worker = async () => {
    while (next < puts.length) {
      const batch = puts.slice(next, next + 25);
      next += 25;
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [stack.tableName]: requests } }));
        requests = (res.UnprocessedItems?.[stack.tableName] as typeof requests | undefined) ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  const tWrite = performance.now();
  await stack.stop();
  // s3rver's files in bulk: one `cp -r` per 500 cases rather than a copy per file from Node.
  for (let i = 0; i < clones.length; i += 500) {
    const group = clones.slice(i, i + 500);
    const script = group.map(({ from, to }) => `cp -r ${from} ${to}`).join(' && ');
    execSync(script, { cwd: bucketDir, stdio: 'inherit' });
  }
  const tCopy = performance.now();
  console.log(
    `  cloned ${clones.length} cases (${puts.length} items, the files of ${sources.length} cases' documents) into ${dataDir}: ` +
      `read ${seconds(tRead - t0)} s, written ${seconds(tWrite - tRead)} s, files ${seconds(tCopy - tWrite)} s`,
  );
}

export async function run(): Promise<BenchResult[]> {
  // `npm run bench -- start --start-only`: the start figures only; the demo runs once, to seed.
  const startOnly = process.argv.includes('--start-only');
  // XF_BENCH_10K_DIR: the folder of 10,000 cases is kept there, and reused if it exists (no demo, no clone).
  const keep = process.env.XF_BENCH_10K_DIR ? resolve(process.env.XF_BENCH_10K_DIR) : '';
  const reuse = keep !== '' && existsSync(join(keep, 'dynamodb'));
  const load = () => execSync('uptime').toString().trim();
  console.log(`  load before: ${load()}`);
  const { ensureWebBuild } = await import('../local/web');
  await ensureWebBuild({ quiet: true });
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'xf-bench-start-'));
    dirs.push(d);
    return d;
  };
  try {
    const empty: number[] = [];
    const demo: number[] = [];
    let seeded = reuse ? keep : '';
    for (let i = 0; i < RUNS; i++) {
      const dir = fresh();
      const s = await startStackProcess(dir);
      empty.push(s.ms);
      console.log(`  start, empty .data: ${seconds(s.ms)} s (${load()})`);
      if (reuse || (startOnly && i < RUNS - 1)) {
        await s.stop();
        continue;
      }
      demo.push(await runDemo(dir, DEMO_CASES));
      console.log(`  demo of ${DEMO_CASES} cases: ${seconds(demo.at(-1) as number)} s (${load()})`);
      await s.stop();
      seeded = dir;
    }
    if (!reuse) await cloneCases(seeded, CLONED_CASES);
    if (keep && !reuse) {
      try {
        renameSync(seeded, keep);
      } catch {
        execSync(`cp -a ${JSON.stringify(seeded)} ${JSON.stringify(keep)}`); // another file system
        rmSync(seeded, { recursive: true, force: true });
      }
      seeded = keep;
      dirs.pop();
      console.log(`  the 10,000 cases are kept in ${keep}`);
    }
    const big: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = await startStackProcess(seeded);
      big.push(s.ms);
      console.log(`  start, ${CLONED_CASES} cases after a clean stop: ${seconds(s.ms)} s (${load()})`);
      await s.stop();
    }
    const marker = join(seeded, 's3', '.xf-clean-stop');
    if (!existsSync(marker)) console.log('  (warning: the last stop was not clean)');
    console.log(`  load after: ${load()}`);
    return [
      // One demo run (only to seed the 10,000 cases) is no median of 3: left out of the results.
      ...(startOnly || reuse ? [] : [{ name: 'demo.300.s', value: seconds(median(demo)), unit: 's' }]),
      { name: 'start.empty.s', value: seconds(median(empty)), unit: 's' },
      { name: 'start.10k.s', value: seconds(median(big)), unit: 's' },
    ];
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
