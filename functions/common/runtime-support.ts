/**
 * What every function's runtime shares: the configuration, read once per cold start, the one
 * memo of a runtime (`once`), and the table's clients.
 */
import { createDynamoDbClient } from '../../shared/adapters/clients';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { need, readConfig, type Config } from '../../shared/config/env';

let current: Config | undefined;

/** This process's configuration (shared/config/env.ts), read from the environment on first use. */
export function config(): Config {
  return (current ??= readConfig());
}

/** A value built once per cold start; a failed build is not kept, so the next call tries again. */
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

/** The SDK clients' settings: the region, and the emulators' endpoints locally. */
export function clientConfig(c: Config = config()) {
  return { region: need(c, 'region'), dynamodbEndpoint: c.dynamodbEndpoint, s3Endpoint: c.s3Endpoint };
}

export function tableClients() {
  const clients = clientConfig();
  return { clients, tableName: need(config(), 'tableName'), db: documentClient(createDynamoDbClient(clients)) };
}
