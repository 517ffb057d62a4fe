/**
 * `npx tsx scripts/letter-font-coverage.ts`: writes shared/domain/letter-font-coverage.json, the code
 * points the letters' regular font (Noto Serif SC) has a glyph for, as ranges. The request
 * schemas check text that ends up in a letter against it (shared/domain/letter-coverage.ts), so a
 * character the font lacks is refused when it is typed, not when the letter is issued.
 * test/unit/letters/coverage.test.ts fails when the file and the font disagree.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fontCoverage } from '../shared/letters/coverage-source';

const out = fileURLToPath(new URL('../shared/domain/letter-font-coverage.json', import.meta.url));
const ranges = await fontCoverage();
writeFileSync(out, `${JSON.stringify({ font: 'NotoSerifSC_400Regular.ttf', ranges })}\n`);
console.log(`${ranges.length} ranges written to ${out}`);
