/**
 * Personal data of petitioners (DESIGN §7, §9 "cases by petitioner identity").
 *
 * - Identity keys: a keyed hash (HMAC) of the normalised ID number, and of name + phone, so the
 *   repeat-detection index never holds the raw values and cannot be reversed by hashing every
 *   possible ID number without the key.
 * - Masks: what audit events, logs and lists show instead of the raw values.
 * - Guards: raw ID or phone numbers where only masked ones belong.
 *
 * Normalisation and validation (the ID number's check character, phone patterns) are in
 * pii-validation.ts, which the browser imports too; the keyed hash stays here (node:crypto).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { isPhoneNumber, normaliseIdNumber, normaliseName, normalisePhone, validateChineseIdNumber } from './pii-validation';

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
  return createHmac('sha256', key).update(value.normalize('NFKC').trim(), 'utf8').digest('hex').slice(0, KEYED_HASH_HEX_LENGTH);
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
 * `江川区宁海街道建设路12号` → `江川区宁海街道****`: the first 7 characters (district and
 * street, enough to know where the matter is) and a fixed `****`, so the length of the rest does
 * not show; 7 characters or fewer keep none. Counts code points.
 */
export function maskAddress(input: string): string {
  const chars = Array.from(input.normalize('NFC').trim());
  if (chars.length === 0) return '';
  return `${chars.length > 7 ? chars.slice(0, 7).join('') : ''}****`;
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
// Schemas (the rules themselves: pii-validation.ts)
// ---------------------------------------------------------------------------------------------

/** A valid resident ID number; the parsed value is normalised (no spaces, ASCII, upper-case X). */
export const IdNumberSchema = z
  .string()
  .overwrite(normaliseIdNumber)
  .refine((s) => validateChineseIdNumber(s), { message: 'Not a valid resident ID number (GB 11643)' });

/** A mobile (`13812345678`) or a landline with its area code (`0871-65123456`); trimmed. */
export const PhoneSchema = z.string().trim().refine(isPhoneNumber, {
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
