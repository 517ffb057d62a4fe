/** Field schemas shared by the letter modules, zod issues → the domain's ValidationError, and parsing raw input at an edge. */
import { z } from 'zod';
import { ValidationError, type FieldIssue } from './errors';
import { isCalendarDate } from './chinese-date';
import { printableCheck } from './letter-coverage';

const required = (iss: { input?: unknown }) => (iss.input === undefined || iss.input === null ? 'required' : 'expected text');

/** One line of text: trimmed, not empty, no control or format characters, every character printable in a letter. */
export const oneLine = (max: number) =>
  z
    .string({ error: required })
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'one line of text without control characters')
    .superRefine(printableCheck);

/** Text of one or more paragraphs, one per line; blank lines dropped, each line trimmed; every character printable in a letter. */
export const multiLine = (max: number) =>
  z
    .string({ error: required })
    .transform((s) =>
      s
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join('\n'),
    )
    .pipe(
      z
        .string()
        .min(1, 'required')
        .max(max, `at most ${max} characters`)
        .refine((s) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(s.replace(/\n/g, '')), 'text without control characters')
        .superRefine(printableCheck),
    );

/** A civil date `YYYY-MM-DD` that exists. */
export const isoDate = z
  .string({ error: (iss) => (iss.input === undefined ? 'required' : 'expected a date YYYY-MM-DD') })
  .refine(isCalendarDate, 'expected a date YYYY-MM-DD');

/** zod issues → ValidationError named after the first issue (`opinion.legalBasis: required`). */
export function zodToValidationError(error: z.ZodError, prefix?: string): ValidationError {
  return ValidationError.fromZod(error, { prefix, root: prefix ?? 'input', message: firstIssueMessage });
}

function firstIssueMessage(issues: FieldIssue[]): string {
  const first = issues[0];
  return first ? `${first.field}: ${first.reason}` : 'Invalid input';
}

export function issuesToError(issues: FieldIssue[]): ValidationError {
  return new ValidationError(issues, firstIssueMessage(issues));
}

/**
 * A raw value through its schema where it enters without a route (the demo, scripts, tests, a
 * dry run of a request): the parsed value, or the ValidationError (400) the route would answer.
 * Use cases take the parsed value; they do not parse it again.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error);
  return r.data;
}
