/**
 * The local stand-in for EventBridge Scheduler's daily schedules: runs a job in-process every day
 * at a given hour in Asia/Shanghai, as the schedule does in AWS.
 * - the deadline sweep at 08:00, and once when the stack starts, to catch up on days the machine
 *   was off (the sweep is idempotent, so an extra run sends nothing twice);
 * - the upload reconciliation at 01:00, and once at start (pending uploads whose link expired are
 *   checked or marked expired; idempotent);
 * - the archive run at 02:00, not at start (archiving removes the originals from the working
 *   bucket: locally that happens at the hour it would in AWS, or when an archivist asks with
 *   `POST /archive/run`);
 * - and, not daily, the retry of failed search-index refreshes every 15 minutes and once at start
 *   (`startEvery`; in AWS a rate schedule of the sweep function).
 */
import type { Clock } from '../shared/domain/time';

export const SWEEP_HOUR_SHANGHAI = 8;
/** The upload reconciliation: before the archive run, so that run finds no upload left pending. */
export const UPLOADS_HOUR_SHANGHAI = 1;
export const ARCHIVE_HOUR_SHANGHAI = 2;

/** Milliseconds from `now` to the next `hour`:00 in Asia/Shanghai (UTC+8, no daylight saving). */
export function msUntilNextHour(now: Date, hour: number): number {
  const utcHour = (hour - 8 + 24) % 24;
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), utcHour, 0, 0, 0));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

export interface DailyJob {
  stop(): void;
}

export function startDaily(options: { run: () => Promise<void>; clock: Clock; hourShanghai: number; atStart: boolean }): DailyJob {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void options.run().finally(schedule);
      },
      msUntilNextHour(options.clock.now(), options.hourShanghai),
    );
    timer.unref();
  };
  if (options.atStart) void options.run().finally(schedule);
  else schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The search retry's interval, as the rate schedule in AWS (infra/constructs/sweeps.ts). */
export const SEARCH_REFRESH_EVERY_MS = 15 * 60_000;

/** The OCR re-queue, as in AWS (the sweep function's `ocr-requeue` schedule). */
export const OCR_REQUEUE_EVERY_MS = 30 * 60_000;

/** Runs a job every `everyMs` (a run never overlaps the next), and once at start if asked. */
export function startEvery(options: { run: () => Promise<void>; everyMs: number; atStart: boolean }): DailyJob {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void options.run().finally(schedule);
    }, options.everyMs);
    timer.unref();
  };
  if (options.atStart) void options.run().finally(schedule);
  else schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
