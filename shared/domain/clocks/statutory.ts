/**
 * The provisional holidays of a year whose State Council notice (国务院办公厅关于××年部分节假日安排的通知)
 * is not out yet, derived from the rules that fix them in advance: 《全国年节及纪念日放假办法》.
 *
 * - Art. 2 (全体公民放假的节日), 2024 revision (国务院令第795号, in force 2025-01-01): 元旦 1 day
 *   (1 January), 春节 4 days (除夕 and 正月初一 to 初三), 清明节 1 day (the day of the solar term),
 *   劳动节 2 days (1 and 2 May), 端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days
 *   (1 to 3 October). Before 2025 the 2013 revision (国务院令第644号, in force 2014-01-01): 春节 3
 *   days (初一 to 初三) and 劳动节 1 day, the rest the same.
 * - Art. 6: a holiday of all citizens that falls on a Saturday or Sunday is made up on a working
 *   day (补假). Which weekday is for the notice to say; the provisional calendar takes the first
 *   weekday after the holiday that is not a holiday itself, as every recent notice has done.
 * - What only the notice fixes is left out: the 调休 (weekdays bridged into a longer block and the
 *   weekend days worked in exchange). So a provisional year has no make-up working days, and a
 *   date computed on it is marked provisional until the year is loaded.
 */
import { RuleViolationError } from '../errors';
import { addDays } from '../time';
import { weekday } from './dates';
import { lunarToGregorian, qingming } from './lunar';

export interface StatutoryDay {
  date: string;
  /** The festival, in Chinese (元旦, 除夕, 春节, …); a made-up day is `补假（…）`. */
  name: string;
}

export interface StatutoryEdition {
  /** First year the edition applies to. */
  from: number;
  /** How a derivation cites it. */
  citation: string;
  springFestivalEve: boolean;
  labourDays: number;
}

const EDITIONS: readonly StatutoryEdition[] = [
  { from: 2025, citation: '《全国年节及纪念日放假办法》（2024年修订）第二条、第六条', springFestivalEve: true, labourDays: 2 },
  { from: 2014, citation: '《全国年节及纪念日放假办法》（2013年修订）第二条、第六条', springFestivalEve: false, labourDays: 1 },
];

/** Years the derivation supports (the Chinese calendar of ICU and the astronomy are good far beyond). */
export const STATUTORY_YEARS = { from: 2014, to: 2100 } as const;

export function editionFor(year: number): StatutoryEdition {
  const edition = EDITIONS.find((e) => year >= e.from);
  if (!edition || year > STATUTORY_YEARS.to) {
    throw new RuleViolationError(
      `No provisional holiday rules for ${year}: the registry derives ${STATUTORY_YEARS.from}–${STATUTORY_YEARS.to}; load the year's calendar`,
      { year },
    );
  }
  return edition;
}

const cache = new Map<number, { holidays: StatutoryDay[]; madeUp: StatutoryDay[] }>();

/**
 * The statutory holidays of `year` (Art. 2) and the weekdays that make up for those on a weekend
 * (Art. 6), each sorted by date.
 */
export function statutoryHolidays(year: number): { holidays: StatutoryDay[]; madeUp: StatutoryDay[]; citation: string } {
  const edition = editionFor(year);
  let entry = cache.get(year);
  if (!entry) {
    const y = String(year);
    const springFestival = lunarToGregorian(year, 1, 1);
    const days: StatutoryDay[] = [
      { date: `${y}-01-01`, name: '元旦' },
      ...(edition.springFestivalEve ? [{ date: addDays(springFestival, -1), name: '除夕' }] : []),
      { date: springFestival, name: '春节' },
      { date: addDays(springFestival, 1), name: '春节' },
      { date: addDays(springFestival, 2), name: '春节' },
      { date: qingming(year), name: '清明节' },
      { date: `${y}-05-01`, name: '劳动节' },
      ...(edition.labourDays === 2 ? [{ date: `${y}-05-02`, name: '劳动节' }] : []),
      { date: lunarToGregorian(year, 5, 5), name: '端午节' },
      { date: lunarToGregorian(year, 8, 15), name: '中秋节' },
      { date: `${y}-10-01`, name: '国庆节' },
      { date: `${y}-10-02`, name: '国庆节' },
      { date: `${y}-10-03`, name: '国庆节' },
    ];
    // 除夕 of a Spring Festival on 1 January would fall in the year before; keep each year's own days.
    const holidays = dedupe(days.filter((d) => d.date.startsWith(`${y}-`)));
    const taken = new Set(holidays.map((d) => d.date));
    const madeUp: StatutoryDay[] = [];
    for (const day of holidays) {
      const w = weekday(day.date);
      if (w !== 0 && w !== 6) continue;
      let candidate = addDays(day.date, 1);
      while (taken.has(candidate) || weekday(candidate) === 0 || weekday(candidate) === 6) candidate = addDays(candidate, 1);
      if (!candidate.startsWith(`${y}-`)) continue;
      taken.add(candidate);
      madeUp.push({ date: candidate, name: `补假（${day.name}）` });
    }
    madeUp.sort((a, b) => a.date.localeCompare(b.date));
    entry = { holidays, madeUp };
    cache.set(year, entry);
  }
  return { holidays: entry.holidays.map((d) => ({ ...d })), madeUp: entry.madeUp.map((d) => ({ ...d })), citation: edition.citation };
}

function dedupe(days: StatutoryDay[]): StatutoryDay[] {
  const seen = new Map<string, StatutoryDay>();
  for (const d of days) if (!seen.has(d.date)) seen.set(d.date, d);
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The provisional year in the shape of one year of the calendar data: rest days, no make-up working days. */
export function provisionalYear(year: number): { holidays: string[]; makeupWorkdays: string[] } {
  const { holidays, madeUp } = statutoryHolidays(year);
  return { holidays: [...holidays, ...madeUp].map((d) => d.date).sort(), makeupWorkdays: [] };
}
