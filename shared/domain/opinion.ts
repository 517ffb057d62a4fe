/**
 * The opinion of Art. 32 — the handling opinion, and the review and re-review opinions: its
 * outcomes, the elements it must state, and the rule beyond presence (a legal basis names a law).
 * One definition, used by the lifecycle (a department's answer, a director's edits), by the
 * letters (what a 信访处理意见书 prints) and by the stored case record.
 */
import { z } from 'zod';
import type { FieldIssue } from './errors';
import { multiLine, oneLine } from './validation';

/** Outcomes of an opinion (Art. 32), and the words for them (the letters print the same words). */
export const OUTCOMES = ['support', 'explain', 'reject'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = { support: '予以支持', explain: '作出解释说明', reject: '不予支持' };

/** A closed choice whose error names the choices (or says `required`). */
export const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (iss) => (iss.input === undefined ? 'required' : `one of ${values.join(', ')}`),
  });

/** The Art. 32 elements of an opinion as it is written now: what an answer and a letter accept. */
export const OpinionSchema = z.object(
  {
    /** 投诉请求: what the petitioner asks for. */
    request: multiLine(2000),
    /** 事实和理由: what the investigation found and why. */
    facts: multiLine(8000),
    /** 处理意见: the decision in words. */
    decision: multiLine(4000),
    /** The outcome under Art. 32. */
    outcome: enumOf(OUTCOMES),
    /** 法律法规依据: the laws and articles relied on, each in 《》. */
    legalBasis: oneLine(300),
  },
  { error: (iss) => (iss.input === undefined ? 'required' : 'expected an object') },
);
export type Opinion = z.output<typeof OpinionSchema>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/**
 * The opinion as a case record stores it (the answer, the approved reply). Read leniently on
 * purpose: a record written before the rules above (their lengths, the 《》 rule) stays readable;
 * the rules apply again when such an answer is approved.
 */
export const OpinionRecordSchema = z.object({
  request: text(5000),
  facts: text(20000),
  decision: text(10000),
  outcome: z.enum(OUTCOMES),
  legalBasis: text(5000),
});
export type OpinionRecord = z.infer<typeof OpinionRecordSchema>;

/** Art. 32 beyond presence: the legal basis names at least one law or regulation in 《》. */
export function checkOpinion(opinion: Pick<Opinion, 'legalBasis'>, prefix = 'opinion'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!/《[^《》]+》/.test(opinion.legalBasis)) {
    issues.push({ field: `${prefix}.legalBasis`, reason: 'name the law or regulation relied on, in 《》 (Art. 32)' });
  }
  return issues;
}

/**
 * The same rule as a zod refinement, for the department's answer and the director's edits: an
 * answer that passes can be issued as a letter, and the department learns of a missing element
 * when it answers, not when the director approves.
 */
export function art32(o: { legalBasis?: string }, ctx: z.RefinementCtx): void {
  if (o.legalBasis === undefined) return;
  for (const issue of checkOpinion({ legalBasis: o.legalBasis }, 'opinion')) {
    ctx.addIssue({ code: 'custom', path: issue.field.split('.').slice(1), message: issue.reason });
  }
}
