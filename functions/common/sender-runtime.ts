/**
 * The `notify-sender` function's runtime: delivery of notices by email (SES) and, to petitioners, by SMS. Its own module so
 * the sender bundles neither the sweep nor the letter renderer.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesNoticeTransport } from '../../shared/adapters/ses-transport';
import { SmsNoticeTransport } from '../../shared/adapters/sms-sender';
import { smsSender } from './sms';
import { DynamoDbSweepStore } from '../../shared/adapters/sweep-store';
import { NoticeDelivery, parseAddressBook, type NoticeTransport } from '../../shared/app/outbox';
import { need } from '../../shared/config/env';
import { runtimeClock } from './clock';
import { logger } from './runtime';
import { config, once, tableClients } from './runtime-support';

export interface SenderRuntime {
  delivery: NoticeDelivery;
  store: DynamoDbSweepStore;
}

/** The `notify-sender` function: delivery of notices by email (SES) and, to petitioners, by SMS. */
export const getSenderRuntime = once(async (): Promise<SenderRuntime> => {
  const { clients, tableName, db } = tableClients();
  const store = new DynamoDbSweepStore(db, tableName);
  const transport: NoticeTransport = new SesNoticeTransport(
    new SESv2Client({ region: clients.region }),
    need(config(), 'notifyFrom'),
    config().sesConfigurationSet,
  );
  const delivery = new NoticeDelivery({
    store,
    transport,
    // The notices to a petitioner go by SMS (End User Messaging SMS), from the office's registered sender.
    smsTransport: new SmsNoticeTransport(smsSender()),
    addresses: parseAddressBook(config().notifyAddresses),
    clock: runtimeClock,
    // One log line per notice given up: the NoticesFailed metric filter and alarm count them.
    onFailed: (notice, error) => logger.error('notice failed: given up after its last attempt', { noticeId: notice.noticeId, error, noticesFailed: 1 }),
  });
  return { delivery, store };
});
