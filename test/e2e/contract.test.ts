/** The API contract (issue 11 §4) beyond what every end-to-end response is checked against (test/support/contract.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

describe('registration', () => {
  it('returns the case in the same shape as GET /cases/{caseNo}, timeline and actions included', async () => {
    const registered = await stack.api.post('/cases', registration({ petitioners: [{ name: '契约测试', phone: '13900009999' }] }), {
      token: t.clerk,
      headers: { 'idempotency-key': 'contract-test-0001' },
    });
    expect(registered.status).toBe(201);

    const read = await stack.api.get(`/cases/${registered.json.case.caseNo}`, { token: t.clerk });
    const replayed = await stack.api.post('/cases', registration({ petitioners: [{ name: '契约测试', phone: '13900009999' }] }), {
      token: t.clerk,
      headers: { 'idempotency-key': 'contract-test-0001' },
    });

    expect(read.status).toBe(200);
    expect(registered.json.case.timeline.map((e: { type: string }) => e.type)).toContain('case.registered');
    expect(registered.json.case.actions).toContain('propose');
    expect(registered.json.case).toEqual(read.json);
    expect(replayed.status).toBe(200);
    expect(replayed.json.case).toEqual(read.json);
  });

  it('serves the OpenAPI document with the server it is reached at, over http locally', async () => {
    const res = await stack.api.get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.json.servers).toEqual([{ url: stack.baseUrl.replace(/\/$/, '') }]);
  });
});
