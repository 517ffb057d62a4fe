/**
 * vitest globalSetup: ONE DynamoDB Local (in memory) for the whole test run, shared by every
 * adapter and end-to-end test file; each file uses its own table (see startTestStack), so files
 * run in parallel workers without seeing each other's data. The endpoint reaches the test files
 * through vitest's provide/inject as `dynamodbEndpoint`.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/emulators';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local shared by the whole run (in memory), e.g. http://127.0.0.1:41234. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
