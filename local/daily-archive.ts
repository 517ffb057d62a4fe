/**
 * The local stand-in for the EventBridge schedule of the archive run: runs the `archiver`
 * function in-process every day at 02:00 Asia/Shanghai, as the schedule does in AWS. Unlike the
 * sweep it does not run when the stack starts (archiving removes the originals from the working
 * bucket; locally that should happen at the hour it would in AWS, or when an archivist asks with
 * `POST /archive/run`). The fixity check runs with `npm run archive:verify`.
 */
import type { Clock } from '../shared/domain/time';
import { msUntilNextSweep } from './daily-sweep';

export const ARCHIVE_HOUR_SHANGHAI = 2;

export interface DailyArchive {
  stop(): void;
}

export function startDailyArchive(options: { run: () => Promise<void>; clock: Clock }): DailyArchive {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void options.run().finally(schedule);
    }, msUntilNextSweep(options.clock.now(), ARCHIVE_HOUR_SHANGHAI));
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
