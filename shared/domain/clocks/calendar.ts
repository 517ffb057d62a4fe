/**
 * The official working-day calendar (DESIGN §3, "Clocks"). Saturdays and Sundays are rest days
 * unless the State Council lists them as make-up working days (调休上班); listed public holidays
 * are rest days. The data is published one year at a time, so the calendar knows exactly the
 * years it was given and refuses to guess about any other: asking about 2027 before its notice
 * is added throws a RuleViolationError naming the year (see docs/clocks.md, "Adding a year").
 */
import { z } from 'zod';
import { RuleViolationError, ValidationError } from '../errors';
import shippedData from './data/cn-holidays.json' with { type: 'json' };
import { IsoDateSchema, assertIsoDate, weekday, yearOf } from './dates';

const YEAR_KEY = /^\d{4}$/;

function strictlyAscending(dates: readonly string[]): boolean {
  return dates.every((date, i) => i === 0 || (dates[i - 1] ?? '') < date);
}

const YearSchema = z.object({
  holidays: z.array(IsoDateSchema).refine(strictlyAscending, { message: 'dates must be sorted ascending, without duplicates' }),
  makeupWorkdays: z.array(IsoDateSchema).refine(strictlyAscending, { message: 'dates must be sorted ascending, without duplicates' }),
});

/**
 * The shape of `data/cn-holidays.json`, checked at load:
 * - every key of `years` is a four-digit year, every date a real `YYYY-MM-DD` date in that year;
 * - each list is sorted ascending without duplicates;
 * - no date is both a holiday and a make-up working day;
 * - a make-up working day is a Saturday or Sunday (a weekday is a working day anyway, so listing
 *   one is a typing mistake).
 */
export const HolidayDataSchema = z
  .object({
    source: z.string().optional(),
    years: z.record(z.string(), YearSchema),
  })
  .superRefine((data, ctx) => {
    for (const [year, { holidays, makeupWorkdays }] of Object.entries(data.years)) {
      if (!YEAR_KEY.test(year)) {
        ctx.addIssue({ code: 'custom', path: ['years', year], message: `"${year}" is not a four-digit year` });
        continue;
      }
      const outOfYear = (list: 'holidays' | 'makeupWorkdays', dates: string[]): void => {
        dates.forEach((date, i) => {
          if (!date.startsWith(`${year}-`)) {
            ctx.addIssue({ code: 'custom', path: ['years', year, list, i], message: `${date} is not in ${year}` });
          }
        });
      };
      outOfYear('holidays', holidays);
      outOfYear('makeupWorkdays', makeupWorkdays);
      const holidaySet = new Set(holidays);
      makeupWorkdays.forEach((date, i) => {
        if (holidaySet.has(date)) {
          ctx.addIssue({ code: 'custom', path: ['years', year, 'makeupWorkdays', i], message: `${date} is listed both as a holiday and as a make-up working day` });
        }
        const day = weekday(date);
        if (day !== 0 && day !== 6) {
          ctx.addIssue({ code: 'custom', path: ['years', year, 'makeupWorkdays', i], message: `${date} is a weekday; only a Saturday or Sunday can be a make-up working day` });
        }
      });
    }
  });

export type HolidayData = z.infer<typeof HolidayDataSchema>;

export interface HolidayCalendar {
  /** The years this calendar covers, ascending. */
  readonly years: readonly number[];
  covers(year: number): boolean;
  /** A day on which the office works: a weekday that is not a holiday, or a make-up working day. */
  isWorkingDay(date: string): boolean;
  /** Not a working day: a weekend that is not a make-up working day, or a public holiday. */
  isRestDay(date: string): boolean;
  /** Listed as a public holiday (法定节假日, including the weekend days inside a holiday block). */
  isHoliday(date: string): boolean;
  /** A Saturday or Sunday listed as a make-up working day (调休上班). */
  isMakeupWorkday(date: string): boolean;
}

interface YearSets {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
}

/**
 * Builds a calendar from holiday data in the shape of `data/cn-holidays.json`. The data is
 * validated first; invalid data throws a ValidationError listing every problem.
 */
export interface CalendarOptions {
  /**
   * What to do with a date in a year the data does not cover. 'refuse' (default): throw, so no
   * date is ever silently guessed. 'weekends': count weekends as rest days and no holidays, and
   * let the engine mark every date that depends on it as provisional (推算) — what an office needs
   * in November, when next year's State Council notice is not out yet but 60-day clocks run into it.
   */
  uncoveredYears?: 'refuse' | 'weekends';
}

const NO_SPECIAL_DAYS: YearSets = { holidays: new Set(), makeupWorkdays: new Set() };

export function createCalendar(data: unknown, options: CalendarOptions = {}): HolidayCalendar {
  const parsed = HolidayDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', reason: issue.message })),
      'Invalid holiday calendar data',
    );
  }
  const byYear = new Map<number, YearSets>();
  for (const [year, lists] of Object.entries(parsed.data.years)) {
    byYear.set(Number(year), { holidays: new Set(lists.holidays), makeupWorkdays: new Set(lists.makeupWorkdays) });
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);

  const setsFor = (date: string): YearSets => {
    assertIsoDate(date, 'date');
    const year = yearOf(date);
    const sets = byYear.get(year);
    if (!sets && options.uncoveredYears === 'weekends') return NO_SPECIAL_DAYS;
    if (!sets) {
      throw new RuleViolationError(
        `The holiday calendar does not cover ${year} (needed for ${date}); add the State Council notice for ${year} to the calendar data before computing dates in that year`,
        { year, date, coveredYears: years },
      );
    }
    return sets;
  };

  const isHoliday = (date: string): boolean => setsFor(date).holidays.has(date);
  const isMakeupWorkday = (date: string): boolean => setsFor(date).makeupWorkdays.has(date);
  const isWorkingDay = (date: string): boolean => {
    const sets = setsFor(date);
    if (sets.holidays.has(date)) return false;
    if (sets.makeupWorkdays.has(date)) return true;
    const day = weekday(date);
    return day !== 0 && day !== 6;
  };

  return Object.freeze({
    years: Object.freeze(years),
    covers: (year: number) => byYear.has(year),
    isWorkingDay,
    isRestDay: (date: string) => !isWorkingDay(date),
    isHoliday,
    isMakeupWorkday,
  });
}

/** The calendar built from the data the project ships (2025 and 2026); refuses other years. */
export const defaultCalendar: HolidayCalendar = createCalendar(shippedData);

/**
 * The calendar the registry runs on: the shipped data, and for a year not yet published, weekends
 * only — every due date computed from such a year is marked provisional in its derivation.
 */
export const officeCalendar: HolidayCalendar = createCalendar(shippedData, { uncoveredYears: 'weekends' });
