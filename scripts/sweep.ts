/**
 * `npm run sweep [-- --date YYYY-MM-DD] [--progress] [--rekey]`: runs the deadline sweep now,
 * against the running local stack (`npm start` in another terminal) — or, with TABLE_NAME and the
 * other variables set, against those — and prints its report. The notices it writes land in the
 * outbox (`GET /outbox`) and, locally, as JSON files under .data/outbox/<day>/.
 *
 *   --date YYYY-MM-DD  sweep as of that day (the run's clock is set to 08:00 Asia/Shanghai of it,
 *                      so notices and letters carry that date): to walk a demo forward in time
 *   --progress         one line per index entry as it is handled
 *   --rekey            first rewrite the sweep entries of every running clock and closed case
 *                      from the records (after a policy change, or on an older table); Queries only
 *
 * Exit code 1 when the run had errors (the entries concerned are retried by the next run).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, STACK_FILE, useRunningStackEnv } from '../local/connect';
import { FakeClock, ISO_DATE } from '../shared/domain/time';

const args = process.argv.slice(2);
const dateAt = args.indexOf('--date');
const date = dateAt >= 0 ? args[dateAt + 1] : undefined;
if (dateAt >= 0 && (!date || !ISO_DATE.test(date))) {
  console.error('usage: npm run sweep -- [--date YYYY-MM-DD] [--progress] [--rekey]');
  process.exit(2);
}
const local = !process.env.TABLE_NAME;
useRunningStackEnv();
if (date) {
  const { useClock } = await import('../functions/common/clock');
  useClock(new FakeClock(`${date}T00:00:00Z`));
}
const { getSweepRuntime } = await import('../functions/common/sweep-runtime');
const { sweep, store } = await getSweepRuntime();

if (args.includes('--rekey')) {
  const { clocks, cases } = await store.rekey();
  console.log(`re-keyed the sweep entries of ${clocks} running clocks and ${cases} closed cases`);
}

const progress = args.includes('--progress');
const report = await sweep.run({
  today: date,
  onEntry: progress ? (o) => process.stdout.write(`${o.result} ${o.caseNo} ${o.target} ${o.milestone ?? '-'} ${o.notices.length}\n`) : undefined,
});

// Locally the notices also go to .data/outbox/ (the running stack's poller does the same).
const dataDir = defaultDataDir();
if (local || existsSync(join(dataDir, STACK_FILE)) || process.env.XF_DATA_DIR) {
  const { NoticeDelivery } = await import('../shared/app/outbox');
  const { FileNoticeTransport } = await import('../local/outbox');
  const { runtimeClock } = await import('../functions/common/clock');
  const delivery = new NoticeDelivery({
    store,
    transport: new FileNoticeTransport(join(dataDir, 'outbox')),
    addresses: { director: [], clerk: [], departments: {} },
    clock: runtimeClock,
  });
  const written = await delivery.drain([report.date]);
  if (written > 0) console.log(`wrote ${written} notices to ${join(dataDir, 'outbox', report.date)}/`);
}

console.log(
  [
    `deadline sweep of ${report.date}: ${report.complete ? 'complete' : 'INCOMPLETE (the next run continues)'} in ${report.ms} ms`,
    `  index entries read   ${report.entries}`,
    `  milestones acted on  ${report.acted}  (reminders ${report.reminders}, overdue ${report.overdue}, supervisions opened ${report.supervisionsOpened}, flagged ${report.flagged}, resolved ${report.resolved}, cases closed ${report.closed}, marked for archiving ${report.archiveMarked})`,
    `  notices written      ${report.notices}   督办单 issued ${report.letters}`,
    `  skipped              ${JSON.stringify(report.skipped)}`,
    `  read                 ${report.read.items} items, ${report.read.capacityUnits} RCU, ${report.read.requests} requests`,
    ...(report.errors > 0 ? [`  ERRORS               ${report.errors} (see the log; retried by the next run)`] : []),
  ].join('\n'),
);
process.exit(report.errors > 0 ? 1 : 0);
