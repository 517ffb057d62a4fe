/**
 * One versioned case write (shared/adapters/dynamodb-repository.ts `versionedCaseWrite`): the
 * archive's commit writes the case the way a registry transition does, with the office's sweep
 * indexer, so what the archived case changes (a clock it stops) lands in its items and indexes.
 * Against DynamoDB Local through the real SDK.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArchiveRepository } from '../../shared/adapters/archive-repository';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
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
