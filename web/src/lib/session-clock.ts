/**
 * When the page reads its session again (app.tsx useSession): plain arithmetic, tested on its own.
 */

/** The longest wait setTimeout honours (2^31 - 1 ms, about 24.8 days); browsers run a longer one at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Milliseconds until the session is read again: 1 s after its expiry by this page's clock, capped
 * at what setTimeout honours. A computer clock weeks behind the issuer's puts the expiry further
 * away than that; an uncapped wait would run at once, re-read the session, and start over in a loop.
 */
export function recheckDelayMs(expiresAtSec: number, nowMs: number): number {
  return Math.min(Math.max(expiresAtSec * 1000 - nowMs, 0) + 1000, MAX_TIMER_MS);
}

/** Whether two reads of the session are the same sign-in (same token): the page then keeps what it has. */
export function sameSession(a: { token: string } | undefined, b: { token: string } | undefined): boolean {
  return a?.token === b?.token;
}
