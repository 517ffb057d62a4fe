import { describe, expect, it } from 'vitest';
import {
  defaultCalendar,
  departmentDueClock,
  extendClock,
  officeCalendar,
  pauseClock,
  provisionalYear,
  qingming,
  resumeClock,
  startClock,
  statutoryHolidays,
  stopClock,
  syncDepartmentClock,
  workingDaysUntil,
  lunarToGregorian,
  springFestival,
  type ClockState,
} from '../../../shared/domain/clocks';
import { newMoonNear } from '../../../shared/domain/clocks/lunar';
import type { ActionContext } from '../../../shared/domain/lifecycle';
import { newCase } from '../../../shared/domain/registration';
import { RegistrationSchema, type Case } from '../../../shared/domain/case';
import { DEFAULT_DEPARTMENTS } from '../../../shared/domain/office';
import type { Action } from '../../../shared/domain/actions';
import type { Actor } from '../../../shared/domain/roles';
import { applyRaw, clerk, director, draft, hrss, opinion } from '../lifecycle/fixtures';

describe('the lunar and solar-term dates of the statutory holidays', () => {
  // Published dates (State Council notices; Hong Kong Observatory almanac for 2027–2031).
  it.each([
    [2019, '2019-02-05', '2019-04-05', '2019-06-07', '2019-09-13'],
    [2020, '2020-01-25', '2020-04-04', '2020-06-25', '2020-10-01'],
    [2021, '2021-02-12', '2021-04-04', '2021-06-14', '2021-09-21'],
    [2022, '2022-02-01', '2022-04-05', '2022-06-03', '2022-09-10'],
    [2023, '2023-01-22', '2023-04-05', '2023-06-22', '2023-09-29'],
    [2024, '2024-02-10', '2024-04-04', '2024-06-10', '2024-09-17'],
    [2025, '2025-01-29', '2025-04-04', '2025-05-31', '2025-10-06'],
    [2026, '2026-02-17', '2026-04-05', '2026-06-19', '2026-09-25'],
    [2027, '2027-02-06', '2027-04-05', '2027-06-09', '2027-09-15'],
    [2028, '2028-01-26', '2028-04-04', '2028-05-28', '2028-10-03'],
    [2030, '2030-02-03', '2030-04-05', '2030-06-05', '2030-09-12'],
  ])('%i: 春节 %s, 清明 %s, 端午 %s, 中秋 %s', (year, spring, qm, duanwu, midAutumn) => {
    expect(springFestival(year)).toBe(spring);
    expect(qingming(year)).toBe(qm);
    expect(lunarToGregorian(year, 5, 5)).toBe(duanwu);
    expect(lunarToGregorian(year, 8, 15)).toBe(midAutumn);
  });

  it('starts 2027 on 6 February although ICU puts the new moon (23:56 Beijing time) on the 7th', () => {
    // The month starts on the Beijing date of the new moon, whatever day ICU starts it.
    expect(newMoonNear('2027-02-07')).toBe('2027-02-06');
    expect(newMoonNear('2027-02-06')).toBe('2027-02-06');
    const { holidays } = statutoryHolidays(2027);
    expect(holidays.filter((d) => d.name === '除夕' || d.name === '春节').map((d) => d.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
  });
});

describe('the statutory holidays of a year (全国年节及纪念日放假办法)', () => {
  it('lists 2027: the festival days of Art. 2 and the weekdays that make up for weekend ones (Art. 6)', () => {
    const { holidays, madeUp, citation } = statutoryHolidays(2027);
    expect(citation).toBe('《全国年节及纪念日放假办法》（2024年修订）第二条、第六条');
    expect(holidays.map((d) => `${d.date} ${d.name}`)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 除夕',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
    // 6, 7 Feb, 1, 2 May and 2, 3 Oct fall on a weekend.
    expect(madeUp.map((d) => d.date)).toEqual(['2027-02-09', '2027-02-10', '2027-05-03', '2027-05-04', '2027-10-04', '2027-10-05']);
    expect(provisionalYear(2027)).toEqual({ holidays: [...holidays, ...madeUp].map((d) => d.date).sort(), makeupWorkdays: [] });
  });

  it.each([2025, 2026])('agrees with the published %i calendar: every derived day off is a holiday there', (year) => {
    const { holidays, madeUp } = statutoryHolidays(year);
    expect(holidays.length).toBe(13);
    for (const day of [...holidays, ...madeUp]) expect([day.date, defaultCalendar.isHoliday(day.date)]).toEqual([day.date, true]);
  });

  it('uses the 2013 revision before 2025 (春节 from 初一, one day for 劳动节)', () => {
    const { holidays, citation } = statutoryHolidays(2024);
    expect(citation).toContain('2013年修订');
    expect(holidays.filter((d) => d.name === '春节' || d.name === '除夕').map((d) => d.date)).toEqual(['2024-02-10', '2024-02-11', '2024-02-12']);
    expect(holidays.filter((d) => d.name === '劳动节').map((d) => d.date)).toEqual(['2024-05-01']);
  });
});

/**
 * Every clock operation on clocks that cross into 2027, a year the shipped data does not cover,
 * on the office calendar. Provisional 2027: 1 Jan; 5–10 Feb (除夕 to 初三, 补假 9 and 10 Feb);
 * 5 Apr; 1–4 May; 9 Jun; 15 Sep; 1–5 Oct; no make-up working days.
 */
describe('every clock operation across into an uncovered year, on the office calendar', () => {
  const cal = { calendar: officeCalendar };
  const ctx = { ...cal, itemType: 'request-appeal' as const };
  // Accepted 2026-12-07: 60 days → 2027-02-05 (除夕) → the block runs to the 10th → due 2027-02-11.
  const started = (): ClockState => startClock('handling', '2026-12-07', ctx);
  const pausedOnce = (): ClockState => pauseClock(started(), '2026-12-20', '听证', cal);
  const resumed = (): ClockState => resumeClock(pausedOnce(), '2026-12-22', cal);

  const rows: [string, () => ClockState, string, string[]][] = [
    ['start (calendar days, due on 除夕)', started, '2027-02-11', ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10']],
    [
      'start (working days, across 春节)',
      () => startClock('transferObjection', '2027-02-03', ctx),
      '2027-02-16',
      ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-13', '2027-02-14'],
    ],
    ['start (due on 元旦)', () => startClock('handling', '2026-11-02', ctx), '2027-01-04', ['2027-01-01', '2027-01-02', '2027-01-03']],
    ['pause (due unchanged while paused)', pausedOnce, '2027-02-11', ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10']],
    // 2 days paused → 2027-02-07, still inside the block.
    ['resume', resumed, '2027-02-11', ['2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10']],
    // Paused again 2027-01-10, stopped 2027-01-15: 2 + 5 days → 2027-02-12, a Friday.
    ['stop (a paused clock)', () => stopClock(pauseClock(resumed(), '2027-01-10', '等待补充材料', cal), '2027-01-15', cal), '2027-02-12', []],
    [
      'stop (a running clock)',
      () => stopClock(started(), '2027-01-20', cal),
      '2027-02-11',
      ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'],
    ],
    // 70 days → 2027-02-15, a Monday.
    ['extend', () => extendClock(started(), 10, '情况复杂', cal), '2027-02-15', []],
    // Department: 2027-02-11 − 10 = 2027-02-01, a Monday.
    ['derive the department clock', () => departmentDueClock(started(), '2026-12-08', cal), '2027-02-01', []],
    // After the extension: 2027-02-15 − 10 = 2027-02-05 (除夕) → back to Thursday 2027-02-04.
    [
      're-derive the department clock',
      () => syncDepartmentClock(departmentDueClock(started(), '2026-12-08', cal), extendClock(started(), 10, '情况复杂', cal), cal),
      '2027-02-04',
      ['2027-02-05'],
    ],
  ];

  it.each(rows)('%s', (_what, operate, due, skipped) => {
    // Act
    const clock = operate();

    // Assess
    expect(clock.due).toBe(due);
    expect(clock.derivation.holidaysSkipped).toEqual(skipped);
    expect(clock.derivation.provisionalYears).toEqual([2027]);
    expect(clock.derivation.explanation).toContain('2027年节假日安排尚未公布，暂按《全国年节及纪念日放假办法》（2024年修订）第二条、第六条推算');
  });

  it('runs into a second uncovered year: a window from December 2027 ends on the 补假 of 元旦 2028', () => {
    // 2027-12-04 + 30 = 2028-01-03, the Monday that makes up for 元旦 on a Saturday.
    const clock = startClock('reviewRequestWindow', '2027-12-04', cal);
    expect(clock.due).toBe('2028-01-04');
    expect(clock.derivation.provisionalYears).toEqual([2027, 2028]);
  });

  it('counts working days for the sweep across the provisional Spring Festival', () => {
    expect(workingDaysUntil('2027-02-03', '2027-02-16', officeCalendar)).toBe(5);
  });

  it('still refuses the uncovered year on the shipped calendar, so the office calendar is what makes these pass', () => {
    expect(() => pauseClock(startClock('handling', '2026-12-07', ctx), '2026-12-20', '听证')).toThrow(/does not cover 2027/);
  });
});

describe('every lifecycle action that touches a clock, on a case whose clocks run into 2027', () => {
  const ctxOf = (actor: Actor, today: string): ActionContext => ({
    actor,
    now: new Date(`${today}T03:00:00Z`),
    today,
    clocks: { calendar: officeCalendar },
    departments: DEFAULT_DEPARTMENTS,
  });
  const registered = (): Case => {
    const { case: c } = newCase(RegistrationSchema.parse(draft({ receivedOn: '2026-12-04' })), {
      caseNo: 'XF-2026-000901',
      queryCodeHash: 'h',
      petitionerKeys: [],
      earlier: [],
      actor: clerk,
      now: new Date('2026-12-04T02:00:00Z'),
      clocks: { calendar: officeCalendar },
    });
    return { ...c, auditSeq: 1, auditHead: 'x' };
  };
  const step = (c: Case, action: Action, actor: Actor, today: string, input: unknown = {}): Case => applyRaw(c, action, input, ctxOf(actor, today)).next;
  const accepted = (): Case => step(registered(), 'accept', director, '2026-12-07');
  const assigned = (): Case => step(accepted(), 'assign', director, '2026-12-08', { deptCode: 'HRSS' });
  const paused = (): Case => step(assigned(), 'pause-clock', director, '2026-12-20', { clock: 'handling', reason: '听证' });
  const resumed = (): Case => step(paused(), 'resume-clock', director, '2026-12-22', { clock: 'handling' });
  const answeredWhilePaused = (): Case =>
    step(step(resumed(), 'pause-clock', director, '2027-01-10', { clock: 'handling', reason: '等待补充材料' }), 'answer', hrss, '2027-01-12', opinion);

  const rows: [string, () => Case, 'handling' | 'departmentDue', string, string][] = [
    ['accept (starts the handling clock)', accepted, 'handling', 'running', '2027-02-11'],
    ['assign (derives the department clock)', assigned, 'departmentDue', 'running', '2027-02-01'],
    ['pause-clock', paused, 'handling', 'paused', '2027-02-11'],
    ['resume-clock', resumed, 'handling', 'running', '2027-02-11'],
    [
      'extend (and re-derive the department clock)',
      () => step(assigned(), 'extend', director, '2026-12-10', { days: 10, reason: '情况复杂' }),
      'departmentDue',
      'running',
      '2027-02-04',
    ],
    ['answer (stops the department clock)', answeredWhilePaused, 'departmentDue', 'stopped', '2027-02-01'],
    [
      'approve-reply after a pause (stops the paused handling clock)',
      () => step(answeredWhilePaused(), 'approve-reply', director, '2027-01-15'),
      'handling',
      'stopped',
      '2027-02-12',
    ],
    [
      'return (re-derives the department clock)',
      () => step(answeredWhilePaused(), 'return', director, '2027-01-13', { comment: '请补充事实' }),
      'departmentDue',
      'running',
      '2027-02-01',
    ],
  ];

  it.each(rows)('%s', (_what, build, kind, status, due) => {
    const clock = build().clocks[kind];
    expect(clock?.status).toBe(status);
    expect(clock?.due).toBe(due);
    expect(clock?.derivation.provisionalYears).toEqual([2027]);
  });
});
