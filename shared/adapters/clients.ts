/**
 * AWS SDK clients, built once per process from configuration. Locally the endpoints point at
 * the emulators; in AWS they are absent and the SDK's defaults apply. The S3 settings below are
 * required by S3-compatible servers (path-style addressing; checksums only when required, or
 * streamed uploads are silently corrupted) and harmless on AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

export interface ClientConfig {
  region: string;
  dynamodbEndpoint?: string;
  s3Endpoint?: string;
}

export function createDynamoDbClient(config: ClientConfig): DynamoDBClient {
  return new DynamoDBClient({ region: config.region, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}) });
}

export function createS3Client(config: ClientConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
