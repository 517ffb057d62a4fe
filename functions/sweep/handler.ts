/**
 * The scheduled deadline sweep (EventBridge Scheduler, daily 08:00 Asia/Shanghai), then the
 * freezing of the reports of the periods that closed (Reports.freezeClosed). Runs until
 * done or until a minute before its time limit; a run that could not finish (or whose entries
 * failed) throws, so Lambda retries it — the sweep is resumable and idempotent, so the retry
 * continues where it stopped — and after the retries the event goes to the function's DLQ.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { IsoDate } from '../../shared/domain/case';
import { eventHandler } from '../common/event';
import { logger } from '../common/runtime';
import { getSweepRuntime } from '../common/sweep-runtime';
import { refreshOffice } from '../common/office';

/** The schedule's input; `date` lets an operator re-run a past day by hand (never a future one). */
const SweepEvent = z.object({ date: IsoDate.optional() }).loose();

const SAFETY_MS = 60_000;

export const handler = eventHandler('schedule:sweep', async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const input = SweepEvent.parse(event ?? {});
  const { sweep, reports } = await getSweepRuntime();
  await refreshOffice();
  const deadline = context ? Date.now() + Math.max(5_000, context.getRemainingTimeInMillis() - SAFETY_MS) : undefined;
  const report = await sweep.run({ today: input.date, deadline });
  if (!report.complete || report.errors > 0) {
    logger.warn('deadline sweep incomplete; failing so the invocation is retried', { complete: report.complete, errors: report.errors });
    throw new Error(
      `Deadline sweep of ${report.date} incomplete (${report.errors} errors${report.complete ? '' : ', stopped at the time limit'}); a retry continues it`,
    );
  }
  // The periods that closed (last month, quarter, year): frozen once, with their XLSX, CSV and PDF (docs/reports.md).
  const frozen = await reports.freezeClosed();
  if (frozen.frozen.length > 0) logger.info('froze the reports of closed periods', { periods: frozen.frozen.map((r) => r.periodKey) });
  return report;
});
