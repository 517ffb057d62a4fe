/**
 * Delivering the outbox: each notice is claimed (pending → sending, with a lease), handed to a
 * transport (SES email in AWS, a JSON file under .data/outbox/ locally), and marked sent. A
 * notice is claimed by one sender at a time; a sender that dies leaves its lease to expire and
 * the notice is claimed again, so delivery is at least once and, in the ordinary case, once.
 * No AWS SDK here: the transport and the store are injected.
 */
import { z } from 'zod';
import type { Notice } from '../domain/supervision';
import type { Clock } from '../domain/time';
import type { OutboxStore } from './sweep-ports';

/** Who reads which notices: the address book of the office (NOTIFY_ADDRESSES, JSON). */
export const AddressBookSchema = z.object({
  director: z.array(z.email()).default([]),
  clerk: z.array(z.email()).default([]),
  departments: z.record(z.string(), z.array(z.email())).default({}),
});
export type AddressBook = z.infer<typeof AddressBookSchema>;

export function parseAddressBook(json: string | undefined): AddressBook {
  return AddressBookSchema.parse(json ? JSON.parse(json) : {});
}

export interface NoticeTransport {
  /** Recorded as the delivery's channel (`email`, `file`). */
  readonly channel: string;
  /** Whether the transport needs addresses (email does; the local file does not). */
  readonly needsAddresses: boolean;
  deliver(notice: Notice, to: string[]): Promise<void>;
}

export type DeliveryResult = 'sent' | 'skipped' | 'undeliverable';

export interface NoticeDeliveryDeps {
  store: OutboxStore;
  transport: NoticeTransport;
  addresses: AddressBook;
  clock: Clock;
  /** How long a claim holds before another sender may take the notice (default 2 minutes). */
  leaseMs?: number;
}

export class NoticeDelivery {
  constructor(private readonly deps: NoticeDeliveryDeps) {}

  addressesOf(notice: Notice): string[] {
    const r = notice.recipient;
    const book = this.deps.addresses;
    return r.kind === 'department' ? (book.departments[r.deptCode] ?? []) : book[r.kind];
  }

  /**
   * Delivers one notice unless someone else has it or it is delivered. A transport failure puts
   * the notice back to pending and rethrows (the caller's retry, or the stream's, takes it again).
   */
  async deliver(notice: Notice): Promise<DeliveryResult> {
    const { store, transport, clock } = this.deps;
    if (!(await store.claimNotice(notice, clock.now(), this.deps.leaseMs ?? 120_000))) return 'skipped';
    const to = this.addressesOf(notice);
    if (transport.needsAddresses && to.length === 0) {
      await store.markNotice(notice, { status: 'undeliverable', channel: transport.channel, error: `no address for ${notice.recipient.kind === 'department' ? `department ${notice.recipient.deptCode}` : notice.recipient.kind} in the address book` });
      return 'undeliverable';
    }
    try {
      await transport.deliver(notice, to);
    } catch (err) {
      await store.markNotice(notice, { status: 'pending', channel: transport.channel, error: err instanceof Error ? err.message.slice(0, 500) : 'delivery failed' });
      throw err;
    }
    await store.markNotice(notice, { status: 'sent', channel: transport.channel, sentAt: clock.now().toISOString() });
    return 'sent';
  }

  /** Delivers the pending notices of the given days (the local stand-in for the stream). */
  async drain(dates: string[]): Promise<number> {
    let sent = 0;
    for (const date of [...new Set(dates)]) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.store.outbox(date, { status: 'pending', limit: 100, cursor });
        for (const { notice } of page.items) if ((await this.deliver(notice)) === 'sent') sent += 1;
        cursor = page.cursor;
      } while (cursor);
    }
    return sent;
  }
}
