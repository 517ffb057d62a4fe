/**
 * Deadline sweep benchmark (issue 4): seeds 100,000 cases' worth of items (case and clock items
 * as the repository writes them, with their index keys; written directly with BatchWriteItem for
 * speed) into an in-memory DynamoDB Local of its own, of which about 1% have a clock inside the
 * window on the sweep's day — reminders, supervisions (with a real 督办单 rendered), flagged
 * supervisions, passed review windows, notify reminders, closed cases to mark for archiving — and
 * the rest have nothing due. Then it runs the sweep and prints what it read (items, read capacity
 * units as DynamoDB reports them with ReturnConsumedCapacity TOTAL) and its wall time, runs it
 * again (it must find nothing), and prints the same figures for a full table Scan of the same
 * data. Targets: the sweep reads at most 2 items per milestone it acts on, and at least 50 times
 * fewer items than the scan. (The bench may Scan; request paths and sweeps never do.)
 *
 *   npm run bench -- sweep                      (SWEEP_BENCH_CASES=20000 for a quicker run)
 */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BenchResult } from './result';
import { LOCAL_CREDENTIALS, ensureTable, startDynamoDbLocal } from '../local/emulators';
import { caseItem, clockItems, documentClient, DynamoDbCaseRepository } from '../shared/adapters/dynamodb-repository';
import { SweepIndexer } from '../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../shared/adapters/sweep-store';
import { SupervisionLetterIssuer } from '../shared/app/supervision-letters';
import { DeadlineSweep } from '../shared/app/sweep';
import { RegistrationSchema, type Case } from '../shared/domain/case';
import { officeCalendar } from '../shared/domain/clocks';
import { ACTION_INPUTS, applyAction } from '../shared/domain/lifecycle';
import { ACTIONS } from '../shared/domain/actions';
import { formatCaseNumber } from '../shared/domain/numbers';
import { DEFAULT_DEPARTMENTS, parseOfficeSettings } from '../shared/domain/office';
import { newCase } from '../shared/domain/registration';
import type { Actor } from '../shared/domain/roles';
import { addDays, FakeClock } from '../shared/domain/time';
import { loadLetterFonts } from '../shared/letters/fonts';
import { parseInput } from '../shared/domain/validation';

const CASES = Number(process.env.SWEEP_BENCH_CASES ?? 100_000);
const TODAY = '2026-05-07';
const TABLE = 'xf-bench-sweep';

const clerk: Actor = { userId: 'bench-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
const director: Actor = { userId: 'bench-director', username: 'director1', displayName: '李建国', roles: ['director'] };
const departments = DEFAULT_DEPARTMENTS;
const opinion = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
  decision: '责令该公司于十五日内足额支付。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

/** A case at a stage, its transitions on the given days (the clocks are what the records hold). */
function build(receivedOn: string, steps: [string, string, unknown, Actor][]): Case {
  const draft = RegistrationSchema.parse({
    petitioners: [{ name: '测试人', phone: '13900000000' }],
    persons: 1,
    channel: { type: 'letter' },
    itemType: 'request-appeal',
    category: 'labour',
    subject: '请求协调解决拖欠工资问题',
    summary: '信访人反映某建筑公司拖欠其工资，多次讨要未果。',
    receivedOn,
  });
  let c = newCase(draft, {
    caseNo: 'XF-2026-000000',
    queryCodeHash: 'q',
    petitionerKeys: [],
    earlier: [],
    actor: clerk,
    now: new Date(`${receivedOn}T02:00:00Z`),
    clocks: { calendar: officeCalendar },
  }).case;
  for (const [day, name, input, actor] of steps) {
    const action = ACTIONS.find((a) => a === name);
    if (!action) throw new Error(`no action ${name}`);
    c = applyAction(c, action, parseInput(ACTION_INPUTS[action], input), {
      actor,
      now: new Date(`${day}T02:00:00Z`),
      today: day,
      clocks: { calendar: officeCalendar },
      departments,
    }).next;
  }
  return { ...c, auditSeq: 1, auditHead: 'a'.repeat(64) };
}

const hrssAssigned = (accepted: string): [string, string, unknown, Actor][] => [
  [accepted, 'accept', {}, director],
  [accepted, 'assign', { deptCode: 'HRSS' }, director],
];
const hrss: Actor = { userId: 'bench-hrss', username: 'hrss1', displayName: '周强', roles: ['department'], deptCode: 'HRSS' };

/** The stages of the seeded cases; `due` marks the ~1% with something in the window on TODAY. */
export function templates(): { name: string; due: boolean; weight: number; make: (i: number) => Case }[] {
  const cycle =
    <T>(xs: T[]) =>
    (i: number) =>
      xs[i % xs.length] as T;
  // Nothing due by TODAY: accepted 04-10..05-06 (first reminders after 05-20), registered 05-01..05-06, closed and marked.
  const quietAssigned = cycle(Array.from({ length: 27 }, (_, d) => build(addDays('2026-04-10', d), hrssAssigned(addDays('2026-04-10', d)))));
  const quietRegistered = cycle(Array.from({ length: 6 }, (_, d) => build(addDays('2026-05-01', d), [])));
  const closedCase = build('2026-03-02', [
    ...hrssAssigned('2026-03-04'),
    ['2026-03-20', 'answer', opinion, hrss],
    ['2026-03-21', 'approve-reply', {}, director],
    ['2026-03-23', 'deliver', { deliveredOn: '2026-03-23' }, clerk],
    ['2026-04-23', 'close', {}, clerk],
  ]);
  const quietClosed = cycle([{ ...closedCase, archiveEligibleOn: '2026-04-23' }]);
  return [
    { name: 'quiet: assigned', due: false, weight: 59_400, make: quietAssigned },
    { name: 'quiet: registered', due: false, weight: 19_800, make: quietRegistered },
    { name: 'quiet: closed, marked for archiving', due: false, weight: 19_800, make: quietClosed },
    // Due: handling due 05-08, its 1-day reminder today (and the department's date long passed).
    { name: 'due: reminders', due: true, weight: 400, make: cycle([build('2026-03-09', hrssAssigned('2026-03-09'))]) },
    // Due: handling due 05-06, supervision today with a 督办单.
    { name: 'due: supervision', due: true, weight: 150, make: cycle([build('2026-03-02', hrssAssigned('2026-03-04'))]) },
    // Due: handling due 04-24, overdue by more than 10 days: flagged supervision.
    { name: 'due: flagged', due: true, weight: 100, make: cycle([build('2026-02-20', hrssAssigned('2026-02-23'))]) },
    // Due: the review window of a reply delivered 04-06 ended 05-06: the case closes.
    {
      name: 'due: review window passed',
      due: true,
      weight: 150,
      make: cycle([
        build('2026-03-02', [
          ...hrssAssigned('2026-03-04'),
          ['2026-04-01', 'answer', opinion, hrss],
          ['2026-04-03', 'approve-reply', {}, director],
          ['2026-04-06', 'deliver', { deliveredOn: '2026-04-06' }, clerk],
        ]),
      ]),
    },
    // Due: registered 04-27, notify due 05-12: its 5-day reminder.
    { name: 'due: notify reminder', due: true, weight: 100, make: cycle([build('2026-04-27', [])]) },
    // Due: closed by a clerk on 05-06: to be marked eligible for archiving.
    {
      name: 'due: closed, to mark for archiving',
      due: true,
      weight: 100,
      make: cycle([{ ...closedCase, closed: { ...(closedCase.closed as NonNullable<Case['closed']>), at: '2026-05-06T02:00:00.000Z' } }]),
    },
  ];
}

export async function batchWrite(db: DynamoDBDocumentClient, items: Record<string, unknown>[], concurrency = 16): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let batch = batches[next++] as Record<string, unknown>[];
        for (let attempt = 0; batch.length > 0; attempt++) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) } }));
          batch = (out.UnprocessedItems?.[TABLE] ?? []).map((r) => r.PutRequest?.Item as Record<string, unknown>);
          if (batch.length > 0) await new Promise((r) => setTimeout(r, 10 * 2 ** Math.min(attempt, 6)));
        }
      }
    }),
  );
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  // In memory, with the JVM's full JIT (the stack's fast-start flags favour start-up over throughput).
  const ddb = await startDynamoDbLocal({ port: 0, javaOptions: ['-Xmx3g', '-XX:+UseParallelGC'] });
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });
  try {
    await ensureTable(client, TABLE);
    const db = documentClient(client);
    const settings = parseOfficeSettings(undefined);
    const indexer = new SweepIndexer(settings.sweep, officeCalendar);

    // ---- seed
    const kinds = templates();
    const scale = CASES / kinds.reduce((n, k) => n + k.weight, 0);
    let serial = 0;
    let items: Record<string, unknown>[] = [];
    let written = 0;
    let dueCases = 0;
    const seedStart = performance.now();
    for (const kind of kinds) {
      const count = Math.round(kind.weight * scale);
      if (kind.due) dueCases += count;
      for (let i = 0; i < count; i++) {
        serial += 1;
        const c: Case = { ...kind.make(i), caseNo: formatCaseNumber('XF', 2026, serial) };
        items.push(caseItem(c, indexer), ...clockItems(c, null, indexer));
        if (items.length >= 5_000) {
          await batchWrite(db, items);
          written += items.length;
          items = [];
          process.stdout.write(`\r  seeded ${serial}/${CASES} cases (${written} items)`);
        }
      }
    }
    await batchWrite(db, items);
    written += items.length;
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stdout.write(`\r  seeded ${serial} cases, ${written} items in ${round(seedSeconds)} s; ${dueCases} cases have a clock in the window on ${TODAY}\n`);

    // ---- the sweep
    const clock = new FakeClock(`${TODAY}T00:00:00Z`);
    const repo = new DynamoDbCaseRepository(db, TABLE, indexer);
    const store = new DynamoDbSweepStore(db, TABLE, indexer);
    const fonts = await loadLetterFonts();
    const letters = new SupervisionLetterIssuer({
      repo,
      templates: repo,
      storage: { put: async () => undefined },
      office: settings.letters,
      clock,
      fonts: async () => fonts,
    });
    const sweep = new DeadlineSweep({ store, letters, clock, settings, calendar: officeCalendar });
    const report = await sweep.run({ concurrency: 8 });
    const again = await sweep.run({ concurrency: 8 });
    console.log(
      `  sweep: ${JSON.stringify({ entries: report.entries, acted: report.acted, notices: report.notices, reminders: report.reminders, overdue: report.overdue, supervisions: report.supervisionsOpened, flagged: report.flagged, closed: report.closed, archiveMarked: report.archiveMarked, letters: report.letters, skipped: report.skipped, errors: report.errors })}`,
    );

    // ---- a full scan of the same data (what the sweep must not do). A parallel scan in 64
    // segments: the same items and capacity as one sequential scan, and DynamoDB Local pages a
    // long sequential scan ever more slowly (each page starts from the beginning of the table).
    const scanStart = performance.now();
    let scanned = 0;
    let scanUnits = 0;
    const SEGMENTS = 64;
    let nextSegment = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextSegment < SEGMENTS) {
          const segment = nextSegment++;
          let startKey: Record<string, AttributeValue> | undefined;
          do {
            const out = await client.send(
              new ScanCommand({
                TableName: TABLE,
                Segment: segment,
                TotalSegments: SEGMENTS,
                Select: 'COUNT',
                ReturnConsumedCapacity: 'TOTAL',
                ExclusiveStartKey: startKey,
              }),
            );
            scanned += out.ScannedCount ?? 0;
            scanUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
            startKey = out.LastEvaluatedKey;
          } while (startKey);
        }
      }),
    );
    const scanMs = performance.now() - scanStart;

    const perActed = report.read.items / Math.max(1, report.acted);
    const fewer = scanned / Math.max(1, report.read.items);
    console.log(
      `  checks: ${perActed <= 2 ? 'OK' : 'NOT MET'} the sweep read ${round(perActed, 2)} items per milestone acted on (target ≤ 2); ` +
        `${fewer >= 50 ? 'OK' : 'NOT MET'} ${round(fewer)}× fewer items than the scan (target ≥ 50); ` +
        `${again.acted === 0 && again.read.items === 0 ? 'OK' : 'NOT MET'} a second run the same day acted on ${again.acted} and read ${again.read.items} items`,
    );
    if (report.errors > 0 || again.acted > 0) throw new Error('the sweep benchmark did not run cleanly');
    return [
      { name: 'sweep.cases', value: serial, unit: 'cases' },
      { name: 'sweep.items-in-table', value: scanned, unit: 'items' },
      { name: 'sweep.cases-with-a-clock-in-window', value: dueCases, unit: 'cases' },
      { name: 'sweep.entries-read', value: report.entries, unit: 'entries' },
      { name: 'sweep.milestones-acted', value: report.acted, unit: 'milestones' },
      { name: 'sweep.notices', value: report.notices, unit: 'notices' },
      { name: 'sweep.letters', value: report.letters, unit: '督办单' },
      { name: 'sweep.items-read', value: report.read.items, unit: 'items' },
      { name: 'sweep.read-capacity', value: round(report.read.capacityUnits), unit: 'RCU' },
      { name: 'sweep.items-read-per-milestone', value: round(perActed, 2), unit: 'items' },
      { name: 'sweep.wall-time', value: report.ms, unit: 'ms' },
      { name: 'sweep.rerun.items-read', value: again.read.items, unit: 'items' },
      { name: 'sweep.rerun.wall-time', value: again.ms, unit: 'ms' },
      { name: 'scan.items-read', value: scanned, unit: 'items' },
      { name: 'scan.read-capacity', value: round(scanUnits), unit: 'RCU' },
      { name: 'scan.wall-time', value: Math.round(scanMs), unit: 'ms' },
      { name: 'scan-over-sweep.items-read', value: round(fewer), unit: '×' },
      { name: 'scan-over-sweep.read-capacity', value: round(scanUnits / Math.max(0.5, report.read.capacityUnits)), unit: '×' },
      { name: 'sweep.seed-time', value: round(seedSeconds), unit: 's' },
    ];
  } finally {
    client.destroy();
    await ddb.stop();
  }
}
