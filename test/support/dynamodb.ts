/**
 * The DynamoDB Local of the test run: the one globalSetup started (inject('dynamodbEndpoint')),
 * or, when a file runs without that globalSetup, one of its own, stopped by release().
 */
import { inject } from 'vitest';
import { startDynamoDbLocal } from '../../local/emulators';

export interface TestDynamoDb {
  endpoint: string;
  /** Stops the DynamoDB Local if this file started its own; nothing for the shared one. */
  release(): Promise<void>;
}

export async function testDynamoDb(): Promise<TestDynamoDb> {
  const shared = inject('dynamodbEndpoint') as string | undefined;
  if (shared) return { endpoint: shared, release: async () => undefined };
  const own = await startDynamoDbLocal({ port: 0 });
  return { endpoint: own.endpoint, release: () => own.stop() };
}
