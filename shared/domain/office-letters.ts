/**
 * Office configuration for letters: who issues them, whom the petitioner turns to for a review
 * and a re-review, how document numbers (发文字号) are built, and the contact details printed in
 * the body. An admin edits it per office; it is parsed with the schema below wherever it is read.
 */
import { z } from 'zod';
import { ValidationError } from './errors';
import { LETTER_TYPES, type LetterType } from './letter-types';
import { oneLine, zodToValidationError } from './validation';

/** The tokens a document-number pattern may contain. */
export const DOCUMENT_NUMBER_TOKENS = ['short', 'year', 'seq'] as const;

/**
 * Default document-number patterns. GB/T 9704 §7.2.4: organ code, year in 六角括号 〔〕, sequence
 * number without 第 and without leading zeros, then 号. The receipt carries the case number
 * instead of a document number.
 */
export const DEFAULT_DOCUMENT_NUMBER_PATTERNS: Readonly<Record<LetterType, string | null>> = {
  receipt: null,
  'acceptance-notice': '{short}信受〔{year}〕{seq}号',
  'non-acceptance-notice': '{short}信不受〔{year}〕{seq}号',
  'transfer-notice': '{short}信转〔{year}〕{seq}号',
  'extension-notice': '{short}信延〔{year}〕{seq}号',
  'handling-opinion': '{short}信处〔{year}〕{seq}号',
  'review-opinion': '{short}信复〔{year}〕{seq}号',
  'rereview-opinion': '{short}信复核〔{year}〕{seq}号',
  'supervision-notice': '{short}信督〔{year}〕{seq}号',
};

const patternSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(40, 'at most 40 characters')
  .superRefine((p, ctx) => {
    const problem = documentNumberPatternProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const patternsShape = Object.fromEntries(LETTER_TYPES.map((t) => [t, patternSchema.nullable().default(DEFAULT_DOCUMENT_NUMBER_PATTERNS[t])])) as Record<
  LetterType,
  z.ZodDefault<z.ZodNullable<typeof patternSchema>>
>;

export const OfficeConfigSchema = z
  .object({
    /** Issuing organ (发文机关), printed in red as the heading and as the signature. */
    organName: oneLine(40),
    /** Organ code in document numbers (发文机关代字), e.g. 江 in 江信复〔2026〕12号. */
    shortName: oneLine(8),
    /** Named in handling opinions: where the petitioner asks for a review (复查, Art. 35). */
    reviewOrgan: oneLine(40),
    /** Named in review opinions: where the petitioner asks for a re-review (复核, Art. 36). */
    rereviewOrgan: oneLine(40),
    /** Document-number pattern per letter type; null = the letter has no document number. */
    documentNumberPatterns: z.object(patternsShape).prefault({}),
    address: oneLine(80),
    phone: oneLine(40),
    /** Where a petitioner queries a case with case number + query code. */
    queryUrl: oneLine(120),
    /** Text in the seal area; defaults to the organ name. */
    sealText: oneLine(40).optional(),
    /** Signature date in Chinese numerals (二〇二六年…) or Arabic (2026年…, GB/T 9704-2012). */
    signatureDateStyle: z.enum(['chinese', 'arabic']).default('chinese'),
  })
  .transform((o) => ({ ...o, sealText: o.sealText ?? o.organName }));

export type OfficeConfig = z.output<typeof OfficeConfigSchema>;
export type OfficeConfigInput = z.input<typeof OfficeConfigSchema>;

/** Parse office configuration (from the admin API or the database); throws ValidationError. */
export function parseOfficeConfig(input: unknown): OfficeConfig {
  const r = OfficeConfigSchema.safeParse(input);
  if (!r.success) throw zodToValidationError(r.error, 'office');
  return r.data;
}

/**
 * The demo office used by the samples, the tests and the local stack. 江川市 and 东州省 are
 * invented names; the query address uses a reserved domain.
 */
export const DEMO_OFFICE_CONFIG: OfficeConfig = parseOfficeConfig({
  organName: '江川市信访局',
  shortName: '江',
  reviewOrgan: '江川市人民政府',
  rereviewOrgan: '东州省人民政府',
  address: '江川市滨江路88号市民服务中心三楼',
  phone: '0871-12345',
  queryUrl: 'https://xf.jiangchuan.example',
});

/** Why a pattern is unusable, or null when it is fine. */
export function documentNumberPatternProblem(pattern: string): string | null {
  const tokens = [...pattern.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  const unknown = tokens.filter((t) => !(DOCUMENT_NUMBER_TOKENS as readonly string[]).includes(t));
  if (unknown.length > 0) return `unknown token ${unknown.map((t) => `{${t}}`).join(', ')}; allowed: {short} {year} {seq}`;
  if (pattern.replace(/\{[^{}]*\}/g, '').match(/[{}]/)) return 'unbalanced braces';
  if (!tokens.includes('seq')) return 'the pattern must contain {seq}';
  return null;
}

/**
 * `{short}信复〔{year}〕{seq}号` with { short: '江', year: 2026, seq: 12 } → `江信复〔2026〕12号`.
 * The sequence number is printed as is: no 第, no leading zeros (GB/T 9704 §7.2.4).
 */
export function formatDocumentNumber(pattern: string, values: { year: number; seq: number; short: string }): string {
  const problem = documentNumberPatternProblem(pattern);
  if (problem) throw ValidationError.field('documentNumberPattern', problem);
  if (!Number.isInteger(values.year) || values.year < 1000 || values.year > 9999) {
    throw ValidationError.field('year', 'a four-digit year');
  }
  if (!Number.isInteger(values.seq) || values.seq < 1) throw ValidationError.field('seq', 'a positive whole number');
  return pattern.replace(/\{(short|year|seq)\}/g, (_m, t: string) => (t === 'short' ? values.short : t === 'year' ? String(values.year) : String(values.seq)));
}
