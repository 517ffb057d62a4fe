/**
 * How the registry reads Chinese text for search (docs/search.md): normalisation, the terms a text
 * is indexed under, and the words of a query.
 *
 * - Normalisation folds full-width and half-width forms (NFKC, where it gives one character),
 *   Latin case, and traditional characters to simplified ones (variants.ts). It maps each UTF-16
 *   unit to exactly one unit, so a position in the normalised text is the same position in the
 *   original: highlights are computed on the one and shown on the other.
 * - Terms: every Han character (for one-character queries) and every pair of adjacent Han
 *   characters (bigrams: any substring of two or more characters contains them); Latin words and
 *   numbers as whole tokens. Long numbers — seven digits or more, an ID number — are personal data:
 *   they are indexed only by keyed hash (`#<hmac>`), so they are found only when typed whole,
 *   and the index never holds them in the clear.
 * - A query is words separated by spaces or punctuation; every word must occur (AND), as typed:
 *   the terms find candidates, the word itself (adjacency) is checked against the text.
 */
import { keyedHash, type HashKey } from '../pii';
import { normaliseIdNumber, normalisePhone } from '../pii-validation';
import { TRADITIONAL_TO_SIMPLIFIED } from './variants';

function isHanUnit(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff) || code === 0x3007;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isAlnumUnit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a);
}

const cache = new Map<string, string>();

function foldUnit(ch: string): string {
  const known = cache.get(ch);
  if (known !== undefined) return known;
  let out = ch;
  const nfkc = ch.normalize('NFKC');
  if (nfkc.length === 1) out = nfkc;
  const lower = out.toLowerCase();
  if (lower.length === 1) out = lower;
  out = TRADITIONAL_TO_SIMPLIFIED.get(out) ?? out;
  if (cache.size < 20_000) cache.set(ch, out);
  return out;
}

/** The text as search compares it; the same length as `text`, unit for unit. */
export function normalizeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHighSurrogate(code) && i + 1 < text.length) {
      // A character outside the BMP (a rare name character) is kept as it is, both units.
      out += text.slice(i, i + 2);
      i += 1;
    } else if (code < 0x41 || (code > 0x5a && code < 0x80)) {
      out += text[i];
    } else if (code <= 0x5a) {
      out += String.fromCharCode(code + 32);
    } else if (code >= 0x4e00 && code <= 0x9fff) {
      const ch = text[i] as string;
      out += TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
    } else {
      out += foldUnit(text[i] as string);
    }
  }
  return out;
}

/** A run of the normalised text: Han characters (each a string of 1–2 units), or a Latin/number token. */
type Run = { kind: 'han'; chars: string[] } | { kind: 'token'; value: string };

function runsOf(normalized: string): Run[] {
  const runs: Run[] = [];
  let han: string[] = [];
  let token = '';
  const flush = () => {
    if (han.length > 0) runs.push({ kind: 'han', chars: han });
    if (token !== '') runs.push({ kind: 'token', value: token });
    han = [];
    token = '';
  };
  for (let i = 0; i < normalized.length; i++) {
    const code = normalized.charCodeAt(i);
    if (isHighSurrogate(code) && i + 1 < normalized.length) {
      if (token !== '') flush();
      han.push(normalized.slice(i, i + 2));
      i += 1;
    } else if (isHanUnit(code)) {
      if (token !== '') flush();
      han.push(normalized[i] as string);
    } else if (isAlnumUnit(code)) {
      if (han.length > 0) flush();
      token += normalized[i];
    } else {
      flush();
    }
  }
  flush();
  return runs;
}

/** A number that may be personal data (a phone, an ID number, an account): seven digits or more. */
const PII_TOKEN = /^(?:\d{7,}|\d{17}x)$/;

/** The keyed-hash term of a personal number, as the index holds it (`#` + HMAC). */
export function piiTerm(key: HashKey, value: string, kind: 'id' | 'number' = /x$/i.test(value) || value.length === 18 ? 'id' : 'number'): string {
  const canonical = kind === 'id' ? normaliseIdNumber(value) : normalisePhone(value);
  return `#${keyedHash(key, `search|${canonical}`)}`;
}

function tokenTerm(key: HashKey, token: string): string {
  return PII_TOKEN.test(token) ? piiTerm(key, token) : token;
}

/** Every term a text is indexed under (see the module comment). */
export function indexTerms(key: HashKey, text: string, into: Set<string> = new Set()): Set<string> {
  for (const run of runsOf(normalizeText(text))) {
    if (run.kind === 'token') {
      into.add(tokenTerm(key, run.value));
      continue;
    }
    const { chars } = run;
    for (let i = 0; i < chars.length; i++) {
      into.add(chars[i] as string);
      if (i + 1 < chars.length) into.add(`${chars[i]}${chars[i + 1]}`);
    }
  }
  return into;
}

/** One word of a query: all of it must occur in one field of a case. */
export interface SearchWord {
  /** As typed (trimmed). */
  text: string;
  /** Normalised: what is looked for in the normalised text. */
  normalized: string;
  /** The index terms that find its candidates (a case lacking any of them cannot contain the word). */
  terms: string[];
  /** A personal number alone: matched whole by its keyed hash (the index's answer is exact), never shown. */
  pii: boolean;
}

/** At most this many words in a query, and index terms per word (longer words are checked on the text). */
export const MAX_QUERY_WORDS = 8;
const MAX_TERMS_PER_WORD = 6;

/** Splits a query into words: spaces and punctuation separate, except `.-_/:` inside a word (3.2万元, G-320). */
const WORD_SEPARATORS = /[^\p{L}\p{N}.\-_/:]+/u;

/**
 * The words of a query. Duplicates and words with no index term (only punctuation) are dropped;
 * an empty result means there is nothing to search for.
 */
export function parseQuery(key: HashKey, q: string): SearchWord[] {
  const words: SearchWord[] = [];
  for (const raw of normalizeText(q.normalize('NFKC')).split(WORD_SEPARATORS)) {
    const normalized = raw.replace(/^[.\-_/:]+|[.\-_/:]+$/g, '');
    if (normalized === '' || words.some((w) => w.normalized === normalized)) continue;
    const runs = runsOf(normalized);
    const terms: string[] = [];
    for (const run of runs) {
      if (run.kind === 'token') terms.push(tokenTerm(key, run.value));
      else if (run.chars.length === 1) terms.push(run.chars[0] as string);
      else terms.push(...coveringBigrams(run.chars));
    }
    if (terms.length === 0) continue;
    const only = runs.length === 1 ? runs[0] : undefined;
    const pii = only?.kind === 'token' && PII_TOKEN.test(only.value) && normalized === only.value;
    words.push({ text: raw, normalized, terms: [...new Set(terms)].slice(0, MAX_TERMS_PER_WORD), pii });
    if (words.length === MAX_QUERY_WORDS) break;
  }
  return words;
}

/** Bigrams that together cover the run (0-1, 2-3, …, and the last pair): enough to find candidates. */
function coveringBigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 2) out.push(`${chars[i]}${chars[i + 1]}`);
  if (chars.length % 2 === 1) out.push(`${chars[chars.length - 2]}${chars[chars.length - 1]}`);
  return out;
}
