/**
 * The holiday calendar as office data (CalendarAdmin, OfficeCalendarSource) over the in-memory
 * fakes: a year not yet published is provisional; previewing a loaded year writes nothing; saving
 * it re-derives exactly the open provisional clocks it moves (each case once, with an audit event
 * and a notice), takes effect for new clocks at once, and a save that dies half-way is finished by
 * saving again.
 */
import { describe, expect, it } from 'vitest';
import { CalendarAdmin, OfficeCalendarSource } from '../../../shared/app/calendar';
import { Registry } from '../../../shared/app/registry';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors';
import { parseOfficeSettings } from '../../../shared/domain/office';
import type { Actor } from '../../../shared/domain/roles';
import { fakePorts } from '../../support/fakes';
import { TEST_PII_KEY } from '../../support/fakes/use-cases';
import { clerk, director, registration } from '../lifecycle/fixtures';

const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '系统管理员', roles: ['admin'] };

/** A 2027 notice as an admin types it (test data): 春节 5–12 Feb, make-up Saturdays. */
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

function setup() {
  const ports = fakePorts({ now: '2026-12-07T02:00:00Z' });
  const source = new OfficeCalendarSource({ store: ports.repo, clock: ports.clock, cacheMs: 0 });
  const registry = new Registry({
    repo: ports.repo,
    storage: ports.storage,
    clock: ports.clock,
    settings: parseOfficeSettings(undefined),
    clocks: { calendar: source },
    piiKey: TEST_PII_KEY,
  });
  const admin_ = new CalendarAdmin({ years: ports.repo, clocks: ports.store, source, clock: ports.clock });
  return { ports, registry, calendar: admin_ };
}

/** Registered and accepted on 2026-12-07, assigned to HRSS: handling due 2027-02-05 (除夕) → provisional 2027-02-11. */
async function movedCase(registry: Registry, name: string): Promise<string> {
  const reg = await registry.register(clerk, registration({ receivedOn: '2026-12-07', petitioners: [{ name, phone: '13812340000' }] }));
  const accepted = await registry.act(director, reg.case.caseNo, 'accept', { warningsOverride: '不同事项' }, 1);
  await registry.act(director, reg.case.caseNo, 'assign', { deptCode: 'HRSS' }, accepted.version);
  return reg.case.caseNo;
}

describe('the office’s holiday calendar', () => {
  it('is for admins; a year not yet published is provisional, and an invalid year is refused', async () => {
    const { calendar } = setup();
    await expect(calendar.overview(director)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(calendar.save(clerk, 2027, notice2027)).rejects.toBeInstanceOf(ForbiddenError);
    const { years } = await calendar.overview(admin);
    expect(years.find((y) => y.year === 2027)).toMatchObject({ status: 'provisional', makeupWorkdays: [] });
    expect(years.find((y) => y.year === 2026)).toMatchObject({ status: 'shipped' });
    await expect(calendar.preview(admin, 2027, { ...notice2027, holidays: ['2027-02-30'] })).rejects.toBeInstanceOf(ValidationError);
    await expect(calendar.preview(admin, 2027, { ...notice2027, holidays: ['2028-01-01'] })).rejects.toBeInstanceOf(ValidationError);
  });

  it('previews the clocks a year would move and writes nothing; saving moves exactly those, once', async () => {
    const { ports, registry, calendar } = setup();
    const caseNo = await movedCase(registry, '王一');
    const before = await ports.repo.getCase(caseNo);
    expect(before?.clocks.handling).toMatchObject({ due: '2027-02-11', derivation: { provisionalYears: [2027] } });
    expect(before?.clocks.departmentDue).toMatchObject({ due: '2027-02-01' });

    const effect = await calendar.preview(admin, 2027, notice2027);
    expect(effect).toMatchObject({ year: 2027, provisionalCases: 1, casesMoved: 1, clocksMoved: 2 });
    expect(effect.moved).toEqual(
      expect.arrayContaining([
        { caseNo, deptCode: 'HRSS', kind: 'handling', from: '2027-02-11', to: '2027-02-15', days: 4 },
        { caseNo, deptCode: 'HRSS', kind: 'departmentDue', from: '2027-02-01', to: '2027-02-04', days: 3 },
      ]),
    );
    expect((await ports.repo.getCase(caseNo))?.version).toBe(before?.version);
    expect(await ports.repo.calendarYears()).toEqual([]);

    const saved = await calendar.save(admin, 2027, notice2027);
    expect(saved.recompute).toMatchObject({ complete: true, casesUpdated: 1, clocksMoved: 2, notices: 1, conflicts: 0 });
    const after = await ports.repo.getCase(caseNo);
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect(after?.clocks.handling?.due).toBe('2027-02-15');
    expect(after?.clocks.handling?.derivation.provisionalYears ?? []).not.toContain(2027);
    expect((await ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'clock.rederived', data: { year: 2027 } });
    expect([...ports.state.notices.keys()].filter((id) => id.startsWith(`${caseNo}#`))).toHaveLength(1);
    expect((await calendar.overview(admin)).years.find((y) => y.year === 2027)).toMatchObject({ status: 'loaded', updatedBy: 'admin1' });

    // Again: nothing left to move, nothing written twice.
    expect((await calendar.save(admin, 2027, notice2027)).recompute).toMatchObject({ casesUpdated: 0, clocksMoved: 0, notices: 0 });
    expect((await ports.repo.getCase(caseNo))?.version).toBe(after?.version);

    // A clock started now counts on the loaded year.
    const fresh = await movedCase(registry, '王二');
    expect((await ports.repo.getCase(fresh))?.clocks.handling?.due).toBe('2027-02-15');
  });

  it('a save whose re-derivation dies half-way is finished by saving again', async () => {
    const { ports, registry, calendar } = setup();
    const first = await movedCase(registry, '李一');
    const second = await movedCase(registry, '李二');
    ports.state.failNext('commit', new Error('killed'), 1);
    await expect(calendar.save(admin, 2027, notice2027)).rejects.toThrow('killed');
    const again = await calendar.save(admin, 2027, notice2027);
    expect(again.recompute.complete).toBe(true);
    for (const caseNo of [first, second]) {
      expect((await ports.repo.getCase(caseNo))?.clocks.handling?.due).toBe('2027-02-15');
      expect((await ports.repo.listEvents(caseNo)).filter((e) => e.type === 'clock.rederived')).toHaveLength(1);
    }
  });
});
