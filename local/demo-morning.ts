/**
 * The morning after the demo's seeded days (issue 18 item 8): what the daily schedules of the
 * local stack (local/daily.ts) would have done by now had they run through those days — the
 * deadline sweep (reminders, 督办 with its 督办单 for each overdue clock, 挂牌督办, closing the
 * cases whose review window has passed, marking closed cases for archiving), then the archive run
 * (every closed case eligible by today becomes a package in the archive bucket).
 *
 * One sweep run as of today suffices: the sweep catches up on the days it did not run (it acts on
 * the latest milestone each clock has passed, as after days with the machine off: docs/sweeps.md),
 * and archive eligibility is dated from each case's closing day, not from the run. Both run
 * in-process through the same runtimes as the scheduled functions, on the demo's fake clock
 * (08:00 Asia/Shanghai today for the sweep, a minute later for the archive run).
 */
import type { RunReport } from '../shared/app/archive';
import type { SweepReport } from '../shared/app/sweep';
import type { FakeClock } from '../shared/domain/time';

/** Closed cases the demo's archive run archives at once. */
const ARCHIVE_CONCURRENCY = 8;

export interface DemoMorning {
  sweep: SweepReport;
  archive: RunReport;
  /** How long each took (ms). */
  ms: { sweep: number; archive: number };
}

/** Runs the sweep and then the archive run as of `today` (YYYY-MM-DD, Beijing) on `clock` (the clock the runtimes use). */
export async function demoMorning(clock: FakeClock, today: string): Promise<DemoMorning> {
  const { getSweepRuntime } = await import('../functions/common/sweep-runtime');
  const { getArchiveRuntime } = await import('../functions/common/archive-runtime');
  const { registrationRenderer } = await import('../shared/letters/registration');
  const { loadLetterFonts } = await import('../shared/letters/fonts');
  const { config } = await import('../functions/common/runtime-support');
  clock.set(`${today}T00:00:00Z`); // 08:00 in Beijing, the sweep's hour
  const sweepStarted = Date.now();
  const { sweep } = await getSweepRuntime();
  const sweepReport = await sweep.run({ today });
  const archiveStarted = Date.now();
  clock.set(`${today}T00:01:00Z`);
  const { archive } = await getArchiveRuntime(
    'archive-run',
    registrationRenderer(() => loadLetterFonts(config().fontDir)),
  );
  // Several cases at once: the demo's closed cases are archived in one go (the scheduled run takes them one by one).
  const archiveReport = await archive.run({ concurrency: ARCHIVE_CONCURRENCY });
  return { sweep: sweepReport, archive: archiveReport, ms: { sweep: archiveStarted - sweepStarted, archive: Date.now() - archiveStarted } };
}
