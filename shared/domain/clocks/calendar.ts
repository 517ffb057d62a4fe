/**
 * The official working-day calendar (DESIGN §3, "Clocks"). Saturdays and Sundays are rest days
 * unless the State Council lists them as make-up working days (调休上班); listed public holidays
 * are rest days. The data is published one year at a time. A calendar built with
 * `uncoveredYears: 'refuse'` (the default, and `defaultCalendar`) knows exactly the years it was
 * given and throws a RuleViolationError naming any other year; one built with 'statutory' (what
 * the registry runs on) derives a year it was not given from the statutory holiday rules
 * (statutory.ts), and the engine marks every date that depends on it as provisional
 * (see docs/clocks.md, "A year not published yet").
 */
import { z } from 'zod';
import { RuleViolationError, ValidationError } from '../errors';
import shippedData from './data/cn-holidays.json' with { type: 'json' };
import { IsoDateSchema, assertIsoDate, weekday, yearOf } from './dates';
import { provisionalYear } from './statutory';

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
          ctx.addIssue({
            code: 'custom',
            path: ['years', year, 'makeupWorkdays', i],
            message: `${date} is listed both as a holiday and as a make-up working day`,
          });
        }
        const day = weekday(date);
        if (day !== 0 && day !== 6) {
          ctx.addIssue({
            code: 'custom',
            path: ['years', year, 'makeupWorkdays', i],
            message: `${date} is a weekday; only a Saturday or Sunday can be a make-up working day`,
          });
        }
      });
    }
  });

export type HolidayData = z.infer<typeof HolidayDataSchema>;

export interface HolidayCalendar {
  /** The years this calendar has official data for, ascending. */
  readonly years: readonly number[];
  /** Official data for `year` (shipped or loaded by the office); false for a provisional year. */
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
   * test can pass on a derived date. 'statutory': derive the year's holidays from
   * 《全国年节及纪念日放假办法》 (statutory.ts: the festivals of Art. 2 and the 补假 of Art. 6,
   * no 调休), and let the engine mark every date that depends on it as provisional — what an
   * office needs in November, when next year's notice is not out yet but 60-day clocks run into it.
   */
  uncoveredYears?: 'refuse' | 'statutory';
}

export function createCalendar(data: unknown, options: CalendarOptions = {}): HolidayCalendar {
  const parsed = HolidayDataSchema.safeParse(data);
  if (!parsed.success) {
    throw ValidationError.fromZod(parsed.error, { root: '(root)', message: 'Invalid holiday calendar data' });
  }
  const byYear = new Map<number, YearSets>();
  for (const [year, lists] of Object.entries(parsed.data.years)) {
    byYear.set(Number(year), { holidays: new Set(lists.holidays), makeupWorkdays: new Set(lists.makeupWorkdays) });
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const derived = new Map<number, YearSets>();

  const setsFor = (date: string): YearSets => {
    assertIsoDate(date, 'date');
    const year = yearOf(date);
    const sets = byYear.get(year) ?? derived.get(year);
    if (sets) return sets;
    if (options.uncoveredYears === 'statutory') {
      const lists = provisionalYear(year);
      const made: YearSets = { holidays: new Set(lists.holidays), makeupWorkdays: new Set(lists.makeupWorkdays) };
      derived.set(year, made);
      return made;
    }
    throw new RuleViolationError(
      `The holiday calendar does not cover ${year} (needed for ${date}); add the State Council notice for ${year} to the calendar data before computing dates in that year`,
      { year, date, coveredYears: years },
    );
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

/** The data the project ships (`data/cn-holidays.json`), validated. */
export const shippedHolidayData: HolidayData = HolidayDataSchema.parse(shippedData);

/**
 * The calendar the registry runs on, given the years the office has loaded (they replace a
 * shipped year of the same number): official data where there is some, and for any other year
 * the statutory holidays derived from 《全国年节及纪念日放假办法》 — every due date computed from
 * such a year is marked provisional in its derivation.
 */
export function officeCalendarWith(loadedYears: HolidayData['years'] = {}): HolidayCalendar {
  return createCalendar({ source: shippedHolidayData.source, years: { ...shippedHolidayData.years, ...loadedYears } }, { uncoveredYears: 'statutory' });
}

/** The office calendar with the shipped years only (before any year is loaded). */
export const officeCalendar: HolidayCalendar = officeCalendarWith();
