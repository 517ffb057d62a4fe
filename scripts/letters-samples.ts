/**
 * Preview tool for template authors: writes every letter type for the demo case as PDF.
 *
 *   npx tsx scripts/letters-samples.ts <dir> [--templates overrides.json] [--office office.json]
 *
 * `<dir>/<letter-type>.pdf` for each type (acceptance-notice.pdf, handling-opinion.pdf, …). An
 * overrides file is a JSON object { "<letter-type>": "template text", … } as an admin would store
 * it; an office file is an OfficeConfig (defaults: the demo office 江川市信访局). No server needed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../shared/domain/errors';
import {
  DEMO_LETTER_DATA,
  DEMO_OFFICE_CONFIG,
  LETTER_TYPES,
  buildLetterContent,
  loadLetterFonts,
  parseOfficeConfig,
  renderLetter,
  validateTemplates,
  type LetterTemplates,
} from '../shared/letters';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
const dir = positional[0];
if (dir === undefined) {
  console.error('usage: npx tsx scripts/letters-samples.ts <dir> [--templates overrides.json] [--office office.json]');
  process.exit(2);
}

try {
  const templatesFile = option('--templates');
  const officeFile = option('--office');
  const templates: LetterTemplates = templatesFile ? validateTemplates(JSON.parse(readFileSync(templatesFile, 'utf8')) as LetterTemplates) : {};
  const office = officeFile ? parseOfficeConfig(JSON.parse(readFileSync(officeFile, 'utf8'))) : DEMO_OFFICE_CONFIG;
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const fonts = await loadLetterFonts();
  for (const type of LETTER_TYPES) {
    const content = buildLetterContent(type, DEMO_LETTER_DATA[type], office, templates);
    const { bytes, pages, contentHash } = await renderLetter(content, fonts);
    const file = join(out, `${type}.pdf`);
    writeFileSync(file, bytes);
    console.log(`${file}  ${pages} page${pages === 1 ? '' : 's'}  ${(bytes.length / 1024).toFixed(1)} KB  ${contentHash.slice(0, 12)}`);
  }
} catch (e) {
  if (e instanceof ValidationError) {
    for (const i of e.issues) console.error(`${i.field}: ${i.reason}`);
    process.exit(1);
  }
  throw e;
}
