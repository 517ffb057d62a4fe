/**
 * How good a reading is: the character error rate (CER) against a known text. Counted on Han
 * characters, digits and Latin letters only (punctuation and spacing ignored, full-width forms
 * folded to half-width, Latin case ignored), as the OCR issue and docs/ocr.md define it.
 */

/**
 * How the pages of one file are separated in a text file — the readings `npm run ocr` writes and
 * the test set's ground truths: a line holding only a form feed (not counted: no page headings).
 */
export const PAGE_SEPARATOR = '\n\f\n';

/** The characters that count, in order: Han, digits, Latin letters (full-width folded, lower-cased). */
export function countedCharacters(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.normalize('NFKC')) {
    const ch = raw.toLowerCase();
    if (/[0-9a-z]/.test(ch) || /\p{Script=Han}/u.test(ch)) out.push(ch);
  }
  return out;
}

/** Levenshtein distance between two character sequences (substitutions, insertions, deletions). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export interface CharacterErrors {
  /** Edits needed to turn the reading into the truth. */
  errors: number;
  /** Counted characters of the truth. */
  characters: number;
}

export function characterErrors(truth: string, reading: string): CharacterErrors {
  const t = countedCharacters(truth);
  return { errors: editDistance(t, countedCharacters(reading)), characters: t.length };
}

/** CER of a set: total edits over total characters of the truths (not a mean of per-page rates). */
export function characterErrorRate(counts: readonly CharacterErrors[]): number {
  const characters = counts.reduce((s, c) => s + c.characters, 0);
  const errors = counts.reduce((s, c) => s + c.errors, 0);
  return characters === 0 ? 0 : errors / characters;
}
