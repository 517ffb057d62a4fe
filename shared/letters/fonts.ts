/**
 * The letter fonts: Noto Serif SC (SIL Open Font License 1.1), Regular for all text and Bold
 * for the organ heading and the title. Loaded once per process and kept parsed: the fontkit
 * font object caches its cmap, loca and glyphs, so a warm render only subsets.
 *
 * Where the files are, first match wins:
 * 1. the `dir` argument;
 * 2. the XF_FONT_DIR environment variable (the Lambda bundle ships the two .ttf files as an
 *    asset there);
 * 3. the installed @expo-google-fonts/noto-serif-sc package.
 * In a directory, a file is found either directly (`<dir>/NotoSerifSC_400Regular.ttf`) or in the
 * package's per-weight folder (`<dir>/400Regular/NotoSerifSC_400Regular.ttf`).
 */
import { readFile, access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as fontkit from 'fontkit';

/** The font files the letters use; the deployment ships exactly these. */
export const LETTER_FONT_FILES = {
  regular: { folder: '400Regular', file: 'NotoSerifSC_400Regular.ttf' },
  bold: { folder: '700Bold', file: 'NotoSerifSC_700Bold.ttf' },
} as const;

export type FontWeight = keyof typeof LETTER_FONT_FILES;

/** A parsed font with the per-character lookups rendering needs, cached. */
export interface LetterFont {
  readonly weight: FontWeight;
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number };
  /** The parsed font program (fontkit), for subsetting. */
  readonly program: fontkit.Font;
  /** Glyph id of a code point; 0 when the font has no glyph for it. */
  glyphId(codePoint: number): number;
  /** Advance width of a code point in 1/1000 em. */
  advance(codePoint: number): number;
}

export interface LetterFonts {
  readonly dir: string;
  readonly regular: LetterFont;
  readonly bold: LetterFont;
}

function wrap(weight: FontWeight, program: fontkit.Font): LetterFont {
  const gids = new Map<number, number>();
  const advances = new Map<number, number>();
  const scale = 1000 / program.unitsPerEm;
  const glyphId = (cp: number): number => {
    let id = gids.get(cp);
    if (id === undefined) {
      id = program.hasGlyphForCodePoint(cp) ? program.glyphForCodePoint(cp).id : 0;
      gids.set(cp, id);
    }
    return id;
  };
  return {
    weight,
    postscriptName: program.postscriptName,
    unitsPerEm: program.unitsPerEm,
    ascent: program.ascent,
    descent: program.descent,
    capHeight: program.capHeight,
    bbox: { minX: program.bbox.minX, minY: program.bbox.minY, maxX: program.bbox.maxX, maxY: program.bbox.maxY },
    program,
    glyphId,
    advance(cp: number): number {
      let a = advances.get(cp);
      if (a === undefined) {
        a = program.getGlyph(glyphId(cp)).advanceWidth * scale;
        advances.set(cp, a);
      }
      return a;
    },
  };
}

/** The folder of the installed font package. */
function packageFontDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
}

/** The directory fonts are loaded from (argument, XF_FONT_DIR, or the installed package). */
export function resolveFontDir(dir?: string): string {
  const chosen = dir ?? process.env.XF_FONT_DIR;
  return resolve(chosen !== undefined && chosen !== '' ? chosen : packageFontDir());
}

async function findFile(dir: string, weight: FontWeight): Promise<string> {
  const { folder, file } = LETTER_FONT_FILES[weight];
  for (const candidate of [join(dir, file), join(dir, folder, file)]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw new Error(`letter font ${file} not found in ${dir} (set XF_FONT_DIR to the folder holding it)`);
}

async function loadFont(dir: string, weight: FontWeight): Promise<LetterFont> {
  const bytes = await readFile(await findFile(dir, weight));
  const program = fontkit.create(bytes);
  if (!program.getGlyph || !program.createSubset) throw new Error(`${LETTER_FONT_FILES[weight].file} is not a single font`);
  const font = wrap(weight, program);
  // Warm the tables every render touches (cmap, hmtx, loca) so the first letter is fast too.
  font.advance(0x4e00);
  void program.loca;
  return font;
}

const cache = new Map<string, Promise<LetterFonts>>();

/** Load (once per process and directory) and parse the letter fonts. */
export function loadLetterFonts(dir?: string): Promise<LetterFonts> {
  const where = resolveFontDir(dir);
  let fonts = cache.get(where);
  if (!fonts) {
    fonts = Promise.all([loadFont(where, 'regular'), loadFont(where, 'bold')]).then(([regular, bold]) => ({
      dir: where,
      regular,
      bold,
    }));
    // A failed load is not cached, so a later call can retry.
    fonts.catch(() => cache.delete(where));
    cache.set(where, fonts);
  }
  return fonts;
}
