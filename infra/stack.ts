/**
 * The registry's one stack, and the factory the CDK app and the CDK tests share.
 *
 * What each function may do is decided here, in one table (`FUNCTION_SPECS` below, applied with
 * the bind… methods of RegistryFunction); the storage, API and identity come from the shared
 * definitions (shared/storage/definitions.ts, shared/http/routes.ts, shared/domain/roles.ts).
 */
import { CfnOutput, CfnResource, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { atLeastOnceAlarm, FIVE_MINUTE_MAX, FIVE_MINUTE_SUM } from './constructs/alarms';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import path from 'node:path';
import { ENV } from '../shared/config/env';
import { ALL_FUNCTIONS, HTTP_FUNCTIONS, routesOf, type FunctionName, type HttpFunctionName } from '../shared/http/routes';
import { S3_PREFIX } from '../shared/storage/definitions';
import { FontLayer } from './constructs/font-layer';
import { RegistryHttpApi } from './constructs/http-api';
import { Identity } from './constructs/identity';
import { ArchiveOperations, ArchiveStore, archiveDlq } from './constructs/archive';
import { suppressDeadLetterQueueOfItsOwn, suppressGuard } from './constructs/guard';
import { logsKey } from './constructs/keys';
import { acknowledge } from './constructs/nag';
import { RegistryFunction, type ArchiveAccess, type DocumentsAccess } from './constructs/registry-function';
import { DocumentsStore, RegistryTable } from './constructs/storage';
import { DeadlineSweeps, notifyConfigFromContext, sweepDlq, type NotifyConfig } from './constructs/sweeps';
import { UploadReconciliation } from './constructs/uploads';
import { OcrPipeline } from './constructs/ocr';
import { OCR_EXTERNAL_MODULES, OCR_MODELS_BUNDLE_DIR } from './ocr-bundle';
import { REPO_ROOT } from './paths';
import { SmsSenderConfig } from './constructs/sms';
import { WebApp, type WebDomain } from './constructs/web';

export interface RegistryStackProps extends StackProps {
  /**
   * Browser origins of the web UI (scheme://host[:port]): CORS on the API and on the documents
   * bucket, besides the stack's own web application (always allowed). A wildcard is refused.
   */
  webOrigins: string[];
  /** The built web application (web/dist: index.html, assets/), deployed to S3 behind CloudFront. */
  webDist: string;
  /** Optional own domain of the web application (else the distribution's *.cloudfront.net name). */
  webDomain?: WebDomain;
  /** Prefix of the user pool's Cognito domain (default: stack name and account, infra/constructs/identity.ts). */
  authDomainPrefix?: string;
  /** Optional SNS topic that the alarms notify. */
  alarmTopicArn?: string;
  /** The notices' sender address, SES identity and address book (default: from context, docs/deploy.md). */
  notify?: NotifyConfig;
  /** API stage throttling. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** A CLOUDFRONT-scope WAF web ACL (us-east-1, infra/waf-stack.ts) for the web application's distribution. */
  webAclArn?: string;
}

export const DEFAULT_WEB_ORIGINS = ['http://localhost:3000'];
export const DEFAULT_THROTTLE = { rateLimit: 50, burstLimit: 100 };

interface FunctionSpec {
  description: string;
  memorySize: number;
  timeout: Duration;
  table?: 'read' | 'readWrite';
  documents?: DocumentsAccess;
  piiHashKey?: boolean;
  /** Serves list routes: reads the key that seals their page cursors (shared/http/cursors.ts). */
  cursorKey?: boolean;
  fonts?: boolean;
  /** The archive bucket (DESIGN §6): only archive-run writes. */
  archive?: ArchiveAccess;
  /** At most this many instances at once. */
  reservedConcurrency?: number;
}

const { uploads, verified, generated, quarantine, reports, exports } = S3_PREFIX;

/** The functions that serve a route needing a token: the only ones told the token issuer. */
export const TOKEN_FUNCTIONS: FunctionName[] = HTTP_FUNCTIONS.filter((fn) => routesOf(fn).some((r) => r.auth));

/**
 * Each function's size and grants, least privilege. HTTP functions stay under API Gateway's
 * 30-second integration limit.
 */
export const FUNCTION_SPECS: Record<FunctionName, FunctionSpec> = {
  'cases-read': {
    description: 'Cases: search, lists, inbox, a case with its timeline, registration checks',
    memorySize: 512,
    timeout: Duration.seconds(15),
    table: 'read',
    // The bucket's name only (the shared runtime reads DOCUMENTS_BUCKET at cold start); no object access.
    documents: {},
    piiHashKey: true,
    cursorKey: true,
  },
  'cases-write': {
    description: 'Cases: registration (with upload links) and every lifecycle action; renders letters',
    // Letters embed a subset of a 15 MB CJK font: memory buys CPU for the subsetting.
    memorySize: 1536,
    timeout: Duration.seconds(29),
    table: 'readWrite',
    documents: { read: [uploads, generated], write: [uploads, generated] },
    piiHashKey: true,
    fonts: true,
  },
  documents: {
    description: 'Documents: presigned upload (POST) and download (GET) links, recorded in the audit trail',
    memorySize: 512,
    timeout: Duration.seconds(15),
    table: 'readWrite',
    // Presigned POSTs write uploads/; presigned GETs read verified copies and letters (never uploads/, which a link holder can write).
    documents: { read: [verified, generated], write: [uploads] },
    piiHashKey: true,
  },
  public: {
    description: "Public: the petitioner's query by case number + query code, rating, letter download",
    memorySize: 512,
    timeout: Duration.seconds(15),
    table: 'readWrite',
    documents: { read: [generated] },
    piiHashKey: true,
  },
  online: {
    description:
      '网上信访: the proof-of-work challenge, SMS verification codes (End User Messaging SMS), the submission with its receipt letter and upload links',
    // Renders the receipt (受理凭证) with the CJK font subset: memory buys CPU.
    memorySize: 1536,
    timeout: Duration.seconds(29),
    // Rate-limit counters, SMS codes, the case; presigned POSTs to uploads/, the receipt to generated/.
    table: 'readWrite',
    documents: { read: [generated], write: [uploads, generated] },
    piiHashKey: true,
    fonts: true,
  },
  admin: {
    description: 'Administration: departments, users (Cognito admin API), letter templates, the holiday calendar, the office audit trail',
    memorySize: 512,
    timeout: Duration.seconds(15),
    // The template overrides and the calendar years live in the table, and a loaded year re-derives
    // open clocks (case, clock items, audit event, notice: one transaction); no documents, no PII
    // key. The fonts check that every character of a new wording can be printed before it is stored.
    table: 'readWrite',
    fonts: true,
  },
  openapi: {
    description: 'The OpenAPI document of this API',
    memorySize: 256,
    timeout: Duration.seconds(10),
  },
  'verify-upload': {
    description:
      'Checks each upload (type by magic bytes, size, SHA-256) on a copy under verified/; records it, quarantines or refuses it; reconciles pending uploads daily',
    memorySize: 1024,
    // The daily reconciliation runs until done or 30 s before this (an unfinished run is retried).
    timeout: Duration.minutes(5),
    table: 'readWrite',
    // Copies the upload to verified/ (read uploads/, write verified/) and checks the copy (read
    // verified/); moves a failed copy to quarantine/ (write quarantine/, remove verified/); removes
    // the upload and refused re-uploads (remove uploads/); lists so a replayed event for an object
    // already moved reads as NoSuchKey, not AccessDenied.
    documents: { read: [uploads, verified], write: [verified, quarantine], remove: [uploads, verified], list: true },
    piiHashKey: true,
  },
  'archive-api': {
    description:
      'Archive: search, packages, recorded downloads of archived files, loans, disposal proposals and approvals, 立即检查 (fixity of named packages)',
    memorySize: 512,
    timeout: Duration.seconds(15),
    // Audit events (every retrieval), loans, disposal records; the petitioner search hashes.
    table: 'readWrite',
    piiHashKey: true,
    cursorKey: true,
    // Presigns downloads and re-hashes packages for 立即检查 (reads; lists, so that a missing file
    // reads as missing rather than as "access denied"); never writes the archive.
    archive: { read: true, list: true },
  },
  'archive-run': {
    description: 'Archive run: archives closed cases (server-side copies, verified), removes the originals, destroys approved disposals; daily and on demand',
    // Hashing streams every archived byte: memory buys network and CPU; the fonts (registration.pdf) take ~60 MB.
    memorySize: 1024,
    // The schedule's runs go on until the time is nearly up; the HTTP route keeps to a 20 s budget (functions/archive-run, HTTP_BUDGET_MS).
    timeout: Duration.minutes(15),
    table: 'readWrite',
    // Copies originals (read: verified copies, letters, and uploads/ for documents verified before
    // verified copies existed) and removes them once the case is archived.
    documents: { read: [verified, uploads, generated], remove: [verified, uploads, generated] },
    archive: { read: true, list: true, write: true, dispose: true },
    fonts: true,
  },
  'archive-verify': {
    description: 'Fixity: re-hashes archived files against their manifests (monthly pass, continued daily)',
    memorySize: 1024,
    timeout: Duration.minutes(15),
    // The pass's progress and the audit events of any problem found.
    table: 'readWrite',
    archive: { read: true, list: true },
  },
  sweep: {
    description:
      'Deadline sweep (daily 08:00 Asia/Shanghai): reminders, supervision with its 督办单, flagged supervision, closing request windows, archive eligibility, freezing closed periods’ reports; search refresh retry (15 min); lost OCR jobs re-queued (30 min)',
    // Renders the 督办单 (a subset of a 15 MB CJK font): memory buys CPU.
    memorySize: 1536,
    // Runs until done or a minute before the limit; an unfinished run fails and its retry continues it.
    timeout: Duration.minutes(15),
    // Queries the bySweep index, writes each milestone in one transaction; the search retry queries
    // the pending markers and writes the postings.
    table: 'readWrite',
    // The 督办单 under generated/; the frozen reports of closed periods under reports/ (read to leave a published one alone).
    documents: { read: [reports], write: [generated, reports] },
    fonts: true,
    // The search retry indexes ID and phone numbers by keyed hash, as the API's refresh does (the sweep itself hashes nothing).
    piiHashKey: true,
    // The OCR re-queue reads the OCRQ markers (Query) and sends to the OCR queue: bound in OcrPipeline (infra/constructs/ocr.ts).
  },
  'notify-sender': {
    description: "Sends the notices of the outbox by email (SES), from the table's stream",
    memorySize: 256,
    timeout: Duration.seconds(60),
    // The notices only (claim and mark sent) and the stream: bound in DeadlineSweeps (infra/constructs/sweeps.ts).
  },
  oversight: {
    description: 'Oversight: the dashboard, the reports, supervisions and their written answers, the outbox, the deadline sweep on demand (admin)',
    // The on-demand sweep renders 督办单 like the scheduled one.
    memorySize: 1536,
    timeout: Duration.seconds(29),
    table: 'readWrite',
    // 督办单 under generated/; GET /reports reads the frozen (published) reports under reports/.
    documents: { read: [reports], write: [generated] },
    fonts: true,
    // The outbox is a list route.
    cursorKey: true,
  },
  ocr: {
    description:
      'OCR (机器识别) of verified scans, page by page (PP-OCRv4 on onnxruntime-node), fed by SQS; stores the text beside the document and indexes it',
    // The engine holds the detection and recognition models (~16 MB of ONNX, ~800 MB in use on a
    // page) and renders PDF pages to images; 2048 MB leaves room for a large page and buys about
    // 1.2 vCPU (docs/ocr.md, "In AWS").
    memorySize: 2048,
    // A multi-page scan takes seconds per page; the queue's visibility timeout is a minute longer.
    timeout: Duration.minutes(10),
    // The reading beside the document, the case's scan text and its search refresh (postings).
    table: 'readWrite',
    // Reads the verified copies only; writes nothing to the bucket.
    documents: { read: [verified] },
    // The search refresh hashes ID and phone numbers, as every refresh does.
    piiHashKey: true,
    // A few at once: OCR is not urgent, and each instance holds the models in memory.
    reservedConcurrency: 2,
  },
  exports: {
    description:
      'Exports: a report as XLSX, CSV or PDF, 案件查询 and 待办案件 as XLSX, each under exports/ with a presigned link; recorded in the office audit trail',
    // exceljs builds the workbook in memory as it streams (a 5,000-case list is a few MB): memory buys CPU.
    memorySize: 1536,
    timeout: Duration.seconds(29),
    // Reads cases, the search index and the report facts; appends report.exported / cases.exported to the office trail.
    table: 'readWrite',
    // Writes the export and presigns its download (GetObject) under exports/ only; reads the frozen reports.
    documents: { read: [exports, reports], write: [exports] },
    // The search and the petitioner filters hash ID and phone numbers, as GET /cases does.
    piiHashKey: true,
    // The 信访工作统计分析 PDF is set in the letters' CJK font.
    fonts: true,
  },
};

export class RegistryStack extends Stack {
  readonly table: RegistryTable;
  readonly documents: DocumentsStore;
  readonly identity: Identity;
  readonly httpApi: RegistryHttpApi;
  readonly functions: Record<FunctionName, RegistryFunction>;
  readonly piiHashKey: secretsmanager.Secret;
  readonly cursorKey: secretsmanager.Secret;
  readonly uploadDlq: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];
  readonly archive: ArchiveStore;
  readonly archiveOperations: ArchiveOperations;
  readonly archiveDlqs: { 'archive-run': sqs.Queue; 'archive-verify': sqs.Queue };
  readonly sweepDlq: sqs.Queue;
  readonly sweeps: DeadlineSweeps;
  readonly uploadReconciliation: UploadReconciliation;
  readonly ocr: OcrPipeline;
  readonly web: WebApp;
  readonly sms: SmsSenderConfig;
  /** Encrypts every log group of the stack. */
  readonly logsKey: kms.Key;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    // Server access logs are delivered under a bucket policy, not an ACL (the buckets have ACLs
    // disabled). cdk.json sets no feature flags, so it is set here, for this stack only.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const webOrigins = validateWebOrigins(props.webOrigins);

    // The origins browsers use: the configured ones and the web application's distribution (known
    // once it is created below, after the access-log bucket it logs to).
    const browserOrigins = [...webOrigins];

    this.logsKey = logsKey(this, 'LogsKey');
    this.table = new RegistryTable(this, 'Registry');
    this.documents = new DocumentsStore(this, 'Documents', { webOrigins: Lazy.list({ produce: () => browserOrigins }) });
    this.archive = new ArchiveStore(this, 'Archive', { accessLogs: this.documents.accessLogs, webOrigins: Lazy.list({ produce: () => browserOrigins }) });
    this.archiveDlqs = { 'archive-run': archiveDlq(this, 'ArchiveRunDlq'), 'archive-verify': archiveDlq(this, 'ArchiveVerifyDlq') };
    this.sweepDlq = sweepDlq(this, 'SweepDlq');
    this.web = new WebApp(this, 'Web', {
      distDir: props.webDist,
      accessLogs: this.documents.accessLogs,
      ...(props.webDomain ? { domain: props.webDomain } : {}),
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
    });
    // (A custom domain may already be among the configured origins: CORS lists must not repeat.)
    if (!browserOrigins.includes(this.web.origin)) browserOrigins.push(this.web.origin);
    this.identity = new Identity(this, 'Identity', {
      webUrl: this.web.url,
      ...(props.authDomainPrefix ? { domainPrefix: props.authDomainPrefix } : {}),
    });
    const fonts = new FontLayer(this, 'Fonts');

    this.piiHashKey = new secretsmanager.Secret(this, 'PiiHashKey', {
      description: 'Xinfang registry: key of the keyed hash (HMAC) of ID and phone numbers. Never rotate: every stored hash depends on it.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.piiHashKey,
      'AwsSolutions-SMG4',
      'Not a credential but the key of the keyed hash that indexes ID and phone numbers (repeat-petitioner detection); rotating it would orphan every stored hash. It stays inside Secrets Manager, read only by the functions that hash.',
    );

    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'Xinfang registry: key of the HMAC that seals the API page cursors to the list, query and user. Rotating it only makes lists start again.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    acknowledge(
      this.cursorKey,
      'AwsSolutions-SMG4',
      'Not a credential but the key that seals page cursors; it may be replaced at any time (outstanding cursors then answer 400 and the list starts again), which needs no rotation function. Read only by the functions that serve list routes.',
    );

    this.uploadDlq = new sqs.Queue(this, 'VerifyUploadDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppressDeadLetterQueueOfItsOwn(this.uploadDlq);

    this.functions = Object.fromEntries(
      ALL_FUNCTIONS.map((name) => {
        const spec = FUNCTION_SPECS[name];
        // The one asynchronous function: S3 invokes it; failures retry twice, then go to its DLQ.
        const isUploadCheck = name === 'verify-upload';
        const fn = new RegistryFunction(this, `Fn-${name}`, {
          name,
          description: spec.description,
          memorySize: spec.memorySize,
          timeout: spec.timeout,
          logsKey: this.logsKey,
          ...(isUploadCheck ? { deadLetterQueue: this.uploadDlq, retryAttempts: 2 } : {}),
          // The scheduled archive functions: retried twice, then to their own DLQ.
          ...(name === 'archive-run' || name === 'archive-verify' ? { deadLetterQueue: this.archiveDlqs[name], retryAttempts: 2 } : {}),
          // The scheduled deadline sweep: retried twice (it resumes where it stopped), then to its DLQ.
          ...(name === 'sweep' ? { deadLetterQueue: this.sweepDlq, retryAttempts: 2 } : {}),
          ...(spec.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
          // The OCR ships its engine's native parts and models beside the bundle (infra/ocr-bundle.ts).
          ...(name === 'ocr' ? { extraBundling: { externalModules: OCR_EXTERNAL_MODULES, afterBundling: ocrAfterBundling } } : {}),
        });
        if (name === 'ocr') fn.setEnv(ENV.ocrModelsDir, `/var/task/${OCR_MODELS_BUNDLE_DIR}`);
        if (spec.table === 'read') fn.bindTableRead(this.table);
        if (spec.table === 'readWrite') fn.bindTableReadWrite(this.table);
        if (spec.documents) fn.bindDocuments(this.documents, spec.documents);
        if (spec.piiHashKey) fn.bindSecret(ENV.piiHashKeySecretArn, this.piiHashKey);
        if (spec.cursorKey) fn.bindSecret(ENV.cursorKeySecretArn, this.cursorKey);
        if (spec.fonts) fn.bindFonts(fonts);
        if (spec.archive) fn.bindArchive(this.archive, spec.archive);
        // The functions that serve routes needing a token verify it themselves; the others (public,
        // openapi and the event functions) build no verifier and are told no issuer.
        if (TOKEN_FUNCTIONS.includes(name))
          fn.bindTokenIssuer({ issuerUrl: this.identity.issuerUrl, audience: this.identity.audience, jwksUrl: this.identity.jwksUrl });
        return [name, fn];
      }),
    ) as Record<FunctionName, RegistryFunction>;

    // SMS to petitioners: the verification codes (online) and the notices of the outbox addressed to them (notify-sender).
    this.sms = new SmsSenderConfig(this, 'Sms');
    this.sms.bind(this.functions.online);
    this.sms.bind(this.functions['notify-sender']);

    // The admin function manages the office's users in the user pool (shared/adapters/cognito-identity.ts).
    this.functions.admin.bindUserPool(this.identity.userPool);

    // Uploads are checked as they land.
    const verifyUpload = this.functions['verify-upload'];
    this.documents.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(verifyUpload.fn), { prefix: uploads });

    this.httpApi = new RegistryHttpApi(this, 'Http', {
      functions: Object.fromEntries(HTTP_FUNCTIONS.map((n) => [n, this.functions[n].fn])) as Record<HttpFunctionName, RegistryFunction['fn']>,
      issuerUrl: this.identity.issuerUrl,
      audience: this.identity.audience,
      webOrigins: browserOrigins,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      logsKey: this.logsKey,
    });
    this.web.publish({
      apiEndpoint: this.httpApi.api.apiEndpoint,
      signInDomain: this.identity.signInDomain,
      clientId: this.identity.client.userPoolClientId,
      environment: this.stackName,
      buckets: [this.documents.bucket, this.archive.bucket],
    });

    this.alarms = [
      atLeastOnceAlarm(
        this,
        'VerifyUploadErrors',
        'verify-upload failed: an upload was not checked (it is retried twice, then sent to the DLQ).',
        verifyUpload.fn.metricErrors(FIVE_MINUTE_SUM),
      ),
      atLeastOnceAlarm(
        this,
        'VerifyUploadDlqNotEmpty',
        'Uploads whose check failed after all retries are waiting in the verify-upload DLQ.',
        this.uploadDlq.metricApproximateNumberOfMessagesVisible(FIVE_MINUTE_MAX),
      ),
    ];
    this.archive.restrictWritesTo(this.functions['archive-run'].role);
    this.archiveOperations = new ArchiveOperations(this, 'ArchiveOperations', {
      archiveRun: this.functions['archive-run'],
      fixity: this.functions['archive-verify'],
      archiveRunDlq: this.archiveDlqs['archive-run'],
      fixityDlq: this.archiveDlqs['archive-verify'],
    });
    this.alarms.push(...this.archiveOperations.alarms);
    this.sweeps = new DeadlineSweeps(this, 'DeadlineSweeps', {
      sweep: this.functions.sweep,
      sender: this.functions['notify-sender'],
      table: this.table,
      sweepDlq: this.sweepDlq,
      notify: props.notify ?? notifyConfigFromContext(this),
    });
    this.alarms.push(...this.sweeps.alarms);
    this.uploadReconciliation = new UploadReconciliation(this, 'UploadReconciliation', { verifyUpload, dlq: this.uploadDlq });
    // Verified scans are read by the OCR: their copies' object-created events → SQS → the ocr function.
    this.ocr = new OcrPipeline(this, 'Ocr', {
      ocr: this.functions.ocr,
      documents: this.documents,
      timeout: FUNCTION_SPECS.ocr.timeout,
      requeue: this.functions.sweep,
    });
    this.alarms.push(...this.ocr.alarms);
    if (props.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of this.alarms) alarm.addAlarmAction(new cwActions.SnsAction(topic));
    } else {
      for (const alarm of this.alarms) {
        suppressGuard(
          alarm,
          'cloudwatch_alarm_action_check',
          "Deployed without alarmTopicArn: who is told, and how (email, SMS, a chat or paging tool), is the office's choice, so the stack creates no topic of its own; the alarm shows in the CloudWatch console. With -c alarmTopicArn=... every alarm notifies that topic and this rule passes (docs/deploy.md).",
        );
      }
    }

    acknowledgeBucketNotificationsHandler(this);
    suppressGuardOnEveryFunction(this);

    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: 'The web application (CloudFront)' });
    new CfnOutput(this, 'SignInDomain', { value: this.identity.signInDomain, description: 'Cognito managed login of the user pool' });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId, description: 'Web SPA client (also the token audience)' });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucket.bucketName });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName, description: 'The archive (Object Lock, compliance mode)' });
  }
}

/**
 * S3 → Lambda notifications are configured by a CDK-provided custom resource (a singleton
 * function per stack). Its role and runtime are CDK's, not ours; acknowledge what nag finds there.
 */
function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's own BucketNotificationsHandler (it writes the bucket's notification configuration at deploy time) uses the AWS-managed basic execution role for its logs; CDK does not expose it.",
  );
}

/**
 * Control Tower rules that no function of the stack (ours or CDK's deploy-time handlers) follows,
 * each with the reason. Applied to every Lambda function and permission in the stack, so a new
 * function gets the same reviewed answer.
 */
function suppressGuardOnEveryFunction(stack: Stack): void {
  for (const c of stack.node.findAll()) {
    // (CDK's BucketNotificationsHandler is a plain CfnResource of the function type.)
    if (CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function') {
      suppressGuard(
        c,
        'lambda_inside_vpc_check',
        "No VPC: the functions reach only AWS regional endpoints (DynamoDB, S3, Secrets Manager, SES, X-Ray, CloudWatch Logs), over TLS and authorised by IAM; the registry has no private network resource. A VPC would add NAT gateways or an interface endpoint per service and zone (cost, cold starts) and change no data path. CDK's deploy-time handlers (bucket notifications, web deployment) likewise.",
      );
    }
    if (c instanceof lambda.CfnPermission) {
      const sourceArn = stack.resolve(c.sourceArn) as unknown;
      const principal = stack.resolve(c.principal) as unknown;
      // API Gateway's permission names this API in a composed ARN (Fn::Join), which the rule does
      // not resolve; a permission without a source would still be reported.
      if (principal === 'apigateway.amazonaws.com' && typeof sourceArn === 'object' && sourceArn !== null && 'Fn::Join' in sourceArn) {
        suppressGuard(
          c,
          'lambda_function_public_access_prohibited_check',
          "The permission lets API Gateway invoke the function only from this stack's HTTP API: its SourceArn is arn:…:execute-api:<region>:<account>:<api id>/*, composed with Fn::Join, which the rule does not resolve (it accepts only a literal or a Ref/GetAtt). The invoker is scoped.",
        );
      }
    }
  }
}

/** The OCR function's afterBundling command: stage the engine's native parts and models beside the bundle, with the same Node and tsx. */
function ocrAfterBundling(outputDir: string): string[] {
  const q = (v: string) => JSON.stringify(v);
  return [`${q(process.execPath)} --import tsx ${q(path.join(REPO_ROOT, 'infra', 'ocr-bundle.ts'))} ${q(outputDir)}`];
}

function validateWebOrigins(origins: string[]): string[] {
  if (origins.length === 0) throw new Error('webOrigins: give at least one origin, e.g. https://xinfang.example.gov.cn');
  for (const origin of origins) {
    if (origin === '*' || !/^https?:\/\/[^/*\s]+$/.test(origin)) {
      throw new Error(`webOrigins: "${origin}" is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
  }
  return origins;
}

/** The stack's settings from CDK context (`-c webOrigins=...`, or cdk.json "context"). */
export function propsFromContext(
  scope: Construct,
): Pick<RegistryStackProps, 'webOrigins' | 'alarmTopicArn' | 'throttle' | 'webDomain' | 'authDomainPrefix' | 'webAclArn'> {
  const raw = scope.node.tryGetContext('webOrigins') as unknown;
  const webOrigins =
    raw === undefined
      ? DEFAULT_WEB_ORIGINS
      : Array.isArray(raw)
        ? raw.map(String)
        : String(raw)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  const alarmTopicArn = scope.node.tryGetContext('alarmTopicArn') as string | undefined;
  const rate = scope.node.tryGetContext('apiRateLimit') as unknown;
  const burst = scope.node.tryGetContext('apiBurstLimit') as unknown;
  const throttle = {
    rateLimit: rate === undefined ? DEFAULT_THROTTLE.rateLimit : Number(rate),
    burstLimit: burst === undefined ? DEFAULT_THROTTLE.burstLimit : Number(burst),
  };
  if (!Number.isFinite(throttle.rateLimit) || !Number.isFinite(throttle.burstLimit)) {
    throw new Error('apiRateLimit / apiBurstLimit must be numbers');
  }
  const webDomain = scope.node.tryGetContext('webDomain') as string | undefined;
  const webCertificateArn = scope.node.tryGetContext('webCertificateArn') as string | undefined;
  if (Boolean(webDomain) !== Boolean(webCertificateArn)) {
    throw new Error('webDomain and webCertificateArn go together: the domain name and its ACM certificate in us-east-1');
  }
  if (webDomain && !/^[a-z0-9.-]+$/i.test(webDomain)) throw new Error(`webDomain: "${webDomain}" is not a host name`);
  const authDomainPrefix = scope.node.tryGetContext('authDomainPrefix') as string | undefined;
  const webAclArn = scope.node.tryGetContext('webAclArn') as string | undefined;
  if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/\S+$/.test(webAclArn))
    throw new Error(`webAclArn: "${webAclArn}" is not the ARN of a CloudFront (global, us-east-1) WAF web ACL`);
  return {
    webOrigins,
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    throttle,
    ...(webDomain && webCertificateArn ? { webDomain: { name: webDomain, certificateArn: webCertificateArn } } : {}),
    ...(authDomainPrefix ? { authDomainPrefix } : {}),
    ...(webAclArn ? { webAclArn } : {}),
  };
}

/** The factory the app and the tests share. */
export function createRegistryStack(scope: Construct, id: string, props: RegistryStackProps): RegistryStack {
  return new RegistryStack(scope, id, props);
}
