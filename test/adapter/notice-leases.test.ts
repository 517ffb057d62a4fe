/**
 * A notice claimed by a sender that then dies is not left `sending` for ever (issue 10 item 13).
 * Against DynamoDB Local, through the real store and its byDue entries:
 * - the stream's redelivery of a record whose notice another sender holds is a failure to retry
 *   (`busy`), not a success that drops it;
 * - when the lease runs out, the retry run finds the notice by its index entry (a Query, no scan)
 *   and delivers it — locally the outbox poller does (`drain`), in AWS the sender's hourly run;
 * - a notice whose sends keep failing is given up after MAX_DELIVERY_ATTEMPTS: status `failed`,
 *   `onFailed` told (the sender logs it for the NoticesFailed alarm), counted for the dashboard;
 * - the notify-sender handler reports a busy record as a batch item failure and runs the retry on
 *   its schedule's event.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbSweepStore, noticeItem, noticeKey } from '../../shared/adapters/sweep-store';
import {
  DEFAULT_LEASE_MS,
  FIRST_DELIVERY_GRACE_MS,
  MAX_DELIVERY_ATTEMPTS,
  NoticeDelivery,
  parseAddressBook,
  type NoticeTransport,
} from '../../shared/app/outbox';
import { ENV } from '../../shared/config/env';
import type { Notice } from '../../shared/domain/supervision';
import { FakeClock, systemClock } from '../../shared/domain/time';

const advance = (clock: FakeClock, ms: number): void => clock.set(new Date(clock.now().getTime() + ms));
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { LOCAL_LEASE_MS, noticeFile, startLocalOutbox } from '../../local/outbox';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-leases');
const dirs: string[] = [];

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
});
afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let seq = 0;
/** A new notice item, as the sweep's transaction writes it. */
async function newNotice(createdAt = '2026-05-07T00:00:01.000Z'): Promise<Notice> {
  seq += 1;
  const caseNo = `XF-2026-${String(900 + seq).padStart(6, '0')}`;
  const notice: Notice = {
    noticeId: `${caseNo}#handling#2026-05-06#supervision#dept-HRSS`,
    caseNo,
    clock: 'handling',
    due: '2026-05-06',
    milestone: 'supervision',
    recipient: { kind: 'department', deptCode: 'HRSS' },
    subject: `【督办】${caseNo} 办理期限已超期1日`,
    body: '人力资源和社会保障局：\n……',
    createdOn: createdAt.slice(0, 10),
    createdAt,
    documentIds: [],
  };
  await documentClient(client).send(new PutCommand({ TableName: tableName, Item: noticeItem(notice) }));
  return notice;
}

const store = () => new DynamoDbSweepStore(documentClient(client), tableName);
const book = parseAddressBook(JSON.stringify({ departments: { HRSS: ['rsj@example.gov.cn'] } }));
const item = async (n: Notice) =>
  (await documentClient(client).send(new GetCommand({ TableName: tableName, Key: noticeKey(n), ConsistentRead: true }))).Item ?? {};

function transport(fail = false): NoticeTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    channel: 'email',
    needsAddresses: true,
    sent,
    deliver: async (n) => {
      if (fail) throw new Error('SES throttled');
      sent.push(n.noticeId);
    },
  };
}

describe('a notice whose sender died', () => {
  it('is busy (retried, not dropped) while the lease holds, then found by the retry run and delivered', async () => {
    const notice = await newNotice();
    const clock = new FakeClock('2026-05-07T00:00:02Z');
    // Sender A claims it and dies before sending (no mark).
    expect(await store().claimNotice(notice, clock.now(), DEFAULT_LEASE_MS)).toEqual({ claimed: true, attempts: 1 });

    const t = transport();
    const delivery = new NoticeDelivery({ store: store(), transport: t, addresses: book, clock });
    // The stream hands the record over again: someone holds it — not a success.
    advance(clock, 10_000);
    expect(await delivery.deliver(notice)).toBe('busy');
    // Before the lease ends the retry run finds nothing to do.
    advance(clock, 60_000);
    expect(await delivery.retryDue()).toMatchObject({ due: 0, sent: 0 });
    expect((await item(notice)).delivery).toMatchObject({ status: 'sending', attempts: 1 });
    // After it, the index entry (at the lease's end) is due: delivered, once.
    advance(clock, DEFAULT_LEASE_MS);
    expect(await delivery.retryDue()).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(t.sent).toEqual([notice.noticeId]);
    const after = await item(notice);
    expect(after.delivery).toMatchObject({ status: 'sent', attempts: 2 });
    // Delivered: no retry entry left, and a later run reads nothing of it.
    expect(after.byDuePk).toBeUndefined();
    expect(await delivery.retryDue()).toMatchObject({ due: 0 });
    expect(await delivery.deliver(notice)).toBe('skipped');
  });

  it('is given up after its last attempt: failed, reported, counted', async () => {
    const notice = await newNotice('2026-05-08T00:00:00.000Z');
    const clock = new FakeClock('2026-05-08T00:00:00Z');
    const failed: string[] = [];
    const delivery = new NoticeDelivery({ store: store(), transport: transport(true), addresses: book, clock, onFailed: (n) => failed.push(n.noticeId) });
    const before = await store().failedNoticeCount();
    // A new notice is left to the stream for the grace period.
    expect((await delivery.retryDue()).due).toBe(0);
    advance(clock, FIRST_DELIVERY_GRACE_MS);
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await delivery.retryDue()).toMatchObject({ due: 1, errors: 1 });
      expect((await item(notice)).delivery).toMatchObject({ status: 'pending', attempts: attempt, error: 'SES throttled' });
      expect(await delivery.retryDue()).toMatchObject({ due: 0 }); // not before its retry time
      advance(clock, 6 * 3_600_000);
    }
    expect(await delivery.retryDue()).toMatchObject({ due: 1, failed: 1 });
    expect((await item(notice)).delivery).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS });
    expect(failed).toEqual([notice.noticeId]);
    expect(await store().failedNoticeCount()).toBe(before + 1);
    advance(clock, 24 * 3_600_000);
    expect(await delivery.retryDue()).toMatchObject({ due: 0 });
  });

  it('whose last attempt died holding the lease is given up when the lease ends', async () => {
    const notice = await newNotice('2026-05-09T00:00:00.000Z');
    const clock = new FakeClock('2026-05-09T00:00:00Z');
    const s = store();
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      advance(clock, DEFAULT_LEASE_MS + 1);
      expect(await s.claimNotice(notice, clock.now(), DEFAULT_LEASE_MS)).toEqual({ claimed: true, attempts: i + 1 });
    }
    const failed: string[] = [];
    const delivery = new NoticeDelivery({ store: s, transport: transport(), addresses: book, clock, onFailed: (n) => failed.push(n.noticeId) });
    advance(clock, DEFAULT_LEASE_MS + 1);
    expect(await delivery.retryDue()).toMatchObject({ due: 1, failed: 1, sent: 0 });
    expect((await item(notice)).delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('lease ran out') });
    expect(failed).toEqual([notice.noticeId]);
  });

  it('locally: the outbox poller delivers a notice left `sending` by a killed stack once the lease ends', async () => {
    const notice = await newNotice('2026-05-10T00:00:00.000Z');
    const clock = new FakeClock('2026-05-10T00:00:05Z');
    // The stack claimed it and was killed before writing the file.
    await store().claimNotice(notice, clock.now(), LOCAL_LEASE_MS);
    const dir = mkdtempSync(join(tmpdir(), 'xf-outbox-'));
    dirs.push(dir);
    const outbox = startLocalOutbox({ dynamodb: client, tableName, dir, clock, intervalMs: 0 });
    try {
      await outbox.drain(2);
      expect(existsSync(noticeFile(dir, notice))).toBe(false);
      advance(clock, LOCAL_LEASE_MS + 1);
      await outbox.drain(2);
      expect(JSON.parse(readFileSync(noticeFile(dir, notice), 'utf8'))).toMatchObject({ noticeId: notice.noticeId });
      expect((await item(notice)).delivery).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await outbox.stop();
    }
  });
});

describe('the notify-sender function', () => {
  it('reports a record whose notice another sender holds as a failure, and runs the retry on its schedule', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    Object.assign(process.env, {
      [ENV.tableName]: tableName,
      [ENV.region]: 'cn-north-1',
      [ENV.dynamodbEndpoint]: ddb.endpoint,
      [ENV.notifyFrom]: 'xinfang-noreply@example.gov.cn',
      [ENV.notifyAddresses]: JSON.stringify({ departments: { HRSS: ['rsj@example.gov.cn'] } }),
      // As the stack configures the function (infra/constructs/sms.ts): it sends SMS too.
      [ENV.smsOriginationIdentity]: 'XINFANG',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const { useClock } = await import('../../functions/common/clock');
    const clock = new FakeClock('2026-05-11T00:00:05Z');
    useClock(clock);
    const { handler } = await import('../../functions/notify-sender/handler');
    try {
      const notice = await newNotice('2026-05-11T00:00:00.000Z');
      const record = (seqNo: string): DynamoDBStreamEvent['Records'][number] => ({
        eventName: 'INSERT',
        dynamodb: {
          SequenceNumber: seqNo,
          NewImage: { entity: { S: 'notice' }, pk: { S: noticeKey(notice).pk }, sk: { S: noticeKey(notice).sk }, notice: { M: toImage(notice) } },
        },
      });
      // Another sender holds it (claimed, then died): the record is reported, so the stream retries it.
      await store().claimNotice(notice, clock.now(), DEFAULT_LEASE_MS);
      expect(await handler({ Records: [record('101')] })).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
      // The hourly run, after the lease: sent.
      advance(clock, DEFAULT_LEASE_MS + 1);
      expect(await handler({ task: 'retry-notices' })).toMatchObject({ due: 1, sent: 1 });
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
      // The stream's retry now finds it delivered: done, nothing sent twice.
      expect(await handler({ Records: [record('101')] })).toEqual({ batchItemFailures: [] });
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    } finally {
      ses.restore();
      useClock(systemClock);
    }
  });
});

/** A plain object as a stream image (strings, arrays, nested maps: what a notice holds). */
function toImage(value: Record<string, unknown>): Record<string, AttributeValue> {
  const attr = (v: unknown): AttributeValue =>
    typeof v === 'string'
      ? { S: v }
      : Array.isArray(v)
        ? { L: v.map(attr) }
        : typeof v === 'object' && v !== null
          ? { M: toImage(v as Record<string, unknown>) }
          : { NULL: true };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, attr(v)]));
}
