/**
 * The transitions the deadline sweep makes itself, through the lifecycle's own rules (so the
 * sweep can never close a case a clerk could not): closing a case whose review or re-review
 * request window passed without a request (DESIGN §3, "30 days, no review").
 *
 * The lifecycle gives `close` to clerks and directors; the sweep acts as a system actor holding
 * the clerk's role for this one action, and its audit events name it as the system
 * (`{ system: 'deadline-sweep' }`), never as a person.
 */
import type { Case } from './case';
import { RuleViolationError } from './errors';
import { applyAction, type ActionContext, type TransitionResult } from './lifecycle';
import type { Actor } from './roles';
import { SYSTEM_ACTORS, type SystemActorName } from './system-actors';

export const SWEEP_SYSTEM = 'deadline-sweep' satisfies SystemActorName;

/** The sweep as the lifecycle sees it. */
export const SWEEP_ACTOR: Actor = { userId: `system:${SWEEP_SYSTEM}`, username: SWEEP_SYSTEM, displayName: SYSTEM_ACTORS[SWEEP_SYSTEM], roles: ['clerk'] };

export const SWEEP_AUDIT_ACTOR = { system: SWEEP_SYSTEM } as const;

const WINDOW_STATUS = { reviewRequestWindow: 'delivered', rereviewRequestWindow: 'reviewed' } as const;

export type RequestWindow = keyof typeof WINDOW_STATUS;

export function isRequestWindow(kind: string): kind is RequestWindow {
  return kind in WINDOW_STATUS;
}

/**
 * Closes a case whose request window has passed; refused (RuleViolationError) unless the case is
 * still waiting on that window, and by the lifecycle while the window is open.
 */
export function closeAfterWindow(c: Case, window: RequestWindow, ctx: Omit<ActionContext, 'actor'>): TransitionResult {
  if (c.status !== WINDOW_STATUS[window]) {
    throw new RuleViolationError(`The case is ${c.status}, not waiting on its ${window}`, { status: c.status, window });
  }
  return applyAction(c, 'close', {}, { ...ctx, actor: SWEEP_ACTOR });
}
