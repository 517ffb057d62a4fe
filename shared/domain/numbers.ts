/**
 * Case numbers and query codes (DESIGN §1 petitioner, §4 letters).
 *
 * A case number (`XF-2026-000123`) is public: it is printed on every letter. The query code
 * (查询码) is the petitioner's secret that goes with it; only a keyed hash of it is stored, bound
 * to the case number, so a leaked table does not reveal codes and one code cannot be replayed
 * against another case.
 */
import { createHmac, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from './errors';

// ---------------------------------------------------------------------------------------------
// Case numbers
// ---------------------------------------------------------------------------------------------

/** Office prefix of a case number: 1–8 upper-case letters or digits. */
export const CASE_PREFIX_PATTERN = /^[A-Z0-9]{1,8}$/;
/** Sequence digits are zero-padded to this width, and grow beyond it when needed. */
export const CASE_SEQ_WIDTH = 6;

/**
 * The canonical form only: the seq has exactly 6 digits, or more without a leading zero, so
 * each case has one spelling (it is a key in the table).
 */
const CASE_NUMBER_PATTERN = /^([A-Z0-9]{1,8})-(\d{4})-(\d{6}|[1-9]\d{6,})$/;

export interface CaseNumberParts {
  prefix: string;
  year: number;
  seq: number;
}

/** `formatCaseNumber('XF', 2026, 123)` → `XF-2026-000123`. Throws ValidationError on bad parts. */
export function formatCaseNumber(prefix: string, year: number, seq: number): string {
  if (!CASE_PREFIX_PATTERN.test(prefix)) throw ValidationError.field('prefix', 'expected 1–8 upper-case letters or digits');
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw ValidationError.field('year', 'expected a four-digit year');
  if (!Number.isSafeInteger(seq) || seq < 1) throw ValidationError.field('seq', 'expected a positive integer');
  return `${prefix}-${year}-${String(seq).padStart(CASE_SEQ_WIDTH, '0')}`;
}

/** The parts of a canonical case number, or null (wrong shape, seq 0, non-canonical padding). */
export function parseCaseNumber(s: string): CaseNumberParts | null {
  const m = CASE_NUMBER_PATTERN.exec(s);
  if (m === null) return null;
  const [, prefix, year, seq] = m;
  if (prefix === undefined || year === undefined || seq === undefined) return null;
  const n = Number(seq);
  if (n < 1 || !Number.isSafeInteger(n)) return null;
  return { prefix, year: Number(year), seq: n };
}

/**
 * A case number as typed by a person (full-width characters, lower case, spaces around) in its
 * canonical spelling, or the input tidied if it cannot be parsed — the schema then rejects it.
 */
export function normaliseCaseNumber(input: string): string {
  const s = input.normalize('NFKC').trim().toUpperCase().replace(/\s+/g, '');
  const m = /^([A-Z0-9]{1,8})-(\d{4})-(\d+)$/.exec(s);
  if (m === null) return s;
  const [, prefix = '', year = '', seq = ''] = m;
  const n = Number(seq);
  return Number.isSafeInteger(n) && n >= 1 ? `${prefix}-${year}-${String(n).padStart(CASE_SEQ_WIDTH, '0')}` : s;
}

export const CaseNumberSchema = z.string().refine((s) => parseCaseNumber(s) !== null, { message: 'Expected a case number like XF-2026-000123' });

// ---------------------------------------------------------------------------------------------
// Query codes
// ---------------------------------------------------------------------------------------------

/** 31 characters without the look-alikes 0/O, 1/I/L: 31^8 ≈ 8.5 × 10^11 codes (≈ 39.6 bits). */
export const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const QUERY_CODE_LENGTH = 8;
const QUERY_CODE_PATTERN = /^[A-HJKMNP-Z2-9]{8}$/;

/** A source of cryptographically strong random bytes; node:crypto's by default. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * A fresh query code. Each character comes from one random byte; bytes at or above 248
 * (the largest multiple of 31 that fits in a byte) are thrown away and drawn again, so every
 * character is equally likely (no modulo bias).
 */
export function generateQueryCode(randomBytes: RandomBytes = cryptoRandomBytes): string {
  const size = QUERY_CODE_ALPHABET.length;
  const limit = 256 - (256 % size); // 248
  let code = '';
  while (code.length < QUERY_CODE_LENGTH) {
    const batch = randomBytes(QUERY_CODE_LENGTH * 2);
    if (batch.length === 0) throw new Error('generateQueryCode: the random source returned no bytes');
    for (const byte of batch) {
      if (byte >= limit) continue;
      code += QUERY_CODE_ALPHABET.charAt(byte % size);
      if (code.length === QUERY_CODE_LENGTH) break;
    }
  }
  return code;
}

/** A query code as typed (`abcd-efgh`, `ABCD EFGH`, full-width) → `ABCDEFGH`. */
export function normaliseQueryCode(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]+/g, '');
}

/** A query code, normalised before it is checked. */
export const QueryCodeSchema = z
  .string()
  .overwrite(normaliseQueryCode)
  .regex(QUERY_CODE_PATTERN, { message: `Expected ${QUERY_CODE_LENGTH} characters from ${QUERY_CODE_ALPHABET}` });

/**
 * What is stored instead of the code: HMAC-SHA256 hex of `<caseNo>:<normalised code>`. Binding
 * the case number means equal codes on two cases store different values.
 */
export function hashQueryCode(key: string | Uint8Array, caseNo: string, code: string): string {
  if (key.length === 0) throw new Error('hashQueryCode: the key must not be empty');
  return createHmac('sha256', key)
    .update(`${caseNo}:${normaliseQueryCode(code)}`, 'utf8')
    .digest('hex');
}

/** Whether `code` is the one whose hash is stored for the case; compares in constant time. */
export function verifyQueryCode(key: string | Uint8Array, caseNo: string, code: string, storedHash: string): boolean {
  const actual = Buffer.from(hashQueryCode(key, caseNo, code), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
