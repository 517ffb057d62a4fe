/**
 * Formal letters as PDF (issue 3). Domain code: no AWS SDK, no I/O except reading the font
 * files once per process. See docs/letters.md.
 *
 *   const office = parseOfficeConfig(stored);             // or DEMO_OFFICE_CONFIG
 *   const content = buildLetterContent('handling-opinion', data, office, overrides); // 400 on bad data
 *   const fonts = await loadLetterFonts();                // once per process
 *   const { bytes, pages, contentHash } = await renderLetter(content, fonts);
 */
export { LETTER_TYPES, LETTER_TITLES, LetterTypeSchema, PETITIONER_LETTERS, isLetterType, type LetterType } from '../domain/letter-types';
export { bodyDate, chineseDate, isCalendarDate } from '../domain/chinese-date';
export {
  DEFAULT_DOCUMENT_NUMBER_PATTERNS,
  DEMO_OFFICE_CONFIG,
  OfficeConfigSchema,
  documentNumberPatternProblem,
  formatDocumentNumber,
  parseOfficeConfig,
  type OfficeConfig,
  type OfficeConfigInput,
} from '../domain/office-letters';
export {
  COMMON_PLACEHOLDERS,
  DEFAULT_TEMPLATES,
  REQUIRED_PLACEHOLDERS,
  TEMPLATE_PLACEHOLDERS,
  allowedPlaceholders,
  fillTemplate,
  templatePlaceholders,
  validateTemplate,
  validateTemplates,
  type LetterTemplates,
} from './templates';
export {
  RECEIPT_CHANNELS,
  CHANNEL_TEXT,
  FINALITY_TEXT,
  LetterContentSchema,
  LetterDataSchemas,
  QUERY_CODE,
  REREVIEW_REQUEST_DAYS,
  REVIEW_REQUEST_DAYS,
  SHORT_HASH_LENGTH,
  buildLetterContent,
  canonicalJson,
  checkLetterRules,
  letterContentHash,
  matchesShortHash,
  parseLetterData,
  shortLetterHash,
  validateLetterData,
  type AnyLetterData,
  type ReceiptChannel,
  type LetterContent,
  type LetterData,
  type LetterDataInput,
} from './content';
export { LETTER_FONT_FILES, loadLetterFonts, resolveFontDir, type LetterFont, type LetterFonts } from './fonts';
export { checkLetterGlyphs, missingGlyphs, renderLetter, type RenderedLetter } from './render';
export { DEMO_LETTER_DATA, demoLongFacts } from './demo';
