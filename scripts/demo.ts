/**
 * `npm run demo [-- --count 300]`: seeds the running local stack (`npm start` in another
 * terminal) with realistic cases at every stage of the lifecycle, then leaves the office as it is
 * on a real morning: the deadline sweep and the archive run have run (local/demo-morning.ts), so
 * the dashboard shows the 督办 of overdue cases and the archive holds the cases closed by today.
 * Cases are written 12 at a time through the same use cases as the API's (local/demo-data.ts);
 * the search index is applied once, in bulk, at the end (postings merged across cases).
 * Departments and users are the built-in issuer's demo users (local/demo-users.ts) and the
 * office's default departments.
 */
import { useRunningStackEnv } from '../local/connect';
import { FakeClock, shanghaiDate, systemClock } from '../shared/domain/time';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--count', 300);
const concurrency = arg('--concurrency', 12);
if (!Number.isInteger(count) || count < 1 || count > 100_000 || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('usage: npm run demo -- [--count N] [--concurrency C]');
  process.exit(2);
}
useRunningStackEnv();
const clock = new FakeClock();
const { useCacheClock, useClock } = await import('../functions/common/clock');
useClock(clock);
// Each case's steps are dated on the fake clock, months apart from one case to the next: the
// caches of the office's templates and calendar are timed by the system clock, else nearly every
// step would read them again.
useCacheClock(systemClock);
const { caseLetters } = await import('../functions/common/letters-runtime');
const { buildRuntime } = await import('../functions/common/runtime');
const { seedDemo } = await import('../local/demo-data');
const { DEMO_USERS } = await import('../local/demo-users');
const { demoMorning } = await import('../local/demo-morning');
// The registry of cases-write, except that each case write leaves its case pending for the search
// index instead of refreshing it at once: the index is brought up to date in bulk at the end.
const { registry, settings, searchIndex } = await buildRuntime(caseLetters, { refreshSearch: false });
const today = shanghaiDate(new Date());
const started = Date.now();
const result = await seedDemo(registry, clock, {
  count,
  concurrency,
  today,
  localities: settings.localities,
  seed: Date.now() % 100_000,
  onProgress: (n) => {
    if (n % 50 === 0 || n === count) process.stdout.write(`\r  seeded ${n}/${count} cases`);
  },
});
console.log(`\nSeeded ${result.caseNos.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, by stage:`);
for (const [stage, n] of Object.entries(result.byStage).sort()) console.log(`  ${stage.padEnd(14)} ${n}`);
const morningStarted = Date.now();
const morning = await demoMorning(clock, today);
const archived = morning.archive.cases.filter((c) => c.outcome === 'archived').length;
console.log(
  `The morning of ${today} (${((Date.now() - morningStarted) / 1000).toFixed(1)} s): the deadline sweep acted on ${morning.sweep.acted} milestones ` +
    `(督办 opened ${morning.sweep.supervisionsOpened}, 挂牌督办 ${morning.sweep.flagged}, reminders ${morning.sweep.reminders}, closed ${morning.sweep.closed}), ` +
    `the archive run archived ${archived} closed cases ` +
    `(sweep ${(morning.ms.sweep / 1000).toFixed(1)} s, archive run ${(morning.ms.archive / 1000).toFixed(1)} s).`,
);
const indexStarted = Date.now();
const indexed = await searchIndex.refreshMany(result.caseNos, Math.max(16, concurrency * 2));
console.log(`Indexed ${indexed} cases for search in ${((Date.now() - indexStarted) / 1000).toFixed(1)} s.`);
console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
console.log(`Departments: ${settings.departments.map((d) => `${d.code} ${d.name}`).join('、')}`);
console.log(`Users: ${DEMO_USERS.map((u) => `${u.username} (${u.roles.join(',')}${u.deptCode ? ` ${u.deptCode}` : ''})`).join(', ')}`);
console.log(`Example: ${result.caseNos[0]} … ${result.caseNos[result.caseNos.length - 1]}`);
