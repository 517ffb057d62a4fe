/**
 * The lunar and solar-term dates the statutory holidays hang on (春节, 端午, 中秋, 清明), for the
 * provisional calendar of a year whose State Council notice is not out yet (see statutory.ts).
 *
 * - Lunar months: the numbering (which month is the first, the fifth, the eighth; leap months)
 *   comes from the Chinese calendar of Node's ICU (`Intl.DateTimeFormat` with `ca-chinese`). The
 *   first day of each month is then fixed by the astronomical new moon in Beijing time (UTC+8),
 *   computed here with Meeus, Astronomical Algorithms (2nd ed.), ch. 49 (error of seconds). The
 *   correction matters: ICU 78 (Node 20 and Node 22) puts the new moon of February 2027, at
 *   23:56 Beijing time on 6 February, after midnight and so starts the year on 7 February; the
 *   published 春节 2027 is 6 February (除夕 5 February).
 * - 清明: the day in Beijing time on which the sun's apparent ecliptic longitude reaches 15°
 *   (Meeus ch. 25, low accuracy: about 0.01°, some 15 minutes).
 *
 * Pure computation, no I/O. Dates are civil `YYYY-MM-DD` strings in Beijing time.
 */
import { addDays } from '../time';

const RAD = Math.PI / 180;
const sin = (degrees: number): number => Math.sin(degrees * RAD);
const BEIJING_OFFSET_DAYS = 8 / 24;
const JD_UNIX_EPOCH = 2440587.5;

/** ΔT = TT − UT in seconds (Espenak & Meeus polynomial for 2005–2050; a minute off matters nowhere here). */
function deltaTSeconds(year: number): number {
  const t = year - 2000;
  return 62.92 + 0.32217 * t + 0.005589 * t * t;
}

/** The civil date in Beijing of a Julian Ephemeris Day. */
function beijingDateOfJde(jde: number, year: number): string {
  const jdUt = jde - deltaTSeconds(year) / 86_400;
  const ms = (jdUt + BEIJING_OFFSET_DAYS - JD_UNIX_EPOCH) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

function jdOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000 + JD_UNIX_EPOCH;
}

/** The JDE (TT) of the true new moon number `k` (k = 0: 6 January 2000), Meeus ch. 49. */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  jde +=
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(Om) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);
  const planetary: [number, number, number][] = [
    [0.000325, 299.77, 0.107408],
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  planetary.forEach(([coefficient, a, b], i) => {
    const argument = a + b * k - (i === 0 ? 0.009173 * T2 : 0);
    jde += coefficient * sin(argument);
  });
  return jde;
}

/** The Beijing date of the astronomical new moon nearest to `date` (which must be within ~two weeks of one). */
export function newMoonNear(date: string): string {
  const jd = jdOfDate(date);
  const k = Math.round((jd - 2451550.09766) / 29.530588861);
  let best = newMoonJde(k);
  for (const other of [newMoonJde(k - 1), newMoonJde(k + 1)]) if (Math.abs(other - jd) < Math.abs(best - jd)) best = other;
  return beijingDateOfJde(best, Number(date.slice(0, 4)));
}

interface IcuLunarDay {
  /** The Chinese year (related Gregorian year of its first month). */
  year: number;
  month: number;
  leap: boolean;
  day: number;
}

const icuChinese = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

function icuLunar(date: string): IcuLunarDay {
  const parts = icuChinese.formatToParts(new Date(`${date}T12:00:00Z`));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const month = part('month');
  const year = Number(part('relatedYear') || part('year'));
  const result = { year, month: Number.parseInt(month, 10), leap: /\D/.test(month), day: Number(part('day')) };
  if (!Number.isInteger(result.year) || !Number.isInteger(result.month) || !Number.isInteger(result.day)) {
    throw new Error(`This runtime's ICU has no Chinese calendar (formatted ${date} as ${JSON.stringify(parts)}); Node needs full ICU`);
  }
  return result;
}

/**
 * The Gregorian (Beijing) date of day `day` of lunar month `month` (not a leap month) of the
 * Chinese year that begins in Gregorian year `year`.
 */
export function lunarToGregorian(year: number, month: number, day: number): string {
  // ICU's first day of that month: scan from the earliest possible date (month 1 starts 21 Jan –
  // 20 Feb; each month is 29 or 30 days; a leap month before it pushes it up to 30 days later).
  let probe = addDays(`${year}-01-20`, Math.floor((month - 1) * 29.5) - 2);
  let icuStart: string | undefined;
  for (let i = 0; i < 75; i++, probe = addDays(probe, 1)) {
    const l = icuLunar(probe);
    if (l.year === year && l.month === month && !l.leap && l.day === 1) {
      icuStart = probe;
      break;
    }
  }
  if (icuStart === undefined) throw new Error(`No lunar month ${month} found in the Chinese year ${year}`);
  // The month begins on the Beijing date of its new moon (within a day of ICU's date).
  const start = newMoonNear(icuStart);
  return addDays(start, day - 1);
}

/** 春节 (正月初一) of `year`. */
export function springFestival(year: number): string {
  return lunarToGregorian(year, 1, 1);
}

/** The sun's apparent ecliptic longitude in degrees at a JDE (Meeus ch. 25, low accuracy). */
function solarLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const apparent = L0 + C - 0.00569 - 0.00478 * sin(omega);
  return ((apparent % 360) + 360) % 360;
}

/** The Beijing date on which the sun reaches apparent longitude `degrees` in `year` (solar terms; 清明 = 15°). */
export function solarTermDate(year: number, degrees: number): string {
  // Start near the date (the sun moves ~0.9856°/day from the March equinox, ~20 March).
  let jde = jdOfDate(`${year}-03-20`) + ((degrees + 360) % 360) / 0.9856;
  for (let i = 0; i < 20; i++) {
    let diff = degrees - solarLongitude(jde);
    diff = ((diff + 540) % 360) - 180;
    jde += diff / 0.9856;
    if (Math.abs(diff) < 1e-7) break;
  }
  return beijingDateOfJde(jde, year);
}

/** 清明 of `year`: the day the sun reaches 15° (the solar term, not a fixed date). */
export function qingming(year: number): string {
  return solarTermDate(year, 15);
}
