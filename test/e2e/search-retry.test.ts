/**
 * A search-index refresh that fails after its case was saved is completed by the scheduled retry
 * (docs/search.md): the registration answers 201 and the case is saved and marked pending, but
 * while DynamoDB refuses the postings writes (an HTTP proxy in front of it fails them) search does
 * not find it; a retry while the fault lasts fails and keeps it pending; once the fault is gone the
 * retry — the sweep function with the event of its 15-minute schedule, as the local stack's
 * schedule and EventBridge Scheduler in AWS invoke it — indexes it, and search finds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbFaultProxy, type DynamoDbFaultProxy } from '../support/dynamodb-faults';
import { startTestStack, type TestStack } from '../support/stack';
import { registration, tokens } from './helpers';

let stack: TestStack;
let proxy: DynamoDbFaultProxy | undefined;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({
    now: '2026-03-02T01:00:00Z',
    dynamodbVia: async (endpoint) => {
      proxy = await dynamoDbFaultProxy(endpoint);
      return proxy.url;
    },
  });
  t = await tokens(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

describe('the scheduled retry of a failed search refresh', () => {
  it('indexes a case whose refresh failed when it was registered, and search then finds it', async () => {
    const search = async (q: string) => {
      const res = await stack.api.get(`/cases?${new URLSearchParams({ q })}`, { token: t.clerk });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return { nos: res.json.items.map((i: { caseNo: string }) => i.caseNo) as string[], total: res.json.total as number };
    };

    // Arrange: every write to a postings item fails (their partitions start with the postings version).
    proxy!.fail({ operation: 'UpdateItem', bodyIncludes: '"S2#' });
    const created = await stack.api.post(
      '/cases',
      registration({ petitioners: [{ name: '欧阳秋菊', phone: '13900007788' }], subject: '反映翠屏山隧道渗水结冰' }),
      { token: t.clerk },
    );

    // The case is saved (its refresh failed quietly), but not found.
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const caseNo = created.json.case.caseNo as string;
    expect(proxy!.failed()).toBeGreaterThan(0);
    expect((await stack.api.get(`/cases/${caseNo}`, { token: t.clerk })).status).toBe(200);
    expect(await search('欧阳秋菊')).toEqual({ nos: [], total: 0 });

    // A retry while the fault lasts fails again (so Lambda retries it and the DLQ alarms), and the case stays pending.
    await expect(stack.refreshSearch()).rejects.toThrow(/failed again/);
    expect(await search('翠屏山隧道')).toEqual({ nos: [], total: 0 });

    // Act: the fault is gone; the schedule's next run.
    proxy!.heal();
    const report = await stack.refreshSearch();

    // Assess: indexed, found by name, phrase and phone; nothing left pending.
    expect(report).toMatchObject({ refreshed: 1, failed: [], more: false });
    expect(await search('欧阳秋菊')).toEqual({ nos: [caseNo], total: 1 });
    expect(await search('翠屏山隧道')).toEqual({ nos: [caseNo], total: 1 });
    expect(await search('13900007788')).toEqual({ nos: [caseNo], total: 1 });
    expect(await stack.refreshSearch()).toMatchObject({ refreshed: 0, failed: [] });
  });
});
