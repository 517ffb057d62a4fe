/**
 * Reports benchmark (issue 13): the report of a province-year, and the office dashboard at 1,000
 * and 10,000 open cases, in a DynamoDB Local of its own (in memory).
 *
 * The cases: the simulated office of the oracle test (test/support/office-sim.ts), carried out in
 * memory through the lifecycle's own `applyAction` — REPORTS_BENCH_TEMPLATES cases received in
 * 2026 (every channel, item type, category, department, 问题属地, level and stage) — each repeated
 * under new case numbers up to REPORTS_BENCH_CASES (default 300,000). Their report facts are
 * written in batches through the fact writer's own item (`reportFactItem`, the key and attributes
 * the transactions write); facts of 2027 are written beside them, which the report must not read.
 *
 * Measured: the report of the year 2026 through the Reports use case (as the director, every
 * breakdown, 同比 and 环比): `reports.province-year.cases` (信访总量), `.items-read` (items DynamoDB
 * says it read: ScannedCount of every Query, counted by a middleware on the client), `.ms`. Target:
 * items read ≤ 1.05 × cases in the period.
 *
 * The dashboard: the open cases of the simulated office on DASHBOARD_DAY (case items, clock items
 * and the dashboard's counters as the repository writes them), repeated to 1,000 and to 10,000
 * open cases in two tables;
 * `dashboard.office.items-read.1k` / `.10k`: the items DynamoDB read for the director's dashboard.
 * Target: the second ≤ 1.2 × the first.
 *
 *   npm run bench -- reports         (REPORTS_BENCH_CASES=30000 for a quicker run)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BenchResult } from './result';
import { LOCAL_CREDENTIALS, ensureTable, startDynamoDbLocal } from '../local/emulators';
import { caseItem, clockItems, documentClient, DynamoDbCaseRepository } from '../shared/adapters/dynamodb-repository';
import { reportFactItem, DynamoDbReportStore } from '../shared/adapters/report-store';
import { SweepIndexer } from '../shared/adapters/sweep-index';
import { seededTallyItems } from '../shared/adapters/dashboard-tally';
import { DynamoDbSweepStore } from '../shared/adapters/sweep-store';
import { Oversight } from '../shared/app/oversight';
import { Reports } from '../shared/app/reports';
import { DeadlineSweep } from '../shared/app/sweep';
import { RegistrationSchema, type Case } from '../shared/domain/case';
import { officeCalendar } from '../shared/domain/clocks';
import { DomainError } from '../shared/domain/errors';
import { ACTION_INPUTS, applyAction } from '../shared/domain/lifecycle';
import { formatCaseNumber } from '../shared/domain/numbers';
import { officeDirectory, parseOfficeSettings, type OfficeSettings } from '../shared/domain/office';
import { newCase } from '../shared/domain/registration';
import { yearPeriod } from '../shared/domain/reports';
import { FakeClock } from '../shared/domain/time';
import { planOffice, SIM_CLERK, SIM_DIRECTOR, type PlannedCase } from '../test/support/office-sim';
import { parseInput } from '../shared/domain/validation';

const CASES = Number(process.env.REPORTS_BENCH_CASES ?? 300_000);
const TEMPLATES = Number(process.env.REPORTS_BENCH_TEMPLATES ?? 3_000);
/** The day the year's report is read (2026 closed), and the day the dashboard is read. */
const REPORT_DAY = '2027-01-20';
const DASHBOARD_DAY = '2026-07-15';
const OPEN = ['registered', 'accepted', 'assigned', 'answered', 'under_review', 'under_rereview'];

/** Counts the items DynamoDB says each read returned or scanned (Query, Scan, Get, BatchGet). */
let counters = 0;
function countReads(db: DynamoDBDocumentClient): { items: number } {
  const counter = { items: 0 };
  counters += 1;
  db.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const out = (result.output ?? {}) as {
        ScannedCount?: number;
        Count?: number;
        Items?: unknown[];
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      if (out.ScannedCount !== undefined || out.Count !== undefined) counter.items += out.ScannedCount ?? out.Count ?? 0;
      else if (out.Responses) counter.items += Object.values(out.Responses).reduce((n, r) => n + r.length, 0);
      else if (out.Item) counter.items += 1;
      return result;
    },
    { step: 'initialize', name: `benchReadCounter${counters}` },
  );
  return counter;
}

/** The simulated office's cases as they stand on `day`, carried out in memory (no storage). */
export function materialise(plan: PlannedCase[], day: string, settings: OfficeSettings): Case[] {
  const office = officeDirectory(settings);
  return plan
    .filter((p) => p.registration.receivedOn <= day)
    .map((p, i) => {
      const at = (d: string) => new Date(`${d}T02:00:00Z`);
      let c: Case = newCase(RegistrationSchema.parse(p.registration), {
        caseNo: formatCaseNumber('XF', 2026, i + 1),
        queryCodeHash: 'q',
        petitionerKeys: [],
        earlier: [],
        actor: SIM_CLERK,
        now: at(p.registration.receivedOn),
        clocks: { calendar: officeCalendar },
      }).case;
      c = { ...c, firstTime: i % 4 !== 0 }; // a quarter repeat an earlier petition (no earlier cases in memory)
      for (const step of p.steps) {
        if (step.day > day) break;
        try {
          if (step.kind === 'rate') {
            if (c.delivery) c = { ...c, rating: { value: step.value, at: at(step.day).toISOString() } };
          } else {
            c = applyAction(c, step.action, parseInput(ACTION_INPUTS[step.action], step.input), {
              actor: step.actor,
              now: at(step.day),
              today: step.day,
              clocks: { calendar: officeCalendar },
              ...office,
            }).next;
          }
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
        }
      }
      return { ...c, auditSeq: 1, auditHead: 'a'.repeat(64) };
    });
}

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], concurrency = 16): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let batch = batches[next++] as Record<string, unknown>[];
        for (let attempt = 0; batch.length > 0; attempt++) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } }));
          batch = (out.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest?.Item as Record<string, unknown>);
          if (batch.length > 0) await new Promise((r) => setTimeout(r, 10 * 2 ** Math.min(attempt, 6)));
        }
      }
    }),
  );
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  const ddb = await startDynamoDbLocal({ port: 0, javaOptions: ['-Xmx3g', '-XX:+UseParallelGC'] });
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });
  const settings = parseOfficeSettings(undefined);
  try {
    const results: BenchResult[] = [];
    const table = 'xf-bench-reports';
    await ensureTable(client, table);
    const db = documentClient(client);
    // ---- the province-year: report facts of 2026, and some of 2027 beside them (REPORTS_BENCH_CASES=0: the dashboard only)
    if (CASES > 0) {
      const year = materialise(planOffice({ cases: TEMPLATES, seed: 2026, from: '2026-01-01', to: '2026-12-31', office: settings }), REPORT_DAY, settings);
      const next = materialise(planOffice({ cases: TEMPLATES, seed: 2027, from: '2027-01-01', to: REPORT_DAY, office: settings }), REPORT_DAY, settings);
      const seedStart = performance.now();
      let items: Record<string, unknown>[] = [];
      let serial = 0;
      const write = async (template: Case, y: number) => {
        serial += 1;
        items.push(reportFactItem({ ...template, caseNo: formatCaseNumber('XF', y, serial) }));
        if (items.length >= 5_000) {
          await batchWrite(db, table, items);
          items = [];
          process.stdout.write(`\r  seeded ${serial} report facts`);
        }
      };
      for (let i = 0; i < CASES; i++) await write(year[i % year.length] as Case, 2026);
      for (let i = 0; i < Math.round(CASES / 10); i++) await write(next[i % next.length] as Case, 2027);
      await batchWrite(db, table, items);
      process.stdout.write(`\r  seeded ${serial} report facts (${CASES} of 2026) in ${round((performance.now() - seedStart) / 1000)} s\n`);

      const reading = documentClient(client);
      const counter = countReads(reading);
      const store = new DynamoDbReportStore(reading, table);
      const kept = new Map<string, Uint8Array>();
      const reports = new Reports({
        facts: store,
        frozen: store,
        documents: { put: async (k, b) => void kept.set(k, b), get: async (k) => kept.get(k) ?? null },
        clock: new FakeClock(`${REPORT_DAY}T02:00:00Z`),
        settings,
      });
      const start = performance.now();
      const report = await reports.report(SIM_DIRECTOR, { period: yearPeriod(2026) });
      const ms = performance.now() - start;
      const cases = report.figures.total.value ?? 0;
      console.log(
        `  report of 2026: ${cases} cases, ${counter.items} items read (${store.readStats().requests} queries), ${Math.round(ms)} ms; ` +
          `${counter.items <= 1.05 * cases ? 'OK' : 'NOT MET'} items read ≤ 1.05 × cases (${round(counter.items / Math.max(1, cases), 3)})`,
      );
      results.push(
        { name: 'reports.province-year.cases', value: cases, unit: 'cases' },
        { name: 'reports.province-year.items-read', value: counter.items, unit: 'items' },
        { name: 'reports.province-year.ms', value: Math.round(ms), unit: 'ms' },
      );
    }

    // ---- the dashboard at 1,000 and 10,000 open cases
    const open = materialise(
      planOffice({ cases: TEMPLATES, seed: 7, from: '2026-01-01', to: DASHBOARD_DAY, office: settings }),
      DASHBOARD_DAY,
      settings,
    ).filter((c) => OPEN.includes(c.status));
    const dashboard = async (n: number): Promise<number> => {
      const t = `xf-bench-dashboard-${n}`;
      await ensureTable(client, t);
      const indexer = new SweepIndexer(settings.sweep, officeCalendar);
      const seed: Record<string, unknown>[] = [];
      const cases: Case[] = [];
      for (let i = 0; i < n; i++) {
        const c = { ...(open[i % open.length] as Case), caseNo: formatCaseNumber('XF', 2026, i + 1) };
        cases.push(c);
        seed.push(caseItem(c, indexer), ...clockItems(c, null, indexer));
      }
      // The dashboard's counters and each case's tallies, as the case writes leave them.
      seed.push(...seededTallyItems(cases));
      await batchWrite(db, t, seed);
      const dashDb = documentClient(client);
      const reads = countReads(dashDb);
      const clock = new FakeClock(`${DASHBOARD_DAY}T02:00:00Z`);
      const sweepStore = new DynamoDbSweepStore(dashDb, t, indexer);
      const oversight = new Oversight({
        store: sweepStore,
        outbox: sweepStore,
        repo: new DynamoDbCaseRepository(dashDb, t, indexer),
        sweep: new DeadlineSweep({
          store: sweepStore,
          letters: { issue: () => Promise.reject(new Error('no letters here')) },
          clock,
          settings,
          calendar: officeCalendar,
        }),
        clock,
        settings,
      });
      const d = await oversight.dashboard(SIM_DIRECTOR);
      console.log(`  dashboard, ${n} open cases: ${reads.items} items read; totals ${JSON.stringify(d.totals)}`);
      return reads.items;
    };
    const k1 = await dashboard(1_000);
    const k10 = await dashboard(10_000);
    console.log(`  ${k10 <= 1.2 * k1 ? 'OK' : 'NOT MET'} dashboard items read at 10,000 ≤ 1.2 × at 1,000 (${round(k10 / Math.max(1, k1), 2)}×)`);

    return [
      ...results,
      { name: 'dashboard.office.items-read.1k', value: k1, unit: 'items' },
      { name: 'dashboard.office.items-read.10k', value: k10, unit: 'items' },
    ];
  } finally {
    client.destroy();
    await ddb.stop();
  }
}
