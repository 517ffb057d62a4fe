/**
 * AWS SDK clients, built once per process from configuration. Locally the endpoints point at
 * the emulators; in AWS they are absent and the SDK's defaults apply. The S3 settings below are
 * required by S3-compatible servers (path-style addressing; checksums only when required, or
 * streamed uploads are silently corrupted) and harmless on AWS.
 *
 * Every client has bounded timeouts and retries, so a dependency that is down or hangs fails the
 * request in seconds (a 503 with Retry-After, shared/http/errors.ts) instead of holding it until
 * the API's 30 s limit and committing later. The SDK's default has no request timeout at all.
 * The clients keep no state that a failure could spoil: each request opens or reuses a socket,
 * so when the dependency comes back the next request succeeds (test/adapter/faults.test.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface ClientConfig {
  region: string;
  dynamodbEndpoint?: string;
  s3Endpoint?: string;
}

/** Time to open a connection (TCP + TLS), milliseconds. */
export const CONNECTION_TIMEOUT_MS = 2_000;
/** DynamoDB answers in milliseconds: a socket idle this long is a hung dependency. */
export const DYNAMODB_REQUEST_TIMEOUT_MS = 5_000;
/** S3 may stream large objects and copy server-side: a longer idle limit (it is per socket inactivity, not per transfer). */
export const S3_REQUEST_TIMEOUT_MS = 15_000;
/** Attempts per request, the first included (the SDK backs off between them). */
export const MAX_ATTEMPTS = 2;

export function createDynamoDbClient(config: ClientConfig): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
}

/** SQS answers in milliseconds, as DynamoDB does (the OCR re-queue sends its jobs; AWS only). */
export function createSqsClient(config: Pick<ClientConfig, 'region'>): SQSClient {
  return new SQSClient({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
}

export function createS3Client(config: ClientConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: S3_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
}
