import { randomBytes } from 'node:crypto';

/**
 * A name unique to this test file's run, valid as a DynamoDB table and an S3 bucket name
 * (lowercase letters, digits and hyphens, 3–63 characters).
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`.toLowerCase().slice(0, 63);
}
