/**
 * The reports' oracle (issue 13, Done-when 1): a simulated office over two years
 * (test/support/office-sim.ts: every channel, item type, category, department, 问题属地 and level),
 * carried out through the registry's use cases over DynamoDB Local, with the deadline sweep run
 * every month; at two moments — cases move through their lifecycle between them — every figure of
 * every month, quarter, year and a range, office-wide and per department, in every breakdown, with
 * 同比 / 环比 and 热点问题, is computed by brute force from the raw cases (test/support/report-oracle.ts)
 * and compared with the report the Reports use case builds from the report facts.
 *
 *   REPORTS_ORACLE_CASES=2100 /work/heavy npx vitest run test/adapter/reports-oracle.test.ts
 *
 * (default 300 cases, for CI: about 4 minutes on the busy 2-core machine, load 14).
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbReportStore } from '../../shared/adapters/report-store';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { Reports } from '../../shared/app/reports';
import { DeadlineSweep } from '../../shared/app/sweep';
import type { SupervisionLetterInput } from '../../shared/app/supervision-letters';
import type { Case } from '../../shared/domain/case';
import { officeCalendar } from '../../shared/domain/clocks';
import type { DocumentRecord } from '../../shared/domain/documents';
import { parseOfficeSettings } from '../../shared/domain/office';
import { monthPeriod, periodOf, quarterPeriod, yearPeriod, type Period, type Report } from '../../shared/domain/reports';
import { addDays, FakeClock } from '../../shared/domain/time';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';
import { OfficeSimulation, planOffice, SIM_DIRECTOR } from '../support/office-sim';
import { checkReport, type CaseSupervision, type OracleOffice } from '../support/report-oracle';

const CASES = Number(process.env.REPORTS_ORACLE_CASES ?? 300);
const FIRST_DAY = '2025-01-02';
const LAST_DAY = '2026-12-20';
/** The two moments the reports are checked: mid-way (many cases still open), and after the last case's steps. */
const MIDWAY = '2026-03-10';
const END = '2027-04-15';
/** Each half carries out about half the steps through DynamoDB Local: minutes on a busy machine, more with 2,100 cases. */
const LIMIT = Math.max(600_000, CASES * 1_500);

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-reports-oracle');
const clock = new FakeClock(`${FIRST_DAY}T02:00:00Z`);
const settings = parseOfficeSettings(undefined);
const office: OracleOffice = { ...settings, ...settings.reports };
let repo: DynamoDbCaseRepository;
let store: DynamoDbSweepStore;
let reports: Reports;
let sim: OfficeSimulation;

/** The 督办单 without the PDF (rendering is the letters' tests' business). */
let letters = 0;
const letterStub = {
  issue: async (input: SupervisionLetterInput): Promise<DocumentRecord> => {
    letters += 1;
    return {
      caseNo: input.c.caseNo,
      documentId: `sup-${letters}`,
      kind: 'generated',
      letterKind: 'supervision-notice',
      toPetitioner: false,
      fileName: '督办单.pdf',
      contentType: 'application/pdf',
      declaredSize: 1,
      key: `generated/${input.c.caseNo}/sup-${letters}.pdf`,
      status: 'verified',
      documentNo: `江信督〔2026〕${letters}号`,
      uploadedBy: 'deadline-sweep',
      createdAt: input.at,
    };
  },
};

const noStorage: DocumentStorage = {
  presignUpload: () => Promise.reject(new Error('not in this test')),
  presignDownload: () => Promise.reject(new Error('not in this test')),
  inspect: () => Promise.resolve(null),
  quarantine: () => Promise.reject(new Error('not in this test')),
  copy: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.reject(new Error('not in this test')),
  list: () => Promise.reject(new Error('not in this test')),
  put: () => Promise.resolve(),
};

/** The first of every month from `from` to `to`: the sweep's runs. */
function monthStarts(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = `${from.slice(0, 7)}-01`; d <= to; d = addDays(`${d.slice(0, 7)}-28`, 5).slice(0, 8) + '01') out.push(d);
  return out;
}

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  const db = documentClient(client);
  const indexer = new SweepIndexer(settings.sweep, officeCalendar);
  repo = new DynamoDbCaseRepository(db, tableName, indexer);
  store = new DynamoDbSweepStore(db, tableName, indexer);
  const registry = new Registry({ repo, storage: noStorage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'oracle-key' });
  const sweep = new DeadlineSweep({ store, letters: letterStub, clock, settings, calendar: officeCalendar });
  const reportStore = new DynamoDbReportStore(db, tableName);
  const kept = new Map<string, Uint8Array>();
  reports = new Reports({
    facts: reportStore,
    frozen: reportStore,
    documents: { put: async (k, b) => void kept.set(k, b), get: async (k) => kept.get(k) ?? null },
    clock,
    settings,
  });
  const plan = planOffice({ cases: CASES, seed: 13, from: FIRST_DAY, to: LAST_DAY, office: settings });
  sim = new OfficeSimulation(plan, {
    registry: {
      register: (a, i) => registry.register(a, i),
      act: (a, no, action, input, v) => registry.act(a, no, action, input, v),
      rate: (no, code, value) => registry.rate(no, code, value),
      version: async (no) => (await repo.getCase(no))?.version ?? 0,
    },
    clock,
    sweep: () => sweep.run(),
    sweepDays: monthStarts(FIRST_DAY, END),
  });
}, 60_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

/** The raw cases and what the sweep opened on them, now. */
async function rawOffice(): Promise<{ cases: Case[]; sups: Map<string, CaseSupervision> }> {
  const caseNos = [...sim.cases.values()].map((c) => c.caseNo);
  const cases = await store.getCases(caseNos);
  const sups = new Map<string, CaseSupervision>();
  for (let i = 0; i < caseNos.length; i += 16) {
    await Promise.all(
      caseNos.slice(i, i + 16).map(async (no) => {
        const s = await store.supervisionsOf(no);
        sups.set(no, { supervised: s.length > 0, flagged: s.some((x) => x.level === 'flagged') });
      }),
    );
  }
  return { cases, sups };
}

/** Every month, quarter and year that began by `today`, and a range across a year's end. */
function periodsUpTo(today: string): Period[] {
  const out: Period[] = [];
  for (const y of [2025, 2026, 2027]) {
    if (`${y}-01-01` > today) continue;
    out.push(yearPeriod(y));
    for (let q = 1; q <= 4; q++) if (quarterPeriod(y, q).from <= today) out.push(quarterPeriod(y, q));
    for (let m = 1; m <= 12; m++) if (monthPeriod(y, m).from <= today) out.push(monthPeriod(y, m));
  }
  out.push(periodOf('2025-11-15..2026-02-20') as Period);
  return out;
}

/** Checks every report of the periods against the oracle; returns the office's reports by period key. */
async function checkAll(today: string): Promise<Map<string, Report>> {
  const raw = await rawOffice();
  const asOf = today;
  const seen = new Map<string, Report>();
  const problems: string[] = [];
  const periods = periodsUpTo(today);
  for (let i = 0; i < periods.length; i += 4) {
    const batch = periods.slice(i, i + 4);
    const got = await Promise.all(batch.map((period) => reports.report(SIM_DIRECTOR, { period })));
    got.forEach((report, j) => {
      const period = batch[j] as Period;
      expect(report.asOf).toBe(asOf);
      seen.set(period.key, report);
      problems.push(...checkReport(report, { ...raw, asOf, office, deptCode: null }).map((p) => `${period.key} office ${p}`));
    });
  }
  // Each department's own figures (its cases now), for a year, a quarter and the range.
  for (const d of settings.departments) {
    for (const key of [today < '2027' ? '2025' : '2026', '2026-Q1', '2025-11-15..2026-02-20']) {
      const period = periodOf(key) as Period;
      if (period.from > today) continue;
      const report = await reports.report(SIM_DIRECTOR, { period, deptCode: d.code });
      problems.push(...checkReport(report, { ...raw, asOf, office, deptCode: d.code }).map((p) => `${key} ${d.code} ${p}`));
    }
  }
  expect(problems.slice(0, 40)).toEqual([]);
  return seen;
}

describe(`the reports against the oracle (${CASES} cases over two years)`, () => {
  let midway: Map<string, Report>;

  it(
    'agrees with the raw cases mid-way, many cases still open',
    async () => {
      await sim.runUntil(MIDWAY);
      midway = await checkAll(MIDWAY);
      expect(midway.get('2025')?.figures.total.value).toBeGreaterThan(CASES / 3);
    },
    LIMIT,
  );

  it(
    'agrees again after the cases moved on, and the office saw every figure move',
    async () => {
      await sim.runUntil(END);
      const end = await checkAll(END);
      // Between the two moments the cases of the winter moved: replies, deliveries, ratings, reviews.
      const moved = (key: string, id: keyof Report['figures']) => [midway.get(key)?.figures[id].value, end.get(key)?.figures[id].value];
      const [before, after] = moved('2026-Q1', 'handlingDue');
      expect(after).toBeGreaterThan(before as number);
      // Every count figure has cases behind it somewhere in the two years: the simulation reached each.
      const twoYears = await reports.report(SIM_DIRECTOR, { period: periodOf('2025-01-01..2026-12-31') as Period });
      const empty = Object.values(twoYears.figures).filter((f) => f.kind === 'count' && f.value === 0 && f.id !== 'ratingPending');
      expect(empty.map((f) => f.id)).toEqual([]);
      // Nearly every planned step was allowed by the lifecycle (a refused one is counted, not hidden).
      const refused = Object.values(sim.counts.refused).reduce((a, b) => a + b, 0);
      expect(refused / sim.counts.steps, JSON.stringify(sim.counts)).toBeLessThan(0.1);
      expect(sim.counts.registered).toBe(CASES);
    },
    LIMIT,
  );
});
