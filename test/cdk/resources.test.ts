/**
 * What the stack must be, resource by resource: recovery and encryption of the table, the
 * documents bucket's protections, the functions' runtime, tracing, logs and configuration, the
 * upload check's DLQ and alarms, the API's routes and authorizer, Cognito, and the outputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../shared/config/env';
import { ROLES } from '../../shared/domain/roles';
import { LETTER_FONT_FILES } from '../../shared/letters/fonts';
import { ALL_FUNCTIONS, HTTP_FUNCTIONS, ROUTES, routeKey } from '../../shared/http/routes';
import { DOCUMENTS_BUCKET, S3_PREFIX, TABLE } from '../../shared/storage/definitions';
import { HTTP_BUDGET_MS } from '../../functions/archive-run/handler';
import { MODEL_FILES } from '../../shared/adapters/ocr/models';
import { logicalId, SYNTH_TIMEOUT_MS, synthesize, TEST_ORIGIN, type Json, type Synthesized } from './support';

let s: Synthesized;
const resourceOf = (c: { node: { defaultChild?: unknown } }): Json => s.template.toJSON().Resources[logicalId(c.node.defaultChild as CfnResource)] as Json;
const propsOf = (c: { node: { defaultChild?: unknown } }): Json => resourceOf(c).Properties as Json;

beforeAll(() => {
  s = synthesize({ bundle: true });
}, SYNTH_TIMEOUT_MS);

/** `https://` + the distribution's domain name, as CloudFormation joins it. */
const webOrigin = (): Json => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(s.stack.web.distribution.node.defaultChild as CfnResource), 'DomainName'] }]],
});

describe('the table', () => {
  it('is on demand, recoverable, protected from deletion and encrypted with a rotating customer key', () => {
    const table = propsOf(s.stack.table.table);
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(s.stack.table.key.node.defaultChild as CfnResource), 'Arn'] },
      },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(propsOf(s.stack.table.key)).toMatchObject({ EnableKeyRotation: true });
    expect(resourceOf(s.stack.table.table).DeletionPolicy).toBe('Retain');
  });

  it('has every index of the storage definition, string keys, all attributes projected', () => {
    const table = propsOf(s.stack.table.table);
    const indexes = table.GlobalSecondaryIndexes as Json[];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(TABLE.indexes.map((i) => i.name).sort());
    for (const index of TABLE.indexes) {
      expect(indexes).toContainEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
    const attributes = table.AttributeDefinitions as Json[];
    for (const name of [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]) {
      expect(attributes).toContainEqual({ AttributeName: name, AttributeType: 'S' });
    }
  });
});

describe('the documents bucket', () => {
  it('is versioned, KMS-encrypted, closed to the public and logs its access', () => {
    expect(propsOf(s.stack.documents.bucket)).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(s.stack.documents.key.node.defaultChild as CfnResource), 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(s.stack.documents.accessLogs.node.defaultChild as CfnResource) } },
    });
    expect(propsOf(s.stack.documents.key)).toMatchObject({ EnableKeyRotation: true });
  });

  it('refuses requests without TLS, on the documents and the access-log bucket', () => {
    for (const bucket of [s.stack.documents.bucket, s.stack.documents.accessLogs]) {
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(bucket.node.defaultChild as CfnResource) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it("lets the configured web origin and the stack's web application upload and download, and nobody else", () => {
    const cors = (propsOf(s.stack.documents.bucket).CorsConfiguration as { CorsRules: Json[] }).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]).toMatchObject({ AllowedOrigins: [TEST_ORIGIN, webOrigin()], AllowedMethods: ['POST', 'PUT', 'GET'], ExposedHeaders: ['ETag'] });
  });

  it('expires noncurrent versions', () => {
    const rules = (propsOf(s.stack.documents.bucket).LifecycleConfiguration as { Rules: Json[] }).Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }));
  });

  it('sends object-created events under the uploads prefix to verify-upload', () => {
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(s.stack.documents.bucket.node.defaultChild as CfnResource) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: S3_PREFIX.uploads }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(s.stack.functions['verify-upload'].fn.node.defaultChild as CfnResource), 'Arn'] },
          },
        ],
      },
    });
  });
});

describe.each(ALL_FUNCTIONS)('the %s function', (name) => {
  it('runs Node 22 on arm64 with tracing, explicit memory and timeout', () => {
    const fn = propsOf(s.stack.functions[name].fn);
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' });
    expect(fn.MemorySize).toBeGreaterThanOrEqual(256);
    expect(fn.Timeout).toBeGreaterThan(3);
    // archive-run serves one route but is also the daily schedule's target (15 minutes); on the
    // route it starts no case after HTTP_BUDGET_MS (tested in 'the archive' below).
    if ((HTTP_FUNCTIONS as readonly string[]).includes(name) && name !== 'archive-run') expect(fn.Timeout).toBeLessThan(30);
  });

  it('logs to its own log group, kept for a year', () => {
    const fn = propsOf(s.stack.functions[name].fn);
    const logGroupId = logicalId(s.stack.functions[name].logGroup.node.defaultChild as CfnResource);
    expect(fn.LoggingConfig).toMatchObject({ LogGroup: { Ref: logGroupId } });
    expect(propsOf(s.stack.functions[name].logGroup)).toMatchObject({ RetentionInDays: 365 });
  });

  it('is told its service name, the token issuer if it serves routes that need a token, and (if it uses them) the table, bucket and secret', () => {
    const env = (propsOf(s.stack.functions[name].fn).Environment as { Variables: Json }).Variables;
    expect(env[ENV.serviceName]).toBe('xinfang-registry');
    const takesTokens = ['cases-read', 'cases-write', 'documents', 'admin', 'archive-api', 'archive-run', 'oversight', 'exports'].includes(name);
    for (const v of [ENV.authIssuer, ENV.authAudience, ENV.authJwksUrl]) expect(env[v] !== undefined).toBe(takesTokens);
    const usesTable = name !== 'openapi';
    // The admin function keeps letter templates in the table: no bucket, no PII hash key.
    const usesCases = usesTable && name !== 'admin';
    // The deadline sweep's functions hash and show no ID numbers — but the sweep function also retries failed
    // search refreshes, which hash them; the notice sender has no bucket either.
    // The archive's functions: only archive-run touches the working bucket; only the search hashes.
    const usesBucket = usesCases && !['notify-sender', 'archive-api', 'archive-verify'].includes(name);
    const usesPiiKey = usesCases && !['oversight', 'notify-sender', 'archive-run', 'archive-verify'].includes(name);
    expect(env[ENV.tableName] !== undefined).toBe(usesTable);
    expect(env[DOCUMENTS_BUCKET.envVar] !== undefined).toBe(usesBucket);
    expect(env[ENV.piiHashKeySecretArn] !== undefined).toBe(usesPiiKey);
    expect(env[ENV.piiHashKey]).toBeUndefined();
    // The functions that serve list routes seal their page cursors.
    expect(env[ENV.cursorKeySecretArn] !== undefined).toBe(['cases-read', 'archive-api', 'oversight'].includes(name));
    expect(env[ENV.cursorKey]).toBeUndefined();
  });
});

describe('the letters', () => {
  /** The staged asset of a function or layer: cdk.out/asset.<hash>, the hash being its S3 key. */
  const assetDir = (c: { node: { defaultChild?: unknown } }): string => {
    const props = propsOf(c);
    const key = ((props.Code ?? props.Content) as Json).S3Key as string;
    return path.join(s.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };
  const filesUnder = (dir: string): string[] =>
    (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();

  it('ship the fonts the letters load in the layer, and not in any function bundle', () => {
    const layer = s.stack.node.findChild('Fonts').node.findChild('Layer');
    expect(filesUnder(assetDir(layer))).toEqual(
      Object.values(LETTER_FONT_FILES)
        .map((f) => path.join('fonts', f.file))
        .sort(),
    );
    // (The OCR function carries its engine's native parts and models beside the bundle: 'the OCR' below.)
    for (const name of ALL_FUNCTIONS.filter((n) => n !== 'ocr')) {
      const files = filesUnder(assetDir(s.stack.functions[name].fn));
      expect(files).toEqual(['index.mjs', 'index.mjs.map']);
    }
  });

  it('get the CJK fonts from a layer at /opt/fonts, only where letters are rendered (the online receipt and the report PDF too) or templates checked', () => {
    const layerId = logicalId(s.stack.node.findChild('Fonts').node.findChild('Layer').node.defaultChild as CfnResource);
    for (const name of ALL_FUNCTIONS) {
      const fn = propsOf(s.stack.functions[name].fn);
      const env = (fn.Environment as { Variables: Json }).Variables;
      if (['cases-write', 'admin', 'sweep', 'oversight', 'archive-run', 'online', 'exports'].includes(name)) {
        expect(fn.Layers).toEqual([{ Ref: layerId }]);
        expect(env[ENV.fontDir]).toBe('/opt/fonts');
      } else {
        expect(fn.Layers).toBeUndefined();
        expect(env[ENV.fontDir]).toBeUndefined();
      }
    }
  });
});

describe('the upload check (asynchronous)', () => {
  it('sends failed events to an encrypted, TLS-only dead-letter queue after two retries', () => {
    const fn = s.stack.functions['verify-upload'].fn;
    const queueId = logicalId(s.stack.uploadDlq.node.defaultChild as CfnResource);
    expect(propsOf(fn).DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(fn.node.defaultChild as CfnResource) },
      MaximumRetryAttempts: 2,
    });
    expect(propsOf(s.stack.uploadDlq)).toMatchObject({ SqsManagedSseEnabled: true });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('raises an alarm on errors and on a non-empty DLQ', () => {
    const fnId = logicalId(s.stack.functions['verify-upload'].fn.node.defaultChild as CfnResource);
    const queueId = logicalId(s.stack.uploadDlq.node.defaultChild as CfnResource);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      Threshold: 1,
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
    });
  });
});

describe('the OCR (machine reading of the scans)', () => {
  const fnId = () => logicalId(s.stack.functions.ocr.fn.node.defaultChild as CfnResource);
  const queueId = () => logicalId(s.stack.ocr.queue.node.defaultChild as CfnResource);
  const dlqId = () => logicalId(s.stack.ocr.dlq.node.defaultChild as CfnResource);

  it('is fed the object-created events of the verified copies through an encrypted queue, one message at a time with partial batch failures', () => {
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: S3_PREFIX.verified }] } },
            QueueArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          },
        ],
      },
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId() },
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const timeout = propsOf(s.stack.functions.ocr.fn).Timeout as number;
    expect(propsOf(s.stack.ocr.queue)).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: timeout + 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(propsOf(s.stack.ocr.dlq)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('runs on arm64 with memory for the engine, minutes of time and a small reserved concurrency; raises an alarm on a non-empty DLQ', () => {
    expect(propsOf(s.stack.functions.ocr.fn)).toMatchObject({ Architectures: ['arm64'], MemorySize: 2048, ReservedConcurrentExecutions: 2 });
    expect(propsOf(s.stack.functions.ocr.fn).Timeout).toBeGreaterThanOrEqual(300);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it("ships the engine's linux-arm64 binaries (no other platform), the models it is pointed at, pdfjs and the canvas binary", () => {
    const props = propsOf(s.stack.functions.ocr.fn);
    const dir = path.join(s.app.outdir, `asset.${((props.Code as Json).S3Key as string).replace(/\.zip$/, '')}`);
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
    expect(files).toContain('index.mjs');
    expect(files).toContain(path.join('node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'arm64', 'onnxruntime_binding.node'));
    expect(files.filter((f) => f.includes(`${path.sep}napi-v6${path.sep}`) && !f.includes(`linux${path.sep}arm64`))).toEqual([]);
    expect(files).toContain(path.join('node_modules', '@napi-rs', 'canvas-linux-arm64-gnu', 'skia.linux-arm64-gnu.node'));
    expect(files).toContain(path.join('node_modules', 'pdfjs-dist', 'legacy', 'build', 'pdf.mjs'));
    expect(files.filter((f) => f.startsWith(`models${path.sep}`)).sort()).toEqual([...Object.values(MODEL_FILES)].sort().map((f) => path.join('models', f)));
    expect((props.Environment as { Variables: Json }).Variables[ENV.ocrModelsDir]).toBe('/var/task/models');
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    expect(bytes).toBeLessThan(150 * 1024 * 1024);
  });
});

describe('the upload reconciliation', () => {
  const fnId = () => logicalId(s.stack.functions['verify-upload'].fn.node.defaultChild as CfnResource);
  const dlqId = () => logicalId(s.stack.uploadDlq.node.defaultChild as CfnResource);

  it('invokes verify-upload every day at 01:00 in Asia/Shanghai (before the archive run), retried, with its DLQ', () => {
    const schedules = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as Json).Properties as Json);
    const daily = schedules.filter((p) => JSON.stringify(p.Target).includes(fnId()));
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId(), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2 },
        Input: JSON.stringify({ task: 'reconcile-uploads' }),
      },
    });
  });

  it('lets its scheduler role invoke verify-upload and nothing else', () => {
    const role = logicalId(s.stack.uploadReconciliation.node.findChild('SchedulerRole').node.defaultChild as CfnResource);
    const policies = Object.values(s.template.findResources('AWS::IAM::Policy')).map((r) => (r as Json).Properties as Json);
    const mine = policies.filter((p) => JSON.stringify(p.Roles).includes(role));
    const statements = mine.flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement);
    const invoke = statements.filter((st) => JSON.stringify(st.Action).includes('lambda:InvokeFunction'));
    expect(invoke.length).toBeGreaterThan(0);
    for (const st of invoke) expect(JSON.stringify(st.Resource)).toContain(fnId());
    expect(statements.flatMap((st) => [st.Action].flat()).filter((a) => !['lambda:InvokeFunction', 'sqs:SendMessage'].includes(String(a)))).toEqual([]);
  });
});

describe('the deadline sweep', () => {
  const fnId = () => logicalId(s.stack.functions.sweep.fn.node.defaultChild as CfnResource);
  const dlqId = () => logicalId(s.stack.sweepDlq.node.defaultChild as CfnResource);

  it('runs every day at 08:00 in Asia/Shanghai, retried by the scheduler, with a dead-letter queue', () => {
    const schedules = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as Json).Properties as Json);
    const sweep = schedules.filter((p) => JSON.stringify(p.Target).includes(fnId()) && !JSON.stringify(p.Target).includes('task'));
    expect(sweep).toHaveLength(1);
    expect(sweep[0]).toMatchObject({
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId(), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    });
  });

  it('retries failed search refreshes every 15 minutes with the same function, retried by the scheduler, with the same DLQ', () => {
    const schedules = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as Json).Properties as Json);
    const retry = schedules.filter((p) => JSON.stringify(p.Target).includes('search-refresh'));
    expect(retry).toHaveLength(1);
    expect(propsOf(s.stack.sweeps.searchRefreshSchedule)).toEqual(retry[0]);
    expect(retry[0]).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId(), 'Arn'] },
        Input: JSON.stringify({ task: 'search-refresh' }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    });
  });

  it('re-queues lost OCR jobs every 30 minutes with the same function: SendMessage on the OCR queue only, its URL in the environment', () => {
    const schedules = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as Json).Properties as Json);
    const requeue = schedules.filter((p) => JSON.stringify(p.Target).includes('ocr-requeue'));
    expect(requeue).toHaveLength(1);
    expect(propsOf(s.stack.sweeps.ocrRequeueSchedule)).toEqual(requeue[0]);
    expect(requeue[0]).toMatchObject({
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId(), 'Arn'] },
        Input: JSON.stringify({ task: 'ocr-requeue' }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    });
    const queueId = logicalId(s.stack.ocr.queue.node.defaultChild as CfnResource);
    const env = (propsOf(s.stack.functions.sweep.fn).Environment as { Variables: Json }).Variables;
    expect(env[ENV.ocrQueueUrl]).toEqual({ Ref: queueId });
    const role = logicalId(s.stack.functions.sweep.fn.role?.node.defaultChild as CfnResource);
    const statements = Object.values(s.template.findResources('AWS::IAM::Policy'))
      .map((r) => (r as Json).Properties as Json)
      .filter((p) => JSON.stringify(p.Roles).includes(role))
      .flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement);
    const onQueue = statements.filter((st) => JSON.stringify(st.Resource).includes(queueId));
    expect(onQueue).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }]);
    // No other function may send to it (the OCR function only receives).
    const ocrRole = logicalId(s.stack.functions.ocr.fn.role?.node.defaultChild as CfnResource);
    const ocrSends = Object.values(s.template.findResources('AWS::IAM::Policy'))
      .map((r) => (r as Json).Properties as Json)
      .filter((p) => JSON.stringify(p.Roles).includes(ocrRole))
      .flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement)
      .filter((st) => JSON.stringify(st.Action).includes('sqs:SendMessage'));
    expect(ocrSends).toEqual([]);
  });

  it('sends a failed run to its encrypted DLQ after two retries (the retries resume the run)', () => {
    expect(propsOf(s.stack.functions.sweep.fn).DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId() }, MaximumRetryAttempts: 2 });
    expect(propsOf(s.stack.sweepDlq)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(propsOf(s.stack.functions.sweep.fn).Timeout).toBe(900);
  });

  it('raises alarms on the sweep’s errors, its DLQ, the sender’s errors and its failure queue', () => {
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as Json).Properties as Json);
    const on = (metric: string, dimension: unknown) =>
      alarms.filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)) && a.Threshold === 1);
    expect(on('Errors', { Ref: fnId() })).toHaveLength(1);
    expect(on('ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': [dlqId(), 'QueueName'] })).toHaveLength(1);
    expect(on('Errors', { Ref: logicalId(s.stack.functions['notify-sender'].fn.node.defaultChild as CfnResource) })).toHaveLength(1);
    expect(
      on('ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': [logicalId(s.stack.sweeps.senderFailures.node.defaultChild as CfnResource), 'QueueName'] }),
    ).toHaveLength(1);
  });

  it('runs the sender’s retry hourly and raises alarms on notices given up or with no address', () => {
    const senderId = logicalId(s.stack.functions['notify-sender'].fn.node.defaultChild as CfnResource);
    const schedule = propsOf(s.stack.sweeps.retrySchedule);
    expect(schedule.ScheduleExpression).toBe('rate(1 hour)');
    expect(schedule.Target).toMatchObject({
      Arn: { 'Fn::GetAtt': [senderId, 'Arn'] },
      Input: JSON.stringify({ task: 'retry-notices' }),
      RetryPolicy: { MaximumRetryAttempts: 2 },
    });
    const filters = Object.values(s.template.findResources('AWS::Logs::MetricFilter')).map((r) => (r as Json).Properties as Json);
    for (const [metric, field] of [
      ['NoticesFailed', 'noticesFailed'],
      ['NoticesUndeliverable', 'noticesUndeliverable'],
    ] as const) {
      const filter = filters.find((f) => JSON.stringify(f.MetricTransformations).includes(metric));
      expect(filter).toMatchObject({
        FilterPattern: `{ $.${field} > 0 }`,
        MetricTransformations: [{ MetricName: metric, MetricValue: `$.${field}`, MetricNamespace: 'XinfangRegistry' }],
      });
      const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as Json).Properties as Json);
      expect(alarms.filter((a) => a.MetricName === metric && a.Threshold === 1 && a.ComparisonOperator === 'GreaterThanOrEqualToThreshold')).toHaveLength(1);
    }
  });

  it('hands new notices to the sender through the table’s stream, filtered, retried, with a failure queue', () => {
    expect(propsOf(s.stack.table.table).StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(s.stack.functions['notify-sender'].fn.node.defaultChild as CfnResource) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack.table.table.node.defaultChild as CfnResource), 'StreamArn'] },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack.sweeps.senderFailures.node.defaultChild as CfnResource), 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['notice'] } } } }) }] },
    });
    s.template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    const env = (propsOf(s.stack.functions['notify-sender'].fn).Environment as { Variables: Json }).Variables;
    expect(env).toMatchObject({
      [ENV.notifyFrom]: 'xinfang-noreply@example.gov.cn',
      [ENV.sesConfigurationSet]: { Ref: logicalId(s.stack.sweeps.configurationSet.node.defaultChild as CfnResource) },
    });
  });
});

describe('the archive', () => {
  const bucket = () => propsOf(s.stack.archive.bucket);
  const fnId = (name: 'archive-run' | 'archive-verify') => logicalId(s.stack.functions[name].fn.node.defaultChild as CfnResource);
  const dlqId = (name: 'archive-run' | 'archive-verify') => logicalId(s.stack.archiveDlqs[name].node.defaultChild as CfnResource);

  it('is a bucket with Object Lock in compliance mode (10 years by default), versioned, KMS-encrypted, closed, logged and kept', () => {
    expect(bucket()).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(s.stack.archive.key.node.defaultChild as CfnResource), 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(s.stack.documents.accessLogs.node.defaultChild as CfnResource) },
        LogFilePrefix: 'archive/',
      },
    });
    // Nothing expires there: retention is Object Lock's, destruction the registry's.
    const rules = (bucket().LifecycleConfiguration as { Rules: Json[] }).Rules;
    expect(rules.some((r) => r.ExpirationInDays !== undefined || r.NoncurrentVersionExpiration !== undefined)).toBe(false);
    expect(resourceOf(s.stack.archive.bucket).DeletionPolicy).toBe('Retain');
    expect(propsOf(s.stack.archive.key)).toMatchObject({ EnableKeyRotation: true });
  });

  it('refuses requests without TLS, and every write or delete by anyone but archive-run’s role', () => {
    const archiveRunRole = logicalId(s.stack.functions['archive-run'].role.node.defaultChild as CfnResource);
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(s.stack.archive.bucket.node.defaultChild as CfnResource) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'OnlyTheArchiveRunWrites',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: Match.arrayWith(['s3:PutObject', 's3:PutObjectRetention', 's3:DeleteObject', 's3:DeleteObjectVersion']),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [archiveRunRole, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('tells the archive functions the bucket and the Object Lock mode', () => {
    for (const name of ['archive-api', 'archive-run', 'archive-verify'] as const) {
      const env = (propsOf(s.stack.functions[name].fn).Environment as { Variables: Json }).Variables;
      expect(env[ENV.archiveBucket]).toEqual({ Ref: logicalId(s.stack.archive.bucket.node.defaultChild as CfnResource) });
      expect(env[ENV.archiveObjectLock]).toBe('COMPLIANCE');
    }
    for (const name of ALL_FUNCTIONS.filter((n) => !['archive-api', 'archive-run', 'archive-verify'].includes(n))) {
      expect((propsOf(s.stack.functions[name].fn).Environment as { Variables: Json }).Variables[ENV.archiveBucket]).toBeUndefined();
    }
  });

  it('runs daily, and checks fixity monthly with a daily continuation, in Asia/Shanghai, with DLQs', () => {
    const schedules = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as Json).Properties as Json);
    const of = (name: 'archive-run' | 'archive-verify') => schedules.filter((p) => JSON.stringify(p.Target).includes(fnId(name)));
    const target = (name: 'archive-run' | 'archive-verify', input: object) => ({
      Arn: { 'Fn::GetAtt': [fnId(name), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(name), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 2 },
      Input: JSON.stringify(input),
    });
    expect(of('archive-run')).toHaveLength(1);
    expect(of('archive-run')[0]).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: target('archive-run', { task: 'archive-run' }),
    });
    for (const p of of('archive-verify')) expect(p.Target).toMatchObject({ ...target('archive-verify', {}), Input: expect.any(String) });
    expect(
      of('archive-verify')
        .map((p) => [p.ScheduleExpression, p.ScheduleExpressionTimezone, (p.Target as Json).Input])
        .sort(),
    ).toEqual([
      ['cron(0 3 1 * ? *)', 'Asia/Shanghai', JSON.stringify({ task: 'fixity', mode: 'start' })],
      ['cron(30 3 * * ? *)', 'Asia/Shanghai', JSON.stringify({ task: 'fixity', mode: 'continue' })],
    ]);
    for (const name of ['archive-run', 'archive-verify'] as const) {
      expect(propsOf(s.stack.functions[name].fn)).toMatchObject({ Timeout: 900, DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlqId(name), 'Arn'] } } });
      s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId(name) }, MaximumRetryAttempts: 2 });
      expect(propsOf(s.stack.archiveDlqs[name])).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    }
  });

  it('answers an on-demand run within the API’s 30 seconds', () => {
    expect(HTTP_BUDGET_MS).toBeLessThanOrEqual(25_000);
  });

  it('raises alarms on fixity problems, cases not archived, errors and DLQs', () => {
    const filters = Object.values(s.template.findResources('AWS::Logs::MetricFilter')).map((r) => (r as Json).Properties as Json);
    const filterOf = (metric: string, logGroupOf: 'archive-run' | 'archive-verify', field: string) =>
      expect(filters).toContainEqual(
        expect.objectContaining({
          LogGroupName: { Ref: logicalId(s.stack.functions[logGroupOf].logGroup.node.defaultChild as CfnResource) },
          FilterPattern: `{ $.${field} > 0 }`,
          MetricTransformations: [expect.objectContaining({ MetricName: metric, MetricNamespace: 'XinfangRegistry', MetricValue: `$.${field}` })],
        }),
      );
    filterOf('FixityProblems', 'archive-verify', 'fixityProblems');
    filterOf('ArchiveFailures', 'archive-run', 'archiveFailures');
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as Json).Properties as Json);
    for (const metric of ['FixityProblems', 'ArchiveFailures'])
      expect(alarms).toContainEqual(expect.objectContaining({ MetricName: metric, Namespace: 'XinfangRegistry', Threshold: 1 }));
    for (const name of ['archive-run', 'archive-verify'] as const) {
      expect(alarms.filter((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(fnId(name)))).toHaveLength(1);
      expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(dlqId(name)))).toHaveLength(1);
    }
  });
});

describe('the HTTP API', () => {
  const routes = (): Json[] => Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as Json).Properties as Json);

  it('has exactly the routes of the route table, each to its own function (payload 2.0)', () => {
    expect(
      routes()
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual(ROUTES.map(routeKey).sort());
    const integrations = s.template.findResources('AWS::ApiGatewayV2::Integration');
    for (const route of ROUTES) {
      const cfn = routes().find((r) => r.RouteKey === routeKey(route)) as Json;
      const integrationId = ((cfn.Target as Json)['Fn::Join'] as [string, [string, Json]])[1][1].Ref as string;
      const integration = (integrations[integrationId] as Json).Properties as Json;
      expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const fnId = logicalId(s.stack.functions[route.function].fn.node.defaultChild as CfnResource);
      expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
  });

  it('puts the Cognito JWT authorizer on every authenticated route and on no public one', () => {
    const authorizers = Object.entries(s.template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, Json];
    const poolId = logicalId(s.stack.identity.userPool.node.defaultChild as CfnResource);
    const clientId = logicalId(s.stack.identity.client.node.defaultChild as CfnResource);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: clientId }], Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] } },
    });
    for (const route of ROUTES) {
      const cfn = routes().find((r) => r.RouteKey === routeKey(route)) as Json;
      if (route.auth) expect(cfn).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      else {
        expect(cfn.AuthorizationType).toBe('NONE');
        expect(cfn.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('answers CORS for the web origin with the registry headers, exposing ETag', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: [TEST_ORIGIN, webOrigin()],
        AllowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'],
        ExposeHeaders: ['ETag'],
      },
    });
  });

  it('throttles the default stage and logs access to a log group kept for a year', () => {
    const logGroupId = logicalId(s.stack.httpApi.accessLogs.node.defaultChild as CfnResource);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
    });
    expect(propsOf(s.stack.httpApi.accessLogs)).toMatchObject({ RetentionInDays: 365 });
  });
});

describe('identity', () => {
  it('is an admin-only user pool with MFA, a strong password policy and threat protection', () => {
    expect(propsOf(s.stack.identity.userPool)).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    const schema = propsOf(s.stack.identity.userPool).Schema as Json[];
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'deptCode', AttributeDataType: 'String', Mutable: true }));
  });

  it('has one group per role', () => {
    const groups = Object.values(s.template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => ((g as Json).Properties as Json).GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a public SPA client: no secret, SRP and password sign-in, one-hour ID tokens, deptCode not writable', () => {
    const client = propsOf(s.stack.identity.client);
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(client).toMatchObject({ IdTokenValidity: 60, TokenValidityUnits: { IdToken: 'minutes' } });
    expect(client.ReadAttributes).toContain('custom:deptCode');
    expect(client.WriteAttributes).not.toContain('custom:deptCode');
  });
});

describe('the PII hash key', () => {
  it('is generated by CloudFormation (no value in the template) and kept on stack deletion', () => {
    const secret = resourceOf(s.stack.piiHashKey);
    expect(secret.DeletionPolicy).toBe('Retain');
    expect((secret.Properties as Json).GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect((secret.Properties as Json).SecretString).toBeUndefined();
  });
});

it('outputs the web and API URLs, the sign-in domain, user pool and client ids, table and bucket names', () => {
  const outputs = Object.keys(s.template.toJSON().Outputs as Json);
  expect(outputs).toEqual(
    expect.arrayContaining(['WebUrl', 'SignInDomain', 'ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName', 'DocumentsBucketName', 'ArchiveBucketName']),
  );
});
