/**
 * Personal data of petitioners (DESIGN §7, §9 "cases by petitioner identity").
 *
 * - Identity keys: a keyed hash (HMAC) of the normalised ID number, and of name + phone, so the
 *   repeat-detection index never holds the raw values and cannot be reversed by hashing every
 *   possible ID number without the key.
 * - Masks: what audit events, logs and lists show instead of the raw values.
 * - Validation: the resident ID number (GB 11643) and phone numbers.
 *
 * Normalisation applies NFKC first, because Chinese input methods often produce full-width
 * digits and letters (１３８…, Ｘ); NFKC folds them to ASCII.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/** Key material for the keyed hashes; a string is taken as UTF-8. */
export type HashKey = string | Uint8Array;

/** Hex characters kept from the HMAC-SHA256 (128 bits): short index keys, no practical collisions. */
export const KEYED_HASH_HEX_LENGTH = 32;

/**
 * HMAC-SHA256 of a value, hex, truncated to 32 characters. The value gets the generic
 * normalisation (NFKC, trimmed); callers apply the type-specific one first (see
 * {@link petitionerIdentityKeys}). An empty key is a configuration error and throws.
 */
export function keyedHash(key: HashKey, value: string): string {
  if (key.length === 0) throw new Error('keyedHash: the key must not be empty');
  return createHmac('sha256', key)
    .update(value.normalize('NFKC').trim(), 'utf8')
    .digest('hex')
    .slice(0, KEYED_HASH_HEX_LENGTH);
}

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

export interface PetitionerIdentity {
  name: string;
  idNumber?: string | undefined;
  phone?: string | undefined;
}

/**
 * Index keys for finding earlier cases of the same petitioner (repeat detection):
 * `id:<hash>` when an ID number is given, `np:<hash of name|phone>` when both name and phone
 * are given; both when all are. Values that are empty after normalisation count as absent.
 * The ID number is not required to be valid here: a mistyped one still finds its own repeats.
 */
export function petitionerIdentityKeys(key: HashKey, identity: PetitionerIdentity): string[] {
  const keys: string[] = [];
  const id = identity.idNumber === undefined ? '' : normaliseIdNumber(identity.idNumber);
  if (id !== '') keys.push(`id:${keyedHash(key, id)}`);
  const name = normaliseName(identity.name);
  const phone = identity.phone === undefined ? '' : normalisePhone(identity.phone);
  if (name !== '' && phone !== '') keys.push(`np:${keyedHash(key, `${name}|${phone}`)}`);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------------------------

/**
 * `110101199003074514` → `110101********4514`: the region code (first 6) and the last 4 stay.
 * Values of 10 characters or fewer (not a resident ID number) are masked completely.
 */
export function maskIdNumber(input: string): string {
  const id = normaliseIdNumber(input);
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/**
 * `13812345678` → `138****5678`. Works on the normalised digits: 11 or more digits keep the
 * first 3 and last 4; 7–10 digits (a local number) keep the last 4; shorter ones are masked
 * completely.
 */
export function maskPhone(input: string): string {
  const digits = normalisePhone(input);
  if (digits.length >= 11) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length >= 7) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return '*'.repeat(digits.length);
}

/**
 * `张三丰` → `张**`: the first character (the surname, or the first of a compound one) and one
 * `*` per remaining character. Counts code points, so a name with a supplementary-plane
 * character is masked correctly.
 */
export function maskName(input: string): string {
  const chars = Array.from(input.normalize('NFC').trim());
  const [first, ...rest] = chars;
  if (first === undefined) return '';
  return first + '*'.repeat(rest.length);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

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

/** A valid resident ID number; the parsed value is normalised (no spaces, ASCII, upper-case X). */
export const IdNumberSchema = z
  .string()
  .overwrite(normaliseIdNumber)
  .refine((s) => validateChineseIdNumber(s), { message: 'Not a valid resident ID number (GB 11643)' });

/** Mainland mobile: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** Landline with area code (010, 02x, 0xxx), optional dash, 7–8 digits, optional extension. */
export const LANDLINE_PATTERN = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/** A mobile (`13812345678`) or a landline with its area code (`0871-65123456`); trimmed. */
export const PhoneSchema = z
  .string()
  .trim()
  .refine((s) => MOBILE_PATTERN.test(s) || LANDLINE_PATTERN.test(s), {
    message: 'Expected a mobile number (11 digits) or a landline with area code, e.g. 0871-65123456',
  });

// ---------------------------------------------------------------------------------------------
// Guard against raw values where only masked ones belong (audit data, logs)
// ---------------------------------------------------------------------------------------------

// Bounded by non-alphanumerics so hex hashes, ULIDs and millisecond timestamps do not match. A
// landline is also not taken right after a '/' or '-': an archived original's path is
// `originals/001-<document id>`, and a document id may start with eight digits.
const RAW_ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/;
const RAW_MOBILE = /(?<![0-9A-Za-z])(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9A-Za-z])/;
const RAW_LANDLINE = /(?<![0-9A-Za-z/-])0\d{2,3}-\d{7,8}(?![0-9A-Za-z])/;

/** Whether a single string looks like it holds a raw (unmasked) ID or phone number. */
export function looksLikeRawPii(text: string): boolean {
  const s = text.normalize('NFKC');
  return RAW_ID_NUMBER.test(s) || RAW_MOBILE.test(s) || RAW_LANDLINE.test(s);
}

/**
 * The paths (`$.a.b[0]`) of every string or number inside `value` that looks like a raw ID or
 * phone number; empty when there is none. Object keys are checked as well as values; a key that
 * matches shows as `<key>`, so the paths are safe to put in an error message or a log.
 */
export function findRawPii(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return looksLikeRawPii(value) ? [path] : [];
  if (typeof value === 'number') return Number.isInteger(value) && looksLikeRawPii(String(value)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findRawPii(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      // A key that is itself a raw value must not reappear in the path we report.
      if (looksLikeRawPii(k)) return [`${path}.<key>`, ...findRawPii(v, `${path}.<key>`)];
      return findRawPii(v, `${path}.${k}`);
    });
  }
  return [];
}
