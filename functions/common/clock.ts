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
