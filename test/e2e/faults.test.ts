/**
 * Dependency faults through the local gateway (issue 10 item 14): DynamoDB refusing connections
 * or hanging is a 503 with Retry-After (never a 500, never a 30 s wait), GET /health names what
 * is down, and when the dependency returns the same running stack serves again — no restart.
 * DynamoDB is taken away by a TCP proxy in front of the run's DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { tcpProxy, type TcpProxy } from '../support/proxy';
import { registration, tokens } from './helpers';

let stack: TestStack;
let proxy: TcpProxy | undefined;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({
    now: '2026-03-02T01:00:00Z',
    dynamodbVia: async (endpoint) => {
      proxy = await tcpProxy(endpoint);
      return proxy.url;
    },
  });
  t = await tokens(stack);
}, 60_000);
afterAll(async () => {
  await proxy?.up();
  await stack?.stop();
  await proxy?.close();
});

describe('a dependency that is down or hangs', () => {
  it('answers 503 with Retry-After while DynamoDB refuses connections, health says so, and serves again when it is back', async () => {
    // Prepare: a case, read while all is well.
    const created = await stack.api.post('/cases', registration(), { token: t.clerk });
    expect(created.status).toBe(201);
    const caseNo = created.json.case.caseNo as string;
    const healthy = await stack.api.get('/health');
    expect(healthy.status).toBe(200);
    expect(healthy.json).toMatchObject({ status: 'ok', checks: { dynamodb: { ok: true }, documentsBucket: { ok: true } } });

    // Act: DynamoDB goes away.
    await proxy!.down();
    const read = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    const write = await stack.api.post('/cases', registration({ petitioners: [{ name: '钱立新', phone: '13900001234' }] }), { token: t.clerk });
    const health = await stack.api.get('/health');

    // Assess: a retryable 503, and the health check names DynamoDB only.
    for (const r of [read, write]) {
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.json.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    }
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(health.json.status).toBe('unavailable');
    expect(health.json.checks.dynamodb.ok).toBe(false);
    expect(health.json.checks.documentsBucket.ok).toBe(true);
    expect(JSON.stringify(health.json)).not.toContain(caseNo);

    // Act: it comes back; the same gateway, the same warm handlers.
    await proxy!.up();
    // Assess
    expect((await stack.api.get(`/cases/${caseNo}`, { token: t.clerk })).status).toBe(200);
    expect((await stack.api.post('/cases', registration({ petitioners: [{ name: '钱立新', phone: '13900001234' }] }), { token: t.clerk })).status).toBe(201);
    expect((await stack.api.get('/health')).json.status).toBe('ok');
  });

  it('fails fast with 503 while DynamoDB accepts connections and never answers, and recovers', async () => {
    const created = await stack.api.post('/cases', registration({ petitioners: [{ name: '孙海燕', phone: '13900004321' }] }), { token: t.clerk });
    const caseNo = created.json.case.caseNo as string;
    // Act
    await proxy!.hang();
    const read = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    const health = await stack.api.get('/health');
    await proxy!.up();
    const after = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    // Assess: the client timeouts answer before the API's 30 s limit (whose answer would be API Gateway's own 503 without our error body).
    expect(read.status).toBe(503);
    expect(read.json.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(health.status).toBe(503);
    expect(health.json.checks.dynamodb).toMatchObject({ ok: false, reason: 'timeout' });
    expect(after.status).toBe(200);
  }, 60_000);
});
