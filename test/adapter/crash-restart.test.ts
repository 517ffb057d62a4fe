/**
 * The local stack comes up again after being killed at any moment (issue 10 item 12).
 *
 * - s3rver's files as a killed write leaves them (0-byte and cut-off metadata, bytes without
 *   metadata or checksum, a half-written overwrite, a cut-off CORS configuration, a metadata file
 *   whose object is gone): the stack starts, moves each aside to s3-damaged/, reports which case,
 *   document or archive package it was, and serves everything else.
 * - `npm start` (local/start.ts in a child process) SIGKILLed, its data then damaged as above,
 *   starts again unattended and prints what it moved.
 * - DynamoDB Local's JVM SIGKILLed while 8 writers are busy: it starts again on the same files
 *   (SQLite rolls its journal back) with every acknowledged write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, ensureTable, startDynamoDbLocal } from '../../local/emulators';
import { CLEAN_STOP_MARKER } from '../../local/s3-heal';
import { loadOrCreatePiiHashKey, startStack, type LocalStack } from '../../local/stack';
import { testDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

const REPO_ROOT = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const put = (s3: S3Client, Bucket: string, Key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentType: 'application/pdf' }));
const read = async (s3: S3Client, Bucket: string, Key: string) => (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();

/** Path of one of s3rver's files for an object key (local/s3-heal.ts describes the layout). */
const s3File = (root: string, bucket: string, key: string, suffix: 'object' | 'object.md5' | 'metadata.json') =>
  join(root, 's3', bucket, `${key}._S3rver_${suffix}`);

/** Damages s3rver's files the ways a killed write leaves them; returns what the healer must report. */
function damage(root: string, docs: string, archive: string) {
  writeFileSync(s3File(root, docs, 'uploads/XF-2026-000001/01JDOCA', 'metadata.json'), ''); // killed while writing the metadata
  writeFileSync(s3File(root, docs, 'generated/XF-2026-000002/01JDOCB.pdf', 'metadata.json'), '{\n  "content-ty'); // cut off
  unlinkSync(s3File(root, docs, 'uploads/XF-2026-000003/01JDOCC', 'metadata.json')); // bytes written, metadata never
  unlinkSync(s3File(root, docs, 'uploads/XF-2026-000003/01JDOCD', 'object.md5'));
  unlinkSync(s3File(root, docs, 'uploads/XF-2026-000003/01JDOCD', 'metadata.json')); // killed before the checksum
  truncateSync(s3File(root, archive, 'packages/X001-2026-D30-0001/manifest.json', 'object'), 7); // an overwrite cut short
  unlinkSync(s3File(root, docs, 'uploads/XF-2026-000004/01JGONE', 'object')); // a delete cut short
  writeFileSync(join(root, 's3', docs, '._S3rver_cors.xml'), '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <CORSRule>\n    <Allowed');
  return [
    { bucket: docs, key: 'uploads/XF-2026-000001/01JDOCA', problem: 'metadata-empty', caseNo: 'XF-2026-000001', documentId: '01JDOCA' },
    { bucket: docs, key: 'generated/XF-2026-000002/01JDOCB.pdf', problem: 'metadata-unparsable', caseNo: 'XF-2026-000002', documentId: '01JDOCB' },
    { bucket: docs, key: 'uploads/XF-2026-000003/01JDOCC', problem: 'metadata-missing', caseNo: 'XF-2026-000003', documentId: '01JDOCC' },
    { bucket: docs, key: 'uploads/XF-2026-000003/01JDOCD', problem: 'metadata-missing', caseNo: 'XF-2026-000003', documentId: '01JDOCD' },
    { bucket: archive, key: 'packages/X001-2026-D30-0001/manifest.json', problem: 'content-mismatch', archiveNo: 'X001-2026-D30-0001' },
    { bucket: docs, key: 'uploads/XF-2026-000004/01JGONE', problem: 'orphan-sidecar', caseNo: 'XF-2026-000004', documentId: '01JGONE' },
    { bucket: docs, key: '(bucket cors configuration)', problem: 'config-damaged' },
  ];
}

async function seed(stack: Pick<LocalStack, 'clients' | 'bucketName' | 'archiveBucketName'>): Promise<void> {
  const { s3 } = stack.clients;
  for (const key of [
    'uploads/XF-2026-000001/01JDOCA',
    'uploads/XF-2026-000001/01JKEEP',
    'generated/XF-2026-000002/01JDOCB.pdf',
    'uploads/XF-2026-000003/01JDOCC',
    'uploads/XF-2026-000003/01JDOCD',
    'uploads/XF-2026-000004/01JGONE',
  ]) {
    await put(s3, stack.bucketName, key, `content of ${key}`);
  }
  await put(s3, stack.archiveBucketName, 'packages/X001-2026-D30-0001/manifest.json', '{"files":[]} the manifest');
  await put(s3, stack.archiveBucketName, 'packages/X001-2026-D30-0001/metadata.json', '{"case":{}}');
}

describe('the local stack after a crash', () => {
  it('moves damaged s3rver files aside, reports them by case, and comes up', async () => {
    const dynamodb = await testDynamoDb();
    const dataDir = tempDir('xf-crash-');
    const names = { tableName: uniqueName('xf-crash'), bucketName: uniqueName('xf-crash-docs'), archiveBucketName: uniqueName('xf-crash-arch') };
    const options = { dataDir, port: 0, quiet: true, dynamodb: { endpoint: dynamodb.endpoint }, outboxPollMs: 0, ...names };
    try {
      const first = await startStack(options);
      await seed(first);
      await first.stop();
      expect(existsSync(join(dataDir, 's3', CLEAN_STOP_MARKER))).toBe(true);
      // Killed instead of stopped: no clean-stop marker, and half-finished writes.
      unlinkSync(join(dataDir, 's3', CLEAN_STOP_MARKER));
      const expected = damage(dataDir, names.bucketName, names.archiveBucketName);

      const second = await startStack(options);
      try {
        const { s3 } = second.clients;
        expect(second.s3Heal.cleanStop).toBe(false);
        expect(second.s3Heal.damaged.map(({ files: _files, ...d }) => d)).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
        expect(second.s3Heal.damaged).toHaveLength(expected.length);
        // Moved, not deleted: every file is under s3-damaged/<timestamp>/ with the report.
        const movedTo = second.s3Heal.movedTo ?? '';
        expect(movedTo.startsWith(join(dataDir, 's3-damaged'))).toBe(true);
        for (const d of second.s3Heal.damaged) for (const f of d.files) expect(existsSync(join(movedTo, f))).toBe(true);
        const report = JSON.parse(readFileSync(join(movedTo, 'report.json'), 'utf8')) as { damaged: unknown[] };
        expect(report.damaged).toHaveLength(expected.length);
        expect(statSync(join(movedTo, names.bucketName, 'uploads/XF-2026-000001/01JDOCA._S3rver_object')).size).toBeGreaterThan(0);

        // The buckets answer again, the healthy objects are served, the damaged ones are gone.
        await s3.send(new HeadBucketCommand({ Bucket: names.bucketName }));
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: names.bucketName }));
        expect((listed.Contents ?? []).map((o) => o.Key)).toEqual(['uploads/XF-2026-000001/01JKEEP']);
        expect(await read(s3, names.bucketName, 'uploads/XF-2026-000001/01JKEEP')).toBe('content of uploads/XF-2026-000001/01JKEEP');
        expect(await read(s3, names.archiveBucketName, 'packages/X001-2026-D30-0001/metadata.json')).toBe('{"case":{}}');
        await expect(read(s3, names.archiveBucketName, 'packages/X001-2026-D30-0001/manifest.json')).rejects.toThrow();
        // The CORS configuration was written again at start: browser uploads still work.
        const cors = readFileSync(join(dataDir, 's3', names.bucketName, '._S3rver_cors.xml'), 'utf8');
        expect(cors.trim().endsWith('</CORSConfiguration>')).toBe(true);
        // New writes work.
        await put(s3, names.bucketName, 'uploads/XF-2026-000001/01JDOCA', 'uploaded again');
        expect(await read(s3, names.bucketName, 'uploads/XF-2026-000001/01JDOCA')).toBe('uploaded again');
      } finally {
        await second.stop();
      }
      // A clean stop, then a start: the files are not even walked (a start costs nothing however many objects there are).
      const third = await startStack(options);
      expect(third.s3Heal).toMatchObject({ cleanStop: true, objects: 0, rehashed: 0, damaged: [] });
      await third.stop();
    } finally {
      await dynamodb.release();
    }
  }, 180_000);

  it('`npm start` SIGKILLed, with s3rver files damaged, starts again unattended and reports them', async () => {
    const dataDir = tempDir('xf-crash-start-');
    const first = await startChild(dataDir);
    expect(first.output).toContain('ready in');
    const stack = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as { env: Record<string, string> };
    const docs = stack.env.DOCUMENTS_BUCKET ?? '';
    const archive = stack.env.ARCHIVE_BUCKET ?? '';
    const { createClients } = await import('../../local/emulators');
    const clients = createClients({ dynamodbEndpoint: stack.env.DYNAMODB_ENDPOINT ?? '', s3Endpoint: stack.env.S3_ENDPOINT ?? '', region: 'cn-north-1' });
    try {
      await seed({ clients, bucketName: docs, archiveBucketName: archive });
    } finally {
      clients.destroy();
    }
    await first.kill('SIGKILL');
    expect(existsSync(join(dataDir, 's3', CLEAN_STOP_MARKER))).toBe(false);
    const expected = damage(dataDir, docs, archive);

    const second = await startChild(dataDir);
    try {
      expect(second.output).toContain('ready in');
      // The seven sets damaged here, each reported; a write of the first stack's own cut by the
      // kill (the month's report it stores after starting) is damaged too and may add one.
      const found = /(\d+) damaged file set\(s\) found after an unclean stop and moved to .*s3-damaged/.exec(second.output);
      expect(Number(found?.[1])).toBeGreaterThanOrEqual(expected.length);
      const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const e of expected) expect(second.output).toMatch(new RegExp(`${e.problem}\\s+${escaped(`${e.bucket}/${e.key}`)}`));
      expect(second.output).toMatch(/metadata-empty\s+xf-documents-local\/uploads\/XF-2026-000001\/01JDOCA — case XF-2026-000001, document 01JDOCA/);
      expect(second.output).toContain('Cases affected: XF-2026-000001, XF-2026-000002, XF-2026-000003, XF-2026-000004');
      const health = await fetch(`${/API gateway\s+(\S+)/.exec(second.output)?.[1] ?? ''}/openapi.json`);
      expect(health.status).toBe(200);
    } finally {
      await second.kill('SIGTERM');
    }
  }, 300_000);

  it('an empty PII hash key file (a kill between creating and writing it) is replaced, never used as the key', () => {
    const dataDir = tempDir('xf-crash-key-');
    writeFileSync(join(dataDir, 'pii-hash-key'), '');
    const key = loadOrCreatePiiHashKey(dataDir);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dataDir, 'pii-hash-key'), 'utf8').trim()).toBe(key);
    expect(loadOrCreatePiiHashKey(dataDir)).toBe(key);
  });

  it('DynamoDB Local killed with SIGKILL mid-write starts again with every acknowledged write', async () => {
    const dataDir = tempDir('xf-crash-ddb-');
    const tableName = 'xf-crash-ddb';
    let acknowledged = 0;
    for (let round = 0; round < 2; round++) {
      const ddb = await startDynamoDbLocal({ dataDir });
      const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
      try {
        await ensureTable(client, tableName);
        expect(await countItems(client, tableName)).toBeGreaterThanOrEqual(acknowledged);
        let stop = false;
        let written = 0;
        const writers = Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; !stop; i++) {
            try {
              await client.send(
                new PutItemCommand({
                  TableName: tableName,
                  Item: { pk: { S: 'ITEMS' }, sk: { S: `${round}#${w}#${String(i).padStart(6, '0')}` }, data: { S: 'x'.repeat(2_000) } },
                }),
              );
              written += 1;
            } catch {
              return;
            }
          }
        });
        // Kill while the writers are busy: after 20 acknowledged writes, the JVM's whole process group.
        while (written < 20) await new Promise((r) => setTimeout(r, 20));
        process.kill(-ddb.pid, 'SIGKILL');
        stop = true;
        await Promise.all(writers);
        acknowledged += written;
      } finally {
        client.destroy();
        await ddb.stop();
      }
    }
    const ddb = await startDynamoDbLocal({ dataDir });
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    try {
      expect(await countItems(client, tableName)).toBeGreaterThanOrEqual(acknowledged);
    } finally {
      client.destroy();
      await ddb.stop();
    }
  }, 240_000);
});

async function countItems(client: DynamoDBClient, TableName: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'ITEMS' } },
        Select: 'COUNT',
        ExclusiveStartKey,
      }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return count;
}

interface Child {
  output: string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `npm start` (tsx local/start.ts) on `dataDir`, every port free, resolved once it printed "ready" (or exited). */
function startChild(dataDir: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', XF_DATA_DIR: dataDir, XF_WEB_BUILD: 'skip', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const result: Child = {
      get output() {
        return output;
      },
      kill: async (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await closed;
      },
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (/Stop: Ctrl-C./.test(output)) resolve(result);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    void closed.then(() => reject(new Error(`npm start exited before it was ready:\n${output}`)));
  });
}
