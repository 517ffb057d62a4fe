/**
 * Petitioners' identity numbers as typed, compared and validated: the resident ID number
 * (GB 11643, its check character and birth date) and phone numbers. Browser-safe (no import at all,
 * no node built-ins): the registration screen checks with the same rules as the server
 * (.dependency-cruiser.cjs, rule browser-safe-stays-safe). The keyed hashes and the zod
 * schemas are in pii.ts.
 *
 * Normalisation applies NFKC first, because Chinese input methods often produce full-width
 * digits and letters (１３８…, Ｘ); NFKC folds them to ASCII.
 */
/** ID number as compared and hashed: NFKC, no whitespace anywhere, upper-case (x → X). */
export function normaliseIdNumber(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * Phone number as compared and hashed: digits only; a mobile written with the country code
 * (`+86 138 1234 5678`, `86…`, `0086…`) loses it, so every spelling of one mobile is one value.
 * Landlines keep their area code (`0871-65123456` → `087165123456`).
 */
export function normalisePhone(input: string): string {
  const digits = input.normalize('NFKC').replace(/\D+/g, '');
  if (/^861[3-9]\d{9}$/.test(digits)) return digits.slice(2);
  if (/^00861[3-9]\d{9}$/.test(digits)) return digits.slice(4);
  return digits;
}

const NAME_SEPARATORS = /[\u00B7\u2022\u2027\u30FB\uFF65\u318D]/g;

/**
 * Name as compared and hashed: NFKC, no whitespace, the several middle dots used in
 * transliterated names (阿不都·热合曼) folded to U+00B7, Latin letters upper-cased.
 */
export function normaliseName(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').replace(NAME_SEPARATORS, '\u00B7').toUpperCase();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';
const ID_SHAPE = /^\d{17}[\dX]$/;

/** The GB 11643 check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckChar: expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * A resident ID number (居民身份证号码, GB 11643-1999): 18 characters, 17 digits and a check
 * character (digit or X) from the weighted sum mod 11, and a birth date (characters 7–14) that
 * is a real calendar date from 1900 on. With `today` (`YYYY-MM-DD`) the birth date must also
 * not be after it. The input is normalised first (spaces, full-width digits, lower-case x).
 * The region code is not checked against a list: codes change and permits for residents from
 * Hong Kong, Macao, Taiwan and abroad use their own.
 */
export function validateChineseIdNumber(input: string, opts: { today?: string } = {}): boolean {
  const id = normaliseIdNumber(input);
  if (!ID_SHAPE.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) return false;
  if (opts.today !== undefined && id.slice(6, 14) > opts.today.replaceAll('-', '')) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id.charAt(17);
}

/** Mainland mobile: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** Landline with area code (010, 02x, 0xxx), optional dash, 7–8 digits, optional extension. */
export const LANDLINE_PATTERN = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/** A mobile (`13812345678`) or a landline with its area code (`0871-65123456`), surrounding spaces ignored. */
export function isPhoneNumber(input: string): boolean {
  const s = input.trim();
  return MOBILE_PATTERN.test(s) || LANDLINE_PATTERN.test(s);
}
