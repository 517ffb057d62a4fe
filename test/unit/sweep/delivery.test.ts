/**
 * Delivering the outbox: a notice is claimed before it is sent and marked after, so a redelivered
 * stream record or a second sender sends nothing twice; a failed send goes back to pending; a
 * recipient without an address is undeliverable, not retried for ever. And the SES request the
 * sender makes (aws-sdk-client-mock: the request's shape, no network).
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SesNoticeTransport } from '../../../shared/adapters/ses-transport';
import { MAX_DELIVERY_ATTEMPTS, NoticeDelivery, parseAddressBook, type NoticeTransport } from '../../../shared/app/outbox';
import type { ClaimResult, OutboxEntry, OutboxStore, UndeliveredEntry } from '../../../shared/app/sweep-ports';
import type { Delivery, Notice } from '../../../shared/domain/supervision';
import { FakeClock } from '../../../shared/domain/time';

const notice: Notice = {
  noticeId: 'XF-2026-000042#handling#2026-05-06#supervision#dept-HRSS',
  caseNo: 'XF-2026-000042',
  clock: 'handling',
  due: '2026-05-06',
  milestone: 'supervision',
  recipient: { kind: 'department', deptCode: 'HRSS' },
  subject: '【督办】XF-2026-000042 办理期限已超期1日',
  body: '人力资源和社会保障局：\n……',
  createdOn: '2026-05-07',
  createdAt: '2026-05-07T00:00:01.000Z',
  documentIds: ['d1'],
};

/** The store's claim semantics, in memory (the byDue retry entry as `retryAt`). */
class MemoryOutbox implements OutboxStore {
  delivery: Delivery & { leaseUntil?: number } = { status: 'pending', attempts: 0 };
  retryAt: number | undefined = Date.parse(notice.createdAt);
  outbox = async () => ({ items: [{ notice, delivery: this.delivery }] as OutboxEntry[] });
  getNotice = async () => ({ notice, delivery: this.delivery });
  async claimNotice(_n: Notice, now: Date, leaseMs: number): Promise<ClaimResult> {
    const d = this.delivery;
    if (d.status === 'pending' || (d.status === 'sending' && (d.leaseUntil ?? 0) < now.getTime())) {
      this.delivery = { ...d, status: 'sending', attempts: d.attempts + 1, leaseUntil: now.getTime() + leaseMs };
      this.retryAt = now.getTime() + leaseMs;
      return { claimed: true, attempts: d.attempts + 1 };
    }
    return { claimed: false, reason: d.status === 'sending' ? 'busy' : 'done' };
  }
  async markNotice(_n: Notice, d: Omit<Delivery, 'attempts'>, next: { retryAt?: Date } = {}): Promise<void> {
    this.delivery = { ...this.delivery, ...d, leaseUntil: undefined };
    this.retryAt = d.status === 'pending' ? next.retryAt?.getTime() : undefined;
  }
  async failNotice(entry: UndeliveredEntry): Promise<boolean> {
    if (entry.delivery.status !== this.delivery.status || entry.delivery.attempts !== this.delivery.attempts) return false;
    this.delivery = { ...this.delivery, status: 'failed', leaseUntil: undefined };
    this.retryAt = undefined;
    return true;
  }
  async dueNotices(_shard: number, now: Date) {
    const due = this.retryAt !== undefined && this.retryAt <= now.getTime();
    return { items: due ? [{ notice, delivery: { ...this.delivery }, ...(this.delivery.leaseUntil ? { leaseUntil: this.delivery.leaseUntil } : {}) }] : [] };
  }
  failedNoticeCount = async () => (this.delivery.status === 'failed' ? 1 : 0);
  shards = () => [0];
}

const book = parseAddressBook(JSON.stringify({ director: ['zhuren@example.gov.cn'], departments: { HRSS: ['rsj@example.gov.cn'] } }));

function transport(fail = false): NoticeTransport & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    channel: 'email',
    needsAddresses: true,
    sent,
    deliver: async (_n, to) => {
      if (fail) throw new Error('SES throttled');
      sent.push(to);
    },
  };
}

describe('delivering a notice', () => {
  it('sends it once to the recipient’s addresses, however often it is handed over', async () => {
    const store = new MemoryOutbox();
    const t = transport();
    const delivery = new NoticeDelivery({ store, transport: t, addresses: book, clock: new FakeClock('2026-05-07T00:00:05Z') });
    expect(await delivery.deliver(notice)).toBe('sent');
    expect(await delivery.deliver(notice)).toBe('skipped');
    expect(t.sent).toEqual([['rsj@example.gov.cn']]);
    expect(store.delivery).toMatchObject({ status: 'sent', attempts: 1, channel: 'email', sentAt: '2026-05-07T00:00:05.000Z' });
  });

  it('puts it back to pending when the send fails, and the retry sends it', async () => {
    const store = new MemoryOutbox();
    const clock = new FakeClock('2026-05-07T00:00:05Z');
    await expect(new NoticeDelivery({ store, transport: transport(true), addresses: book, clock }).deliver(notice)).rejects.toThrow('SES throttled');
    expect(store.delivery).toMatchObject({ status: 'pending', error: 'SES throttled' });
    expect(await new NoticeDelivery({ store, transport: transport(), addresses: book, clock }).deliver(notice)).toBe('sent');
    expect(store.delivery.attempts).toBe(2);
  });

  it('lets another sender take it only once the first one’s lease has expired', async () => {
    const store = new MemoryOutbox();
    const clock = new FakeClock('2026-05-07T00:00:05Z');
    await store.claimNotice(notice, clock.now(), 120_000); // a sender that then died
    const t = transport();
    const delivery = new NoticeDelivery({ store, transport: t, addresses: book, clock });
    // Busy, not done: the stream path reports it for a retry instead of dropping it as delivered.
    expect(await delivery.deliver(notice)).toBe('busy');
    clock.set('2026-05-07T00:03:00Z');
    expect(await delivery.deliver(notice)).toBe('sent');
    expect(t.sent).toHaveLength(1);
  });

  it('gives it up after the last attempt: failed, not pending for ever, and reported', async () => {
    const store = new MemoryOutbox();
    const clock = new FakeClock('2026-05-07T00:00:05Z');
    const failed: string[] = [];
    const delivery = new NoticeDelivery({ store, transport: transport(true), addresses: book, clock, onFailed: (n) => failed.push(n.noticeId) });
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      await expect(delivery.deliver(notice)).rejects.toThrow('SES throttled');
      expect(store.delivery).toMatchObject({ status: 'pending', attempts: attempt });
    }
    expect(await delivery.deliver(notice)).toBe('failed');
    expect(store.delivery).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, error: `${MAX_DELIVERY_ATTEMPTS} attempts: SES throttled` });
    expect(failed).toEqual([notice.noticeId]);
    expect(await delivery.deliver(notice)).toBe('skipped');
  });

  it('marks it undeliverable when the address book has nobody for the recipient', async () => {
    const store = new MemoryOutbox();
    const delivery = new NoticeDelivery({ store, transport: transport(), addresses: parseAddressBook(undefined), clock: new FakeClock() });
    expect(await delivery.deliver(notice)).toBe('undeliverable');
    expect(store.delivery).toMatchObject({ status: 'undeliverable', error: 'no address for department HRSS in the address book' });
  });

  it('refuses an address book that is not one', () => {
    expect(() => parseAddressBook('{"director":["not an address"]}')).toThrow();
  });
});

describe('the SES transport', () => {
  it('sends the notice as plain UTF-8 text from the configured address, with the configuration set', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await new SesNoticeTransport(new SESv2Client({ region: 'ap-southeast-1' }), 'xinfang@example.gov.cn', 'notices').deliver(notice, ['rsj@example.gov.cn']);
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      FromEmailAddress: 'xinfang@example.gov.cn',
      Destination: { ToAddresses: ['rsj@example.gov.cn'] },
      ConfigurationSetName: 'notices',
      Content: {
        Simple: { Subject: { Data: notice.subject, Charset: 'UTF-8' }, Body: { Text: { Data: expect.stringContaining(notice.body), Charset: 'UTF-8' } } },
      },
    });
    ses.restore();
  });
});
