/**
 * The local stack for end-to-end test files: the run's shared DynamoDB Local with a table of its
 * own, s3rver in a temporary folder with a bucket of its own, every port chosen by the OS, and
 * a FakeClock the test moves. Test files using it run in parallel.
 *
 *   let stack: TestStack;
 *   beforeAll(async () => { stack = await startTestStack({ now: '2026-03-02T01:00:00Z' }); }, 60_000);
 *   afterAll(() => stack?.stop());
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FakeClock } from '../../shared/domain/time';
import { LOCAL_CREDENTIALS } from '../../local/emulators';
import { startStack, type LocalStack, type StackOptions } from '../../local/stack';
import { testDynamoDb } from './dynamodb';
import { api, type Api } from './http';
import { contractChecker } from './contract';
import { uniqueName } from './names';

export interface TestStackOptions extends Partial<Omit<StackOptions, 'clock' | 'port' | 'dataDir' | 'dynamodb'>> {
  /** Where the fake clock starts. Default 2026-03-02T01:00:00Z (a Monday, 09:00 in Beijing). */
  now?: Date | string;
  /** Puts something between the stack and the run's DynamoDB Local (a proxy that can fail): returns the endpoint the stack uses. */
  dynamodbVia?: (endpoint: string) => Promise<string>;
}

export interface TestStack extends Omit<LocalStack, 'clock'> {
  clock: FakeClock;
  /** api(baseUrl), for convenience. */
  api: Api;
}

export const DEFAULT_TEST_START = '2026-03-02T01:00:00Z';

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const { now, dynamodbVia, ...rest } = options;
  const dynamodb = await testDynamoDb();
  const dataDir = mkdtempSync(join(tmpdir(), 'xf-test-stack-'));
  const clock = new FakeClock(now ?? DEFAULT_TEST_START);
  const tableName = options.tableName ?? uniqueName('xf-test');
  let stack: LocalStack;
  try {
    const endpoint = dynamodbVia ? await dynamodbVia(dynamodb.endpoint) : dynamodb.endpoint;
    stack = await startStack({
      quiet: true,
      bucketName: uniqueName('xf-test'),
      ...rest,
      tableName,
      dataDir,
      port: 0,
      dynamodb: { endpoint },
      clock,
    });
  } catch (error) {
    await dynamodb.release();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await stack.stop();
    const client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    try {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    } catch {
      // already gone, or the DynamoDB Local is: nothing to tidy
    } finally {
      client.destroy();
    }
    await dynamodb.release();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    ...stack,
    clock,
    // Every response of the real handlers is checked against the OpenAPI document: each
    // end-to-end test is a contract test too (not so for the gateway tests' fixture handlers).
    api: api(stack.baseUrl, options.loadHandler ? undefined : contractChecker()),
    stop: () => (stopping ??= stop()),
  };
}
