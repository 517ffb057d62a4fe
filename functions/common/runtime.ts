/**
 * Everything a function needs, built once per cold start from the environment (failing fast on
 * a missing variable): SDK clients, adapters, the token verifier, the registry's use cases.
 * Functions that issue letters build theirs with letters-runtime.ts, so the renderer and the
 * fonts (pdf-lib, fontkit: about 1.7 MB) stay out of the bundles of the functions that never
 * render one.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { createS3Client } from '../../shared/adapters/clients';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { bucketProbe, tableProbe } from '../../shared/adapters/health';
import { DynamoDbOcrStore } from '../../shared/adapters/ocr-store';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { OcrService } from '../../shared/app/ocr';
import type { DocumentRecord } from '../../shared/domain/documents';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import { CaseSearch } from '../../shared/app/search';
import { checkHealth, type HealthReport } from '../../shared/app/health';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { OfficeCalendarSource } from '../../shared/app/calendar';
import { Registry, type LetterIssuer } from '../../shared/app/registry';
import { verifierFromConfig, type TokenVerifier } from '../../shared/auth/verify';
import { ENV, need, type ConfigKey } from '../../shared/config/env';
import { CursorSigner } from '../../shared/http/cursors';
import { UnauthenticatedError } from '../../shared/domain/errors';
import { officeDirectory, type OfficeSettings } from '../../shared/domain/office';
import { officeSettings } from './office';
import { cacheClock, runtimeClock } from './clock';
import { config, once, tableClients } from './runtime-support';

export const logger = new Logger({ serviceName: process.env[ENV.serviceName] ?? 'xinfang-registry' });

export interface Runtime {
  registry: Registry;
  /** Finding a case (GET /cases?q=…). */
  search: CaseSearch;
  /** The search index itself (bulk refreshes). */
  searchIndex: DynamoDbSearchIndex;
  repo: DynamoDbCaseRepository;
  verify: TokenVerifier;
  settings: OfficeSettings;
  /** GET /health: the table and the buckets this function is configured with. */
  health: () => Promise<HealthReport>;
}

/** What a letter-issuing function adds to the runtime: its issuer, built on the same adapters. */
export type LetterIssuerFactory = (deps: { repo: DynamoDbCaseRepository; storage: S3DocumentStorage; settings: OfficeSettings }) => LetterIssuer;

/** The runtime without letters (reading, documents, the public query, the upload check). */
export const getRuntime = once(() => buildRuntime());

/**
 * The same runtime for a function that takes no token (the public query, the upload check): it
 * reads no token issuer, and CDK binds none to it (infra/stack.ts).
 */
export const getTokenlessRuntime = once(() => buildRuntime(undefined, { tokens: false }));

/** The verifier of a function that takes no token: it refuses every token. */
export const NO_TOKENS: TokenVerifier = Object.assign(() => Promise.reject(new UnauthenticatedError('This function takes no token')), {
  verify: () => Promise.reject(new UnauthenticatedError('This function takes no token')),
});

/** The key of the keyed hash of ID and phone numbers: PII_HASH_KEY locally, the secret in AWS. */
export function piiKey(): Promise<string> {
  return secretValue('piiHashKey', 'piiHashKeySecretArn', 'The PII hash key');
}

/** The signer of page cursors of a function that serves list routes: CURSOR_KEY locally, the secret in AWS. */
export async function cursorSigner(): Promise<CursorSigner> {
  return new CursorSigner(await secretValue('cursorKey', 'cursorKeySecretArn', 'The cursor key'));
}

/** A key given directly (the local stack), else read from its Secrets Manager secret (AWS). */
async function secretValue(direct: ConfigKey, secretArn: ConfigKey, what: string): Promise<string> {
  const c = config();
  const value = c[direct];
  if (value) return value;
  const arn = need(c, secretArn);
  const out = await new SecretsManagerClient({ region: need(c, 'region') }).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error(`${what} secret is empty`);
  return out.SecretString;
}

/** The office calendar of this process (shared/app/calendar.ts), on the runtime's clock. */
export function officeCalendarSource(store: DynamoDbCaseRepository, settings: OfficeSettings): OfficeCalendarSource {
  return new OfficeCalendarSource({ store, clock: cacheClock, cacheMs: settings.calendarCacheSeconds * 1000 });
}

/**
 * `refreshSearch: false` (the demo's bulk seeding, scripts/demo.ts): case writes still mark the
 * case pending for the search index in their transaction, but no refresh follows; the caller
 * refreshes the pending cases in bulk afterwards (`runtime.searchIndex.refreshMany`).
 */
export async function buildRuntime(
  letterIssuer?: LetterIssuerFactory,
  { tokens = true, refreshSearch = true }: { tokens?: boolean; refreshSearch?: boolean } = {},
): Promise<Runtime> {
  const c = config();
  const { clients, tableName, db } = tableClients();
  const bucket = need(c, 'documentsBucket');
  const settings = officeSettings();
  // The office calendar: the shipped years and those the office loaded, read again after calendarCacheSeconds.
  const calendar = officeCalendarSource(new DynamoDbCaseRepository(db, tableName), settings);
  // Clock items carry the deadline sweep's next-action keys, computed with the office's policy.
  const s3 = createS3Client(clients);
  const key = await piiKey();
  // The search index: refreshed right after every case write that changes what it holds.
  const index = new DynamoDbSearchIndex(db, tableName, {
    piiKey: key,
    office: () => officeDirectory(settings),
    onRefreshError: (caseNo, err) => logger.error('search refresh failed; the case stays pending', { caseNo, err }),
  });
  const repo = new DynamoDbCaseRepository(db, tableName, new SweepIndexer(settings.sweep, calendar), refreshSearch ? index : undefined);
  const storage = new S3DocumentStorage(s3, bucket);
  const archiveBucket = c.archiveBucket;
  const probes = {
    dynamodb: tableProbe(db, tableName),
    documentsBucket: bucketProbe(s3, bucket),
    ...(archiveBucket ? { archiveBucket: bucketProbe(s3, archiveBucket) } : {}),
  };
  const letters = letterIssuer?.({ repo, storage, settings });
  // A verified scan is marked for OCR here; its verified copy's object-created event carries the job (functions/ocr).
  const ocrStore = new DynamoDbOcrStore(db, tableName);
  const ocrQueueing = new OcrService({
    repo,
    store: ocrStore,
    files: storage,
    engine: () => Promise.reject(new Error('this function runs no OCR')),
    search: index,
    clock: runtimeClock,
  });
  const ocr = {
    enqueue: (doc: DocumentRecord) => ocrQueueing.enqueue(doc),
    readings: ocrStore,
    onQueueError: (err: unknown, doc: DocumentRecord) =>
      logger.error('marking a scan for OCR failed; the document stays verified', { caseNo: doc.caseNo, documentId: doc.documentId, err }),
  };
  const registry = new Registry({ repo, storage, clock: runtimeClock, settings, clocks: { calendar }, piiKey: key, letters, ocr });
  const search = new CaseSearch({ index, piiKey: key, settings, clock: runtimeClock });
  return { registry, search, searchIndex: index, repo, verify: tokens ? verifierFromConfig(c) : NO_TOKENS, settings, health: () => checkHealth(probes) };
}
