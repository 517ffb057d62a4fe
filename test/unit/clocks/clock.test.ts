import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError, type DomainError } from '../../../shared/domain/errors';
import {
  ClockStateSchema,
  createCalendar,
  daysLeft,
  departmentDueClock,
  extendClock,
  isOverdue,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  syncDepartmentClock,
  type ClockState,
} from '../../../shared/domain/clocks';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function ruleViolation(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolationError);
    return error as DomainError;
  }
  throw new Error('expected a RuleViolationError');
}

/** Accepted 2026-02-10: 60 days → 04-11 (Sat) → due 04-13 (Mon). */
const handling = (): ClockState => startClock('handling', '2026-02-10', { itemType: 'request-appeal' });

describe('startClock', () => {
  it('starts a running notify clock under the 2022 rules by default', () => {
    // Act: 2025-01-15 + 15 → 01-30 (Spring Festival) → 02-05
    const clock = startClock('notify', '2025-01-15');

    // Assess
    expect(clock).toMatchObject({
      kind: 'notify',
      status: 'running',
      startedOn: '2025-01-15',
      lengthDays: 15,
      unit: 'calendarDays',
      due: '2025-02-05',
      pauses: [],
    });
    expect(clock.derivation).toMatchObject({ kind: 'notify', ruleSet: '2022', article: '《信访工作条例》第二十二条、第二十三条', lengthSource: 'statute' });
  });

  it('uses the 2005 articles for an older case', () => {
    const clock = startClock('handling', '2026-02-10', { ruleSet: '2005', itemType: 'request-appeal' });
    expect(clock.due).toBe('2026-04-13');
    expect(clock.derivation).toMatchObject({ ruleSet: '2005', article: '《信访条例》（2005）第三十三条' });
  });

  it('refuses a transfer objection clock under the 2005 rules, which have none', () => {
    const error = ruleViolation(() => startClock('transferObjection', '2026-02-11', { ruleSet: '2005' }));
    expect(error.details).toMatchObject({ kind: 'transferObjection', ruleSet: '2005' });
  });

  it('counts a transfer objection in working days under the 2022 rules', () => {
    // 02-12 (1) 02-13 (2) 02-14 make-up (3); holidays to 02-23; 02-24 (4) 02-25 (5)
    const clock = startClock('transferObjection', '2026-02-11');
    expect(clock).toMatchObject({ unit: 'workingDays', lengthDays: 5, due: '2026-02-25' });
  });

  it('takes the office policy for handling items other than request/appeal', () => {
    // 2026-02-10 + 45: 18 days to 02-28, 27 more → 03-27 (Fri)
    const clock = startClock('handling', '2026-02-10', { itemType: 'suggestion', policy: { handlingDaysOtherTypes: 45 } });
    expect(clock.due).toBe('2026-03-27');
    expect(clock.derivation.lengthSource).toBe('policy');
    expect(clock.derivation.article).toContain('本机关规定');
  });

  it('needs the item type for a handling clock', () => {
    ruleViolation(() => startClock('handling', '2026-02-10'));
  });

  it('takes a length override and says so', () => {
    // 2025-03-01 + 20 → 03-21 (Fri)
    const clock = startClock('notify', '2025-03-01', { lengthOverride: 20 });
    expect(clock).toMatchObject({ lengthDays: 20, due: '2025-03-21' });
    expect(clock.derivation.lengthSource).toBe('override');
  });

  it('uses the calendar it is given', () => {
    // Prepare: a calendar that only knows 2027
    const calendar = createCalendar({ years: { '2027': { holidays: ['2027-01-15'], makeupWorkdays: [] } } });

    // Act: 2027-01-01 + 14 → 01-15 (Fri, a holiday in this calendar) → 01-16 Sat, 01-17 Sun → 01-18
    const clock = startClock('notify', '2027-01-01', { calendar, lengthOverride: 14 });

    // Assess
    expect(clock.due).toBe('2027-01-18');
  });
});

describe('department due date', () => {
  it('is derived from the handling clock and moved backward off National Day', () => {
    // Prepare: accepted 2025-08-17; 14 days to 08-31, September (44), 16 more → 10-16 (Thu)
    const handlingClock = startClock('handling', '2025-08-17', { itemType: 'request-appeal' });

    // Act: 10-16 − 10 → 10-06 (holiday) → back to 09-30
    const department = departmentDueClock(handlingClock, '2025-08-20');

    // Assess
    expect(handlingClock.due).toBe('2025-10-16');
    expect(department).toMatchObject({ kind: 'departmentDue', status: 'running', startedOn: '2025-08-20', lengthDays: 10, due: '2025-09-30' });
    expect(department.derivation).toMatchObject({ roll: 'backward', handlingDue: '2025-10-16', ruleSet: '2022' });
  });

  it('follows an extension of the handling clock when synced', () => {
    // Prepare
    const handlingClock = startClock('handling', '2025-08-17', { itemType: 'request-appeal' });
    const department = departmentDueClock(handlingClock, '2025-08-20');

    // Act: 90 days → 11-15 (Sat) → 11-17 (Mon); department 11-17 − 10 → 11-07 (Fri)
    const extended = extendClock(handlingClock, 30, '情况复杂');
    const synced = syncDepartmentClock(department, extended);

    // Assess
    expect(extended.due).toBe('2025-11-17');
    expect(synced.due).toBe('2025-11-07');
    expect(synced.startedOn).toBe('2025-08-20');
  });

  it('can be paused and resumed like any clock, which gives the department its days back', () => {
    // Prepare: handling due 04-13 → department 04-03
    const department = departmentDueClock(handling(), '2026-02-12');

    // Act: paused 03-02 → 03-07 (5 days): 04-13 − 10 + 5 → 04-08 (Wed)
    const resumed = resumeClock(pauseClock(department, '2026-03-02', '等待材料'), '2026-03-07');

    // Assess
    expect(department.due).toBe('2026-04-03');
    expect(resumed.due).toBe('2026-04-08');
  });

  it('cannot be started without the handling due', () => {
    ruleViolation(() => startClock('departmentDue', '2026-02-12'));
  });
});

describe('pauseClock and resumeClock', () => {
  it('pauses without moving the due date, then resumes with the pause added', () => {
    // Prepare
    const clock = handling();

    // Act: paused 03-01 → 03-06 takes 03-02..03-06 out: raw 04-11 + 5 → 04-16 (Thu)
    const paused = pauseClock(clock, '2026-03-01', '听证');
    const resumed = resumeClock(paused, '2026-03-06');

    // Assess
    expect(paused.status).toBe('paused');
    expect(paused.due).toBe('2026-04-13');
    expect(paused.pauses).toEqual([{ from: '2026-03-01', reason: '听证' }]);
    expect(resumed.status).toBe('running');
    expect(resumed.pauses).toEqual([{ from: '2026-03-01', to: '2026-03-06', reason: '听证' }]);
    expect(resumed.due).toBe('2026-04-16');
    expect(resumed.derivation.pausedDays).toBe(5);
    expect(resumed.derivation.explanation).toBe('自2026-02-10起算60日，中止计时5日不计入，届满日为2026-04-16');
  });

  it('adds a second pause to the first', () => {
    // 04-16 after the first pause; a second 04-01 → 04-03 (2 days) → raw 04-18 (Sat) → 04-20 (Mon)
    const once = resumeClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-06');
    const twice = resumeClock(pauseClock(once, '2026-04-01', '等待信访人'), '2026-04-03');
    expect(twice.due).toBe('2026-04-20');
    expect(twice.derivation.pausedDays).toBe(7);
  });

  it('treats a resume on the day of the pause as no pause at all', () => {
    const resumed = resumeClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-01');
    expect(resumed.due).toBe('2026-04-13');
  });

  it.each([
    ['a paused clock', () => pauseClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-02', '听证')],
    ['a stopped clock', () => pauseClock(stopClock(handling(), '2026-03-01'), '2026-03-02', '听证')],
    ['before the start', () => pauseClock(handling(), '2026-02-09', '听证')],
    ['after the due date', () => pauseClock(handling(), '2026-04-14', '听证')],
    ['before the previous pause ended', () => pauseClock(resumeClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-06'), '2026-03-05', '听证')],
  ])('refuses to pause %s', (_what, act) => {
    ruleViolation(act);
  });

  it('refuses a pause without a reason', () => {
    expect(() => pauseClock(handling(), '2026-03-01', ' ')).toThrow(ValidationError);
  });

  it.each([
    ['a running clock', () => resumeClock(handling(), '2026-03-01')],
    ['a stopped clock', () => resumeClock(stopClock(handling(), '2026-03-01'), '2026-03-02')],
    ['before the pause began', () => resumeClock(pauseClock(handling(), '2026-03-05', '听证'), '2026-03-04')],
  ])('refuses to resume %s', (_what, act) => {
    ruleViolation(act);
  });
});

describe('stopClock', () => {
  it('stops a running clock on the day', () => {
    const stopped = stopClock(handling(), '2026-04-01');
    expect(stopped).toMatchObject({ status: 'stopped', stoppedOn: '2026-04-01', due: '2026-04-13' });
  });

  it('closes the pause of a paused clock first', () => {
    // paused 03-01, stopped 03-04: 3 days out → raw 04-14 (Tue)
    const stopped = stopClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-04');
    expect(stopped.pauses).toEqual([{ from: '2026-03-01', to: '2026-03-04', reason: '听证' }]);
    expect(stopped.due).toBe('2026-04-14');
    expect(stopped.status).toBe('stopped');
  });

  it('refuses to stop twice or before the start', () => {
    const stopped = stopClock(handling(), '2026-04-01');
    ruleViolation(() => stopClock(stopped, '2026-04-02'));
    ruleViolation(() => stopClock(handling(), '2026-02-01'));
  });
});

describe('extendClock', () => {
  it('extends a handling clock once, recording the days and the reason', () => {
    // 90 days: 18 to 02-28, March (49), April (79), 11 more → 05-11 (Mon)
    const extended = extendClock(handling(), 30, '情况复杂，经负责人批准');
    expect(extended).toMatchObject({ due: '2026-05-11', lengthDays: 60, extendedBy: 30, extensionReason: '情况复杂，经负责人批准' });
    expect(extended.derivation).toMatchObject({ length: 90, extendedBy: 30 });
  });

  it('keeps the pauses when extending', () => {
    // paused 5 days, then +10: 75 counted days → 04-26 (Sun) → 04-27 (Mon)
    const resumed = resumeClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-06');
    expect(extendClock(resumed, 10, '情况复杂').due).toBe('2026-04-27');
  });

  it('refuses a second extension', () => {
    const once = extendClock(handling(), 10, '情况复杂');
    const error = ruleViolation(() => extendClock(once, 5, '仍未办结'));
    expect(error.details).toMatchObject({ extendedBy: 10 });
  });

  it.each([31, 0, -5])('refuses an extension of %i days', (days) => {
    ruleViolation(() => extendClock(handling(), days, '情况复杂'));
  });

  it('refuses more than the office policy allows', () => {
    ruleViolation(() => extendClock(handling(), 20, '情况复杂', { maxExtensionDays: 15 }));
    expect(extendClock(handling(), 15, '情况复杂', { policy: { maxExtensionDays: 15 } }).extendedBy).toBe(15);
  });

  it('refuses to extend anything but an open handling clock', () => {
    ruleViolation(() => extendClock(startClock('notify', '2026-02-10'), 10, '情况复杂'));
    ruleViolation(() => extendClock(stopClock(handling(), '2026-03-01'), 10, '情况复杂'));
  });

  it('refuses a fraction of a day or a missing reason', () => {
    expect(() => extendClock(handling(), 1.5, '情况复杂')).toThrow(ValidationError);
    expect(() => extendClock(handling(), 10, '')).toThrow(ValidationError);
  });
});

describe('isOverdue and daysLeft', () => {
  it('counts calendar days to the due date, which itself is still on time', () => {
    const clock = handling(); // due 2026-04-13
    expect(daysLeft(clock, '2026-04-01')).toBe(12);
    expect(isOverdue(clock, '2026-04-13')).toBe(false);
    expect(daysLeft(clock, '2026-04-13')).toBe(0);
    expect(isOverdue(clock, '2026-04-14')).toBe(true);
    expect(daysLeft(clock, '2026-04-14')).toBe(-1);
  });

  it('freezes a paused clock on the day it was paused', () => {
    // paused 03-01, due 04-13: 30 days to 03-31 + 13 = 43
    const paused = pauseClock(handling(), '2026-03-01', '听证');
    expect(daysLeft(paused, '2026-05-01')).toBe(43);
    expect(isOverdue(paused, '2026-05-01')).toBe(false);
  });

  it('freezes a stopped clock on the day it stopped, so a late stop stays overdue', () => {
    const late = stopClock(handling(), '2026-04-15');
    expect(isOverdue(late, '2026-06-01')).toBe(true);
    expect(daysLeft(late, '2026-06-01')).toBe(-2);
    expect(isOverdue(stopClock(handling(), '2026-04-13'), '2026-06-01')).toBe(false);
  });
});

describe('clock values', () => {
  it('are never changed by the operations on them', () => {
    // Prepare
    const clock = deepFreeze(handling());
    const before = JSON.stringify(clock);

    // Act
    const paused = deepFreeze(pauseClock(clock, '2026-03-01', '听证'));
    const resumed = deepFreeze(resumeClock(paused, '2026-03-06'));
    const extended = deepFreeze(extendClock(resumed, 10, '情况复杂'));
    stopClock(extended, '2026-04-20');

    // Assess
    expect(JSON.stringify(clock)).toBe(before);
    expect(paused.status).toBe('paused');
  });

  it('survive a round trip through storage', () => {
    // Prepare
    const handlingClock = extendClock(resumeClock(pauseClock(handling(), '2026-03-01', '听证'), '2026-03-06'), 10, '情况复杂');
    const states = [
      startClock('transferObjection', '2026-02-11'),
      pauseClock(handling(), '2026-03-01', '听证'),
      stopClock(handling(), '2026-04-01'),
      handlingClock,
      departmentDueClock(handlingClock, '2026-02-12'),
    ];

    // Act / Assess
    for (const state of states) {
      expect(ClockStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    }
  });

  it.each([
    ['paused without an open pause', (c: ClockState) => ({ ...c, status: 'paused' })],
    ['running with an open pause', (c: ClockState) => ({ ...c, pauses: [{ from: '2026-03-01', reason: '听证' }] })],
    ['stopped without a stop date', (c: ClockState) => ({ ...c, status: 'stopped' })],
    ['a due date that is not its derivation', (c: ClockState) => ({ ...c, due: '2026-04-14' })],
    ['an extension without a reason', (c: ClockState) => ({ ...c, extendedBy: 10 })],
    ['an impossible date', (c: ClockState) => ({ ...c, startedOn: '2026-02-30' })],
    ['an unknown kind', (c: ClockState) => ({ ...c, kind: 'appeal' })],
  ])('are rejected by the schema when %s', (_what, corrupt) => {
    expect(ClockStateSchema.safeParse(corrupt(handling())).success).toBe(false);
  });
});
