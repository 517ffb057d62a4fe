/**
 * One construct for every function of the registry, fixing the safe defaults once (in the spirit
 * of powertools' function-with-logstream construct): Node 22 on arm64, bundled on this machine
 * with esbuild (never Docker) to ESM, X-Ray tracing, its own log group with a retention, explicit
 * memory and timeout, and a role that starts with nothing but writing to that log group.
 *
 * Every other permission comes from a `bind…` method that sets the environment variable the
 * function reads (names from shared/config/env.ts) and grants exactly the actions it needs in the
 * same call, so a grant never drifts from the variable that makes it useful.
 */
import { Stack, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { COGNITO_ADMIN_ACTIONS } from '../../shared/adapters/cognito-identity';
import { ARCHIVE_PREFIX, DOCUMENTS_BUCKET, indexDefinition } from '../../shared/storage/definitions';
import { functionEntry, LOCKFILE, REPO_ROOT, TSCONFIG } from '../paths';
import { acknowledge, arnToken } from './nag';
import type { DocumentsStore, RegistryTable } from './storage';
import type { FontLayer } from './font-layer';

export const POWERTOOLS_SERVICE_NAME = 'xinfang-registry';
export const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Lets CJS dependencies that call `require` work inside the ESM bundle. */
const ESM_REQUIRE_BANNER = "import { createRequire as __xfCreateRequire } from 'node:module'; const require = __xfCreateRequire(import.meta.url);";

/** DynamoDB actions. No Scan: request paths and sweeps Query by key (DESIGN §9). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** TransactWriteItems is authorised by these per-item actions; it is not an IAM action itself. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface RegistryFunctionProps {
  /** functions/<name>/handler.ts */
  name: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  /** Asynchronous functions: failed events (after the retries) land here. */
  deadLetterQueue?: sqs.IQueue;
  /** Asynchronous retries; only meaningful for event-invoked functions. */
  retryAttempts?: number;
  /** The key of the stack's log groups (infra/constructs/keys.ts). */
  logsKey: kms.IKey;
  /** At most this many instances at once (the OCR: each holds the engine's models in memory). */
  reservedConcurrentExecutions?: number;
  /**
   * Packages left out of the esbuild bundle and a hook that stages them (and other files) beside
   * it, on this machine: the OCR's native engine and models (infra/ocr-bundle.ts).
   */
  extraBundling?: { externalModules: string[]; afterBundling: (outputDir: string) => string[] };
}

export interface DocumentsAccess {
  /** Key prefixes (S3_PREFIX values) the function may read (GetObject). */
  read?: readonly string[];
  /** Key prefixes it may write (PutObject), including by signing a presigned POST. */
  write?: readonly string[];
  /** Key prefixes it may delete from (DeleteObject). */
  remove?: readonly string[];
  /**
   * ListBucket on the bucket: without it S3 answers a GET of a missing key with 403 instead of
   * 404 (NoSuchKey), and a function that must tell "gone" from "forbidden" cannot.
   */
  list?: boolean;
}

/** What a function may do in the archive bucket (DESIGN §6); only archive-run writes. */
export interface ArchiveAccess {
  /** GetObject under packages/ (hashing, presigned downloads). */
  read?: boolean;
  /** ListBucket, so a missing archived file reads as missing (404), not forbidden (403). */
  list?: boolean;
  /** PutObject with Object Lock retention and legal hold (copies and new files): archive-run only. */
  write?: boolean;
  /** Destroying packages whose retention ended: every version, after reading its lock. archive-run only. */
  dispose?: boolean;
}

export class RegistryFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly functionName: string;
  private policy: iam.Policy | undefined;

  constructor(scope: Construct, id: string, props: RegistryFunctionProps) {
    super(scope, id);
    this.functionName = props.name;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: LOG_RETENTION, encryptionKey: props.logsKey });

    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Xinfang registry: ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: functionEntry(props.name),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      role: this.role,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCKFILE,
      environment: {
        [ENV.serviceName]: POWERTOOLS_SERVICE_NAME,
        [ENV.logLevel]: 'INFO',
        // Stack traces point into the TypeScript sources (the bundles ship linked source maps).
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        tsconfig: TSCONFIG,
        logLevel: LogLevel.WARNING,
        // Bundle the AWS SDK too: the runtime's copy lags ours and lacks s3-presigned-post, and a
        // bundle pins the versions the tests ran against.
        bundleAwsSDK: true,
        externalModules: props.extraBundling?.externalModules ?? [],
        ...(props.extraBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => props.extraBundling?.afterBundling(outputDir) ?? [],
              },
            }
          : {}),
      },
    });

    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing (tracing: ACTIVE): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*". Every other grant of this role names its resources.',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'The registry targets the Node.js 22 Lambda runtime on purpose (issue 2: Node 20 locally, Node 22 in Lambda; the dependency majors are chosen to support both). Moving to Node 24 is a tested upgrade, not a default.',
    );
  }

  setEnv(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }

  /**
   * The grants of the bind… methods go into one policy per function ("Grants"), created on the
   * first grant, beside the role's default policy (which CDK fills with the log group, X-Ray and,
   * for the asynchronous function, the DLQ).
   */
  private grantsPolicy(): iam.Policy {
    this.policy ??= new iam.Policy(this, 'Grants', { roles: [this.role] });
    return this.policy;
  }

  private grant(actions: string[], resources: string[], conditions?: Record<string, unknown>): void {
    this.grantsPolicy().addStatements(new iam.PolicyStatement({ actions, resources, conditions }));
  }

  private grantKey(keyArn: string, actions: string[], viaService: 'dynamodb' | 's3'): void {
    this.grant(actions, [keyArn], { StringEquals: { 'kms:ViaService': `${viaService}.${Stack.of(this).region}.amazonaws.com` } });
  }

  /** TABLE_NAME, and Query/GetItem/BatchGetItem/ConditionCheckItem on the table and its indexes. */
  bindTableRead(table: RegistryTable): void {
    this.setEnv(ENV.tableName, table.table.tableName);
    this.grant(TABLE_READ_ACTIONS, table.grantableArns);
    this.grantKey(table.key.keyArn, ['kms:Decrypt', 'kms:DescribeKey'], 'dynamodb');
  }

  /** TABLE_NAME, and the read actions plus Put/Update/Delete/BatchWrite (transactions included). */
  bindTableReadWrite(table: RegistryTable): void {
    this.setEnv(ENV.tableName, table.table.tableName);
    this.grant([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS], table.grantableArns);
    this.grantKey(table.key.keyArn, ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], 'dynamodb');
  }

  /**
   * DOCUMENTS_BUCKET, and object actions under the given key prefixes only (none: the name only,
   * for a function whose configuration needs it but which touches no object). Keys are always
   * chosen by the registry (S3_PREFIX), so a prefix wildcard is the narrowest grant that works;
   * each one is acknowledged for cdk-nag here, by its exact ARN, with the reason.
   */
  bindDocuments(store: DocumentsStore, access: DocumentsAccess): void {
    this.setEnv(DOCUMENTS_BUCKET.envVar, store.bucket.bucketName);
    const bucketArn = store.bucket.bucketArn;
    const cfnBucket = store.bucket.node.defaultChild as s3.CfnBucket;
    const kmsActions = new Set<string>();
    const actionsByPrefix = new Map<string, string[]>();
    const byAction: [string, readonly string[] | undefined, string[]][] = [
      ['s3:GetObject', access.read, ['kms:Decrypt']],
      ['s3:PutObject', access.write, ['kms:GenerateDataKey', 'kms:Encrypt']],
      ['s3:DeleteObject', access.remove, []],
    ];
    for (const [action, prefixes, keyActions] of byAction) {
      if (!prefixes || prefixes.length === 0) continue;
      this.grant(
        [action],
        prefixes.map((p) => `${bucketArn}/${p}*`),
      );
      keyActions.forEach((a) => kmsActions.add(a));
      for (const prefix of prefixes) actionsByPrefix.set(prefix, [...(actionsByPrefix.get(prefix) ?? []), action]);
    }
    for (const [prefix, actions] of actionsByPrefix) {
      acknowledge(
        this.grantsPolicy(),
        `AwsSolutions-IAM5[Resource::${arnToken(cfnBucket)}/${prefix}*]`,
        `Object keys under ${prefix} are chosen by the registry per case and document (shared/domain/documents.ts); ${actions.join(', ')} granted on that prefix only, never on the whole bucket.`,
      );
    }
    if (access.list) this.grant(['s3:ListBucket'], [bucketArn]);
    if (kmsActions.size > 0) this.grantKey(store.key.keyArn, [...kmsActions], 's3');
  }

  /**
   * ARCHIVE_BUCKET and ARCHIVE_OBJECT_LOCK, and object actions under packages/ only. Writing
   * means PutObject together with the Object Lock headers (PutObjectRetention, PutObjectLegalHold:
   * S3 checks those on a PUT or COPY that sets them).
   */
  bindArchive(store: { bucket: s3.IBucket; key: { keyArn: string }; objectLockMode: string }, access: ArchiveAccess): void {
    this.setEnv(ENV.archiveBucket, store.bucket.bucketName);
    this.setEnv(ENV.archiveObjectLock, store.objectLockMode);
    const objects = `${store.bucket.bucketArn}/${ARCHIVE_PREFIX.packages}*`;
    const actions = [
      ...(access.read || access.write ? ['s3:GetObject'] : []),
      ...(access.write ? ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'] : []),
      ...(access.dispose ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold', 's3:DeleteObject', 's3:DeleteObjectVersion'] : []),
    ];
    if (actions.length === 0) return;
    this.grant(actions, [objects]);
    const cfnBucket = store.bucket.node.defaultChild as s3.CfnBucket;
    acknowledge(
      this.grantsPolicy(),
      `AwsSolutions-IAM5[Resource::${arnToken(cfnBucket)}/${ARCHIVE_PREFIX.packages}*]`,
      `Archived packages live under ${ARCHIVE_PREFIX.packages}<archiveNo>/, keys chosen by the registry (shared/storage/object-keys.ts); ${actions.join(', ')} granted on that prefix only.`,
    );
    const bucketActions = [...(access.list || access.dispose ? ['s3:ListBucket'] : []), ...(access.dispose ? ['s3:ListBucketVersions'] : [])];
    if (bucketActions.length > 0) this.grant(bucketActions, [store.bucket.bucketArn]);
    this.grantKey(store.key.keyArn, access.write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], 's3');
  }

  /**
   * TABLE_NAME for the notice sender, and exactly what it needs: the notice items (GetItem to read
   * one, UpdateItem to claim it and mark it sent; the table only, no index) and the table's stream
   * (the stream's own ARN; ListStreams has no resource-level permission).
   */
  bindNoticeStream(table: RegistryTable): void {
    const streamArn = table.table.tableStreamArn;
    if (!streamArn) throw new Error('The table has no stream');
    this.setEnv(ENV.tableName, table.table.tableName);
    this.grant(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [table.table.tableArn]);
    // The retry run finds the undelivered notices due now (NOTICE#RETRY#<shard> partitions of byDue).
    this.grant(['dynamodb:Query'], [`${table.table.tableArn}/index/${indexDefinition('byDue').name}`]);
    this.grant(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], [streamArn]);
    this.grant(['dynamodb:ListStreams'], ['*']);
    this.grantKey(table.key.keyArn, ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], 'dynamodb');
    acknowledge(
      this.grantsPolicy(),
      'AwsSolutions-IAM5[Resource::*]',
      "dynamodb:ListStreams, which Lambda needs to read the table's stream for the notice sender, supports no resource-level permission (AWS Service Authorization Reference); the stream reads themselves are granted on the stream ARN only.",
    );
  }

  /**
   * NOTIFY_FROM, SES_CONFIGURATION_SET and NOTIFY_ADDRESSES, and ses:SendEmail on the sender's
   * identity and configuration set only, from that one address.
   */
  bindEmail(email: { identityArn: string; configurationSetArn: string; configurationSetName: string; from: string; addresses?: string }): void {
    this.setEnv(ENV.notifyFrom, email.from);
    this.setEnv(ENV.sesConfigurationSet, email.configurationSetName);
    if (email.addresses) this.setEnv(ENV.notifyAddresses, email.addresses);
    this.grant(['ses:SendEmail'], [email.identityArn, email.configurationSetArn], { StringEquals: { 'ses:FromAddress': email.from } });
  }

  /**
   * SMS to petitioners through AWS End User Messaging SMS: SMS_ORIGINATION_IDENTITY (the office's
   * registered sender) and SMS_CONFIGURATION_SET, and sms-voice:SendTextMessage on exactly that
   * sender and configuration set.
   */
  bindSms(sms: { originationIdentityArn: string; configurationSetArn: string; configurationSetName: string }): void {
    this.setEnv(ENV.smsOriginationIdentity, sms.originationIdentityArn);
    this.setEnv(ENV.smsConfigurationSet, sms.configurationSetName);
    this.grant(['sms-voice:SendTextMessage'], [sms.originationIdentityArn, sms.configurationSetArn]);
  }

  /** The ARN of a secret in `envName`, and GetSecretValue on exactly that secret. */
  bindSecret(envName: string, secret: secretsmanager.ISecret): void {
    this.setEnv(envName, secret.secretArn);
    this.grant(['secretsmanager:GetSecretValue'], [secret.secretArn]);
  }

  /** The font layer, mounted at /opt, and XF_FONT_DIR pointing at its fonts. */
  bindFonts(fonts: FontLayer): void {
    this.fn.addLayers(fonts.layer);
    this.setEnv(ENV.fontDir, fonts.fontDir);
  }

  /**
   * USER_POOL_ID, and exactly the Cognito admin actions the directory uses (COGNITO_ADMIN_ACTIONS:
   * create with an invitation, groups as roles, attributes, disable / enable, sign-out) on that
   * one user pool: the admin function manages the office's users.
   */
  bindUserPool(pool: { userPoolId: string; userPoolArn: string }): void {
    this.setEnv(ENV.userPoolId, pool.userPoolId);
    this.grant([...COGNITO_ADMIN_ACTIONS], [pool.userPoolArn]);
  }

  /** AUTH_ISSUER / AUTH_AUDIENCE / AUTH_JWKS_URL: the function verifies tokens itself too. */
  bindTokenIssuer(issuer: { issuerUrl: string; audience: string; jwksUrl: string }): void {
    this.setEnv(ENV.authIssuer, issuer.issuerUrl);
    this.setEnv(ENV.authAudience, issuer.audience);
    this.setEnv(ENV.authJwksUrl, issuer.jwksUrl);
  }
}
