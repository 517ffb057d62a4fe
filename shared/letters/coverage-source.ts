/**
 * The code points the letters' regular font has a glyph for, read from the font itself (fontkit):
 * the source of shared/domain/letter-font-coverage.json. Used by the script that writes that file and by the test that
 * checks it; the request path reads the JSON (shared/domain/letter-coverage.ts) and never loads the font.
 */
import { loadLetterFonts } from './fonts';

export async function fontCoverage(dir?: string): Promise<[number, number][]> {
  const { regular } = await loadLetterFonts(dir);
  const cps = regular.program.characterSet.filter((cp) => regular.glyphId(cp) !== 0).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of cps) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}
