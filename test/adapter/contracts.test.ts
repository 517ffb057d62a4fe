/**
 * The contract suites of the ports (test/support/contracts) against the adapters: DynamoDB Local
 * (the run's shared instance, a table of this file's own) and s3rver, through the real AWS SDK.
 * test/unit/fakes/contracts.test.ts runs the same suites against the in-memory fakes the
 * use-case unit tests use: what passes here and there is what the fakes may be trusted for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbArchiveRepository } from '../../shared/adapters/archive-repository';
import { S3ArchiveDisposal, S3ArchiveStore } from '../../shared/adapters/archive-store';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { DynamoDbOcrStore } from '../../shared/adapters/ocr-store';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import { officeDirectory, parseOfficeSettings } from '../../shared/domain/office';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import { createClients, ensureBuckets, ensureTable, startS3Local, type LocalClients, type S3Local } from '../../local/emulators';
import { archiveRepositoryContract, storageContract } from '../support/contracts/archive';
import { caseRepositoryContract } from '../support/contracts/case-repository';
import { ocrStoreContract } from '../support/contracts/ocr-store';
import { searchIndexContract } from '../support/contracts/search-index';
import { sweepStoreContract } from '../support/contracts/sweep-store';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

let dynamodb: TestDynamoDb;
let s3Local: S3Local;
let clients: LocalClients;
let s3Dir: string;
const tableName = uniqueName('xf-contract');
const documentsBucket = uniqueName('xf-contract-doc');
const archiveBucket = uniqueName('xf-contract-arc');

beforeAll(async () => {
  dynamodb = await testDynamoDb();
  s3Dir = mkdtempSync(join(tmpdir(), 'xf-contract-s3-'));
  s3Local = await startS3Local({ directory: s3Dir });
  clients = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3Local.endpoint, region: 'cn-north-1' });
  await ensureTable(clients.dynamodb, tableName);
  await ensureBuckets(clients.s3, [documentsBucket, archiveBucket]);
}, 120_000);

afterAll(async () => {
  await clients?.dynamodb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  clients?.destroy();
  await s3Local?.stop();
  await dynamodb?.release();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

const db = () => documentClient(clients.dynamodb);

caseRepositoryContract('DynamoDB adapter', () => new DynamoDbCaseRepository(db(), tableName));
sweepStoreContract('DynamoDB adapter', () => ({ repo: new DynamoDbCaseRepository(db(), tableName), store: new DynamoDbSweepStore(db(), tableName) }));
archiveRepositoryContract('DynamoDB adapter', () => ({
  repo: new DynamoDbCaseRepository(db(), tableName),
  archive: new DynamoDbArchiveRepository(db(), tableName),
}));
storageContract('S3 adapters', () => ({
  documents: new S3DocumentStorage(clients.s3, documentsBucket),
  archiveStore: new S3ArchiveStore({ s3: clients.s3, archiveBucket, documentsBucket }),
  disposal: new S3ArchiveDisposal({ s3: clients.s3, archiveBucket }),
}));
searchIndexContract('DynamoDB adapter', () => {
  const piiKey = 'contract-pii-key';
  const index = new DynamoDbSearchIndex(db(), tableName, {
    piiKey,
    office: officeDirectory(parseOfficeSettings(undefined)),
    onRefreshError: (caseNo, err) => {
      throw new Error(`refresh of ${caseNo} failed: ${String(err)}`);
    },
  });
  // The repository refreshes the index right after each case write, as in the functions.
  return { repo: new DynamoDbCaseRepository(db(), tableName, undefined, index), index, piiKey };
});
ocrStoreContract('DynamoDB adapter', () => new DynamoDbOcrStore(db(), tableName));
