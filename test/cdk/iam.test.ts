/**
 * Least privilege, function by function: the exact IAM actions each role allows, and on what.
 * The expectations are written out here, not derived from the stack's own grant table, so a
 * widened grant fails a test.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS, type FunctionName } from '../../shared/http/routes';
import { S3_PREFIX, TABLE } from '../../shared/storage/definitions';
import {
  actionsOf,
  allActionsOf,
  flattenArn,
  logicalId,
  resourcesOf,
  statementsFor,
  SYNTH_TIMEOUT_MS,
  synthesize,
  type Json,
  type Statement,
  type Synthesized,
} from './support';

const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_READ_WRITE = [...TABLE_READ, 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_READ_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
const SECRET = ['secretsmanager:GetSecretValue'];
const { uploads, verified, generated, quarantine, reports, exports } = S3_PREFIX;

interface Expected {
  dynamodb: string[];
  /** s3 object action → the key prefixes it is granted on. */
  objects: Record<string, string[]>;
  listBucket?: boolean;
  other: string[];
  /** What its table actions are granted on: the table and each index (default), or the notices' table and stream. */
  tableResources?: 'notices';
  /** The secrets it reads (GetSecretValue): the PII hash key, the cursor key of the list routes. */
  secrets?: ('pii' | 'cursor')[];
  /** The archive bucket: object actions under packages/, bucket actions, and actions on the archive's key. */
  archive?: { objects: string[]; bucket: string[]; key: string[] };
}

const ARCHIVE_READ = { objects: ['s3:GetObject'], bucket: [], key: ['kms:Decrypt'] };

const EXPECTED: Record<FunctionName, Expected> = {
  'cases-read': { dynamodb: TABLE_READ, objects: {}, other: [...TABLE_KEY_READ, ...SECRET], secrets: ['pii', 'cursor'] },
  'cases-write': {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [uploads, generated], 's3:PutObject': [uploads, generated] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
  },
  // Presigned POSTs to uploads/; downloads of verified copies and letters only, never of uploads/ (a link holder writes there).
  documents: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [verified, generated], 's3:PutObject': [uploads] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
  },
  public: { dynamodb: TABLE_READ_WRITE, objects: { 's3:GetObject': [generated] }, other: [...TABLE_KEY_READ_WRITE, ...SECRET] },
  // 网上信访: counters, codes and the case in the table; upload links and the receipt; SMS from the office's sender only.
  online: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [generated], 's3:PutObject': [uploads, generated] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET, 'sms-voice:SendTextMessage'],
  },
  // Templates, calendar, directory and office trail in the table: no documents, no PII key; the
  // office's users through Cognito's admin API (written out: a widened grant fails).
  admin: {
    dynamodb: TABLE_READ_WRITE,
    objects: {},
    other: [
      ...TABLE_KEY_READ_WRITE,
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminUpdateUserAttributes',
      'cognito-idp:AdminUserGlobalSignOut',
    ],
  },
  openapi: { dynamodb: [], objects: {}, other: [] },
  'verify-upload': {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [uploads, verified], 's3:PutObject': [verified, quarantine], 's3:DeleteObject': [uploads, verified] },
    listBucket: true,
    other: [...TABLE_KEY_READ_WRITE, ...SECRET, 'sqs:SendMessage'],
  },
  // OCR: reads the verified copies only; the reading, the scan text and its search refresh in the
  // table (the refresh hashes personal numbers); receives and deletes its queue's messages.
  ocr: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [verified] },
    other: [
      ...TABLE_KEY_READ_WRITE,
      ...SECRET,
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ],
  },
  // Archive (HTTP): audit events, loans and disposal records in the table; presigns downloads of archived files; the petitioner search hashes.
  'archive-api': {
    dynamodb: TABLE_READ_WRITE,
    objects: {},
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
    archive: { ...ARCHIVE_READ, bucket: ['s3:ListBucket'] },
    secrets: ['pii', 'cursor'],
  },
  // archive-run: copies originals (read) and removes them once archived; the only writer of the archive, with Object Lock, and the only one that destroys.
  'archive-run': {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [verified, uploads, generated], 's3:DeleteObject': [verified, uploads, generated] },
    other: [...TABLE_KEY_READ_WRITE, 'sqs:SendMessage'],
    archive: {
      objects: [
        's3:GetObject',
        's3:PutObject',
        's3:PutObjectRetention',
        's3:PutObjectLegalHold',
        's3:GetObjectRetention',
        's3:GetObjectLegalHold',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
      ],
      bucket: ['s3:ListBucket', 's3:ListBucketVersions'],
      key: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    },
  },
  // Fixity: reads the archive (and lists it, so a missing file is 404), keeps its pass and records problems in the table.
  'archive-verify': {
    dynamodb: TABLE_READ_WRITE,
    objects: {},
    other: [...TABLE_KEY_READ_WRITE, 'sqs:SendMessage'],
    archive: { ...ARCHIVE_READ, bucket: ['s3:ListBucket'] },
  },
  // The deadline sweep: milestones in the table, the 督办单 under generated/ (written, never read), the frozen reports under reports/; its DLQ.
  // The PII key (only that secret) for its other task, the retry of failed search refreshes (keyed hashes of ID and phone numbers).
  sweep: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [reports], 's3:PutObject': [generated, reports] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET, 'sqs:SendMessage'],
    secrets: ['pii'],
  },
  // The dashboard, supervisions, the outbox, and the sweep on demand (which issues 督办单 too).
  // The outbox is a list route: the cursor key, not the PII key.
  oversight: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [reports], 's3:PutObject': [generated] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
    secrets: ['cursor'],
  },
  // Exports: reads cases, the search index and report facts, appends to the office trail; puts the
  // file under exports/ and presigns its download; reads the frozen reports; hashes like GET /cases.
  exports: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [exports, reports], 's3:PutObject': [exports] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
  },
  // Claims a notice and marks it sent (no Put), finds the notices due for a retry (Query on byDue
  // only), reads the table's stream, sends email from one address, and parks what it cannot
  // deliver in its failure queue.
  'notify-sender': {
    dynamodb: [
      'dynamodb:DescribeStream',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    objects: {},
    other: [...TABLE_KEY_READ_WRITE, 'ses:SendEmail', 'sms-voice:SendTextMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    tableResources: 'notices',
  },
};

const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();

let s: Synthesized;
let tableId: string;
let bucketId: string;
let tableKeyId: string;
let documentsKeyId: string;
let secretId: string;
let cursorSecretId: string;
let archiveBucketId: string;
let archiveKeyId: string;

beforeAll(() => {
  s = synthesize();
  tableId = logicalId(s.stack.table.table.node.defaultChild as CfnResource);
  bucketId = logicalId(s.stack.documents.bucket.node.defaultChild as CfnResource);
  tableKeyId = logicalId(s.stack.table.key.node.defaultChild as CfnResource);
  documentsKeyId = logicalId(s.stack.documents.key.node.defaultChild as CfnResource);
  secretId = logicalId(s.stack.piiHashKey.node.defaultChild as CfnResource);
  cursorSecretId = logicalId(s.stack.cursorKey.node.defaultChild as CfnResource);
  archiveBucketId = logicalId(s.stack.archive.bucket.node.defaultChild as CfnResource);
  archiveKeyId = logicalId(s.stack.archive.key.node.defaultChild as CfnResource);
}, SYNTH_TIMEOUT_MS);

/** Statements on the archive bucket (or its objects), and the others. */
const onArchive = (st: Statement): boolean =>
  resourcesOf(st)
    .map(flattenArn)
    .some((r) => r.startsWith(`<${archiveBucketId}>`));

describe.each(ALL_FUNCTIONS)('the %s function', (fn) => {
  const expected = EXPECTED[fn];

  it('is allowed exactly the expected actions, nothing else', () => {
    const objectActions = Object.keys(expected.objects);
    const kmsForObjects = [
      ...(expected.objects['s3:GetObject'] ? ['kms:Decrypt'] : []),
      ...(expected.objects['s3:PutObject'] ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
    ];
    const archive = expected.archive ? [...expected.archive.objects, ...expected.archive.bucket, ...expected.archive.key] : [];
    const want = sorted([
      ...BASE,
      ...expected.dynamodb,
      ...objectActions,
      ...(expected.listBucket ? ['s3:ListBucket'] : []),
      ...expected.other,
      ...kmsForObjects,
      ...archive,
    ]);
    expect(allActionsOf(s, fn)).toEqual(want);
  });

  it('never scans the table and never writes if it only reads', () => {
    const actions = allActionsOf(s, fn);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    if (!expected.dynamodb.some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem'].includes(a))) {
      for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems']) {
        expect(actions).not.toContain(write);
      }
    }
  });

  it('uses the table and each named index, with no index wildcard', () => {
    const resources = statementsFor(s, fn, 'dynamodb').flatMap(resourcesOf).map(flattenArn);
    if (expected.dynamodb.length === 0) {
      expect(resources).toEqual([]);
      return;
    }
    if (expected.tableResources === 'notices') {
      // ListStreams has no resource-level permission (acknowledged in infra/constructs/registry-function.ts).
      expect(sorted(resources)).toEqual(sorted([`<${tableId}>`, `<${tableId}>`, `<${tableId}>/index/byDue`, '*']));
      return;
    }
    expect(sorted(resources)).toEqual(sorted([`<${tableId}>`, ...TABLE.indexes.map((i) => `<${tableId}>/index/${i.name}`)]));
  });

  it('touches documents only under its key prefixes', () => {
    const granted: Record<string, string[]> = {};
    for (const st of statementsFor(s, fn, 's3').filter((x) => !onArchive(x))) {
      for (const action of actionsOf(st)) {
        if (action === 's3:ListBucket') {
          expect(resourcesOf(st).map(flattenArn)).toEqual([`<${bucketId}>`]);
          continue;
        }
        granted[action] = sorted([...(granted[action] ?? []), ...resourcesOf(st).map(flattenArn)]);
      }
    }
    const want = Object.fromEntries(Object.entries(expected.objects).map(([action, prefixes]) => [action, sorted(prefixes.map((p) => `<${bucketId}>/${p}*`))]));
    expect(granted).toEqual(want);
  });

  it('uses each KMS key only through its own service', () => {
    for (const st of statementsFor(s, fn, 'kms')) {
      const [key] = resourcesOf(st).map(flattenArn);
      const via = JSON.stringify((st.Condition as Json | undefined)?.StringEquals ?? {});
      if (key === `<${tableKeyId}>`) expect(via).toContain('"dynamodb."');
      else if (key === `<${documentsKeyId}>` || key === `<${archiveKeyId}>`) expect(via).toContain('"s3."');
      else throw new Error(`${fn} may use an unexpected key ${key}`);
    }
  });

  it('touches the archive only under packages/, and writes or deletes there only if it is archive-run', () => {
    const statements = statementsFor(s, fn, 's3').filter(onArchive);
    const objects = statements.filter((st) =>
      resourcesOf(st)
        .map(flattenArn)
        .every((r) => r === `<${archiveBucketId}>/packages/*`),
    );
    const bucket = statements.filter((st) =>
      resourcesOf(st)
        .map(flattenArn)
        .every((r) => r === `<${archiveBucketId}>`),
    );
    expect(objects.length + bucket.length).toBe(statements.length);
    expect(sorted(objects.flatMap(actionsOf))).toEqual(sorted(expected.archive?.objects ?? []));
    expect(sorted(bucket.flatMap(actionsOf))).toEqual(sorted(expected.archive?.bucket ?? []));
    const writes = statements.flatMap(actionsOf).filter((a) => /^s3:(Put|Delete|Restore|Bypass)/.test(a));
    if (fn !== 'archive-run') expect(writes).toEqual([]);
  });

  it('reads the PII hash key secret only if it hashes, the cursor key only if it serves lists, and nothing else in Secrets Manager', () => {
    const resources = statementsFor(s, fn, 'secretsmanager').flatMap(resourcesOf).map(flattenArn);
    const secrets = expected.secrets ?? (expected.other.includes('secretsmanager:GetSecretValue') ? ['pii'] : []);
    expect(sorted(resources)).toEqual(sorted(secrets.map((k) => `<${k === 'pii' ? secretId : cursorSecretId}>`)));
  });

  it('has a role of its own with no AWS managed policy', () => {
    const role = s.stack.functions[fn].role.node.defaultChild as CfnResource;
    const props = s.template.toJSON().Resources[logicalId(role)].Properties as Json;
    expect(props.ManagedPolicyArns).toBeUndefined();
  });
});

describe('the admin function', () => {
  it("uses Cognito's admin API on its own user pool only, and no other function may", () => {
    const poolId = logicalId(s.stack.identity.userPool.node.defaultChild as CfnResource);
    const statements = statementsFor(s, 'admin', 'cognito-idp');
    expect(statements.flatMap(resourcesOf).map(flattenArn)).toEqual(statements.map(() => `<${poolId}>`));
    for (const fn of ALL_FUNCTIONS.filter((f) => f !== 'admin')) expect(statementsFor(s, fn, 'cognito-idp')).toEqual([]);
    const env = (s.template.toJSON().Resources[logicalId(s.stack.functions.admin.fn.node.defaultChild as CfnResource)].Properties as Json).Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.USER_POOL_ID).toEqual({ Ref: poolId });
  });
});

describe('the notice sender', () => {
  it('reads the table’s stream on the stream’s ARN, and touches only the notices of the table', () => {
    const byAction = (action: string) => statementsFor(s, 'notify-sender', 'dynamodb').filter((st) => actionsOf(st).includes(action));
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      expect(byAction(action).flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [tableId, 'StreamArn'] }]);
    }
    for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateItem']) {
      expect(byAction(action).flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    }
    // The retry run's Query: the byDue index only (its NOTICE#RETRY partitions), never the table.
    expect(byAction('dynamodb:Query').flatMap(resourcesOf).map(flattenArn)).toEqual([`<${tableId}>/index/byDue`]);
  });

  it('sends email only from the configured address, through its identity and configuration set', () => {
    const statements = statementsFor(s, 'notify-sender', 'ses');
    expect(statements).toHaveLength(1);
    const send = statements[0] as Statement;
    expect(actionsOf(send)).toEqual(['ses:SendEmail']);
    expect(send.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'xinfang-noreply@example.gov.cn' } });
    expect(resourcesOf(send).map((r) => JSON.stringify(r))).toEqual([
      expect.stringContaining(':identity/example.gov.cn'),
      expect.stringContaining(':configuration-set/'),
    ]);
  });
});
