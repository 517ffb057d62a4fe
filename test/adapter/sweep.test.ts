/**
 * The deadline sweep against DynamoDB Local (the run's shared instance, a table of this file's
 * own), on the paths a walk day by day does not take: a first run long after the due date, a
 * clock rewritten after its reminder went out, an extension and a late stop that settle a
 * supervision, two runs at once — and what a run reads.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { DeadlineSweep, type SweepReport } from '../../shared/app/sweep';
import type { SupervisionLetterInput } from '../../shared/app/supervision-letters';
import { officeCalendar } from '../../shared/domain/clocks';
import type { DocumentRecord } from '../../shared/domain/documents';
import { parseOfficeSettings } from '../../shared/domain/office';
import { FakeClock } from '../../shared/domain/time';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { clerk, director, hrss, opinion, registration } from '../unit/lifecycle/fixtures';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';
import { parseActionBody } from '../../shared/app/action-body';

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-sweep');
const clock = new FakeClock('2026-03-04T02:00:00Z');
const settings = parseOfficeSettings(undefined);
let registry: Registry;
let store: DynamoDbSweepStore;
let sweep: DeadlineSweep;
let letters = 0;

/** The 督办单 without the PDF (rendering is the letters' tests' business). */
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

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  const db = documentClient(client);
  const indexer = new SweepIndexer(settings.sweep, officeCalendar);
  const repo = new DynamoDbCaseRepository(db, tableName, indexer);
  store = new DynamoDbSweepStore(db, tableName, indexer);
  registry = new Registry({ repo, storage: noStorage, clock, settings, clocks: { calendar: officeCalendar }, piiKey: 'test-key' });
  sweep = new DeadlineSweep({ store, letters: letterStub, clock, settings, calendar: officeCalendar });
}, 60_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

let serial = 0;
/** A case accepted and assigned to HRSS on 2026-03-04: handling due 05-06, the department's 04-24. */
async function assignedCase(): Promise<string> {
  clock.set('2026-03-04T02:00:00Z');
  serial += 1;
  const reg = await registry.register(clerk, registration({ petitioners: [{ name: `测试${serial}`, phone: `1380000${String(serial).padStart(4, '0')}` }] }));
  const caseNo = reg.case.caseNo;
  const accepted = await registry.act(director, caseNo, 'accept', {}, 1);
  await registry.act(director, caseNo, 'assign', { deptCode: 'HRSS' }, accepted.version);
  return caseNo;
}

async function runOn(day: string, utc = '00:00'): Promise<SweepReport> {
  clock.set(`${day}T${utc}:00Z`);
  const report = await sweep.run();
  expect(report).toMatchObject({ complete: true, errors: 0 });
  return report;
}

async function act(caseNo: string, action: Parameters<Registry['act']>[2], input: unknown, actor = director): Promise<void> {
  const c = await registry.getCase(clerk, caseNo);
  await registry.act(actor, caseNo, action, parseActionBody(action, input), c.version);
}

async function partition(caseNo: string, prefix: string) {
  const out = await documentClient(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseNo}`, ':p': prefix },
    }),
  );
  return out.Items ?? [];
}

const allNoticeIds = async (caseNo: string) => (await partition(caseNo, 'NOTICE#')).map((i) => String(i.noticeId)).sort();
/** The notices of a case to the office (clerk, director, departments): what the sweep sends. */
const noticeIds = async (caseNo: string) => (await allNoticeIds(caseNo)).filter((id) => !id.endsWith('#petitioner'));
/** The SMS notices of a case to its petitioner (网上信访, docs/online.md): sent at transitions, never by the sweep. */
const petitionerNoticeIds = async (caseNo: string) => (await allNoticeIds(caseNo)).filter((id) => id.endsWith('#petitioner'));

describe('the deadline sweep', () => {
  it('opens a supervision straight at the flagged level when it first runs long after the due date', async () => {
    const caseNo = await assignedCase();
    // Nobody swept between the acceptance and 05-20 (the run acts on the latest milestone only).
    const before = await petitionerNoticeIds(caseNo);
    const report = await runOn('2026-05-20');
    // The petitioner heard of the acceptance by SMS; the sweep's run adds nothing for them.
    expect(before).toEqual([`${caseNo}#notify#2026-03-17#sms-accepted-v2#petitioner`]);
    expect(await petitionerNoticeIds(caseNo)).toEqual(before);
    const [sup] = (await partition(caseNo, 'SUP#')).map((i) => i.supervision as Record<string, unknown>);
    expect(sup).toMatchObject({ level: 'flagged', openedOn: '2026-05-20', flaggedOn: '2026-05-20', letters: [expect.objectContaining({ level: 'flagged' })] });
    expect(await noticeIds(caseNo)).toEqual([
      `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
      `${caseNo}#departmentDue#2026-04-24#overdue#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#flagged#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#flagged#director`,
    ]);
    expect(report).toMatchObject({ supervisionsOpened: 1, flagged: 1, reminders: 0 });
    expect(await runOn('2026-05-20', '09:00')).toMatchObject({ acted: 0, entries: 0 });
  });

  it('raises the supervision it opened even after the entries were re-keyed (npm run sweep -- --rekey)', async () => {
    const caseNo = await assignedCase();
    await runOn('2026-05-07');
    // Maintenance rewrites every entry from the records: the handling clock's is its first milestone again.
    expect((await store.rekey()).clocks).toBeGreaterThanOrEqual(2);
    const report = await runOn('2026-05-17');
    const [sup] = (await partition(caseNo, 'SUP#')).map((i) => i.supervision as Record<string, unknown>);
    expect(sup).toMatchObject({
      level: 'flagged',
      openedOn: '2026-05-07',
      flaggedOn: '2026-05-17',
      letters: [expect.objectContaining({ level: 'supervision' }), expect.objectContaining({ level: 'flagged' })],
    });
    expect(report.flagged).toBeGreaterThanOrEqual(1);
    expect((await noticeIds(caseNo)).filter((id) => id.includes('#handling#'))).toEqual([
      `${caseNo}#handling#2026-05-06#flagged#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#flagged#director`,
      `${caseNo}#handling#2026-05-06#supervision#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#supervision#director`,
    ]);
  });

  it('does not repeat a reminder when a transition rewrites the clock the same day', async () => {
    const caseNo = await assignedCase();
    await runOn('2026-04-24');
    const before = await noticeIds(caseNo);
    expect(before).toContain(`${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`);
    // A pause resumed the same day changes the clock (its pauses), not its due date: the clock
    // item is written again with its first milestone, the reminder already sent.
    clock.set('2026-04-24T03:00:00Z');
    await act(caseNo, 'pause-clock', { clock: 'handling', reason: '等待信访人补充材料' });
    await act(caseNo, 'resume-clock', { clock: 'handling' });
    const again = await runOn('2026-04-24', '09:00');
    expect(again.skipped.duplicate).toBeGreaterThanOrEqual(1);
    expect(await noticeIds(caseNo)).toEqual(before);
    // ...and the entry moved on: the next reminder comes on its day, once.
    await runOn('2026-04-30');
    await runOn('2026-04-30', '09:00');
    expect((await noticeIds(caseNo)).filter((id) => id.includes('#handling#'))).toEqual([
      `${caseNo}#handling#2026-05-06#remind-1#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`,
    ]);
  });

  it('settles a supervision when the handling clock stops late; an overdue handling clock can no longer be extended', async () => {
    const extended = await assignedCase();
    const stopped = await assignedCase();
    await runOn('2026-05-07');
    expect((await store.openSupervisions('HRSS')).map((s) => s.caseNo)).toEqual(expect.arrayContaining([extended, stopped]));

    clock.set('2026-05-08T02:00:00Z');
    // Art. 34: the extension is asked for within the handling period (lifecycle holdOf); past it, the
    // supervision stays open until the answer is approved.
    await expect(act(extended, 'extend', { days: 20, reason: '需要补充调查' })).rejects.toThrow(/can no longer be extended/);
    await act(stopped, 'answer', opinion, hrss);
    await act(stopped, 'approve-reply', {});
    const report = await runOn('2026-05-08', '04:00');
    expect(report.resolved).toBe(1);
    const [sup] = (await partition(stopped, 'SUP#')).map((i) => i.supervision as Record<string, unknown>);
    expect(sup).toMatchObject({ status: 'resolved', resolvedOn: '2026-05-08' });
    const events = (await registry.timeline(clerk, stopped)).map((e) => e.type);
    expect(events.filter((t) => t === 'supervision.resolved')).toHaveLength(1);
    const open = (await store.openSupervisions('HRSS')).map((s) => s.caseNo);
    expect(open).toContain(extended);
    expect(open).not.toContain(stopped);
  });

  it('follows an extension granted within the period: reminders and overdue move to the new due date', async () => {
    const caseNo = await assignedCase();
    await runOn('2026-04-24');
    expect(await noticeIds(caseNo)).toContain(`${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`);

    // Art. 34: extended before the original due date (05-06), by at most 30 days.
    clock.set('2026-04-28T02:00:00Z');
    await act(caseNo, 'extend', { days: 30, reason: '需要补充调查' });
    const c = await registry.getCase(clerk, caseNo);
    const newDue = c.extension?.newDue ?? '';
    expect(c.clocks.handling?.due).toBe(newDue);
    expect(newDue > '2026-05-06').toBe(true);

    // The old due date passes without a supervision or an overdue notice on the handling clock...
    await runOn('2026-05-07');
    await runOn('2026-05-20');
    const handlingNotices = async () => (await noticeIds(caseNo)).filter((id) => id.includes('#handling#'));
    expect((await handlingNotices()).filter((id) => !id.includes('#2026-05-06#remind-'))).toEqual([]);
    expect((await store.openSupervisions('HRSS')).map((s) => s.caseNo)).not.toContain(caseNo);

    // ...and the reminders and the overdue come for the new one.
    await runOn(newDue);
    expect((await handlingNotices()).filter((id) => id.includes(`#${newDue}#remind-`)).length).toBeGreaterThanOrEqual(1);
    const after = new Date(`${newDue}T00:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 1);
    await runOn(after.toISOString().slice(0, 10));
    expect(await handlingNotices()).toEqual(expect.arrayContaining([`${caseNo}#handling#${newDue}#supervision#dept-HRSS`]));
    expect((await store.openSupervisions('HRSS')).map((s) => s.caseNo)).toContain(caseNo);
  });

  it('sends each notice once when two runs overlap', async () => {
    const cases = await Promise.all(Array.from({ length: 8 }, () => assignedCase()));
    clock.set('2026-04-25T00:00:00Z');
    const [a, b] = await Promise.all([sweep.run({ concurrency: 4 }), sweep.run({ concurrency: 4 })]);
    expect(a.errors + b.errors).toBe(0);
    for (const caseNo of cases) {
      // 04-25: the department's date (04-24) passed; handling's 5-day reminder (04-24) is due too.
      expect(await noticeIds(caseNo)).toEqual([
        `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
        `${caseNo}#departmentDue#2026-04-24#overdue#dept-HRSS`,
        `${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`,
      ]);
      const events = (await registry.timeline(clerk, caseNo)).map((e) => e.type);
      expect(events.filter((t) => t.startsWith('sweep.'))).toEqual(expect.arrayContaining(['sweep.overdue', 'sweep.reminder']));
      expect(events.filter((t) => t.startsWith('sweep.'))).toHaveLength(2);
    }
    // Each milestone acted on by one of the two; the other found it moved.
    expect(a.acted + b.acted).toBeGreaterThanOrEqual(cases.length * 2);
    expect(a.skipped.moved + b.skipped.moved + a.skipped.duplicate + b.skipped.duplicate).toBeGreaterThan(0);
  });

  it('reads at most two items for each milestone it acts on', async () => {
    await Promise.all(Array.from({ length: 6 }, () => assignedCase()));
    const report = await runOn('2026-04-17');
    expect(report.acted).toBeGreaterThanOrEqual(6);
    expect(report.read.items).toBeLessThanOrEqual(2 * report.acted);
    expect(report.read.capacityUnits).toBeGreaterThan(0);
  });
});
