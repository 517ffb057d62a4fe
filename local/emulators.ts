/**
 * The embedded emulators of the local stack and the tests: DynamoDB Local (AWS's own emulator,
 * a Java program shipped inside the `amplify-dynamodb-simulator` npm package) and s3rver (an
 * S3-compatible server in Node), plus the SDK clients that talk to them and the provisioning of
 * the table and buckets from shared/storage/definitions.ts — the same definitions CDK uses.
 *
 * Process hygiene: DynamoDB Local runs in its own process group behind a small `sh` lifeline
 * that reads our end of a pipe; whichever way this Node process ends (stop(), normal exit,
 * SIGINT/SIGTERM, even SIGKILL) the pipe closes or the group is killed, and the JVM goes with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { TABLE, type IndexDefinition } from '../shared/storage/definitions';

const require = createRequire(import.meta.url);

/**
 * Credentials for the emulators. s3rver only knows one account, whose access key id and secret
 * are both `S3RVER` (any other key id is refused with InvalidAccessKeyId); DynamoDB Local, run
 * with -sharedDb, accepts any. So the local stack uses these for everything.
 */
/** The ports of `npm start` (PORT=0: free ports for all). */
export const DEFAULT_PORTS = { gateway: 3000, dynamodb: 8000, s3: 4568 } as const;

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

// ---------------------------------------------------------------------------------------------
// Child process bookkeeping
// ---------------------------------------------------------------------------------------------

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Normal exit (including process.exit()): synchronous, so SIGKILL the groups right away.
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
  // Signals: when the program handles the signal itself (local/start.ts does), it stops the
  // emulators in order. Otherwise stop them here and keep the signal's default meaning
  // (terminate) by re-raising it once our listener is gone.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      for (const child of live) killGroup(child, 'SIGTERM');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** A free TCP port on the loopback interface, chosen by the OS. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` if it can be bound right now, else a free port chosen by the OS. 0 means "any". */
export async function portOrFree(preferred: number, host = '127.0.0.1'): Promise<number> {
  if (preferred === 0) return freePort(host);
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(freePort(host)));
    server.listen(preferred, host, () => server.close(() => resolve(preferred)));
  });
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local
// ---------------------------------------------------------------------------------------------

export interface DynamoDbLocalOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Persist the database under this directory (-dbPath); without it the data is in memory. */
  dataDir?: string;
  /** Milliseconds to wait for the emulator to answer. Default 30 s. */
  startTimeoutMs?: number;
  /** JVM options before -jar. Default {@link FAST_START_JVM}. */
  javaOptions?: string[];
  /**
   * Browser origins allowed by CORS. DynamoDB Local's default is `*`, which would let any web page
   * open in the developer's browser read and write the local data; no browser needs it, so the
   * default here is {@link NO_BROWSER_ORIGIN}, an origin that cannot exist.
   */
  corsOrigins?: string[];
}

export const NO_BROWSER_ORIGIN = 'http://dynamodb-local.invalid';

/**
 * JIT tier 1 only and the serial collector: on a 2-core machine this halves the JVM's start
 * (about 2 s instead of 4–6 s) and was no slower on the registry's short request bursts.
 */
export const FAST_START_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Where the data lives, or undefined when in memory. */
  dataDir: string | undefined;
  pid: number;
  stop(): Promise<void>;
}

/** Where the npm package keeps the jar and its native libraries. */
export function dynamoDbLocalHome(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/**
 * The lifeline: runs the JVM in the background, and kills it as soon as our end of fd 3 (the
 * stdin pipe we hold) is closed — which the kernel does for us however this process ends.
 * Background jobs of a non-interactive shell read /dev/null unless redirected, hence `<&3`.
 */
const LIFELINE = [
  'exec 3<&0',
  '"$@" </dev/null & child=$!',
  '( cat <&3 >/dev/null; kill -TERM $child 2>/dev/null ) &',
  "trap 'kill -TERM $child 2>/dev/null' INT TERM HUP",
  // A trapped signal interrupts `wait`: keep waiting until the JVM has really finished.
  'while :; do wait $child; status=$?; kill -0 $child 2>/dev/null || break; done',
  'exit $status',
].join('\n');

/**
 * Starts DynamoDB Local (`java -jar DynamoDBLocal.jar -sharedDb …`) and resolves once it answers
 * ListTables. DynamoDB Local 1.25 listens on every interface (it has no bind-address option).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = options.port || (await freePort());
    try {
      return await launchDynamoDbLocal(port, options);
    } catch (error) {
      lastError = error;
      // With an OS-chosen port another process may have taken it in between: try another.
    }
  }
  throw lastError;
}

async function launchDynamoDbLocal(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const javaArgs = [
    ...(options.javaOptions ?? FAST_START_JVM),
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-sharedDb',
    '-disableTelemetry',
    '-cors',
    (options.corsOrigins ?? [NO_BROWSER_ORIGIN]).join(','),
    '-port',
    String(port),
    ...storage,
  ];
  const child = spawn('sh', ['-c', LIFELINE, 'dynamodb-local', 'java', ...javaArgs], {
    cwd: home,
    detached: true, // its own process group: Ctrl-C reaches us first, and stop() kills the group
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  installExitHooks();
  live.add(child);

  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 40) output.splice(0, output.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => undefined); // EPIPE when the shell is gone: nothing to do

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      killGroup(child, 'SIGKILL'); // the lifeline's `cat`, if it is still there
      resolve(code);
    });
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  try {
    for (;;) {
      if (exitCode !== undefined) {
        const hint = exitCode === 127 ? ' (is Java 17 or later installed and on PATH?)' : '';
        throw new Error(`DynamoDB Local exited with code ${exitCode} before answering${hint}:\n${output.join('\n')}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output.join('\n')}`);
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, dataDir: options.dataDir, pid: child.pid ?? -1, stop };
}

// ---------------------------------------------------------------------------------------------
// s3rver
// ---------------------------------------------------------------------------------------------

/** The part of s3rver 3.7's event record we read. */
interface S3rverRecord {
  eventName: string;
  eventTime: string;
  awsRegion: string;
  requestParameters?: { sourceIPAddress?: string };
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3rverRecord[] }) => void): void;
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3LocalOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Where the buckets and objects are stored. */
  directory: string;
  /** Interface to bind. Default 127.0.0.1. */
  address?: string;
  /** Called, asynchronously, with the AWS-shaped event of every object created. */
  onObjectCreated?: (event: S3Event) => Promise<void>;
  /** Where delivery errors go. Default: console.error. */
  onError?: (error: unknown, event: S3Event) => void;
}

export interface S3Local {
  endpoint: string;
  port: number;
  directory: string;
  /** Resolves when every object-created delivery started so far has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Encodes an object key the way S3 event notifications do: URL-encoded like an HTML form value
 * (space as `+`, UTF-8 percent-encoded), with `/` left as is. Decode with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

function toAwsRecord(record: S3rverRecord): S3EventRecord {
  const { bucket, object } = record.s3;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: record.awsRegion,
    eventTime: record.eventTime,
    eventName: record.eventName,
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: record.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'LOCAL', 'x-amz-id-2': 'LOCAL' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local-object-created',
      bucket: { name: bucket.name, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${bucket.name}` },
      object: {
        key: encodeEventKey(object.key),
        size: Number.isFinite(object.size) ? (object.size as number) : 0,
        eTag: object.eTag ?? '',
        sequencer: object.sequencer ?? Date.now().toString(16).toUpperCase(),
      },
    },
  };
}

/**
 * Starts s3rver bound to loopback, storing under `directory`, and turns its object-created
 * events into AWS S3 events delivered to `onObjectCreated` after the request that caused them
 * (errors are reported, never thrown back into s3rver).
 */
export async function startS3Local(options: S3LocalOptions): Promise<S3Local> {
  const S3rver = require('s3rver') as S3rverConstructor;
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: options.address ?? '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    // Keep bucket names out of the Host header: path-style only, like our clients.
    vhostBuckets: false,
  });
  const inFlight = new Set<Promise<void>>();
  const report = options.onError ?? ((error: unknown) => console.error('[s3-local] object-created handler failed:', error));

  server.on('event', (raw) => {
    const onObjectCreated = options.onObjectCreated;
    if (!onObjectCreated) return;
    for (const record of raw.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const event: S3Event = { Records: [toAwsRecord(record)] };
      const delivery = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => onObjectCreated(event))
        .catch((error: unknown) => report(error, event))
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  });

  const { port } = await server.run();
  const settled = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory: options.directory,
    settled,
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        await settled();
      })();
      return stopped;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Clients and provisioning
// ---------------------------------------------------------------------------------------------

export interface LocalClients {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  destroy(): void;
}

/** S3 client options that s3rver needs (see createClients). */
export const LOCAL_S3_CLIENT_OPTIONS = {
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
} as const;

/**
 * SDK clients for the emulators. The S3 client is path-style (no bucket subdomains on
 * 127.0.0.1) and computes checksums only when an operation requires them: by default the SDK
 * sends streamed bodies with aws-chunked encoding and a trailing checksum, which s3rver stores
 * verbatim — the object is silently corrupted.
 */
export function createClients(options: { dynamodbEndpoint: string; s3Endpoint: string; region: string }): LocalClients {
  const dynamodb = new DynamoDBClient({
    endpoint: options.dynamodbEndpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const s3 = new S3Client({
    endpoint: options.s3Endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    ...LOCAL_S3_CLIENT_OPTIONS,
  });
  return {
    dynamodb,
    s3,
    destroy: () => {
      dynamodb.destroy();
      s3.destroy();
    },
  };
}

function gsiOf(index: IndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  };
}

function attributeDefinitions(indexes: IndexDefinition[]): AttributeDefinition[] {
  const names = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  for (let i = 0; ; i++) {
    const table = await describe(client, tableName);
    const ready = table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
    if (table && ready) return table;
    if (i > 300) throw new Error(`Table ${tableName} did not become ACTIVE`);
    await sleep(100);
  }
}

/**
 * Creates the registry's table (TABLE in shared/storage/definitions.ts: keys, every index with
 * projection ALL, on-demand billing, TTL) unless it exists. Idempotent; on an existing table
 * (a persisted .data/ from before an index was added) it adds the missing indexes.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  // The usual case (every start after the first) without DescribeTable: DynamoDB Local answers it
  // by counting the table's items, 1.7 s a call with 10,000 cases on a 2-core machine, and this
  // asked it twice at every `npm start` (issue 18 item 14). A Query of one key per index answers in
  // milliseconds whether the table and each index are there; anything else takes the long way.
  if (await hasEveryIndex(client, tableName)) {
    await ensureTtl(client, tableName);
    return;
  }
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(TABLE.indexes),
          KeySchema: [
            { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: TABLE.indexes.map(gsiOf),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error; // created concurrently: fine
    }
  }
  table = await waitActive(client, tableName);

  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName));
  for (const index of TABLE.indexes.filter((i) => !present.has(i.name))) {
    // One index per UpdateTable, as in DynamoDB itself.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index]),
        GlobalSecondaryIndexUpdates: [{ Create: gsiOf(index) }],
      }),
    );
    await waitActive(client, tableName);
  }

  await ensureTtl(client, tableName);
}

/** The table exists with every index of the definitions (a Query of a key no item has, per index). */
async function hasEveryIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await Promise.all(
      TABLE.indexes.map((index) =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey },
            ExpressionAttributeValues: { ':pk': { S: '(ensureTable)' } },
            Limit: 1,
          }),
        ),
      ),
    );
    return true;
  } catch {
    return false; // no table (ResourceNotFound), an index missing (Validation), or else: DescribeTable tells
  }
}

async function ensureTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
}

export interface EnsureBucketsOptions {
  /**
   * Browser origins allowed to upload (presigned POST) and download: the local equivalent of the
   * CORS rule CDK puts on the documents bucket. Omit for no CORS configuration.
   */
  corsOrigins?: string[];
}

/** Creates each bucket unless it exists (idempotent), with CORS for the given origins. */
export async function ensureBuckets(s3: S3Client, names: string[], options: EnsureBucketsOptions = {}): Promise<void> {
  for (const name of names) {
    let exists = true;
    try {
      await s3.send(new HeadBucketCommand({ Bucket: name }));
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
      exists = false;
    }
    if (!exists) {
      try {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        const code = (error as { name?: string }).name;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
      }
    }
    if (options.corsOrigins && options.corsOrigins.length > 0) {
      await s3.send(
        new PutBucketCorsCommand({
          Bucket: name,
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedOrigins: options.corsOrigins,
                AllowedMethods: ['GET', 'HEAD', 'POST'],
                AllowedHeaders: ['*'],
                ExposeHeaders: ['ETag'],
                MaxAgeSeconds: 600,
              },
            ],
          },
        }),
      );
    }
  }
}
