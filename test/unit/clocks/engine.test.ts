import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError, type DomainError } from '../../../shared/domain/errors';
import { DerivationSchema, computeDepartmentDue, computeDue, defaultCalendar as calendar, ruleFor, workingDaysUntil } from '../../../shared/domain/clocks';

describe('computeDue derivation', () => {
  it('records the rule, the raw last day, the days rolled over and a Chinese explanation', () => {
    // Prepare
    const rule = ruleFor('handling', '2022', 'request-appeal');

    // Act
    const { due, derivation } = computeDue({ start: '2026-02-10', length: 60, unit: 'calendarDays', calendar, rule, lengthSource: 'statute' });

    // Assess
    expect(due).toBe('2026-04-13');
    expect(derivation).toEqual({
      kind: 'handling',
      label: '办理期限',
      article: '《信访工作条例》第三十四条',
      ruleSet: '2022',
      lengthSource: 'statute',
      start: '2026-02-10',
      length: 60,
      unit: 'calendarDays',
      startDayCounted: false,
      rollForward: true,
      rawDue: '2026-04-11',
      roll: 'forward',
      holidaysSkipped: ['2026-04-11', '2026-04-12'],
      makeupWorkdays: [],
      pauses: [],
      pausedDays: 0,
      due: '2026-04-13',
      explanation: '自2026-02-10起算60日，届满日2026-04-11为休息日，顺延至2026-04-13',
    });
    expect(DerivationSchema.parse(derivation)).toEqual(derivation);
  });

  it('says a public holiday is a public holiday', () => {
    const { derivation } = computeDue({ start: '2025-09-20', length: 15, unit: 'calendarDays', calendar });
    expect(derivation.holidaysSkipped).toEqual(['2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']);
    expect(derivation.explanation).toBe('自2025-09-20起算15日，届满日2025-10-05为法定节假日，顺延至2025-10-09');
  });

  it('says why a due date on a Saturday did not move', () => {
    const { due, derivation } = computeDue({ start: '2025-09-11', length: 30, unit: 'calendarDays', calendar });
    expect(due).toBe('2025-10-11');
    expect(derivation.roll).toBe('none');
    expect(derivation.makeupWorkdays).toEqual(['2025-10-11']);
    expect(derivation.explanation).toBe('自2025-09-11起算30日，届满日2025-10-11为调休工作日，不顺延');
  });

  it('explains a working-day count with the days it did not count and the make-up days it did', () => {
    const { derivation } = computeDue({ start: '2025-09-26', length: 5, unit: 'workingDays', calendar, rule: ruleFor('transferObjection') });
    expect(derivation.kind).toBe('transferObjection');
    expect(derivation.article).toBe('《信访工作条例》第二十三条第三款');
    expect(derivation.rawDue).toBe('2025-10-10');
    expect(derivation.roll).toBe('none');
    expect(derivation.holidaysSkipped).toEqual([
      '2025-09-27',
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]);
    expect(derivation.makeupWorkdays).toEqual(['2025-09-28']);
    expect(derivation.explanation).toBe('自2025-09-26起算5个工作日（不计休息日和法定节假日9日，调休工作日2025-09-28计入），届满日为2025-10-10');
  });

  it('records the pauses and the days they took out', () => {
    // Prepare
    const pauses = [
      { from: '2025-07-10', to: '2025-07-20', reason: '等待信访人补充材料' },
      { from: '2025-08-01', to: '2025-08-03', reason: '听证' },
    ];

    // Act
    const { due, derivation } = computeDue({ start: '2025-07-01', length: 60, unit: 'calendarDays', calendar, pauses });

    // Assess: without pauses 08-30 (Sat); +10 +2 days → raw 09-11 (Thu)
    expect(due).toBe('2025-09-11');
    expect(derivation.pauses).toEqual(pauses);
    expect(derivation.pausedDays).toBe(12);
    expect(derivation.explanation).toBe('自2025-07-01起算60日，中止计时12日不计入，届满日为2025-09-11');
  });

  it('records an open pause without letting it move the date yet', () => {
    const { due, derivation } = computeDue({
      start: '2025-07-01',
      length: 60,
      unit: 'calendarDays',
      calendar,
      pauses: [{ from: '2025-07-10', reason: '听证' }],
    });
    expect(due).toBe('2025-09-01');
    expect(derivation.pausedDays).toBe(0);
    expect(derivation.explanation).toContain('2025-07-10起中止计时，恢复后顺延');
  });

  it('does not let a due date fall on a day inside a pause', () => {
    // Raw last day 2025-03-15 (Sat, counted: the pause takes out only the days after 03-15);
    // paused 03-15 → 03-18 takes out 03-16..03-18 (Sun, Mon, Tue), so the roll lands on 03-19 (Wed).
    const { due, derivation } = computeDue({
      start: '2025-02-28',
      length: 15,
      unit: 'calendarDays',
      calendar,
      pauses: [{ from: '2025-03-15', to: '2025-03-18', reason: '听证' }],
    });
    expect(derivation.rawDue).toBe('2025-03-15');
    expect(due).toBe('2025-03-19');
  });

  it('mentions the extension and a start day that counts', () => {
    const { derivation } = computeDue({ start: '2025-09-13', length: 15, unit: 'calendarDays', calendar, policy: { startDayCounted: true }, extendedBy: 5 });
    expect(derivation.extendedBy).toBe(5);
    expect(derivation.explanation).toBe('自2025-09-13（含当日）起算15日（含延长的5日），届满日2025-09-27为休息日，顺延至2025-09-28');
  });

  it('refuses to guess a due date in a year the calendar does not cover', () => {
    // Act: 2026-12-20 + 15 → 2027-01-04
    let error: unknown;
    try {
      computeDue({ start: '2026-12-20', length: 15, unit: 'calendarDays', calendar });
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(RuleViolationError);
    expect((error as DomainError).details).toMatchObject({ year: 2027 });
  });

  it('refuses an uncovered year even when rolling is turned off', () => {
    expect(() => computeDue({ start: '2026-12-20', length: 15, unit: 'calendarDays', calendar, policy: { rollForward: false } })).toThrow(RuleViolationError);
  });

  it.each([
    ['a zero length', { length: 0 }],
    ['a fractional length', { length: 1.5 }],
    ['a bad start', { start: '2025-13-01' }],
    ['a pause before the start', { pauses: [{ from: '2025-02-27', to: '2025-03-02', reason: 'x' }] }],
    ['a pause that ends before it begins', { pauses: [{ from: '2025-03-05', to: '2025-03-02', reason: 'x' }] }],
    [
      'overlapping pauses',
      {
        pauses: [
          { from: '2025-03-02', to: '2025-03-06', reason: 'x' },
          { from: '2025-03-05', to: '2025-03-07', reason: 'y' },
        ],
      },
    ],
    [
      'an open pause that is not the last',
      {
        pauses: [
          { from: '2025-03-02', reason: 'x' },
          { from: '2025-03-05', to: '2025-03-07', reason: 'y' },
        ],
      },
    ],
  ])('rejects %s with a ValidationError', (_what, change) => {
    const input = { start: '2025-03-01', length: 15, unit: 'calendarDays' as const, calendar, ...change };
    expect(() => computeDue(input)).toThrow(ValidationError);
  });
});

describe('computeDepartmentDue', () => {
  it('moves backward to the previous working day and records what it passed', () => {
    // Act: 2025-10-16 − 10 → 10-06 (holiday) → back to 09-30
    const { due, derivation } = computeDepartmentDue({
      handlingDue: '2025-10-16',
      assignedOn: '2025-08-20',
      calendar,
      leadDays: 10,
      rule: ruleFor('departmentDue'),
    });

    // Assess
    expect(due).toBe('2025-09-30');
    expect(derivation).toMatchObject({
      kind: 'departmentDue',
      article: '本机关规定',
      lengthSource: 'policy',
      start: '2025-08-20',
      length: 10,
      rawDue: '2025-10-06',
      roll: 'backward',
      holidaysSkipped: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06'],
      handlingDue: '2025-10-16',
      leadApplied: true,
    });
    expect(derivation.explanation).toBe('法定办理期限届满日2025-10-16提前10日为2025-10-06，该日为法定节假日，向前调整至2025-09-30');
  });

  it('falls back to the statutory due when the lead cannot be kept', () => {
    // Prepare: 04-13 − 10 → 04-03, which is before the assignment on 04-05
    const input = { handlingDue: '2026-04-13', assignedOn: '2026-04-05', calendar, leadDays: 10 };

    // Act
    const { due, derivation } = computeDepartmentDue(input);

    // Assess
    expect(due).toBe('2026-04-13');
    expect(derivation.leadApplied).toBe(false);
    expect(derivation.explanation).toContain('不再提前');
  });

  it('gives the department back the days its own clock was paused', () => {
    // 04-13 − 10 + 5 (paused 03-02 → 03-07) → 04-08 (Wed)
    const { due, derivation } = computeDepartmentDue({
      handlingDue: '2026-04-13',
      assignedOn: '2026-02-12',
      calendar,
      leadDays: 10,
      pauses: [{ from: '2026-03-02', to: '2026-03-07', reason: '等待材料' }],
    });
    expect(due).toBe('2026-04-08');
    expect(derivation.pausedDays).toBe(5);
  });
});

describe('workingDaysUntil', () => {
  it.each([
    // (from, to]: 09-28 make-up, 09-29, 09-30, 10-09, 10-10
    ['2025-09-26', '2025-10-10', 5],
    ['2025-10-10', '2025-09-26', -5],
    ['2025-10-10', '2025-10-10', 0],
    // 02-14 make-up Saturday, then 02-15..02-23 holidays, then 02-24
    ['2026-02-13', '2026-02-24', 2],
    // an ordinary week: Mon 03-02 → Mon 03-09 counts Tue..Fri and Mon
    ['2026-03-02', '2026-03-09', 5],
  ])('counts the working days after %s up to %s as %i', (from, to, expected) => {
    expect(workingDaysUntil(from, to, calendar)).toBe(expected);
  });

  it('refuses a range reaching an uncovered year', () => {
    expect(() => workingDaysUntil('2026-12-30', '2027-01-05', calendar)).toThrow(RuleViolationError);
  });
});
