/**
 * The body of a lifecycle action, defined once: the lifecycle's input (ACTION_INPUTS,
 * shared/domain/lifecycle.ts) plus what the letter the action issues may need that the lifecycle
 * does not keep (LETTER_INPUTS). The route table (shared/http/routes.ts) validates each action's
 * body with `actionBody(action)` and hands the use case the parsed `ActionBody`; the registry
 * gives the lifecycle its part (`lifecycleInput`) and the letter issuer its own (`letterInput`),
 * without parsing again.
 */
import { z } from 'zod';
import type { Action } from '../domain/actions';
import { ACTION_INPUTS, type ActionInput } from '../domain/lifecycle';
import { art32, OpinionSchema } from '../domain/opinion';
import { ValidationError } from '../domain/errors';
import { oneLine } from '../domain/validation';

/** The Art. 32 elements of a review or re-review opinion (its outcome is the action's `outcome`). */
const OpinionContent = OpinionSchema.omit({ outcome: true }).superRefine(art32);
// The letters' own field rules (one line, length, printable), so the body is checked as the letter will be.
const routeName = oneLine(30).optional();
const routeOrgan = oneLine(60).optional();
const documentNo = oneLine(40).optional();

/**
 * Fields some action bodies accept for the letter the action issues:
 * - decline / approve-proposal (of a decline): `routeName` names the procedure when the route is
 *   `other` (e.g. 行政裁决); `routeOrgan` (approve-proposal; decline has it already) the organ.
 * - review-opinion / rereview-opinion: `opinion` (request, facts, decision, legalBasis) when the
 *   registry issues the opinion; without it the action records an opinion issued elsewhere.
 *   `originalDocumentNo`: the number of the contested opinion if the registry did not issue it.
 */
export const LETTER_INPUTS = {
  decline: z.object({ routeName }),
  'approve-proposal': z.object({ routeOrgan, routeName }),
  'review-opinion': z.object({ opinion: OpinionContent.optional(), originalDocumentNo: documentNo }),
  'rereview-opinion': z.object({ opinion: OpinionContent.optional(), originalDocumentNo: documentNo }),
} satisfies Partial<Record<Action, z.ZodObject>>;

type LetterInputs = typeof LETTER_INPUTS;
export type LetterAction = keyof LetterInputs;

/** The body schema of every action (the route's): the lifecycle's input with the letter's fields. */
export const ACTION_BODIES = {
  ...ACTION_INPUTS,
  decline: ACTION_INPUTS.decline.extend(LETTER_INPUTS.decline.shape),
  'approve-proposal': ACTION_INPUTS['approve-proposal'].extend(LETTER_INPUTS['approve-proposal'].shape),
  'review-opinion': ACTION_INPUTS['review-opinion'].extend(LETTER_INPUTS['review-opinion'].shape),
  'rereview-opinion': ACTION_INPUTS['rereview-opinion'].extend(LETTER_INPUTS['rereview-opinion'].shape),
} satisfies Record<Action, z.ZodType>;

/** The parsed body of `POST /cases/{caseNo}/<action>`. */
export type ActionBody<A extends Action> = z.output<(typeof ACTION_BODIES)[A]>;

export function actionBody<A extends Action>(a: A): (typeof ACTION_BODIES)[A] {
  return ACTION_BODIES[a];
}

/**
 * A raw action body through its route's schema, where one enters without the route (a dry run,
 * the demo, tests): the parsed body, or the ValidationError (400) the route would answer.
 */
export function parseActionBody<A extends Action>(a: A, raw: unknown): ActionBody<A> {
  const r = ACTION_BODIES[a].safeParse(raw ?? {});
  if (!r.success) throw ValidationError.fromZod(r.error);
  // The schema of action A parsed it: its output is ActionBody<A> (TypeScript cannot follow the index).
  return r.data as ActionBody<A>;
}

/** The fields of a parsed body that a schema's shape names (what parsing with that schema alone would keep). */
function fieldsOf(schema: z.ZodType, body: object): Record<string, unknown> {
  if (!(schema instanceof z.ZodObject)) return { ...body };
  const shape = Object.keys(schema.shape);
  return Object.fromEntries(Object.entries(body).filter(([k]) => shape.includes(k)));
}

/**
 * The lifecycle's part of a parsed action body: its own fields, the letter's left out (what
 * parsing with ACTION_INPUTS alone would keep; the body was parsed with a schema that holds it).
 */
export function lifecycleInput<A extends Action>(a: A, body: ActionBody<A>): ActionInput<A> {
  return fieldsOf(ACTION_INPUTS[a], body) as ActionInput<A>;
}

/** The letter's part of a parsed action body. */
export function letterInput<A extends LetterAction>(a: A, body: object): z.output<LetterInputs[A]> {
  return fieldsOf(LETTER_INPUTS[a], body) as z.output<LetterInputs[A]>;
}
