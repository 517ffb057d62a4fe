/**
 * Everything a function needs, built once per cold start from the environment (failing fast on
 * a missing variable): SDK clients, adapters, the token verifier, the registry's use cases.
 * Functions that issue letters build theirs with letters-runtime.ts, so the renderer and the
 * fonts (pdf-lib, fontkit: about 1.7 MB) stay out of the bundles of the functions that never
 * render one.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoDbClient, createS3Client } from '../../shared/adapters/clients';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { bucketProbe, tableProbe } from '../../shared/adapters/health';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import { CaseSearch } from '../../shared/app/search';
import { checkHealth, type HealthReport } from '../../shared/app/health';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { OfficeCalendarSource } from '../../shared/app/calendar';
import { Registry, type LetterIssuer } from '../../shared/app/registry';
import { verifierFromEnv, type TokenVerifier } from '../../shared/auth/verify';
import { ENV, optionalEnv, requireEnv, type EnvName } from '../../shared/config/env';
import { CursorSigner } from '../../shared/http/cursors';
import { UnauthenticatedError } from '../../shared/domain/errors';
import { officeDirectory, type OfficeSettings } from '../../shared/domain/office';
import { officeSettings } from './office';
import { runtimeClock } from './clock';

export const logger = new Logger({ serviceName: process.env[ENV.serviceName] ?? 'xinfang-registry' });

export interface Runtime {
  registry: Registry;
  /** Finding a case (GET /cases?q=…). */
  search: CaseSearch;
  repo: DynamoDbCaseRepository;
  verify: TokenVerifier;
  settings: OfficeSettings;
  /** GET /health: the table and the buckets this function is configured with. */
  health: () => Promise<HealthReport>;
}

let runtime: Promise<Runtime> | undefined;
let tokenless: Promise<Runtime> | undefined;

/** What a letter-issuing function adds to the runtime: its issuer, built on the same adapters. */
export type LetterIssuerFactory = (deps: { repo: DynamoDbCaseRepository; storage: S3DocumentStorage; settings: OfficeSettings }) => LetterIssuer;

/** The runtime without letters (reading, documents, the public query, the upload check). */
export function getRuntime(): Promise<Runtime> {
  runtime ??= buildRuntime().catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

/**
 * The same runtime for a function that takes no token (the public query, the upload check): it
 * reads no token issuer, and CDK binds none to it (infra/stack.ts).
 */
export function getTokenlessRuntime(): Promise<Runtime> {
  tokenless ??= buildRuntime(undefined, { tokens: false }).catch((err: unknown) => {
    tokenless = undefined;
    throw err;
  });
  return tokenless;
}

/** The verifier of a function that takes no token: it refuses every token. */
export const NO_TOKENS: TokenVerifier = Object.assign(() => Promise.reject(new UnauthenticatedError('This function takes no token')), {
  verify: () => Promise.reject(new UnauthenticatedError('This function takes no token')),
});

/** The key of the keyed hash of ID and phone numbers: PII_HASH_KEY locally, the secret in AWS. */
export function piiKey(region: string): Promise<string> {
  return secretValue(region, ENV.piiHashKey, ENV.piiHashKeySecretArn, 'The PII hash key');
}

/** The signer of page cursors of a function that serves list routes: CURSOR_KEY locally, the secret in AWS. */
export async function cursorSigner(region: string): Promise<CursorSigner> {
  return new CursorSigner(await secretValue(region, ENV.cursorKey, ENV.cursorKeySecretArn, 'The cursor key'));
}

/** A key given directly (the local stack), else read from its Secrets Manager secret (AWS). */
async function secretValue(region: string, direct: EnvName, secretArn: EnvName, what: string): Promise<string> {
  const value = optionalEnv(direct);
  if (value) return value;
  const arn = requireEnv(secretArn);
  const out = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error(`${what} secret is empty`);
  return out.SecretString;
}

/** The office calendar of this process (shared/app/calendar.ts), on the runtime's clock. */
export function officeCalendarSource(store: DynamoDbCaseRepository, settings: OfficeSettings): OfficeCalendarSource {
  return new OfficeCalendarSource({ store, clock: runtimeClock, cacheMs: settings.calendarCacheSeconds * 1000 });
}

export async function buildRuntime(letterIssuer?: LetterIssuerFactory, { tokens = true }: { tokens?: boolean } = {}): Promise<Runtime> {
  const region = requireEnv(ENV.region);
  const tableName = requireEnv(ENV.tableName);
  const bucket = requireEnv(ENV.documentsBucket);
  const clients = { region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint), s3Endpoint: optionalEnv(ENV.s3Endpoint) };
  const settings = officeSettings();
  const db = documentClient(createDynamoDbClient(clients));
  // The office calendar: the shipped years and those the office loaded, read again after calendarCacheSeconds.
  const calendar = officeCalendarSource(new DynamoDbCaseRepository(db, tableName), settings);
  // Clock items carry the deadline sweep's next-action keys, computed with the office's policy.
  const s3 = createS3Client(clients);
  const key = await piiKey(region);
  // The search index: refreshed right after every case write that changes what it holds.
  const index = new DynamoDbSearchIndex(db, tableName, { piiKey: key, office: () => officeDirectory(settings), onRefreshError: (caseNo, err) => logger.error('search refresh failed; the case stays pending', { caseNo, err }) });
  const repo = new DynamoDbCaseRepository(db, tableName, new SweepIndexer(settings.sweep, calendar), index);
  const storage = new S3DocumentStorage(s3, bucket);
  const archiveBucket = optionalEnv(ENV.archiveBucket);
  const probes = { dynamodb: tableProbe(db, tableName), documentsBucket: bucketProbe(s3, bucket), ...(archiveBucket ? { archiveBucket: bucketProbe(s3, archiveBucket) } : {}) };
  const letters = letterIssuer?.({ repo, storage, settings });
  const registry = new Registry({ repo, storage, clock: runtimeClock, settings, clocks: { calendar }, piiKey: key, letters });
  const search = new CaseSearch({ index, piiKey: key, settings, clock: runtimeClock });
  return { registry, search, repo, verify: tokens ? verifierFromEnv() : NO_TOKENS, settings, health: () => checkHealth(probes) };
}
