/**
 * The backfill of report facts (`npm run reports:backfill`, docs/reports.md) against DynamoDB
 * Local: cases registered before the facts existed (their fact items removed) get the fact a
 * transaction would have written, with the supervision the sweep set beside it kept; a run stopped
 * midway continues where it stopped; a second run writes nothing; a fact written by a transaction
 * is never replaced; and no Scan is sent.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import type { Case } from '../../shared/domain/case';
import { clockTallies, dashboardClocks } from '../../shared/domain/dashboard';
import { key } from '../../shared/storage/keys';
import { dashboardKey } from '../../shared/storage/sweep-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbReportBackfillStore } from '../../shared/adapters/report-backfill-store';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { backfillReportFacts } from '../../shared/app/report-backfill';
import { officeCalendar } from '../../shared/domain/clocks';
import { parseOfficeSettings } from '../../shared/domain/office';
import { reportFactOf } from '../../shared/domain/reports/facts';
import { FakeClock } from '../../shared/domain/time';
import { reportKey } from '../../shared/storage/report-keys';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { clerk, director, registration } from '../unit/lifecycle/fixtures';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-report-backfill');
const clock = new FakeClock('2026-03-20T02:00:00Z');
const settings = parseOfficeSettings(undefined);
let repo: DynamoDbCaseRepository;
let store: DynamoDbReportBackfillStore;
const caseNos: string[] = [];
const commands: string[] = [];

const noStorage = { put: () => Promise.resolve() } as unknown as DocumentStorage;

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  const db = documentClient(client);
  db.middlewareStack.add((next, context) => (args) => (commands.push(String(context.commandName)), next(args)), { step: 'initialize', name: 'commandLog' });
  repo = new DynamoDbCaseRepository(db, tableName, new SweepIndexer(settings.sweep, officeCalendar));
  store = new DynamoDbReportBackfillStore(db, tableName);
  const registry = new Registry({ repo, storage: noStorage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'backfill-key' });
  // 7 cases over three months; the first is accepted (its fact moved).
  const days = ['2026-01-05', '2026-01-20', '2026-02-03', '2026-02-10', '2026-02-27', '2026-03-02', '2026-03-19'];
  for (const [i, receivedOn] of days.entries()) {
    const reg = await registry.register(
      clerk,
      registration({ receivedOn, petitioners: [{ name: `补录${i}`, phone: `1370000${String(i).padStart(4, '0')}` }] }),
    );
    caseNos.push(reg.case.caseNo);
  }
  await registry.act(director, caseNos[0] as string, 'accept', {}, 1);
  // Before the facts existed: every fact item gone, except a supervision the sweep set on one case.
  for (const no of caseNos) {
    const c = await repo.getCase(no);
    await db.send(new DeleteCommand({ TableName: tableName, Key: reportKey.fact(no, c?.receivedOn as string) }));
  }
  const third = await repo.getCase(caseNos[2] as string);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: reportKey.fact(caseNos[2] as string, third?.receivedOn as string),
      UpdateExpression: 'SET supervision = :s',
      ExpressionAttributeValues: { ':s': 'flagged' },
    }),
  );
}, 120_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

async function factItem(caseNo: string) {
  const c = await repo.getCase(caseNo);
  const out = await documentClient(client).send(new GetCommand({ TableName: tableName, Key: reportKey.fact(caseNo, c?.receivedOn as string) }));
  return { c, item: out.Item };
}

describe('npm run reports:backfill', () => {
  it('writes every missing fact, resuming where a stopped run left off, and nothing the second time', async () => {
    commands.length = 0;
    // A run stopped after 2 cases keeps its position...
    const first = await backfillReportFacts(store, { fromMonth: '2025-12', toMonth: '2026-03', limit: 2 });
    expect(first).toMatchObject({ complete: false, written: 2 });
    expect(await store.progress()).toMatchObject({ month: '2026-02' });
    // ...and the next run continues there (January is not read again).
    const rest = await backfillReportFacts(store, { fromMonth: '2025-12', toMonth: '2026-03' });
    expect(rest).toMatchObject({ complete: true, cases: 5, written: 5 });
    expect(await store.progress()).toBeNull();

    for (const no of caseNos) {
      const { c, item } = await factItem(no);
      expect(item?.fact, no).toEqual(JSON.parse(JSON.stringify(reportFactOf(c!))));
    }
    expect((await factItem(caseNos[0] as string)).item?.fact).toMatchObject({ decision: 'accept' });
    // The sweep's level set before the fact existed is kept.
    expect((await factItem(caseNos[2] as string)).item?.supervision).toBe('flagged');

    // Idempotent: everything has a fact now.
    const again = await backfillReportFacts(store, { fromMonth: '2025-12', toMonth: '2026-03', restart: true });
    expect(again).toMatchObject({ complete: true, cases: 7, written: 0 });
    expect(commands).not.toContain('ScanCommand');
    expect(commands).toContain('QueryCommand');
  });

  it('never replaces a fact a transaction wrote meanwhile', async () => {
    const no = caseNos[6] as string;
    const { c } = await factItem(no);
    expect(await store.writeFactIfAbsent({ ...c!, persons: 99 })).toBe(false);
    expect((await factItem(no)).item?.fact.persons).toBe(1);
  });

  it('counts on the dashboard the cases written before its counters existed, once, with a write racing it', async () => {
    const db = documentClient(client);
    const sweep = new DynamoDbSweepStore(db, tableName);
    const tallies = async () =>
      Object.fromEntries((await sweep.dashboardTallies('2000-01-01', '2099-12-31')).filter((t) => t.n !== 0).map((t) => [t.name, t.n]));
    const fromScratch = async () => {
      const counts: Record<string, number> = {};
      for (const no of caseNos) for (const t of clockTallies((await repo.getCase(no)) as Case)) counts[t] = (counts[t] ?? 0) + 1;
      return counts;
    };
    const listed = async () => (await sweep.dashboardClocks(null, null, '2099-12-31', 100)).map((e) => `${e.caseNo}/${e.kind}/${e.status}`).sort();
    const counted = await tallies();
    const entries = await listed();
    expect(counted).toEqual(await fromScratch());
    expect(entries).toHaveLength(caseNos.length);

    // Before the counters existed: no tallies, no counters, no list entries on the clocks.
    for (const no of caseNos) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: dashboardKey.caseTallies(no) }));
      const c = (await repo.getCase(no)) as Case;
      for (const { kind } of dashboardClocks(c))
        await db.send(new UpdateCommand({ TableName: tableName, Key: key.clock(no, kind), UpdateExpression: 'REMOVE byDepartmentPk, byDepartmentSk' }));
    }
    for (const name of Object.keys(counted)) await db.send(new DeleteCommand({ TableName: tableName, Key: dashboardKey.tally(name) }));
    expect(await tallies()).toEqual({});
    expect(await listed()).toEqual([]);

    // A run stopped after January; a case of February accepted meanwhile (the write counts it); the rest.
    commands.length = 0;
    expect(await backfillReportFacts(store, { fromMonth: '2026-01', toMonth: '2026-03', limit: 2, restart: true })).toMatchObject({
      complete: false,
      dashboard: 2,
    });
    const feb = caseNos[3] as string;
    const registry = new Registry({ repo, storage: noStorage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'backfill-key' });
    await registry.act(director, feb, 'accept', {}, ((await repo.getCase(feb)) as Case).version);
    expect(await backfillReportFacts(store, { fromMonth: '2026-01', toMonth: '2026-03' })).toMatchObject({ complete: true, cases: 5, dashboard: 4 });
    expect(await tallies()).toEqual(await fromScratch());
    expect(await listed()).toHaveLength(caseNos.length);
    expect((await listed()).filter((e) => e.startsWith(`${feb}/`))).toEqual([`${feb}/handling/accepted`]);

    // Again: nothing more is counted, the counts stay.
    expect(await backfillReportFacts(store, { fromMonth: '2026-01', toMonth: '2026-03', restart: true })).toMatchObject({ complete: true, dashboard: 0 });
    expect(await tallies()).toEqual(await fromScratch());
    expect(commands).not.toContain('ScanCommand');
  });
});
