/**
 * The embedded emulators, against the real thing: DynamoDB Local (the run's shared instance)
 * provisioned from shared/storage/definitions.ts, and s3rver with presigned POST uploads,
 * object-created events, presigned GETs and streamed puts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, encodeEventKey, ensureBuckets, ensureTable, startS3Local, type LocalClients, type S3Local } from '../../local/emulators';
import { S3_PREFIX, TABLE, indexDefinition } from '../../shared/storage/definitions';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';
import { uploadPresignedPost } from '../support/upload';

const REGION = 'cn-north-1';
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

let dynamodb: TestDynamoDb;
let s3Local: S3Local;
let clients: LocalClients;
let s3Dir: string;
const events: S3Event[] = [];
const tableName = uniqueName('xf-adapter');
const bucket = uniqueName('xf-adapter');

beforeAll(async () => {
  dynamodb = await testDynamoDb();
  s3Dir = mkdtempSync(join(tmpdir(), 'xf-s3-'));
  s3Local = await startS3Local({
    directory: s3Dir,
    onObjectCreated: async (event) => {
      events.push(event);
    },
  });
  clients = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3Local.endpoint, region: REGION });
  await ensureTable(clients.dynamodb, tableName);
  await ensureBuckets(clients.s3, [bucket]);
}, 60_000);

afterAll(async () => {
  await clients?.dynamodb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  clients?.destroy();
  await s3Local?.stop();
  await dynamodb?.release();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

describe('ensureTable', () => {
  it('creates the table with the keys, every index and the TTL of the definitions', async () => {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));

    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(TABLE.indexes.map((i) => i.name).sort());
    for (const def of TABLE.indexes) {
      const index = indexes.find((i) => i.IndexName === def.name);
      expect(index?.KeySchema).toEqual([
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ]);
      expect(index?.Projection?.ProjectionType).toBe('ALL');
    }
    const ttl = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(TABLE.ttlAttribute);
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });

  it('is idempotent', async () => {
    await expect(ensureTable(clients.dynamodb, tableName)).resolves.toBeUndefined();
    await expect(Promise.all([ensureTable(clients.dynamodb, tableName), ensureTable(clients.dynamodb, tableName)])).resolves.toBeDefined();
  });

  it('on an existing table, does not ask DescribeTable (DynamoDB Local counts the items to answer it: seconds with 10,000 cases)', async () => {
    const sent: string[] = [];
    const spy = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3Local.endpoint, region: REGION });
    spy.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    try {
      await ensureTable(spy.dynamodb, tableName);
    } finally {
      spy.destroy();
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toContain('DescribeTableCommand');
  });

  it('adds an index that is missing on an existing table', async () => {
    const other = uniqueName('xf-adapter-gsi');
    const [missing, ...rest] = TABLE.indexes;
    if (!missing) throw new Error('no index defined');
    const keys = [TABLE.partitionKey, TABLE.sortKey, ...rest.flatMap((i) => [i.partitionKey, i.sortKey])];
    // A table as an older definition left it: every index but the first.
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: other,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: rest.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    try {
      await ensureTable(clients.dynamodb, other);
      const after = await clients.dynamodb.send(new DescribeTableCommand({ TableName: other }));
      expect((after.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)).toContain(missing.name);
    } finally {
      await clients.dynamodb.send(new DeleteTableCommand({ TableName: other })).catch(() => undefined);
    }
  });

  it('answers a Query on a GSI, returning only the items that carry its keys (sparse)', async () => {
    const doc = DynamoDBDocumentClient.from(clients.dynamodb);
    const byStatus = indexDefinition('byStatus');
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'CASE#1', sk: 'CASE', [byStatus.partitionKey]: 'STATUS#registered', [byStatus.sortKey]: '2026-03-10#1' },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'CASE#2', sk: 'CASE', [byStatus.partitionKey]: 'STATUS#registered', [byStatus.sortKey]: '2026-03-05#2' },
      }),
    );
    await doc.send(new PutCommand({ TableName: tableName, Item: { pk: 'CASE#3', sk: 'CASE' } }));

    const result = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: byStatus.name,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': byStatus.partitionKey, '#sk': byStatus.sortKey },
        ExpressionAttributeValues: { ':pk': 'STATUS#registered', ':before': '2026-04' },
      }),
    );

    expect(result.Items?.map((i) => i.pk)).toEqual(['CASE#2', 'CASE#1']);
  });
});

describe('DynamoDB Local', () => {
  it('gives no browser origin CORS access (it listens on every interface)', async () => {
    const preflight = await fetch(dynamodb.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
    });

    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('s3rver', () => {
  it('ensureBuckets is idempotent', async () => {
    await expect(ensureBuckets(clients.s3, [bucket])).resolves.toBeUndefined();
  });

  it('takes a browser POST upload with a presigned policy and delivers the object-created event with the AWS key encoding', async () => {
    const key = `${S3_PREFIX.uploads}XF-2026-000001/扫描件 (1).pdf`;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
    const form = await createPresignedPost(clients.s3, {
      Bucket: bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, 10_000],
        ['eq', '$Content-Type', 'application/pdf'],
      ],
      Fields: { 'Content-Type': 'application/pdf' },
      Expires: 300,
    });

    const result = await uploadPresignedPost(form, bytes, { contentType: 'application/pdf', filename: 'scan.pdf' });
    await s3Local.settled();

    expect(result.status).toBe(204);
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(head.ContentType).toBe('application/pdf');
    const record = events.find((e) => e.Records[0]?.s3.object.key === encodeEventKey(key))?.Records[0];
    expect(record).toBeDefined();
    expect(record?.eventName).toBe('ObjectCreated:Post');
    expect(record?.eventSource).toBe('aws:s3');
    expect(record?.s3.bucket.name).toBe(bucket);
    expect(record?.s3.object.key).toBe('uploads/XF-2026-000001/%E6%89%AB%E6%8F%8F%E4%BB%B6+%281%29.pdf');
    expect(decodeURIComponent((record?.s3.object.key ?? '').replace(/\+/g, ' '))).toBe(key);
    expect(record?.s3.object.size).toBe(bytes.length);
    expect(record?.s3.object.eTag).toBe(createHash('md5').update(bytes).digest('hex'));
  });

  it('does not enforce the POST policy (size range, type): the upload check has to', async () => {
    const key = `${S3_PREFIX.uploads}XF-2026-000002/too-big`;
    const form = await createPresignedPost(clients.s3, {
      Bucket: bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, 100],
        ['eq', '$Content-Type', 'application/pdf'],
      ],
      Fields: { 'Content-Type': 'application/pdf' },
      Expires: 300,
    });
    const tampered = { ...form, fields: { ...form.fields, 'Content-Type': 'text/html' } };

    const result = await uploadPresignedPost(tampered, randomBytes(500), { contentType: 'text/html' });

    // Real S3 answers 403 (policy condition failed) to this; s3rver 3.7.1 stores it.
    expect(result.status).toBe(204);
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(500);
    expect(head.ContentType).toBe('text/html');
  });

  it('serves a presigned GET with the same bytes', async () => {
    const key = 'generated/XF-2026-000001/letter.pdf';
    const bytes = randomBytes(64 * 1024);
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/pdf' }));

    const url = await getSignedUrl(clients.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 });
    const res = await fetch(url);

    expect(res.status).toBe(200);
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(bytes));
    expect(events.some((e) => e.Records[0]?.s3.object.key === key && e.Records[0].eventName === 'ObjectCreated:Put')).toBe(true);
  });

  it('round-trips a streamed PutObject of about 5 MB byte for byte', async () => {
    const key = 'uploads/XF-2026-000003/streamed.bin';
    const bytes = randomBytes(5 * 1024 * 1024 + 321);
    const chunks = function* (): Generator<Buffer> {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    };

    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(chunks()), ContentLength: bytes.length }));
    const got = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const stored = await got.Body?.transformToByteArray();

    expect(stored?.length).toBe(bytes.length);
    expect(sha256(stored ?? new Uint8Array())).toBe(sha256(bytes));
  });
});
