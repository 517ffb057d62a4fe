/**
 * The letters the registry issues (DESIGN §4) and their Chinese titles. The order is the order
 * of a case's life: receipt and the acceptance decision, an extension, the reply, review and
 * re-review, and the supervision notice sent to a department.
 */
import { z } from 'zod';

export const LETTER_TYPES = [
  'receipt',
  'acceptance-notice',
  'non-acceptance-notice',
  'transfer-notice',
  'extension-notice',
  'handling-opinion',
  'review-opinion',
  'rereview-opinion',
  'supervision-notice',
] as const;

export type LetterType = (typeof LETTER_TYPES)[number];

export const LetterTypeSchema = z.enum(LETTER_TYPES);

/** The centred title of each letter (标题). */
export const LETTER_TITLES: Readonly<Record<LetterType, string>> = {
  receipt: '受理凭证',
  'acceptance-notice': '受理告知书',
  'non-acceptance-notice': '不予受理告知书',
  'transfer-notice': '转送告知书',
  'extension-notice': '延期办理告知书',
  'handling-opinion': '信访处理意见书',
  'review-opinion': '复查意见书',
  'rereview-opinion': '复核意见书',
  'supervision-notice': '督办单',
};

/** Letters addressed to the petitioner (the others go to a department). */
export const PETITIONER_LETTERS: ReadonlySet<LetterType> = new Set<LetterType>(LETTER_TYPES.filter((t) => t !== 'supervision-notice'));

export function isLetterType(value: unknown): value is LetterType {
  return typeof value === 'string' && (LETTER_TYPES as readonly string[]).includes(value);
}
