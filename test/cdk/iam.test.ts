/**
 * Least privilege, function by function: the exact IAM actions each role allows, and on what.
 * The expectations are written out here, not derived from the stack's own grant table, so a
 * widened grant fails a test.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS, type FunctionName } from '../../shared/http/routes';
import { S3_PREFIX, TABLE } from '../../shared/storage/definitions';
import { actionsOf, allActionsOf, flattenArn, logicalId, resourcesOf, statementsFor, SYNTH_TIMEOUT_MS, synthesize, type Json, type Synthesized } from './support';

const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_READ_WRITE = [...TABLE_READ, 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_READ_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
const SECRET = ['secretsmanager:GetSecretValue'];
const { uploads, generated, quarantine } = S3_PREFIX;

interface Expected {
  dynamodb: string[];
  /** s3 object action → the key prefixes it is granted on. */
  objects: Record<string, string[]>;
  listBucket?: boolean;
  other: string[];
}

const EXPECTED: Record<FunctionName, Expected> = {
  'cases-read': { dynamodb: TABLE_READ, objects: {}, other: [...TABLE_KEY_READ, ...SECRET] },
  'cases-write': {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [uploads, generated], 's3:PutObject': [uploads, generated] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
  },
  documents: {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [uploads, generated], 's3:PutObject': [uploads] },
    other: [...TABLE_KEY_READ_WRITE, ...SECRET],
  },
  public: { dynamodb: TABLE_READ_WRITE, objects: { 's3:GetObject': [generated] }, other: [...TABLE_KEY_READ_WRITE, ...SECRET] },
  // Templates in the table only: no documents, no PII key.
  admin: { dynamodb: TABLE_READ_WRITE, objects: {}, other: TABLE_KEY_READ_WRITE },
  openapi: { dynamodb: [], objects: {}, other: [] },
  'verify-upload': {
    dynamodb: TABLE_READ_WRITE,
    objects: { 's3:GetObject': [uploads], 's3:PutObject': [quarantine], 's3:DeleteObject': [uploads] },
    listBucket: true,
    other: [...TABLE_KEY_READ_WRITE, ...SECRET, 'sqs:SendMessage'],
  },
};

const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();

let s: Synthesized;
let tableId: string;
let bucketId: string;
let tableKeyId: string;
let documentsKeyId: string;
let secretId: string;

beforeAll(() => {
  s = synthesize();
  tableId = logicalId(s.stack.table.table.node.defaultChild as CfnResource);
  bucketId = logicalId(s.stack.documents.bucket.node.defaultChild as CfnResource);
  tableKeyId = logicalId(s.stack.table.key.node.defaultChild as CfnResource);
  documentsKeyId = logicalId(s.stack.documents.key.node.defaultChild as CfnResource);
  secretId = logicalId(s.stack.piiHashKey.node.defaultChild as CfnResource);
}, SYNTH_TIMEOUT_MS);

describe.each(ALL_FUNCTIONS)('the %s function', (fn) => {
  const expected = EXPECTED[fn];

  it('is allowed exactly the expected actions, nothing else', () => {
    const objectActions = Object.keys(expected.objects);
    const kmsForObjects = [
      ...(expected.objects['s3:GetObject'] ? ['kms:Decrypt'] : []),
      ...(expected.objects['s3:PutObject'] ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
    ];
    const want = sorted([...BASE, ...expected.dynamodb, ...objectActions, ...(expected.listBucket ? ['s3:ListBucket'] : []), ...expected.other, ...kmsForObjects]);
    expect(allActionsOf(s, fn)).toEqual(want);
  });

  it('never scans the table and never writes if it only reads', () => {
    const actions = allActionsOf(s, fn);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    if (!expected.dynamodb.includes('dynamodb:PutItem')) {
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
    expect(sorted(resources)).toEqual(sorted([`<${tableId}>`, ...TABLE.indexes.map((i) => `<${tableId}>/index/${i.name}`)]));
  });

  it('touches documents only under its key prefixes', () => {
    const granted: Record<string, string[]> = {};
    for (const st of statementsFor(s, fn, 's3')) {
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
      else if (key === `<${documentsKeyId}>`) expect(via).toContain('"s3."');
      else throw new Error(`${fn} may use an unexpected key ${key}`);
    }
  });

  it('reads the PII hash key secret only if it hashes, and nothing else in Secrets Manager', () => {
    const resources = statementsFor(s, fn, 'secretsmanager').flatMap(resourcesOf).map(flattenArn);
    expect(resources).toEqual(expected.other.includes('secretsmanager:GetSecretValue') ? [`<${secretId}>`] : []);
  });

  it('has a role of its own with no AWS managed policy', () => {
    const role = s.stack.functions[fn].role.node.defaultChild as CfnResource;
    const props = s.template.toJSON().Resources[logicalId(role)].Properties as Json;
    expect(props.ManagedPolicyArns).toBeUndefined();
  });
});
