/**
 * The probes of the health check (shared/app/health.ts) over the real clients, with the least
 * the functions are granted: a GetItem of a key that never exists (the table answers), a
 * HeadObject under generated/ (S3 answers; 403 or 404 for an absent object still means the
 * bucket is reachable — a function granted GetObject without ListBucket gets 403).
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Probe } from '../app/ports';
import { S3_PREFIX } from '../storage/definitions';

export function tableProbe(db: DynamoDBDocumentClient, tableName: string): Probe {
  return async (signal) => {
    await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'HEALTH#PROBE', sk: '#PROBE' } }), { abortSignal: signal });
  };
}

export function bucketProbe(s3: S3Client, bucket: string): Probe {
  return async (signal) => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${S3_PREFIX.generated}.health-probe` }), { abortSignal: signal });
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 403 || status === 404) return;
      throw err;
    }
  };
}
