/**
 * Two scheduled tasks (EventBridge Scheduler; locally the local stack's schedules):
 * - the deadline sweep (daily 08:00 Asia/Shanghai), then the freezing of the reports of the
 *   periods that closed (Reports.freezeClosed). Runs until done or until a minute before its time
 *   limit; a run that could not finish (or whose entries failed) throws, so Lambda retries it —
 *   the sweep is resumable and idempotent, so the retry continues where it stopped — and after
 *   the retries the event goes to the function's DLQ;
 * - `{ task: 'search-refresh' }` (every 15 minutes): the retry of the search-index refreshes that
 *   failed after their case was saved (docs/search.md): every pending case is refreshed; a run
 *   whose refreshes failed again throws (Lambda retries, then the DLQ and its alarm) — the cases
 *   stay pending for the next run either way;
 * - `{ task: 'ocr-requeue' }` (every 30 minutes): the OCR jobs whose message was lost (their
 *   `OCRQ#` marker older than the grace period) are sent to the OCR queue again (docs/ocr.md); a
 *   run whose sends failed throws (Lambda retries, then the DLQ) — the markers stay either way.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { IsoDate } from '../../shared/domain/case';
import { eventHandler } from '../common/event';
import { logger } from '../common/runtime';
import { getSearchRefreshRuntime, getSweepRuntime, ocrRequeueRuntime } from '../common/sweep-runtime';
import { refreshOffice } from '../common/office';

/** The schedule's input; `date` lets an operator re-run a past day by hand (never a future one). */
const SweepEvent = z.object({ task: z.enum(['sweep', 'search-refresh', 'ocr-requeue']).default('sweep'), date: IsoDate.optional() }).loose();

const SAFETY_MS = 60_000;

/** A retry run keeps well inside the 15 minutes between runs. */
const SEARCH_REFRESH_MS = 10 * 60_000;

/** A re-queue run is short: a Query per shard and a few sends. */
const OCR_REQUEUE_MS = 5 * 60_000;

const triggerOf = (event: unknown) => `schedule:${SweepEvent.safeParse(event ?? {}).data?.task ?? 'sweep'}`;

export const handler = eventHandler(triggerOf, async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const input = SweepEvent.parse(event ?? {});
  await refreshOffice();
  const deadline = context ? Date.now() + Math.max(5_000, context.getRemainingTimeInMillis() - SAFETY_MS) : undefined;
  if (input.task === 'search-refresh') return refreshSearch(Math.min(deadline ?? Infinity, Date.now() + SEARCH_REFRESH_MS));
  if (input.task === 'ocr-requeue') return requeueOcr(Math.min(deadline ?? Infinity, Date.now() + OCR_REQUEUE_MS));
  const { sweep, reports } = await getSweepRuntime();
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

/** The retry of failed search-index refreshes: every pending case, until done or the deadline. */
async function refreshSearch(deadline: number) {
  const { index } = await getSearchRefreshRuntime();
  const report = await index.retryPending({
    deadline,
    onError: (caseNo, err) => logger.error('search refresh failed again; the case stays pending', { caseNo, err }),
  });
  if (report.refreshed > 0 || report.failed.length > 0 || report.more) logger.info('search refresh retried', { ...report, failed: report.failed.length });
  if (report.failed.length > 0) {
    throw new Error(`Search refresh of ${report.failed.length} pending cases failed again; they stay pending for the next run`);
  }
  return report;
}

/** The OCR jobs whose message was lost, sent to the OCR queue again (docs/ocr.md, "In AWS"). */
async function requeueOcr(deadline: number) {
  const { requeue } = await ocrRequeueRuntime();
  const report = await requeue.run({
    deadline,
    onError: (job, err) => logger.error('ocr job could not be sent again; its marker stays for the next run', { ...job, err }),
  });
  if (report.sent > 0 || report.failed.length > 0 || report.more) logger.info('ocr jobs sent again', { ...report, failed: report.failed.length });
  if (report.failed.length > 0) throw new Error(`${report.failed.length} OCR jobs could not be sent again; their markers stay for the next run`);
  return report;
}
