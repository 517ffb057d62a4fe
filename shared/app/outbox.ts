/**
 * Delivering the outbox: each notice is claimed (pending → sending, with a lease), handed to a
 * transport (SES email in AWS, a JSON file under .data/outbox/ locally), and marked sent. A
 * notice is claimed by one sender at a time; a sender that dies leaves its lease to expire, and
 * the retry run (`retryDue`) finds the notice by its byDue entry and claims it again, so delivery
 * is at least once and, in the ordinary case, once. After MAX_DELIVERY_ATTEMPTS a notice is
 * marked `failed`, counted on the dashboard and raising an alarm: none stays undelivered unseen.
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

/**
 * `busy`: another sender holds a live lease on it (the stream path reports it as a failure, so it is
 * retried, not dropped); `failed`: given up after the last attempt (alarm).
 */
export type DeliveryResult = 'sent' | 'skipped' | 'busy' | 'undeliverable' | 'failed';

/** A notice is given up (status `failed`, an alarm) after this many attempts. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** How long a claim holds before another sender may take the notice: longer than the sender's 60 s timeout. */
export const DEFAULT_LEASE_MS = 120_000;
/** How long a new notice is left to the stream's sender before the retry run takes it. */
export const FIRST_DELIVERY_GRACE_MS = 15 * 60_000;

/** When a notice whose send failed is due again: 5 min, 10, 20, 40 … capped at 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export interface NoticeDeliveryDeps {
  store: OutboxStore;
  transport: NoticeTransport;
  /** The notices to a petitioner (SMS); without it they go through `transport` too (the local file). */
  smsTransport?: NoticeTransport;
  addresses: AddressBook;
  clock: Clock;
  /** How long a claim holds before another sender may take the notice (default 2 minutes). */
  leaseMs?: number;
  /** Told of each notice given up (the sender logs it for the alarm). */
  onFailed?: (notice: Notice, error: string) => void;
}

export interface RetryReport {
  /** Undelivered notices found due (a lease that ran out, a failed send, a stream record never handled). */
  due: number;
  sent: number;
  /** Given up after the last attempt. */
  failed: number;
  undeliverable: number;
  /** Sends that failed again (due again later). */
  errors: number;
}

export class NoticeDelivery {
  constructor(private readonly deps: NoticeDeliveryDeps) {}

  addressesOf(notice: Notice): string[] {
    const r = notice.recipient;
    const book = this.deps.addresses;
    if (r.kind === 'petitioner') return [r.phone];
    return r.kind === 'department' ? (book.departments[r.deptCode] ?? []) : book[r.kind];
  }

  /**
   * Delivers one notice unless someone else has it or it is delivered. A transport failure puts
   * the notice back to pending, due again later, and rethrows (the caller's retry, or the
   * stream's, takes it again) — unless it was the last attempt: then it is marked failed.
   */
  async deliver(notice: Notice): Promise<DeliveryResult> {
    const { store, clock } = this.deps;
    const transport = notice.recipient.kind === 'petitioner' && this.deps.smsTransport ? this.deps.smsTransport : this.deps.transport;
    const claim = await store.claimNotice(notice, clock.now(), this.deps.leaseMs ?? DEFAULT_LEASE_MS);
    if (!claim.claimed) return claim.reason === 'busy' ? 'busy' : 'skipped';
    const to = this.addressesOf(notice);
    if (transport.needsAddresses && to.length === 0) {
      await store.markNotice(notice, {
        status: 'undeliverable',
        channel: transport.channel,
        error: `no address for ${notice.recipient.kind === 'department' ? `department ${notice.recipient.deptCode}` : notice.recipient.kind} in the address book`,
      });
      return 'undeliverable';
    }
    try {
      await transport.deliver(notice, to);
    } catch (err) {
      const error = err instanceof Error ? err.message.slice(0, 500) : 'delivery failed';
      const now = clock.now();
      if (claim.attempts >= MAX_DELIVERY_ATTEMPTS) {
        await store.markNotice(notice, { status: 'failed', channel: transport.channel, error: `${claim.attempts} attempts: ${error}` }, { retryAt: now });
        this.deps.onFailed?.(notice, error);
        return 'failed';
      }
      await store.markNotice(
        notice,
        { status: 'pending', channel: transport.channel, error },
        { retryAt: new Date(now.getTime() + retryDelayMs(claim.attempts)) },
      );
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
        for (const { notice } of page.items) {
          try {
            if ((await this.deliver(notice)) === 'sent') sent += 1;
          } catch {
            // Back to pending, due again later: the retry run takes it.
          }
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return sent;
  }

  /**
   * The retry run (the sender's schedule in AWS, the local outbox poller, the daily sweep): every
   * notice not delivered by now — its sender died and the lease ran out, its send failed, or its
   * stream record was never handled — is found by the byDue index (no scan) and delivered again,
   * or, after MAX_DELIVERY_ATTEMPTS, marked failed.
   */
  async retryDue(): Promise<RetryReport> {
    const { store, clock } = this.deps;
    const report: RetryReport = { due: 0, sent: 0, failed: 0, undeliverable: 0, errors: 0 };
    for (const shard of store.shards()) {
      let cursor: string | undefined;
      do {
        const page = await store.dueNotices(shard, clock.now(), { limit: 100, cursor });
        for (const entry of page.items) {
          report.due += 1;
          const { notice, delivery } = entry;
          if (delivery.attempts >= MAX_DELIVERY_ATTEMPTS) {
            const error =
              delivery.status === 'sending'
                ? `the sender of attempt ${delivery.attempts} stopped before it finished (its lease ran out)`
                : `${delivery.attempts} attempts: ${delivery.error ?? 'not delivered'}`;
            if (await store.failNotice(entry, clock.now(), error)) {
              report.failed += 1;
              this.deps.onFailed?.(notice, error);
            }
            continue;
          }
          try {
            const result = await this.deliver(notice);
            if (result === 'sent') report.sent += 1;
            else if (result === 'failed') report.failed += 1;
            else if (result === 'undeliverable') report.undeliverable += 1;
          } catch {
            report.errors += 1;
          }
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return report;
  }
}
