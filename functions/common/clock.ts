/**
 * The clock the functions use. In AWS it is the system clock, always. The local stack (and the
 * end-to-end tests, which run the handlers in-process behind the local gateway) may swap in a
 * FakeClock so a review window can pass in a test; nothing reachable over HTTP can change it.
 */
import { systemClock, type Clock } from '../../shared/domain/time';

let current: Clock = systemClock;

export const runtimeClock: Clock = { now: () => current.now() };

export function useClock(clock: Clock): void {
  current = clock;
}

let cacheCurrent: Clock | undefined;

/**
 * The clock that times this process's caches (the office's templates, the office calendar): the
 * runtime clock unless a tool swaps in another. The demo's seeding (scripts/demo.ts) dates each
 * case's steps on a fake clock that jumps back and forth by months, which would expire those
 * caches on nearly every step; it times them by the system clock instead.
 */
export const cacheClock: Clock = { now: () => (cacheCurrent ?? current).now() };

export function useCacheClock(clock: Clock | undefined): void {
  cacheCurrent = clock;
}
