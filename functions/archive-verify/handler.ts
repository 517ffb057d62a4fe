/**
 * The fixity check (DESIGN §6): re-hashes every archived file against its package's manifest
 * (the manifest itself against the hash recorded on the case). Scheduled: `{ "mode": "start" }`
 * monthly begins a pass over every package, `{ "mode": "continue" }` daily goes on with a pass
 * whose time ran out. Each problem is logged, written into the case's audit trail, and counted
 * in `fixityProblems`, the metric behind the alarm (infra/stack.ts). Reads the archive only.
 */
import type { Context } from 'aws-lambda';
import { getArchiveRuntime } from '../common/archive-runtime';
import { eventHandler } from '../common/event';
import { logger } from '../common/runtime';

export interface ScheduledFixity {
  task: 'fixity';
  mode: 'start' | 'continue';
}

export const handler = eventHandler('schedule:fixity', async (event: Partial<ScheduledFixity>, context: Context): Promise<unknown> => {
  const mode = event.mode === 'continue' ? 'continue' : 'start';
  const { archive } = await getArchiveRuntime('archive-verify');
  // No new package is started in the last minute, so the one in progress is finished and saved.
  const out = await archive.fixityPass(mode, Date.now() + context.getRemainingTimeInMillis() - 60_000);
  if (out.supersededPass) logger.warn('an unfinished fixity pass was superseded by a new one', { pass: out.supersededPass });
  for (const p of out.problems) logger.error('fixity problem', { ...p });
  logger.info('fixity check', { mode, fixityProblems: out.problems.length, pass: out.pass });
  return { problems: out.problems.length, state: out.pass?.state ?? 'none' };
});
