/** The letters a transition issues (DESIGN §4). Rendering lives in shared/letters. */
export const LETTER_KINDS = [
  'acceptance-notice',
  'non-acceptance-notice',
  'transfer-notice',
  'extension-notice',
  'handling-opinion',
  'review-opinion',
  'rereview-opinion',
  'supervision-notice',
  'receipt',
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
