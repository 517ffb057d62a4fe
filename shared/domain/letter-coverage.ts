/**
 * Which characters a letter can print: the code points the letters' regular font (Noto Serif SC)
 * has a glyph for, kept as ranges in letter-font-coverage.json (written from the font by
 * scripts/letter-font-coverage.ts; test/unit/letters/coverage.test.ts checks the two agree).
 * Pure data, no font loading: the request schemas use it, so text that ends up in a letter is
 * refused when it is typed (400 naming the field), not when the letter is issued.
 */
import coverage from './letter-font-coverage.json' with { type: 'json' };

const RANGES = coverage.ranges as [number, number][];

/** Blank characters are laid out as space, never drawn. */
const BLANK = /^\s$/u;

function covered(cp: number): boolean {
  let lo = 0;
  let hi = RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = RANGES[mid] as [number, number];
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The distinct characters of `text` the letter font cannot draw. */
export function unprintable(text: string): string[] {
  return [...new Set([...text].filter((ch) => !BLANK.test(ch) && !covered(ch.codePointAt(0) as number)))];
}

/** The reason given for text with characters the letter font lacks. */
export function unprintableReason(chars: string[]): string {
  return `the letter font has no glyph for ${chars.map((c) => `${c} (U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}: this text is printed in a letter`;
}

/** A zod check: every character printable in a letter. */
export function printableCheck(text: string, ctx: { addIssue(issue: { code: 'custom'; message: string; input: unknown }): void }): void {
  const missing = unprintable(text);
  if (missing.length > 0) ctx.addIssue({ code: 'custom', message: unprintableReason(missing), input: text });
}
