/**
 * Small date helpers the clock engine shares. Dates are civil `YYYY-MM-DD` strings (see
 * shared/domain/time.ts); arithmetic goes through `addDays` / `daysBetween` there.
 */
import { z } from 'zod';
import { ValidationError } from '../errors';
import { ISO_DATE, addDays } from '../time';

/** A real calendar date in `YYYY-MM-DD` form (the regex alone accepts 2025-02-30). */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && addDays(value, 0) === value;
}

/** The zod type of a civil date, for every schema in this folder. */
export const IsoDateSchema = z.string().refine(isIsoDate, { message: 'must be a real date in YYYY-MM-DD form' });

/** Throws a ValidationError naming `field` unless `value` is a real `YYYY-MM-DD` date. */
export function assertIsoDate(value: string, field: string): void {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw ValidationError.field(field, `must be a real date in YYYY-MM-DD form, got ${JSON.stringify(value)}`);
  }
}

/** Throws a ValidationError naming `field` unless `value` is an integer in [min, max]. */
export function assertIntegerInRange(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw ValidationError.field(field, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
