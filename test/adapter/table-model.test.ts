/**
 * One versioned case write (shared/adapters/dynamodb-repository.ts `versionedCaseWrite`): the
 * archive's commit and the deadline sweep's milestone commit write the case the way a registry
 * transition does, with the office's sweep indexer, so what the change moves (a clock it stops, the
 * archive entry, the parts of a case written before they moved out) lands in its items and indexes.
 * Against DynamoDB Local through the real SDK.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArchiveRepository } from '../../shared/adapters/archive-repository';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import type { ArchiveJob } from '../../shared/app/archive-ports';
import { formatArchiveNo } from '../../shared/domain/archive';
import type { Case } from '../../shared/domain/case';
import type { ClockKind, ClockState } from '../../shared/domain/clocks';
import { key } from '../../shared/storage/keys';
import { createClients, ensureTable, type LocalClients } from '../../local/emulators';
import { event, newTestCase, uniquePrefix } from '../support/contracts/builders';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

let dynamodb: TestDynamoDb;
let clients: LocalClients;
const tableName = uniqueName('xf-table-model');

beforeAll(async () => {
  dynamodb = await testDynamoDb();
  // No S3 here: the client is built but never called.
  clients = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: 'http://127.0.0.1:9', region: 'cn-north-1' });
  await ensureTable(clients.dynamodb, tableName);
}, 120_000);

afterAll(async () => {
  await clients?.dynamodb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  clients?.destroy();
  await dynamodb?.release();
});

/** The office's indexer, recording what it was asked to index. */
class RecordingIndexer extends SweepIndexer {
  readonly seen: string[] = [];
  override clock(caseNo: string, kind: ClockKind, clock: ClockState) {
    this.seen.push(`clock ${caseNo} ${kind}`);
    return super.clock(caseNo, kind, clock);
  }
  override caseItem(c: Case) {
    this.seen.push(`case ${c.caseNo}`);
    return super.caseItem(c);
  }
}

describe('the archive commit', () => {
  it("writes the case through the registry's versioned write, with the office's sweep indexer", async () => {
    const db = documentClient(clients.dynamodb);
    const indexer = new RecordingIndexer();
    const repo = new DynamoDbCaseRepository(db, tableName);
    const archive = new DynamoDbArchiveRepository(db, tableName, indexer);
    const prefix = uniquePrefix();
    const c = await repo.createCase({
      case: newTestCase(prefix, 1),
      caseNumber: { prefix, year: 2026, seq: 1 },
      event: event('case.registered'),
      documents: [],
    });
    const notify = c.clocks.notify as ClockState;
    expect(notify.status).toBe('running');

    const job = await archive.createJob(
      {
        caseNo: c.caseNo,
        fonds: prefix,
        year: 2026,
        retention: '10y',
        retentionReason: 'default',
        retentionSource: 'default',
        retentionEnds: '2037-01-01',
        lockUntil: '2036-12-31T16:00:00.000Z',
        state: 'allocated',
        createdAt: '2026-06-01T02:00:00.000Z',
        updatedAt: '2026-06-01T02:00:00.000Z',
        attempts: 0,
      },
      (item) => formatArchiveNo({ fonds: prefix, year: 2026, retention: '10y', item }),
    );
    expect(await archive.claimJob(c.caseNo, 'run-a', '2026-06-01T03:00:00.000Z', '2026-06-01T02:00:00.000Z')).toBe(true);
    const summary = {
      archiveNo: job.archiveNo,
      caseNo: c.caseNo,
      year: 2026,
      retention: job.retention,
      retentionLabel: '10年',
      retentionEnds: job.retentionEnds,
      subject: c.subject,
      category: c.category,
      itemType: c.itemType,
      departments: [],
      petitioners: ['张*华'],
      receivedOn: c.receivedOn,
      archivedAt: '2026-06-01T02:10:00.000Z',
    };
    const archivedJob: ArchiveJob = { ...job, state: 'archived', archivedAt: '2026-06-01T02:10:00.000Z', files: [], summary };
    // An archived case whose clock the change stops: the versioned write stores the clock with it.
    const archived: Case = {
      ...c,
      status: 'archived',
      version: c.version + 1,
      clocks: { ...c.clocks, notify: { ...notify, status: 'stopped', stoppedOn: '2026-06-01' } },
    };

    const saved = await archive.commitArchive(c, archived, event('case.archived'), archivedJob, 'run-a');

    expect(saved.status).toBe('archived');
    expect(indexer.seen).toEqual([`case ${c.caseNo}`, `clock ${c.caseNo} notify`]);
    const clock = (await db.send(new GetCommand({ TableName: tableName, Key: key.clock(c.caseNo, 'notify'), ConsistentRead: true }))).Item;
    expect(clock).toMatchObject({ status: 'stopped' });
    expect(clock?.byDuePk).toBeUndefined();
    expect((await repo.getCase(c.caseNo))?.clocks.notify?.status).toBe('stopped');
    expect((await repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'case.archived']);
  });
});

describe("the deadline sweep's milestone commit", () => {
  it("writes the case through the registry's versioned write: a case read from its item alone keeps its parts", async () => {
    const db = documentClient(clients.dynamodb);
    const indexer = new RecordingIndexer();
    const repo = new DynamoDbCaseRepository(db, tableName);
    const store = new DynamoDbSweepStore(db, tableName, indexer);
    const prefix = uniquePrefix();
    const created = await repo.createCase({
      case: { ...newTestCase(prefix, 1), fullText: '信访人来信全文' },
      caseNumber: { prefix, year: 2026, seq: 1 },
      event: event('case.registered'),
      documents: [],
    });
    // A case written before the full text moved out of its item: the text inline, no part item.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key.case(created.caseNo),
        UpdateExpression: 'SET #r.fullText = :t',
        ExpressionAttributeNames: { '#r': 'record' },
        ExpressionAttributeValues: { ':t': '旧案的来信全文' },
      }),
    );
    await db.send(new DeleteCommand({ TableName: tableName, Key: key.caseText(created.caseNo, 'fullText') }));

    // The sweep reads the case item alone and marks the case (a change of the case: a versioned write).
    const before = (await store.getCase(created.caseNo)) as Case;
    expect(before.fullText).toBe('旧案的来信全文');
    const after: Case = { ...before, archiveEligibleOn: '2026-06-01', version: before.version + 1, updatedAt: '2026-06-01T02:00:00.000Z' };
    const result = await store.commit({ before, after, event: event('case.archive-eligible'), notices: [], supervisions: [], documents: [] });

    expect(result.ok).toBe(true);
    expect(indexer.seen).toContain(`case ${created.caseNo}`);
    // Written out beside the item, as the registry's first transition of such a case does; nothing lost.
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: key.case(created.caseNo), ConsistentRead: true }))).Item;
    expect(item?.record).toMatchObject({ fullText: '', archiveEligibleOn: '2026-06-01', version: before.version + 1 });
    const part = (await db.send(new GetCommand({ TableName: tableName, Key: key.caseText(created.caseNo, 'fullText'), ConsistentRead: true }))).Item;
    expect(part?.text).toBe('旧案的来信全文');
    expect((await repo.getCase(created.caseNo))?.fullText).toBe('旧案的来信全文');
    expect((await repo.listEvents(created.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'case.archive-eligible']);

    // A second writer that read the old version is refused by the same condition.
    expect(await store.commit({ before, after, event: event('case.archive-eligible'), notices: [], supervisions: [], documents: [] })).toEqual({
      ok: false,
      reason: 'case-moved',
    });
  });
});
