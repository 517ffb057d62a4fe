import { describe, expect, it } from 'vitest';
import { DomainError, RuleViolationError, ValidationError } from '../../../shared/domain/errors';
import { HolidayDataSchema, createCalendar, defaultCalendar } from '../../../shared/domain/clocks';
import shipped from '../../../shared/domain/clocks/data/cn-holidays.json' with { type: 'json' };

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const year2027 = {
  years: {
    '2027': { holidays: ['2027-01-01'], makeupWorkdays: ['2027-01-03'] },
  },
};

describe('the shipped holiday data', () => {
  it('passes its schema and lists the published days of 2025 and 2026', () => {
    // Prepare / Act
    const parsed = HolidayDataSchema.parse(shipped);

    // Assess: counts from the State Council notices (2025: 28 holiday days, 5 make-up days;
    // 2026: 33 holiday days, 6 make-up days)
    expect(Object.keys(parsed.years)).toEqual(['2025', '2026']);
    expect(parsed.years['2025']?.holidays).toHaveLength(28);
    expect(parsed.years['2025']?.makeupWorkdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(parsed.years['2026']?.holidays).toHaveLength(33);
    expect(parsed.years['2026']?.makeupWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('makes a default calendar covering exactly 2025 and 2026', () => {
    expect(defaultCalendar.years).toEqual([2025, 2026]);
    expect(defaultCalendar.covers(2025)).toBe(true);
    expect(defaultCalendar.covers(2026)).toBe(true);
    expect(defaultCalendar.covers(2024)).toBe(false);
    expect(defaultCalendar.covers(2027)).toBe(false);
  });
});

describe('HolidayCalendar', () => {
  it.each([
    ['2025-03-03', 'an ordinary Monday', true],
    ['2025-03-08', 'an ordinary Saturday', false],
    ['2025-03-09', 'an ordinary Sunday', false],
    ['2025-01-28', 'Spring Festival Eve 2025 (a Tuesday)', false],
    ['2025-02-01', 'a Saturday inside Spring Festival 2025', false],
    ['2025-01-26', 'the make-up Sunday before Spring Festival 2025', true],
    ['2025-02-08', 'the make-up Saturday after Spring Festival 2025', true],
    ['2026-02-14', 'the make-up Saturday before Spring Festival 2026', true],
    ['2026-02-23', 'the last day of Spring Festival 2026 (a Monday)', false],
    ['2026-09-20', 'the make-up Sunday before Mid-Autumn 2026', true],
    ['2026-10-10', 'the make-up Saturday after National Day 2026', true],
    ['2026-10-08', 'the Thursday after National Day 2026', true],
  ])('says %s (%s) is a working day: %s', (date, _what, working) => {
    expect(defaultCalendar.isWorkingDay(date)).toBe(working);
    expect(defaultCalendar.isRestDay(date)).toBe(!working);
  });

  it('tells holidays and make-up working days apart from ordinary days', () => {
    expect(defaultCalendar.isHoliday('2025-10-04')).toBe(true);
    expect(defaultCalendar.isHoliday('2025-10-12')).toBe(false);
    expect(defaultCalendar.isMakeupWorkday('2025-10-11')).toBe(true);
    expect(defaultCalendar.isMakeupWorkday('2025-10-12')).toBe(false);
    expect(defaultCalendar.isMakeupWorkday('2025-10-13')).toBe(false);
  });

  it.each([
    ['isWorkingDay', (d: string) => defaultCalendar.isWorkingDay(d)],
    ['isRestDay', (d: string) => defaultCalendar.isRestDay(d)],
    ['isHoliday', (d: string) => defaultCalendar.isHoliday(d)],
    ['isMakeupWorkday', (d: string) => defaultCalendar.isMakeupWorkday(d)],
  ])('%s refuses a date in a year it does not cover, naming the year', (_name, ask) => {
    // Act
    const error = caught(() => ask('2027-01-04'));

    // Assess
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('RULE_VIOLATION');
    expect((error as DomainError).details).toMatchObject({ year: 2027, date: '2027-01-04', coveredYears: [2025, 2026] });
    expect((error as Error).message).toContain('2027');
  });

  it('refuses a malformed date with a ValidationError', () => {
    expect(() => defaultCalendar.isWorkingDay('2025-02-30')).toThrow(ValidationError);
    expect(() => defaultCalendar.isWorkingDay('25-1-1')).toThrow(ValidationError);
  });

  it('can be built for a further year from data in the same shape', () => {
    // Act
    const calendar = createCalendar(year2027);

    // Assess
    expect(calendar.years).toEqual([2027]);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-03')).toBe(true); // a Sunday made a working day
    expect(() => calendar.isWorkingDay('2026-12-31')).toThrow(RuleViolationError);
  });
});

describe('createCalendar validation', () => {
  it.each([
    ['unsorted dates', { years: { '2027': { holidays: ['2027-01-02', '2027-01-01'], makeupWorkdays: [] } } }, 'years.2027.holidays', 'sorted'],
    ['duplicate dates', { years: { '2027': { holidays: ['2027-01-01', '2027-01-01'], makeupWorkdays: [] } } }, 'years.2027.holidays', 'duplicates'],
    ['a date outside its year', { years: { '2027': { holidays: ['2026-12-31'], makeupWorkdays: [] } } }, 'years.2027.holidays.0', 'not in 2027'],
    [
      'a date both holiday and make-up day',
      { years: { '2027': { holidays: ['2027-01-02'], makeupWorkdays: ['2027-01-02'] } } },
      'years.2027.makeupWorkdays.0',
      'both',
    ],
    ['a make-up day on a weekday', { years: { '2027': { holidays: [], makeupWorkdays: ['2027-01-04'] } } }, 'years.2027.makeupWorkdays.0', 'weekday'],
    ['an impossible date', { years: { '2027': { holidays: ['2027-02-30'], makeupWorkdays: [] } } }, 'years.2027.holidays.0', 'real date'],
    ['a year key that is not a year', { years: { '27': { holidays: [], makeupWorkdays: [] } } }, 'years.27', 'four-digit'],
    ['a missing list', { years: { '2027': { holidays: [] } } }, 'years.2027.makeupWorkdays', ''],
  ])('rejects %s with a ValidationError naming the field', (_what, data, field, reason) => {
    // Act
    const error = caught(() => createCalendar(data));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues.find((i) => i.field === field);
    expect(issue, JSON.stringify((error as ValidationError).issues)).toBeDefined();
    expect(issue?.reason).toContain(reason);
  });

  it('rejects something that is not calendar data at all', () => {
    expect(() => createCalendar(null)).toThrow(ValidationError);
    expect(() => createCalendar({ holidays: [] })).toThrow(ValidationError);
  });
});

describe('the office calendar, for a year whose holidays are not published yet', () => {
  it('derives the statutory holidays and marks every date that depends on it as provisional', async () => {
    // Prepare: a 60-day handling clock started in late November 2026 runs into 2027.
    const { officeCalendar } = await import('../../../shared/domain/clocks/calendar');
    const { computeDue } = await import('../../../shared/domain/clocks/engine');

    // Act
    const { due, derivation } = computeDue({ start: '2026-11-21', length: 60, unit: 'calendarDays', calendar: officeCalendar });
    const covered = computeDue({ start: '2026-03-02', length: 15, unit: 'calendarDays', calendar: officeCalendar });

    // Assess: 2026-11-21 + 60 days = 2027-01-20, a Wednesday.
    expect(due).toBe('2027-01-20');
    expect(derivation.provisionalYears).toEqual([2027]);
    expect(derivation.explanation).toContain('2027年节假日安排尚未公布，暂按《全国年节及纪念日放假办法》（2024年修订）第二条、第六条推算');
    expect(officeCalendar.isWorkingDay('2027-01-01')).toBe(false); // 元旦, a Friday
    expect(officeCalendar.isHoliday('2027-01-01')).toBe(true);
    expect(officeCalendar.isWorkingDay('2027-01-02')).toBe(false); // a Saturday
    expect(officeCalendar.isWorkingDay('2027-01-04')).toBe(true);
    expect(officeCalendar.covers(2027)).toBe(false);
    expect(covered.derivation.provisionalYears).toBeUndefined();
  });
});
