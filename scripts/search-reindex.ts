/**
 * `npm run search:reindex`: the backfill of the search index (docs/search.md). Walks every case
 * of the table — a one-off maintenance Scan, the only one, never on a request path — and for each
 * writes its search document and pending marker (conditional on the case's version) and
 * refreshes its postings; then refreshes whatever else is pending (a refresh that failed after
 * its case was saved). Resumable: the position is kept in .data/search-reindex.json after every
 * page (with the postings version: a checkpoint of another version is not resumed), and a second
 * run redoes nothing harmful (postings are set additions). `--restart` starts from the beginning. Against AWS: set TABLE_NAME, the region and the secrets' ARNs as the
 * functions have them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { defaultDataDir, useRunningStackEnv } from '../local/connect';

useRunningStackEnv();
const { createDynamoDbClient } = await import('../shared/adapters/clients');
const { documentClient, DynamoDbCaseRepository } = await import('../shared/adapters/dynamodb-repository');
const { DynamoDbSearchIndex } = await import('../shared/adapters/search-index');
const { ENV, optionalEnv, requireEnv } = await import('../shared/config/env');
const { officeDirectory } = await import('../shared/domain/office');
const { POSTINGS_VERSION } = await import('../shared/storage/search-keys');
const { getRuntime, piiKey } = await import('../functions/common/runtime');

const region = requireEnv(ENV.region);
const tableName = requireEnv(ENV.tableName);
const db = documentClient(createDynamoDbClient({ region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint) }));
// The office's departments as the functions see them (the directory an admin keeps).
const { settings } = await getRuntime();
const index = new DynamoDbSearchIndex(db, tableName, { piiKey: await piiKey(), office: () => officeDirectory(settings) });
const repo = new DynamoDbCaseRepository(db, tableName);

const checkpoint = join(defaultDataDir(), 'search-reindex.json');
if (process.argv.includes('--restart')) rmSync(checkpoint, { force: true });
// A checkpoint of a run under another postings version (a tokenizer change since) is not resumed: every case is posted again.
const saved = existsSync(checkpoint) ? (JSON.parse(readFileSync(checkpoint, 'utf8')) as { startKey?: Record<string, unknown>; version?: string }) : {};
let startKey = saved.version === POSTINGS_VERSION ? saved.startKey : undefined;
if (startKey) console.log('resuming the backfill where it stopped');
let cases = 0;
do {
  const page = await db.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'entity = :case',
      ExpressionAttributeValues: { ':case': 'case' },
      ProjectionExpression: 'caseNo',
      ExclusiveStartKey: startKey,
    }),
  );
  for (const item of page.Items ?? []) {
    const c = await repo.getCase(String(item.caseNo));
    if (!c) continue;
    await index.reindexCase(c);
    cases += 1;
  }
  startKey = page.LastEvaluatedKey;
  mkdirSync(dirname(checkpoint), { recursive: true });
  if (startKey) writeFileSync(checkpoint, JSON.stringify({ startKey, version: POSTINGS_VERSION }));
  else rmSync(checkpoint, { force: true });
  if (cases > 0) console.log(`${cases} cases indexed`);
} while (startKey);
const pending = await index.drainPending();
console.log(`done: ${cases} cases indexed, ${pending} pending refreshed`);
