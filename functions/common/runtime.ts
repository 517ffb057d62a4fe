/**
 * Everything a function needs, built once per cold start from the environment (failing fast on
 * a missing variable): SDK clients, adapters, the token verifier, the registry's use cases.
 * The admin function builds less (getAdminRuntime): the table and the letter templates only.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoDbClient, createS3Client } from '../../shared/adapters/clients';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { CaseLetterIssuer, LetterTemplatesAdmin } from '../../shared/app/letters';
import { Registry } from '../../shared/app/registry';
import { verifierFromEnv, type TokenVerifier } from '../../shared/auth/verify';
import { ENV, optionalEnv, requireEnv } from '../../shared/config/env';
import { officeCalendar } from '../../shared/domain/clocks';
import { parseOfficeSettings, type OfficeSettings } from '../../shared/domain/office';
import { runtimeClock } from './clock';

export const logger = new Logger({ serviceName: process.env[ENV.serviceName] ?? 'xinfang-registry' });

export interface Runtime {
  registry: Registry;
  repo: DynamoDbCaseRepository;
  verify: TokenVerifier;
  settings: OfficeSettings;
}

let runtime: Promise<Runtime> | undefined;

export function getRuntime(): Promise<Runtime> {
  runtime ??= build().catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

/** The key of the keyed hash of ID and phone numbers: PII_HASH_KEY locally, the secret in AWS. */
export async function piiKey(region: string): Promise<string> {
  const direct = optionalEnv(ENV.piiHashKey);
  if (direct) return direct;
  const arn = requireEnv(ENV.piiHashKeySecretArn);
  const out = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error('The PII hash key secret is empty');
  return out.SecretString;
}

async function build(): Promise<Runtime> {
  const region = requireEnv(ENV.region);
  const tableName = requireEnv(ENV.tableName);
  const bucket = requireEnv(ENV.documentsBucket);
  const clients = { region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint), s3Endpoint: optionalEnv(ENV.s3Endpoint) };
  const settings = parseOfficeSettings(optionalEnv(ENV.officeConfig));
  // Clock items carry the deadline sweep's next-action keys, computed with the office's policy.
  const repo = new DynamoDbCaseRepository(documentClient(createDynamoDbClient(clients)), tableName, new SweepIndexer(settings.sweep, officeCalendar));
  const storage = new S3DocumentStorage(createS3Client(clients), bucket);
  // Fonts are read on the first letter (in AWS from the layer at XF_FONT_DIR), then kept.
  const letters = new CaseLetterIssuer({
    repo,
    templates: repo,
    storage,
    office: settings.letters,
    clock: runtimeClock,
    fonts: letterFonts,
    templateCacheMs: settings.templateCacheSeconds * 1000,
  });
  const registry = new Registry({ repo, storage, clock: runtimeClock, settings, clocks: { calendar: officeCalendar }, piiKey: await piiKey(region), letters });
  return { registry, repo, verify: verifierFromEnv(), settings };
}

/** The letter fonts (and fontkit with them) are loaded with the first letter, then kept. */
const letterFonts = () => import('../../shared/letters/fonts').then((m) => m.loadLetterFonts(optionalEnv(ENV.fontDir)));

/** The admin function: letter templates of the office, kept in the table. */
export interface AdminRuntime {
  templates: LetterTemplatesAdmin;
  verify: TokenVerifier;
  settings: OfficeSettings;
}

let adminRuntime: Promise<AdminRuntime> | undefined;

export function getAdminRuntime(): Promise<AdminRuntime> {
  adminRuntime ??= buildAdmin().catch((err: unknown) => {
    adminRuntime = undefined;
    throw err;
  });
  return adminRuntime;
}

async function buildAdmin(): Promise<AdminRuntime> {
  const region = requireEnv(ENV.region);
  const tableName = requireEnv(ENV.tableName);
  const repo = new DynamoDbCaseRepository(documentClient(createDynamoDbClient({ region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint) })), tableName);
  const settings = parseOfficeSettings(optionalEnv(ENV.officeConfig));
  const templates = new LetterTemplatesAdmin({ store: repo, clock: runtimeClock, office: settings.letters, fonts: letterFonts });
  return { templates, verify: verifierFromEnv(), settings };
}
