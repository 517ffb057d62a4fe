/**
 * The local stand-in for the notice sender (in AWS: DynamoDB Streams → notify-sender → SES).
 * Locally every notice of the outbox is delivered to a JSON file, `.data/outbox/<day>/<id>.json`,
 * through the same claim → deliver → mark-sent path (shared/app/outbox.ts), by a poller that
 * drains the pending notices of the last days every couple of seconds, then runs the retry
 * (`retryDue`: notices whose lease ran out — a stack killed while delivering — or whose delivery
 * failed, found by the byDue index; given up after the last attempt, with an error printed and
 * the count on the dashboard). The outbox is also readable through the API (`GET /outbox`).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../shared/adapters/dynamodb-repository';
import { DynamoDbSweepStore } from '../shared/adapters/sweep-store';
import { NoticeDelivery, parseAddressBook, type NoticeTransport } from '../shared/app/outbox';
import type { Notice } from '../shared/domain/supervision';
import { maskPhone } from '../shared/domain/pii';
import { addDays, shanghaiDate, type Clock } from '../shared/domain/time';

/** The file a notice is delivered to (one per notice: a second delivery rewrites the same file). */
export function noticeFile(dir: string, notice: Pick<Notice, 'createdOn' | 'noticeId'>): string {
  return join(dir, notice.createdOn, `${notice.noticeId.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

export class FileNoticeTransport implements NoticeTransport {
  readonly channel = 'file';
  readonly needsAddresses = false;
  constructor(private readonly dir: string) {}

  async deliver(notice: Notice, to: string[]): Promise<void> {
    const file = noticeFile(this.dir, notice);
    mkdirSync(join(this.dir, notice.createdOn), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...notice, to }, null, 2) + '\n');
    renameSync(tmp, file);
    // A notice to a petitioner is an SMS (AWS: End User Messaging SMS): its text in the log too.
    if (notice.recipient.kind === 'petitioner') console.log(`[local] SMS to ${maskPhone(notice.recipient.phone)}: ${notice.body}`);
  }
}

/** The local sender's lease: a stack killed while delivering leaves the notice to the retry after this. */
export const LOCAL_LEASE_MS = 30_000;

export interface LocalOutbox {
  dir: string;
  /** Delivers every pending notice of the last `days` days (default 7) and every notice due for a retry now; resolves with how many were sent. */
  drain(days?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface LocalOutboxOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  dir: string;
  clock: Clock;
  /** Poll interval; 0: no polling (drain() only). */
  intervalMs?: number;
  /** An address book to print in the files (NOTIFY_ADDRESSES), optional. */
  addresses?: string;
  /** Default: a JSON file per notice under `dir` (tests inject a failing one). */
  transport?: NoticeTransport;
  onError?: (error: unknown) => void;
}

export function startLocalOutbox(options: LocalOutboxOptions): LocalOutbox {
  mkdirSync(options.dir, { recursive: true });
  const store = new DynamoDbSweepStore(documentClient(options.dynamodb), options.tableName);
  const delivery = new NoticeDelivery({
    store,
    transport: options.transport ?? new FileNoticeTransport(options.dir),
    addresses: parseAddressBook(options.addresses),
    clock: options.clock,
    leaseMs: LOCAL_LEASE_MS,
    onFailed: (notice, error) =>
      console.error(`[local] outbox: notice ${notice.noticeId} given up after its last attempt (${error}); GET /dashboard counts it`),
  });
  let running: Promise<number> | undefined;
  const drain = (days = 7): Promise<number> => {
    const today = shanghaiDate(options.clock.now());
    const dates = Array.from({ length: days }, (_, i) => addDays(today, -i));
    // One drain at a time; a caller arriving meanwhile waits for it, then drains again.
    const run = (running ?? Promise.resolve(0))
      .catch(() => 0)
      .then(async () => {
        const sent = await delivery.drain(dates);
        const retried = await delivery.retryDue();
        return sent + retried.sent;
      });
    running = run;
    return run;
  };
  const interval = options.intervalMs ?? 2_000;
  let stopped = false;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (!stopped) drain(2).catch((error: unknown) => options.onError?.(error));
        }, interval)
      : undefined;
  timer?.unref();
  return {
    dir: options.dir,
    drain,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
