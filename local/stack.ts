/**
 * The local stack: everything `npm start` and the end-to-end tests run, in one process (plus
 * DynamoDB Local's JVM). DynamoDB Local and s3rver hold the data, the table and bucket come from
 * shared/storage/definitions.ts, the built-in issuer signs tokens, and the gateway routes the
 * route table to the same handlers as in AWS. S3 object-created events under uploads/ go to the
 * verify-upload function, as the bucket notification does in AWS.
 *
 * One stack per process: the handlers read process.env once, at their cold start.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { S3Event, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { OcrEngine } from '../shared/app/ocr-ports';
import { useOcrEngine } from '../functions/common/ocr-engine';
import { useOcrQueue } from '../functions/common/ocr-queue';
import { startLocalOcrQueue, type LocalOcrQueue } from './ocr-queue';
import { ENV } from '../shared/config/env';
import { systemClock, type Clock } from '../shared/domain/time';
import { ARCHIVE_BUCKET, DOCUMENTS_BUCKET, S3_PREFIX } from '../shared/storage/definitions';
import { useClock } from '../functions/common/clock';
import {
  DEFAULT_PORTS,
  LOCAL_CREDENTIALS,
  createClients,
  ensureBuckets,
  ensureTable,
  portOrFree,
  startDynamoDbLocal,
  startS3Local,
  type DynamoDbLocal,
  type LocalClients,
  type S3Local,
} from './emulators';
import { buildContext, importFunctionHandler, startGateway, type Gateway, type LoadHandler } from './gateway';
import { LOCAL_AUDIENCE, createLocalIssuer, demoDirectoryUsers, issuerEnv, localIssuerUrl, type LocalIssuer } from './issuer';
import { documentClient } from '../shared/adapters/dynamodb-repository';
import { DynamoDbOfficeStore } from '../shared/adapters/office-store';
import { DynamoDbOcrStore } from '../shared/adapters/ocr-store';
import { parseOfficeSettings } from '../shared/domain/office';
import {
  ARCHIVE_HOUR_SHANGHAI,
  OCR_REQUEUE_EVERY_MS,
  SEARCH_REFRESH_EVERY_MS,
  startDaily,
  startEvery,
  SWEEP_HOUR_SHANGHAI,
  UPLOADS_HOUR_SHANGHAI,
  type DailyJob,
} from './daily';
import type { RetryReport } from '../shared/adapters/search-index';
import type { UploadReconciliation } from '../shared/app/registry';
import type { OcrRequeueReport } from '../shared/app/ocr';
import { startLocalOutbox, type LocalOutbox } from './outbox';
import { healS3Directory, markCleanStop, type S3HealReport } from './s3-heal';
import { localWebConfig, WEB_DEV_ORIGINS, webHandler } from './web';

export const LOCAL_REGION = 'cn-north-1';
export const LOCAL_TABLE_NAME = 'xf-registry-local';
export const LOCAL_BUCKET_NAME = 'xf-documents-local';
/** The archive bucket (no Object Lock in s3rver: the registry itself refuses deletes, docs/archive.md). */
export const LOCAL_ARCHIVE_BUCKET_NAME = 'xf-archive-local';
/** Preferred ports of the emulators when the gateway has a fixed port (else any free one). */
export { DEFAULT_PORTS };

export interface StackOptions {
  /** Where the data lives: <dataDir>/dynamodb, <dataDir>/s3, the issuer key, the PII hash key. */
  dataDir: string;
  /** Gateway port; default 3000. 0: every component on a free port (parallel tests). */
  port?: number;
  /** Reuse a running DynamoDB Local (the tests' shared one) instead of starting one. */
  dynamodb?: { endpoint: string };
  tableName?: string;
  bucketName?: string;
  archiveBucketName?: string;
  /** Installed with useClock for the handlers (a FakeClock in tests); default the system clock. */
  clock?: Clock;
  /** Default: dynamic import of functions/<fn>/handler.ts. */
  loadHandler?: LoadHandler;
  /** No access log, handlers log at WARN. */
  quiet?: boolean;
  /** More environment for the handlers (e.g. OFFICE_CONFIG), set with the rest before any import. */
  env?: Record<string, string>;
  /** Run the deadline sweep in-process daily at 08:00 Asia/Shanghai, and once at start (`npm start`; default off). */
  dailySweep?: boolean;
  /** Run the archive in-process daily at 02:00 Asia/Shanghai (npm start). */
  dailyArchive?: boolean;
  /** Run the upload reconciliation in-process daily at 01:00 Asia/Shanghai, and once at start (npm start). */
  dailyUploads?: boolean;
  /** Retry failed search-index refreshes in-process every 15 minutes, and once at start, and with `ocr` re-queue lost OCR jobs every 30 minutes (npm start; in AWS schedules of the sweep function). */
  searchRefresh?: boolean;
  /** How often pending notices are written to <dataDir>/outbox/ (ms; default 2000; 0: only on drainOutbox()). */
  outboxPollMs?: number;
  /** Serve the web application from this build (default web/dist, when built; local/web.ts). */
  webDistDir?: string;
  /**
   * DynamoDB Local on <dataDir>/dynamodb, already being started by the caller: `npm start` spawns
   * the JVM first, so that its 2–3 s of start overlap the loading of everything else. The stack
   * owns it as if it had started it (stops it). Ignored with `dynamodb`.
   */
  dynamodbStarting?: Promise<DynamoDbLocal>;
  /**
   * Read the verified scans (OCR, docs/ocr.md): their copies' object-created events go to an
   * in-process queue that runs the `ocr` handler one job at a time in the background (npm start;
   * the tests that need it). `engine`: another engine than the default (useOcrEngine); the
   * default's models load on the first job, never at start.
   */
  ocr?: { engine?: () => Promise<OcrEngine>; retryDelayMs?: number };
}

export interface LocalStack {
  baseUrl: string;
  endpoints: {
    gateway: string;
    dynamodb: string;
    s3: string;
    issuer: string;
    jwks: string;
    openapi: string;
    /** The web application (web/dist, built by `npm start` and the browser tests). */
    web: string;
  };
  /** Where each part keeps its data (dynamodb undefined when reusing an endpoint). */
  dataDirs: { root: string; dynamodb: string | undefined; s3: string };
  /** What was found damaged in s3rver's files at start and moved aside (local/s3-heal.ts). */
  s3Heal: S3HealReport;
  tableName: string;
  bucketName: string;
  archiveBucketName: string;
  /** The variables set in process.env for the handlers. */
  env: Record<string, string>;
  issuer: LocalIssuer;
  clock: Clock;
  /** SDK clients for the emulators (for seeding and assertions). */
  clients: LocalClients;
  /** A signed ID token for a demo user. */
  token(username: string): Promise<string>;
  /** Resolves when every object-created event delivered so far has been handled. */
  settled(): Promise<void>;
  /** Resolves when the upload checks have settled and the OCR queue has nothing waiting, running or due for a retry. */
  ocrSettled(): Promise<void>;
  /** Where notices are delivered as JSON files (<dataDir>/outbox/<day>/). */
  outboxDir: string;
  /** Delivers the pending notices of the last `days` days (default 7) to outboxDir now. */
  drainOutbox(days?: number): Promise<number>;
  /** Runs the daily upload reconciliation now (verify-upload with its schedule's event), as the schedule does. */
  reconcileUploads(): Promise<UploadReconciliation>;
  /** Retries the failed search-index refreshes now (the sweep function with its retry schedule's event), as the schedule does. */
  refreshSearch(): Promise<RetryReport>;
  /** Sends the OCR jobs whose message was lost to the OCR queue again now (the sweep function with its re-queue schedule's event), as the schedule does. */
  requeueOcr(): Promise<OcrRequeueReport>;
  stop(): Promise<void>;
}

/**
 * The keyed-hash key for ID and phone numbers: made once, kept, so hashes survive restarts. Written
 * to a temporary file and linked into place, so a process killed meanwhile leaves no empty key file
 * (an empty one, left by an older version killed between creating and writing it, is replaced).
 */
export function loadOrCreatePiiHashKey(dataDir: string): string {
  return loadOrCreateKey(dataDir, 'pii-hash-key');
}

/** The key that seals page cursors: made once, kept the same way, so a cursor survives a restart. */
export function loadOrCreateCursorKey(dataDir: string): string {
  return loadOrCreateKey(dataDir, 'cursor-key');
}

function loadOrCreateKey(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  const read = (): string | undefined => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return undefined;
    }
  };
  const existing = read();
  if (existing) return existing;
  if (existing === '') rmSync(file, { force: true });
  const key = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${key}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return key;
  } catch (error) {
    // Created by another process in between: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = read();
    if (!theirs) throw new Error(`${file} is empty: remove it and start again`);
    return theirs;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Starts the whole local stack; resolves when it is ready for requests. */
export async function startStack(options: StackOptions): Promise<LocalStack> {
  const root = resolve(options.dataDir);
  mkdirSync(root, { recursive: true });
  const fixedPorts = (options.port ?? DEFAULT_PORTS.gateway) !== 0;
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  const bucketName = options.bucketName ?? LOCAL_BUCKET_NAME;
  const archiveBucketName = options.archiveBucketName ?? LOCAL_ARCHIVE_BUCKET_NAME;
  const loadHandler = options.loadHandler ?? importFunctionHandler;
  const clock = options.clock ?? systemClock;
  const quiet = options.quiet ?? false;

  // Stopped in this order: no new requests, pending upload checks finish, then the emulators.
  const parts: {
    gateway?: Gateway;
    s3?: S3Local;
    dynamodb?: DynamoDbLocal;
    clients?: LocalClients;
    outbox?: LocalOutbox;
    dailySweep?: DailyJob;
    dailyArchive?: DailyJob;
    dailyUploads?: DailyJob;
    searchRefresh?: DailyJob;
    ocrRequeue?: DailyJob;
    ocr?: LocalOcrQueue;
  } = {};
  const stopAll = async (): Promise<void> => {
    const steps: Array<() => Promise<void> | void> = [
      () => parts.dailySweep?.stop(),
      () => parts.dailyArchive?.stop(),
      () => parts.dailyUploads?.stop(),
      () => parts.searchRefresh?.stop(),
      () => parts.ocrRequeue?.stop(),
      () => parts.gateway?.stop(),
      () => parts.ocr?.stop(),
      () => (parts.ocr ? useOcrQueue(undefined) : undefined),
      () => (options.ocr?.engine ? useOcrEngine(undefined) : undefined),
      () => parts.outbox?.stop(),
      async () => {
        if (!parts.s3) return;
        await parts.s3.stop();
        // Only after s3rver has finished every write: the next start need not re-hash the objects.
        markCleanStop(parts.s3.directory);
      },
      () => parts.dynamodb?.stop(),
      () => parts.clients?.destroy(),
      () => (options.clock ? useClock(systemClock) : undefined),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        console.error('[local] stop:', error);
      }
    }
  };

  try {
    // The gateway listens first (its port names the issuer), but holds every request until the
    // environment is set: the handlers read it at their cold start.
    let open!: () => void;
    const ready = new Promise<void>((r) => {
      open = r;
    });
    let issuerRef: LocalIssuer | undefined = undefined;
    const gateway: Gateway = await startGateway({
      port: options.port ?? DEFAULT_PORTS.gateway,
      host: '127.0.0.1',
      loadHandler,
      issuer: { handle: (req, res) => (issuerRef ? issuerRef.handle(req, res) : Promise.resolve(false)) },
      ready,
      region: LOCAL_REGION,
      quiet,
      // The web application at the root, with its config.json (the routes come first).
      extra: webHandler({ distDir: options.webDistDir, config: localWebConfig() }),
    });
    parts.gateway = gateway;
    const baseUrl = gateway.url;

    const dynamodbDir = options.dynamodb ? undefined : join(root, 'dynamodb');
    // Whatever a killed s3rver write left behind is moved aside before s3rver reads it.
    const s3Dir = join(root, 's3');
    const s3Heal = await healS3Directory(s3Dir, { damagedRoot: join(root, 's3-damaged') });
    // Both emulators start at once; if either fails, the other is stopped too (allSettled).
    const [dynamodbResult, s3Result] = await Promise.allSettled([
      options.dynamodb
        ? Promise.resolve<Pick<DynamoDbLocal, 'endpoint'>>(options.dynamodb)
        : (
            options.dynamodbStarting ?? portOrFree(fixedPorts ? DEFAULT_PORTS.dynamodb : 0).then((port) => startDynamoDbLocal({ port, dataDir: dynamodbDir }))
          ).then((ddb) => (parts.dynamodb = ddb)),
      portOrFree(fixedPorts ? DEFAULT_PORTS.s3 : 0)
        .then((port) => startS3Local({ port, directory: s3Dir, onObjectCreated: (event) => deliverUpload(event) }))
        .then((s3Local) => (parts.s3 = s3Local)),
    ]);
    if (dynamodbResult.status === 'rejected') throw dynamodbResult.reason;
    if (s3Result.status === 'rejected') throw s3Result.reason;
    const dynamodb = dynamodbResult.value;
    const s3 = s3Result.value;

    const clients = createClients({ dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3.endpoint, region: LOCAL_REGION });
    parts.clients = clients;
    await Promise.all([
      ensureTable(clients.dynamodb, tableName),
      ensureBuckets(clients.s3, [bucketName, archiveBucketName], {
        // The gateway's own origin (the web application it serves) and `npm run web:dev`'s.
        corsOrigins: [baseUrl, baseUrl.replace('127.0.0.1', 'localhost'), ...WEB_DEV_ORIGINS],
      }),
    ]);

    // The built-in issuer's user store is the office directory in the table: the demo users are
    // seeded on first start; users the admin creates sign in, disabled ones cannot.
    const officeStore = new DynamoDbOfficeStore(documentClient(clients.dynamodb), tableName);
    await officeStore.seedUsers(demoDirectoryUsers(clock.now().toISOString()));
    // OFFICE_CONFIG's departments and categories seed the directory on first start; from then on the table wins.
    const officeConfig = parseOfficeSettings(options.env?.[ENV.officeConfig] ?? process.env[ENV.officeConfig]);
    if (!(await officeStore.departments()).seeded) {
      await officeStore.seedDepartments(
        officeConfig.departments.map((d) => ({ ...d, retired: d.retired ?? false })),
        clock.now().toISOString(),
      );
    }
    await officeStore.seedCategories(officeConfig.categories, clock.now().toISOString());
    const issuer = await createLocalIssuer({ dataDir: root, issuerUrl: localIssuerUrl(baseUrl), audience: LOCAL_AUDIENCE, directory: officeStore });
    issuerRef = issuer;

    const env: Record<string, string> = {
      [ENV.tableName]: tableName,
      [DOCUMENTS_BUCKET.envVar]: bucketName,
      [ARCHIVE_BUCKET.envVar]: archiveBucketName,
      [ENV.region]: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      [ENV.dynamodbEndpoint]: dynamodb.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      ...issuerEnv(issuer),
      [ENV.piiHashKey]: loadOrCreatePiiHashKey(root),
      [ENV.cursorKey]: loadOrCreateCursorKey(root),
      // SMS (verification codes) as files beside the notices: <dataDir>/outbox/sms/<day>/ (AWS: End User Messaging SMS).
      [ENV.smsOutboxDir]: join(root, 'outbox', 'sms'),
      [ENV.logLevel]: quiet ? 'WARN' : 'INFO',
      [ENV.serviceName]: 'xinfang-registry',
      ...options.env,
    };
    Object.assign(process.env, env);
    // Session tokens or profiles of a real AWS account must not leak into the local clients.
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    if (options.clock) useClock(options.clock);

    // The bucket notifications: object-created events under uploads/ invoke verify-upload; those
    // under verified/ (the checked copies) go to the OCR's queue, when the stack runs the OCR.
    async function deliverUpload(event: S3Event): Promise<void> {
      const verifiedCopies = event.Records.filter(
        (r) => r.s3.bucket.name === bucketName && decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')).startsWith(S3_PREFIX.verified),
      );
      if (verifiedCopies.length > 0) parts.ocr?.send(verifiedCopies);
      const records = event.Records.filter(
        (r) => r.s3.bucket.name === bucketName && decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')).startsWith(S3_PREFIX.uploads),
      );
      if (records.length === 0) return;
      await ready;
      const handler = (await loadHandler('verify-upload')) as unknown as (e: S3Event, c: ReturnType<typeof buildContext>) => Promise<unknown>;
      const requestId = randomUUID();
      if (!quiet) console.log(`S3 ${records[0]?.eventName} ${records[0]?.s3.object.key} → [verify-upload]`);
      await handler({ Records: records }, buildContext('verify-upload', requestId, 60_000, LOCAL_REGION));
    }

    // The OCR of verified scans (in AWS: S3 → SQS → the ocr function).
    if (options.ocr) {
      if (options.ocr.engine) useOcrEngine(options.ocr.engine);
      parts.ocr = startLocalOcrQueue({
        region: LOCAL_REGION,
        retryDelayMs: options.ocr.retryDelayMs,
        handler: async () => {
          await ready;
          const handler = (await loadHandler('ocr')) as unknown as (e: SQSEvent, c: ReturnType<typeof buildContext>) => Promise<SQSBatchResponse>;
          return (event) => handler(event, buildContext('ocr', randomUUID(), 10 * 60_000, LOCAL_REGION));
        },
        onError: (message, error) => console.error(message, error ?? ''),
      });
      // The sweep function's \`ocr-requeue\` task sends to this queue (in AWS: SQS).
      const queue = parts.ocr;
      useOcrQueue({ send: async (job) => queue.sendJob(job) });
    }

    // Notices of the outbox → <dataDir>/outbox/ (in AWS: the table's stream → notify-sender → SES).
    const outbox = startLocalOutbox({
      dynamodb: clients.dynamodb,
      tableName,
      dir: join(root, 'outbox'),
      clock,
      intervalMs: options.outboxPollMs,
      onError: (error) => console.error('[local] outbox:', error),
    });
    parts.outbox = outbox;
    // The schedule of the deadline sweep (in AWS: EventBridge Scheduler, daily 08:00 Asia/Shanghai).
    if (options.dailySweep) {
      parts.dailySweep = startDaily({
        clock,
        hourShanghai: SWEEP_HOUR_SHANGHAI,
        atStart: true,
        run: async () => {
          await ready;
          try {
            const handler = (await loadHandler('sweep')) as unknown as (
              e: unknown,
              c: ReturnType<typeof buildContext>,
            ) => Promise<{ acted?: number; notices?: number } | undefined>;
            const report = await handler({ source: 'local-schedule' }, buildContext('sweep', randomUUID(), 15 * 60_000, LOCAL_REGION));
            if (!quiet) console.log(`[sweep] deadline sweep: ${report?.acted ?? 0} milestones acted on, ${report?.notices ?? 0} notices`);
            await outbox.drain(2);
          } catch (error) {
            console.error('[sweep] deadline sweep failed (the next run retries):', error);
          }
        },
      });
    }

    // The upload reconciliation (in AWS: EventBridge Scheduler invokes verify-upload daily at 01:00 Asia/Shanghai).
    async function reconcileUploads(): Promise<UploadReconciliation> {
      await ready;
      const handler = (await loadHandler('verify-upload')) as unknown as (e: unknown, c: ReturnType<typeof buildContext>) => Promise<UploadReconciliation>;
      return handler({ task: 'reconcile-uploads' }, buildContext('verify-upload', randomUUID(), 15 * 60_000, LOCAL_REGION));
    }
    if (options.dailyUploads) {
      parts.dailyUploads = startDaily({
        clock,
        hourShanghai: UPLOADS_HOUR_SHANGHAI,
        atStart: true,
        run: async () => {
          try {
            const report = await reconcileUploads();
            if (!quiet && report.checked > 0)
              console.log(`[uploads] reconciliation: ${report.checked} pending uploads settled (${report.verified} verified, ${report.expired} expired)`);
          } catch (error) {
            console.error('[uploads] upload reconciliation failed (the next run retries):', error);
          }
        },
      });
    }

    // The retry of failed search-index refreshes (in AWS: EventBridge Scheduler invokes the sweep function every 15 minutes).
    async function refreshSearch(): Promise<RetryReport> {
      await ready;
      const handler = (await loadHandler('sweep')) as unknown as (e: unknown, c: ReturnType<typeof buildContext>) => Promise<RetryReport>;
      return handler({ task: 'search-refresh' }, buildContext('sweep', randomUUID(), 15 * 60_000, LOCAL_REGION));
    }
    if (options.searchRefresh) {
      parts.searchRefresh = startEvery({
        everyMs: SEARCH_REFRESH_EVERY_MS,
        atStart: true,
        run: async () => {
          try {
            const report = await refreshSearch();
            if (!quiet && report.refreshed > 0) console.log(`[search] retry: ${report.refreshed} pending cases indexed`);
          } catch (error) {
            console.error('[search] retry of pending refreshes failed (the next run retries):', error);
          }
        },
      });
    }

    // The re-queue of OCR jobs whose message was lost (in AWS: EventBridge Scheduler invokes the
    // sweep function every 30 minutes). Not at start: the start queues every unfinished job again (below).
    async function requeueOcr(): Promise<OcrRequeueReport> {
      await ready;
      const handler = (await loadHandler('sweep')) as unknown as (e: unknown, c: ReturnType<typeof buildContext>) => Promise<OcrRequeueReport>;
      return handler({ task: 'ocr-requeue' }, buildContext('sweep', randomUUID(), 15 * 60_000, LOCAL_REGION));
    }
    if (parts.ocr && options.searchRefresh) {
      parts.ocrRequeue = startEvery({
        everyMs: OCR_REQUEUE_EVERY_MS,
        atStart: false,
        run: async () => {
          try {
            const report = await requeueOcr();
            if (!quiet && report.sent > 0) console.log(`[ocr] ${report.sent} scans left unread queued again`);
          } catch (error) {
            console.error('[ocr] re-queue of unfinished jobs failed (the next run retries):', error);
          }
        },
      });
    }

    // The schedule of the archive run (in AWS: EventBridge Scheduler, daily 02:00 Asia/Shanghai).
    if (options.dailyArchive) {
      parts.dailyArchive = startDaily({
        clock,
        hourShanghai: ARCHIVE_HOUR_SHANGHAI,
        atStart: false,
        run: async () => {
          await ready;
          try {
            const handler = (await loadHandler('archive-run')) as unknown as (
              e: unknown,
              c: ReturnType<typeof buildContext>,
            ) => Promise<{ cases?: number; more?: boolean } | undefined>;
            const report = await handler({ task: 'archive-run' }, buildContext('archive-run', randomUUID(), 15 * 60_000, LOCAL_REGION));
            if (!quiet) console.log(`[archive] archive run: ${report?.cases ?? 0} cases looked at${report?.more ? ', more left for the next run' : ''}`);
          } catch (error) {
            console.error('[archive] archive run failed (the next run retries):', error);
          }
        },
      });
    }

    open();
    // The jobs a stopped process left unfinished (the local queue is in memory): queued again, in the background.
    if (parts.ocr) {
      const queue = parts.ocr;
      void new DynamoDbOcrStore(documentClient(clients.dynamodb), tableName)
        .queuedJobs()
        .then((jobs) => {
          for (const job of jobs) queue.sendJob(job);
          if (jobs.length > 0 && !quiet) console.log(`[ocr] ${jobs.length} scans left unread by the last run queued again`);
        })
        .catch((error: unknown) => console.error('[ocr] could not queue the unfinished jobs again:', error));
    }
    return {
      baseUrl,
      endpoints: {
        gateway: baseUrl,
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
        issuer: issuer.issuerUrl,
        jwks: issuer.jwksUrl,
        openapi: `${baseUrl}/openapi.json`,
        web: `${baseUrl}/`,
      },
      dataDirs: { root, dynamodb: dynamodbDir, s3: s3Dir },
      s3Heal,
      tableName,
      bucketName,
      archiveBucketName,
      env,
      issuer,
      clock,
      clients,
      token: (username) => issuer.mintToken(username),
      settled: () => s3.settled(),
      ocrSettled: async () => {
        await s3.settled();
        await parts.ocr?.idle();
      },
      outboxDir: outbox.dir,
      drainOutbox: (days) => outbox.drain(days),
      reconcileUploads,
      refreshSearch,
      requeueOcr,
      stop: (() => {
        let stopping: Promise<void> | undefined;
        return () => (stopping ??= stopAll());
      })(),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
