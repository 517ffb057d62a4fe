/**
 * The dashboard's chart of cases per month (docs/sweeps.md): the registration transaction adds to
 * the month's counter, so a registration counts exactly once — however often its Idempotency-Key
 * is replayed, and however many registrations run at once — and GET /dashboard returns the last
 * 12 months, office-wide, to every role that sees the dashboard. And the cases behind the counts:
 * listed for one group at a time (the office's `?group=`, a department's own).
 */
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

interface MonthCount {
  month: string;
  count: number;
}

async function perMonth(token: string): Promise<MonthCount[]> {
  const res = await stack.api.get('/dashboard', { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.perMonth as MonthCount[];
}

const countOf = (series: MonthCount[], month: string) => series.find((m) => m.month === month)?.count;

describe('cases per month on the dashboard', () => {
  it('returns the last 12 months up to this one, oldest first, zero where nothing was registered', async () => {
    const series = await perMonth(t.clerk);
    expect(series.map((m) => m.month)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(series.every((m) => m.count === 0)).toBe(true);
  });

  it('counts a registration once however often its Idempotency-Key is replayed, even 30 times at once', async () => {
    // Act: 30 concurrent attempts of one registration, then two replays.
    const body = registration({ petitioners: [{ name: '王秀兰', phone: '13600001234' }], receivedOn: '2026-03-02' });
    const headers = { 'idempotency-key': 'dashboard-month-0001' };
    const results = await Promise.all(Array.from({ length: 30 }, () => stack.api.post('/cases', body, { token: t.clerk, headers })));
    const replays = [await stack.api.post('/cases', body, { token: t.clerk, headers }), await stack.api.post('/cases', body, { token: t.clerk, headers })];
    // Assess
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replays.map((r) => r.status)).toEqual([200, 200]);
    expect(countOf(await perMonth(t.clerk), '2026-03')).toBe(1);
  });

  it('counts each of many registrations made at once, in the month it was received', async () => {
    // Act: 12 different registrations of February at once (they share the month's counters).
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        stack.api.post(
          '/cases',
          registration({ petitioners: [{ name: `刘${i}`, phone: `1370000${String(i).padStart(4, '0')}` }], receivedOn: '2026-02-1' + (i % 10) }),
          {
            token: t.clerk,
            headers: { 'idempotency-key': `dashboard-month-feb-${i}` },
          },
        ),
      ),
    );
    // One received last May, one before the window, without a key.
    const may = await stack.api.post('/cases', registration({ petitioners: [{ name: '陈平', phone: '13500001111' }], receivedOn: '2025-05-31' }), {
      token: t.clerk,
    });
    const old = await stack.api.post('/cases', registration({ petitioners: [{ name: '陈安', phone: '13500002222' }], receivedOn: '2025-03-31' }), {
      token: t.clerk,
    });
    // Assess
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect([may.status, old.status]).toEqual([201, 201]);
    const series = await perMonth(t.director);
    expect(countOf(series, '2026-02')).toBe(12);
    expect(countOf(series, '2025-05')).toBe(1);
    expect(countOf(series, '2026-03')).toBe(1);
    expect(series.reduce((n, m) => n + m.count, 0)).toBe(14);
    expect(series.some((m) => m.month === '2025-03')).toBe(false);
  });

  it('shows a department the same office-wide totals (no case, no department named) and follows the clock into a new month', async () => {
    expect(await perMonth(t.housing)).toEqual(await perMonth(t.clerk));
    stack.clock.set('2026-04-01T01:00:00Z');
    const series = await perMonth(t.clerk);
    expect(series[0]?.month).toBe('2025-05');
    expect(series.at(-1)).toEqual({ month: '2026-04', count: 0 });
    expect(countOf(series, '2026-02')).toBe(12);
  });

  it('lists the cases behind the counts of one group at a time: the office asks for it, a department gets its own', async () => {
    // 2026-04-01: the notify clocks of the cases registered above (none accepted) are past their due date.
    const counts = await stack.api.get('/dashboard', { token: t.director });
    expect(counts.status).toBe(200);
    const office = counts.json.departments.find((g: { deptCode: string | null }) => g.deptCode === null);
    expect(office).toMatchObject({ name: '本机关', listed: false, overdue: { items: [] } });
    expect(office.overdue.count).toBeGreaterThanOrEqual(15);
    expect(counts.json.totals.overdue).toBe(office.overdue.count);

    const listed = await stack.api.get('/dashboard?group=OFFICE', { token: t.director });
    const group = listed.json.departments.find((g: { deptCode: string | null }) => g.deptCode === null);
    expect(group.listed).toBe(true);
    const items = group.overdue.items as { caseNo: string; clock: string; due: string; daysLeft: number; status: string; subject: string }[];
    expect(new Set(items.map((i) => i.caseNo)).size).toBe(group.overdue.count);
    expect(items.every((i) => i.clock === 'notify' && i.status === 'registered' && i.subject !== '' && i.due < '2026-04-01' && i.daysLeft < 0)).toBe(true);
    expect(items.map((i) => i.due)).toEqual(items.map((i) => i.due).sort());

    // A department sees its own group only, whatever it asks for; a malformed group is refused.
    const dept = await stack.api.get('/dashboard?group=OFFICE', { token: t.housing });
    expect(dept.json.departments.map((g: { deptCode: string; listed: boolean }) => [g.deptCode, g.listed])).toEqual([['HOUSING', true]]);
    expect(JSON.stringify(dept.json)).not.toContain(items[0]?.caseNo);
    expect((await stack.api.get('/dashboard?group=hrss%23x', { token: t.director })).status).toBe(400);
  });
});
