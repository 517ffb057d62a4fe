/** What the event functions' runtimes share: built once per cold start, the table's clients. */
import { createDynamoDbClient } from '../../shared/adapters/clients';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { ENV, optionalEnv, requireEnv } from '../../shared/config/env';

export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build().catch((err: unknown) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}

export function tableClients() {
  const region = requireEnv(ENV.region);
  const clients = { region, dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint), s3Endpoint: optionalEnv(ENV.s3Endpoint) };
  return { clients, tableName: requireEnv(ENV.tableName), db: documentClient(createDynamoDbClient(clients)) };
}
