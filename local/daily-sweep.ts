/**
 * The local stand-in for the EventBridge schedule of the deadline sweep: runs the `sweep`
 * function in-process every day at 08:00 Asia/Shanghai (as the schedule does in AWS), and once
 * when the stack starts, to catch up on days the machine was off (the sweep is idempotent, so an
 * extra run sends nothing twice).
 */
import type { Clock } from '../shared/domain/time';

/** 08:00 in Asia/Shanghai (UTC+8, no daylight saving) is 00:00 UTC. */
export const SWEEP_HOUR_SHANGHAI = 8;

/** Milliseconds from `now` to the next 08:00 Asia/Shanghai. */
export function msUntilNextSweep(now: Date, hour = SWEEP_HOUR_SHANGHAI): number {
  const utcHour = (hour - 8 + 24) % 24;
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), utcHour, 0, 0, 0));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

export interface DailySweep {
  stop(): void;
}

export function startDailySweep(options: { run: () => Promise<void>; clock: Clock; atStart?: boolean }): DailySweep {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void options.run().finally(schedule);
    }, msUntilNextSweep(options.clock.now()));
    timer.unref();
  };
  if (options.atStart ?? true) void options.run().finally(schedule);
  else schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
