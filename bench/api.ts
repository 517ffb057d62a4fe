/**
 * The HTTP API on the local stack (the same handlers as in AWS, behind the local gateway, on
 * DynamoDB Local and s3rver): median and p95 milliseconds per request for registration, a
 * lifecycle action, reading a case and listing, plus the size of each function's bundle.
 * Emulator latencies are not AWS latencies; the figures are for comparing changes.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCR_EXTERNAL_MODULES } from '../infra/ocr-bundle';
import { ALL_FUNCTIONS } from '../shared/http/routes';
import type { BenchResult } from './result';

const N = 100;

function stats(name: string, samples: number[]): BenchResult[] {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));
  return [
    { name: `api.${name}.median`, value: at(0.5), unit: 'ms' },
    { name: `api.${name}.p95`, value: at(0.95), unit: 'ms' },
  ];
}

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  samples.push(performance.now() - t0);
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const fn of ALL_FUNCTIONS) {
    const out = await build({
      entryPoints: [`functions/${fn}/handler.ts`],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      write: false,
      // The OCR's native engine packages ship beside its bundle (infra/ocr-bundle.ts; `ocr.bundle.mb` counts them).
      external: fn === 'ocr' ? ['@aws-sdk/*', ...OCR_EXTERNAL_MODULES] : ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    results.push({ name: `bundle.${fn}.bytes`, value: out.outputFiles.reduce((s, f) => s + f.contents.byteLength, 0), unit: 'bytes' });
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'xf-bench-api-'));
  const { startStack } = await import('../local/stack');
  const stack = await startStack({ dataDir, port: 0, quiet: true });
  try {
    const clerk = await stack.token('clerk1');
    const director = await stack.token('director1');
    const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(new URL(path, stack.baseUrl), {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const register: number[] = [];
    const accept: number[] = [];
    const read: number[] = [];
    const list: number[] = [];
    for (let i = 0; i < N + 5; i++) {
      const body = {
        petitioners: [{ name: `测试${i}`, phone: `1380000${String(i).padStart(4, '0')}` }],
        persons: 1,
        channel: { type: 'letter' },
        itemType: 'suggestion',
        category: 'urban',
        subject: '建议完善夜间路灯照明',
        summary: '建议在星云路沿线增设路灯，方便居民夜间出行。',
        receivedOn: today,
      };
      const warm = i < 5; // the first requests pay the cold start of each handler
      const reg = (await timed(warm ? [] : register, () => call('POST', '/cases', clerk, body))) as { case: { caseNo: string } };
      const caseNo = reg.case.caseNo;
      await timed(warm ? [] : accept, () => call('POST', `/cases/${caseNo}/accept`, director, {}, { 'if-match': '"1"' }));
      await timed(warm ? [] : read, () => call('GET', `/cases/${caseNo}`, clerk));
      await timed(warm ? [] : list, () => call('GET', '/cases?status=accepted&limit=50', clerk));
    }
    results.push(...stats('register', register), ...stats('accept-with-letter', accept), ...stats('get-case', read), ...stats('list-50', list));
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
