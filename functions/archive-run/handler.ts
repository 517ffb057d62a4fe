/**
 * archive-run (DESIGN §6), the one function that writes to the archive bucket. Two triggers:
 * - the daily schedule (EventBridge Scheduler, `{ "task": "archive-run" }`): every eligible case,
 *   then approved disposals, until the invocation's time is nearly up (the next run goes on);
 * - `POST /archive/run` (an archivist, on demand): the chosen cases, within the HTTP budget, so
 *   the answer comes back before the API's 30-second limit; what did not fit is `deferred`.
 * Every step is idempotent (shared/app/archive.ts), so retries and overlapping runs are harmless.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RunReport } from '../../shared/app/archive';
import { loadLetterFonts } from '../../shared/letters/fonts';
import { registrationRenderer } from '../../shared/letters/registration';
import { getArchiveRuntime } from '../common/archive-runtime';
import { eventHandler } from '../common/event';
import { httpHandlerWith } from '../common/http';
import { logger } from '../common/runtime';
import { config } from '../common/runtime-support';

/** registration.pdf is set in the letters' font (in AWS from the layer at XF_FONT_DIR), loaded on first use. */
const registrationForm = registrationRenderer(() => loadLetterFonts(config().fontDir));
const runtime = () => getArchiveRuntime('archive-run', registrationForm);

/** The on-demand run starts no new case after this, so it answers before API Gateway gives up (30 s). */
export const HTTP_BUDGET_MS = 20_000;
/** A scheduled run starts no new case in its last minute: the case in progress must finish (copies and checks of a large case take seconds to a minute). */
export const SCHEDULED_MARGIN_MS = 60_000;

/** What the schedule sends. */
export interface ScheduledArchiveRun {
  task: 'archive-run';
}

function logReport(report: RunReport, trigger: string): void {
  const count = (o: string) => report.cases.filter((c) => c.outcome === o).length;
  const failed = report.cases.filter((c) => c.outcome === 'failed');
  for (const f of failed) logger.error('case not archived', { ...f });
  // `archiveFailures` feeds the alarm's metric (infra/stack.ts).
  logger.info('archive run', {
    trigger,
    archived: count('archived'),
    completed: count('completed'),
    deferred: count('deferred'),
    archiveFailures: failed.length,
    disposed: report.disposals.filter((d) => d.outcome === 'destroyed').length,
    disposalFailures: report.disposals.filter((d) => d.outcome === 'failed' || d.outcome === 'refused').length,
    more: report.more,
  });
}

const http = httpHandlerWith(runtime, 'archive-run', {
  archiveRun: async ({ actor, body }, { archive }) => {
    const report = await archive.run({ actor, caseNos: body.caseNos, overrides: body.overrides, deadline: Date.now() + HTTP_BUDGET_MS });
    logReport(report, `on demand by ${actor.username}`);
    return { body: report };
  },
});

function isHttp(event: unknown): event is APIGatewayProxyEventV2 {
  return typeof event === 'object' && event !== null && 'routeKey' in event && 'requestContext' in event;
}

const scheduled = eventHandler('schedule:archive-run', async (_event: ScheduledArchiveRun, context: Context) => {
  const { archive } = await runtime();
  const report = await archive.run({ deadline: Date.now() + context.getRemainingTimeInMillis() - SCHEDULED_MARGIN_MS });
  logReport(report, 'schedule');
  return { cases: report.cases.length, more: report.more };
});

export async function handler(event: APIGatewayProxyEventV2 | ScheduledArchiveRun, context: Context): Promise<unknown> {
  return isHttp(event) ? http(event, context) : scheduled(event, context);
}
