/**
 * The letters a transition issues (DESIGN §4), by the name the lifecycle uses. The list itself
 * lives with the letters (shared/letters/types.ts): one source.
 */
export { LETTER_TYPES as LETTER_KINDS, type LetterType as LetterKind } from '../letters/types';
