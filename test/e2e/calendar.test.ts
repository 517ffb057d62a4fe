/**
 * The holiday calendar as office data, through the local gateway on a fake clock: in December 2026
 * the clocks that run into 2027 are provisional (statutory holidays, no 调休); the admin previews a
 * 2027 year (nothing written), loads it, and exactly the open provisional dates it moves are
 * re-derived — running and paused clocks, each case with an audit event and a notice to its
 * department — while cases before it are untouched. Loading it again writes nothing; a run killed
 * half-way and run again ends where one run does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import { CalendarAdmin, OfficeCalendarSource, type CalendarClockStore } from '../../shared/app/calendar';
import type { Actor } from '../../shared/domain/roles';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };

/** A 2027 notice as the admin types it (test data, not the real notice): 春节 5–12 Feb, one make-up Saturday. */
const notice2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d}`),
    '2027-04-03',
    '2027-04-04',
    '2027-04-05',
    ...['01', '02', '03', '04', '05'].map((d) => `2027-05-${d}`),
    '2027-06-09',
    '2027-09-15',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2027-10-${d}`),
  ],
  makeupWorkdays: ['2027-02-20', '2027-10-09'],
  source: '国办发明电〔2026〕99号（测试）',
};

async function register(key: string, receivedOn: string): Promise<string> {
  const reg = await stack.api.post('/cases', registration({ receivedOn }), { token: t.clerk, headers: { 'idempotency-key': key } });
  expect(reg.status, JSON.stringify(reg.json)).toBe(201);
  return reg.json.case.caseNo;
}

type Clock = { due: string; status: string; derivation: { provisionalYears?: number[]; explanation: string } };
type CaseJson = { version: number; clocks: Record<string, Clock> };

async function getCase(caseNo: string): Promise<CaseJson> {
  const res = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
  expect(res.status).toBe(200);
  return res.json;
}

async function act(caseNo: string, action: string, body: Record<string, unknown>, token: string): Promise<CaseJson> {
  const current = await getCase(caseNo);
  const res = await stack.api.post(`/cases/${caseNo}/${action}`, body, { token, headers: ifMatch(current.version) });
  expect(res.status, `${action}: ${JSON.stringify(res.json)}`).toBe(200);
  return res.json;
}

async function events(caseNo: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const res = await stack.api.get(`/cases/${caseNo}/timeline`, { token: t.clerk });
  expect(res.status).toBe(200);
  return res.json.events;
}

async function outbox(day: string): Promise<{ caseNo: string; milestone: string; recipient: { kind: string; deptCode?: string }; body: string }[]> {
  const res = await stack.api.get(`/outbox?date=${day}`, { token: t.director });
  expect(res.status).toBe(200);
  return res.json.items.map((i: { notice: unknown }) => i.notice);
}

const cases: Record<'moved' | 'paused' | 'unmoved' | 'before', string> = { moved: '', paused: '', unmoved: '', before: '' };

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-11-20T02:00:00Z', outboxPollMs: 0 });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };

  // 2026-11-20: accepted → handling due 2027-01-19 (Tue), provisional, and the 2027 notice does not move it.
  cases.unmoved = await register('cal-unmoved', '2026-11-20');
  await act(cases.unmoved, 'accept', { warningsOverride: '不同事项' }, t.director);
  // Registered only: its notify clock is due 2026-12-07, nothing in 2027.
  cases.before = await register('cal-before', '2026-11-20');

  // 2026-12-07: accepted and assigned → handling due 2027-02-05 (除夕) → provisional block 5–10 Feb → 2027-02-11;
  // the department's 2027-02-01.
  stack.clock.set('2026-12-07T02:00:00Z');
  cases.moved = await register('cal-moved', '2026-12-07');
  await act(cases.moved, 'accept', { warningsOverride: '不同事项' }, t.director);
  await act(cases.moved, 'assign', { deptCode: 'HRSS' }, t.director);
  cases.paused = await register('cal-paused', '2026-12-07');
  await act(cases.paused, 'accept', { warningsOverride: '不同事项' }, t.director);
  stack.clock.set('2026-12-10T02:00:00Z');
  await act(cases.paused, 'pause-clock', { clock: 'handling', reason: '等待信访人补充材料' }, t.director);
}, 120_000);
afterAll(() => stack?.stop());

describe('the holiday calendar, loaded by the office', () => {
  it('lists 2027 as provisional, derived from the statutory holidays with the rule cited', async () => {
    const res = await stack.api.get('/admin/calendar', { token: t.admin });
    expect(res.status).toBe(200);
    const y2027 = res.json.years.find((y: { year: number }) => y.year === 2027);
    expect(y2027).toMatchObject({
      status: 'provisional',
      makeupWorkdays: [],
      derivation: { citation: '《全国年节及纪念日放假办法》（2024年修订）第二条、第六条' },
    });
    expect(y2027.holidays).toContain('2027-02-05');
    expect(res.json.years.find((y: { year: number }) => y.year === 2026)).toMatchObject({ status: 'shipped' });
    expect((await getCase(cases.moved)).clocks.handling).toMatchObject({ due: '2027-02-11', derivation: { provisionalYears: [2027] } });
    expect((await getCase(cases.moved)).clocks.departmentDue).toMatchObject({ due: '2027-02-01' });
  });

  it('is for admins only, and refuses a year that is not valid calendar data, naming the field', async () => {
    expect((await stack.api.get('/admin/calendar', { token: t.director })).status).toBe(403);
    expect((await stack.api.put('/admin/calendar/2027', notice2027, { token: t.clerk })).status).toBe(403);
    const bad = async (body: object, field: string, path = '/admin/calendar/2027/preview') => {
      const res = await stack.api.post(path, body, { token: t.admin });
      expect(res.status, JSON.stringify(res.json)).toBe(400);
      expect(JSON.stringify(res.json)).toContain(field);
    };
    await bad({ ...notice2027, holidays: ['2027-02-30'] }, 'holidays.0');
    await bad({ ...notice2027, holidays: ['2027-02-06', '2027-02-05'] }, 'holidays');
    await bad({ ...notice2027, makeupWorkdays: ['2027-02-17'] }, 'makeupWorkdays.0'); // a Wednesday
    await bad({ ...notice2027, holidays: ['2028-01-01'] }, 'holidays.0');
    await bad({ holidays: notice2027.holidays, makeupWorkdays: [] }, 'source');
    await bad(notice2027, 'year', '/admin/calendar/27/preview');
  });

  it('previews what loading 2027 would move, and writes nothing', async () => {
    const before = await Promise.all(Object.values(cases).map(async (no) => ({ no, version: (await getCase(no)).version, events: (await events(no)).length })));

    const res = await stack.api.post('/admin/calendar/2027/preview', notice2027, { token: t.admin });

    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // Moved: the handling clock 02-11 → 02-15 (+4) of two cases (one paused), the department's 02-01 → 02-04 (+3).
    expect(res.json).toMatchObject({
      year: 2027,
      provisionalCases: 3,
      casesMoved: 2,
      clocksMoved: 3,
      shifts: [
        { days: 3, clocks: 1 },
        { days: 4, clocks: 2 },
      ],
    });
    expect(res.json.moved).toEqual(
      expect.arrayContaining([
        { caseNo: cases.moved, deptCode: 'HRSS', kind: 'handling', from: '2027-02-11', to: '2027-02-15', days: 4 },
        { caseNo: cases.moved, deptCode: 'HRSS', kind: 'departmentDue', from: '2027-02-01', to: '2027-02-04', days: 3 },
        { caseNo: cases.paused, kind: 'handling', from: '2027-02-11', to: '2027-02-15', days: 4 },
      ]),
    );
    const after = await Promise.all(Object.values(cases).map(async (no) => ({ no, version: (await getCase(no)).version, events: (await events(no)).length })));
    expect(after).toEqual(before);
    expect((await stack.api.get('/admin/calendar', { token: t.admin })).json.years.find((y: { year: number }) => y.year === 2027).status).toBe('provisional');
  });

  it('loads 2027: exactly the moved dates are re-derived, each case with an audit event and a notice; the rest untouched', async () => {
    stack.clock.set('2026-12-10T03:00:00Z');
    const beforeVersion = (await getCase(cases.before)).version;

    const res = await stack.api.put('/admin/calendar/2027', notice2027, { token: t.admin });

    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.recompute).toEqual({ complete: true, casesUpdated: 3, clocksMoved: 3, notices: 2, conflicts: 0 });
    const moved = await getCase(cases.moved);
    expect(moved.clocks.handling).toMatchObject({ due: '2027-02-15', status: 'running' });
    expect(moved.clocks.handling?.derivation.provisionalYears).toBeUndefined();
    expect(moved.clocks.departmentDue).toMatchObject({ due: '2027-02-04', status: 'running' });
    const paused = await getCase(cases.paused);
    expect(paused.clocks.handling).toMatchObject({ due: '2027-02-15', status: 'paused' });
    // Not moved, but no longer provisional: confirmed, with an event and no notice.
    const unmoved = await getCase(cases.unmoved);
    expect(unmoved.clocks.handling).toMatchObject({ due: '2027-01-19' });
    expect(unmoved.clocks.handling?.derivation.provisionalYears).toBeUndefined();
    expect((await getCase(cases.before)).version).toBe(beforeVersion);

    const rederived = async (no: string) => (await events(no)).filter((e) => e.type === 'clock.rederived');
    expect((await rederived(cases.moved)).map((e) => e.data.changes)).toEqual([
      [
        { clock: 'handling', from: '2027-02-11', to: '2027-02-15', days: 4 },
        { clock: 'departmentDue', from: '2027-02-01', to: '2027-02-04', days: 3 },
      ],
    ]);
    expect(await rederived(cases.paused)).toHaveLength(1);
    expect((await rederived(cases.unmoved)).map((e) => e.data.changes)).toEqual([[]]);
    expect(await rederived(cases.before)).toEqual([]);

    const notices = (await outbox('2026-12-10')).filter((n) => n.milestone === 'calendar-2027');
    expect(notices.map((n) => [n.caseNo, n.recipient]).sort()).toEqual(
      [
        [cases.moved, { kind: 'department', deptCode: 'HRSS' }],
        [cases.paused, { kind: 'clerk' }],
      ].sort(),
    );
    expect(notices.find((n) => n.caseNo === cases.moved)?.body).toContain('承办单位办理期限由2027年2月1日调整为2027年2月4日');
  });

  it('loading the same year again writes nothing more', async () => {
    const before = await Promise.all(Object.values(cases).map(async (no) => (await events(no)).length));
    const res = await stack.api.put('/admin/calendar/2027', notice2027, { token: t.admin });
    expect(res.status).toBe(200);
    expect(res.json.recompute).toEqual({ complete: true, casesUpdated: 0, clocksMoved: 0, notices: 0, conflicts: 0 });
    expect(await Promise.all(Object.values(cases).map(async (no) => (await events(no)).length))).toEqual(before);
    expect((await outbox('2026-12-10')).filter((n) => n.milestone === 'calendar-2027')).toHaveLength(2);
  });

  it('is in effect for new clocks at once (within the cache time), without a deploy', async () => {
    // The other functions read the loaded years again after calendarCacheSeconds (60 s).
    stack.clock.set('2026-12-10T03:02:00Z');
    const fresh = await register('cal-after', '2026-12-10');
    // Accepted 2026-12-10 → 60 days → 2027-02-08: provisionally a working day… now inside the loaded block (5–12 Feb).
    const accepted = await act(fresh, 'accept', { warningsOverride: '不同事项' }, t.director);
    expect(accepted.clocks.handling).toMatchObject({ due: '2027-02-15' });
    expect(accepted.clocks.handling?.derivation.provisionalYears).toBeUndefined();
    const overview = await stack.api.get('/admin/calendar', { token: t.admin });
    expect(overview.json.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
      status: 'loaded',
      source: notice2027.source,
      updatedBy: 'admin1',
    });
  });
});

describe('a re-derivation killed half-way', () => {
  it('finishes on the next run, with the same result and nothing written twice', async () => {
    // Prepare: two cases due within the (now loaded) 2027, and two whose dates run into a provisional 2028.
    stack.clock.set('2027-11-01T02:00:00Z');
    const a = await register('cal-crash-a', '2027-11-01');
    await act(a, 'accept', { warningsOverride: '不同事项' }, t.director); // 60 days → 2027-12-31 (Fri): not provisional
    const b = await register('cal-crash-b', '2027-11-01');
    await act(b, 'accept', { warningsOverride: '不同事项' }, t.director);
    stack.clock.set('2027-11-03T02:00:00Z');
    const c = await register('cal-crash-c', '2027-11-03');
    await act(c, 'accept', { warningsOverride: '不同事项' }, t.director); // 60 days → 2028-01-02 (Sun) → 补假 3 Jan → provisional 2028-01-04
    const d = await register('cal-crash-d', '2027-11-03');
    await act(d, 'accept', { warningsOverride: '不同事项' }, t.director);
    const year2028 = { holidays: ['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04'], makeupWorkdays: [], source: '测试通知' };

    const db = documentClient(stack.clients.dynamodb);
    const plain = new DynamoDbCaseRepository(db, stack.tableName);
    const store = new DynamoDbSweepStore(db, stack.tableName);
    const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '管理员', roles: ['admin'] };
    let commits = 0;
    const crashing: CalendarClockStore = {
      openClocksFrom: (from) => store.openClocksFrom(from),
      getCases: (nos) => store.getCases(nos),
      commit: async (w) => {
        if (commits++ >= 1) throw new Error('killed');
        return store.commit(w);
      },
    };
    const source = new OfficeCalendarSource({ store: plain, clock: stack.clock, cacheMs: 0 });

    // Act: the first run dies after one case; the second run finishes.
    await expect(new CalendarAdmin({ years: plain, clocks: crashing, source, clock: stack.clock }).save(admin, 2028, year2028)).rejects.toThrow('killed');
    const second = await new CalendarAdmin({ years: plain, clocks: store, source, clock: stack.clock }).save(admin, 2028, year2028);
    const third = await new CalendarAdmin({ years: plain, clocks: store, source, clock: stack.clock }).save(admin, 2028, year2028);

    // Assess: one run's worth in all: each case re-derived once, one notice each.
    expect(second.recompute).toMatchObject({ complete: true, casesUpdated: 1 });
    expect(third.recompute).toMatchObject({ complete: true, casesUpdated: 0 });
    for (const no of [c, d]) {
      expect((await getCase(no)).clocks.handling).toMatchObject({ due: '2028-01-05' });
      expect((await events(no)).filter((e) => e.type === 'clock.rederived')).toHaveLength(1);
    }
    for (const no of [a, b]) expect((await events(no)).filter((e) => e.type === 'clock.rederived')).toEqual([]);
    expect((await outbox('2027-11-03')).filter((n) => n.milestone === 'calendar-2028')).toHaveLength(2);
  });
});
