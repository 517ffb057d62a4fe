/**
 * `npm run demo [-- --count 300]`: seeds the running local stack (`npm start` in another
 * terminal) with realistic cases at every stage of the lifecycle. Departments and users are the
 * built-in issuer's demo users (local/demo-users.ts) and the office's default departments.
 */
import { useRunningStackEnv } from '../local/connect';
import { FakeClock, shanghaiDate } from '../shared/domain/time';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 300;
if (!Number.isInteger(count) || count < 1 || count > 100_000) {
  console.error('usage: npm run demo -- [--count N]');
  process.exit(2);
}
useRunningStackEnv();
const clock = new FakeClock();
const { useClock } = await import('../functions/common/clock');
useClock(clock);
const { getLetterRuntime } = await import('../functions/common/letters-runtime');
const { seedDemo } = await import('../local/demo-data');
const { DEMO_USERS } = await import('../local/demo-users');
const { registry, settings } = await getLetterRuntime();
const today = shanghaiDate(new Date());
const started = Date.now();
const result = await seedDemo(registry, clock, {
  count,
  today,
  seed: Date.now() % 100_000,
  onProgress: (n) => {
    if (n % 50 === 0 || n === count) process.stdout.write(`\r  seeded ${n}/${count} cases`);
  },
});
console.log(`\nSeeded ${result.caseNos.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, by stage:`);
for (const [stage, n] of Object.entries(result.byStage).sort()) console.log(`  ${stage.padEnd(14)} ${n}`);
console.log(`Departments: ${settings.departments.map((d) => `${d.code} ${d.name}`).join('、')}`);
console.log(`Users: ${DEMO_USERS.map((u) => `${u.username} (${u.roles.join(',')}${u.deptCode ? ` ${u.deptCode}` : ''})`).join(', ')}`);
console.log(`Example: ${result.caseNos[0]} … ${result.caseNos[result.caseNos.length - 1]}`);
