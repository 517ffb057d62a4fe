/**
 * Office settings without a deploy (issue 16): the admin changes the reminder days; the change is
 * validated by the schema that reads it (a bad value or a setting the admin may not change is a
 * 400 and nothing is stored), takes effect on the very next sweep without a restart (the open
 * clocks' sweep entries are written again, so a new, earlier reminder is sent on its day), and is
 * an event of the office's audit trail, which verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyOfficeTrail } from '../../shared/app/office-audit';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOfficeStore } from '../../shared/adapters/office-store';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z', outboxPollMs: 0 });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
}, 60_000);
afterAll(() => stack?.stop());

interface OutboxItem {
  notice: { caseNo: string; clock: string; milestone: string; recipient: { kind: string; deptCode?: string } };
}

async function sweep(day: string): Promise<OutboxItem[]> {
  stack.clock.set(`${day}T00:00:00Z`);
  const run = await stack.api.post('/admin/sweep', {}, { token: t.admin });
  expect(run.status, JSON.stringify(run.json)).toBe(200);
  const res = await stack.api.get(`/outbox?date=${day}`, { token: t.clerk });
  expect(res.status).toBe(200);
  return res.json.items as OutboxItem[];
}

describe('office settings from the admin API', () => {
  it('sends a new, earlier reminder on the next sweep after the reminder days change, and records the change', async () => {
    const api = stack.api;
    const reg = await api.post('/cases', registration(), { token: t.clerk, headers: { 'idempotency-key': 'e2e-settings-0001' } });
    expect(reg.status).toBe(201);
    const caseNo = reg.json.case.caseNo as string;
    stack.clock.set('2026-03-04T02:00:00Z');
    const accepted = await api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
    const assigned = await api.post(`/cases/${caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status).toBe(200);
    // The department's date: 2026-04-24 (a Friday); 10 working days before it is 2026-04-10.
    expect(assigned.json.clocks.departmentDue.due).toBe('2026-04-24');

    // Validated by the schema that reads the settings; refused whole, nothing stored.
    expect((await api.put('/admin/settings', { sweep: { reminderWorkingDays: [10] } }, { token: t.director })).status).toBe(403);
    const bad = await api.put('/admin/settings', { sweep: { reminderWorkingDays: [40, 5] } }, { token: t.admin, headers: ifMatch(0) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].field).toBe('body.sweep.reminderWorkingDays.0');
    const notEditable = await api.put('/admin/settings', { sweep: { windowGraceDays: 3 } }, { token: t.admin, headers: ifMatch(0) });
    expect(notEditable.status).toBe(400);
    expect(notEditable.json.error.issues[0].field).toBe('body.sweep.windowGraceDays');
    expect((await api.get('/admin/audit', { token: t.admin })).json.events).toEqual([]);

    stack.clock.set('2026-03-05T02:00:00Z');
    // Saved with the rev read as If-Match: none is a 428, a stale one a 409.
    const read = await api.get('/admin/settings', { token: t.admin });
    expect(read.headers.get('etag')).toBe('"0"');
    expect((await api.put('/admin/settings', { sweep: { reminderWorkingDays: [10, 5, 1] } }, { token: t.admin })).status).toBe(428);
    expect((await api.put('/admin/settings', { sweep: { reminderWorkingDays: [10, 5, 1] } }, { token: t.admin, headers: ifMatch(3) })).status).toBe(409);
    const put = await api.put('/admin/settings', { sweep: { reminderWorkingDays: [10, 5, 1] } }, { token: t.admin, headers: ifMatch(read.json.rev) });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(put.json.rev).toBe(1);
    expect(put.json.settings.sweep.reminderWorkingDays).toEqual([10, 5, 1]);
    expect(put.json.configured.sweep.reminderWorkingDays).toEqual([5, 1]);
    expect((await api.get('/admin/settings', { token: t.admin })).json.settings.sweep.reminderWorkingDays).toEqual([10, 5, 1]);

    // The next sweep, on the day 10 working days before the department's date: the new reminder.
    const sent = await sweep('2026-04-10');
    expect(sent.filter((n) => n.notice.caseNo === caseNo).map((n) => [n.notice.clock, n.notice.milestone, n.notice.recipient.deptCode])).toEqual([
      ['departmentDue', 'remind-10', 'HRSS'],
    ]);

    // The change is in the office trail, before → after, and the trail verifies.
    const trail = await api.get('/admin/audit', { token: t.admin });
    expect(trail.json.events).toEqual([
      expect.objectContaining({
        type: 'settings.changed',
        actor: { username: 'admin1', displayName: '刘洋' },
        data: { changes: { 'sweep.reminderWorkingDays': { before: [5, 1], after: [10, 5, 1] } } },
      }),
    ]);
    expect(await verifyOfficeTrail(new DynamoDbOfficeStore(documentClient(stack.clients.dynamodb), stack.tableName), new Date().toISOString())).toMatchObject({
      ok: true,
      entries: 1,
    });
  });

  it('gives new case numbers a new prefix from a later year only, and never renumbers', async () => {
    const api = stack.api;
    stack.clock.set('2026-06-01T02:00:00Z');
    const { rev } = (await api.get('/admin/settings', { token: t.admin })).json as { rev: number };
    // This year's numbers are one series: a prefix from this year (or before) is refused, nothing stored.
    const now = await api.put('/admin/settings', { caseNumberPrefixes: [{ fromYear: 2026, prefix: 'JX' }] }, { token: t.admin, headers: ifMatch(rev) });
    expect(now.status).toBe(400);
    expect(now.json.error.issues[0].field).toBe('body.caseNumberPrefixes');
    const malformed = await api.put('/admin/settings', { caseNumberPrefixes: [{ fromYear: 2027, prefix: 'jx-1' }] }, { token: t.admin, headers: ifMatch(rev) });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.issues[0].field).toBe('body.caseNumberPrefixes.0.prefix');
    const put = await api.put('/admin/settings', { caseNumberPrefixes: [{ fromYear: 2027, prefix: 'JX' }] }, { token: t.admin, headers: ifMatch(rev) });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(put.json.settings.caseNumberPrefixes).toEqual([{ fromYear: 2027, prefix: 'JX' }]);

    const before = await api.post('/cases', registration({ receivedOn: '2026-05-30' }), {
      token: t.clerk,
      headers: { 'idempotency-key': 'e2e-settings-0002' },
    });
    expect(before.json.case.caseNo).toMatch(/^XF-2026-\d{6}$/);
    stack.clock.set('2027-01-05T02:00:00Z');
    // Once 2027 has come, its prefix is settled too.
    const settled = await api.put('/admin/settings', { caseNumberPrefixes: [] }, { token: t.admin, headers: ifMatch(put.json.rev) });
    expect(settled.status).toBe(400);
    const after = await api.post('/cases', registration({ receivedOn: '2027-01-04' }), { token: t.clerk, headers: { 'idempotency-key': 'e2e-settings-0003' } });
    expect(after.status, JSON.stringify(after.json)).toBe(201);
    expect(after.json.case.caseNo).toBe('JX-2027-000001');
    // The earlier case keeps its number.
    expect((await api.get(`/cases/${before.json.case.caseNo}`, { token: t.clerk })).status).toBe(200);
    const trail = await api.get('/admin/audit', { token: t.admin });
    expect(trail.json.events[0]).toMatchObject({
      type: 'settings.changed',
      data: { changes: { caseNumberPrefixes: { before: [], after: [{ fromYear: 2027, prefix: 'JX' }] } } },
    });
  });
});
