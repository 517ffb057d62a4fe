/**
 * SMS to petitioners: the verification codes (SmsSender) and the notices of the outbox addressed to
 * a petitioner (SmsNoticeTransport). In AWS through AWS End User Messaging SMS (the
 * `pinpoint-sms-voice-v2` API, SendTextMessage from the office's registered sender: China
 * requires a registered sender ID and approved templates, so the texts are the office's
 * configuration with its 【signature】, docs/online.md); locally to a JSON file per message under
 * the outbox folder (`.data/outbox/sms/<day>/`), and a log line.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { NoticeTransport } from '../app/outbox';
import type { SmsMessage, SmsSender } from '../app/online-ports';
import { maskPhone } from '../domain/pii';
import type { Notice } from '../domain/supervision';
import { shanghaiDate } from '../domain/time';

/** E.164 of a mainland mobile. */
const e164 = (mobile: string) => `+86${mobile}`;

export class EndUserMessagingSmsSender implements SmsSender {
  readonly channel = 'sms';
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    /** The registered sender: an origination identity (phone number, sender ID or pool ARN). */
    private readonly originationIdentity: string,
    private readonly configurationSet?: string,
  ) {}

  async send(m: SmsMessage): Promise<void> {
    await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: e164(m.to),
        OriginationIdentity: this.originationIdentity,
        MessageBody: m.text,
        MessageType: 'TRANSACTIONAL',
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        Context: { ref: m.ref.slice(0, 100) },
      }),
    );
  }
}

/** The local SMS: a JSON file per message under `<dir>/<day>/`, and a log line (the number masked). */
export class FileSmsSender implements SmsSender {
  readonly channel = 'file';
  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void = (line) => console.log(line),
  ) {}

  async send(m: SmsMessage): Promise<void> {
    const now = new Date();
    const day = shanghaiDate(now);
    mkdirSync(join(this.dir, day), { recursive: true });
    const file = join(this.dir, day, `${now.getTime()}-${m.ref.replace(/[^A-Za-z0-9._-]+/g, '_')}-${m.to}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ to: m.to, text: m.text, ref: m.ref, at: now.toISOString() }, null, 2) + '\n');
    renameSync(tmp, file);
    this.log(`[local] SMS to ${maskPhone(m.to)}: ${m.text}`);
  }
}

/** The outbox's notices to a petitioner, as SMS through a sender (the notice's body is the text). */
export class SmsNoticeTransport implements NoticeTransport {
  readonly needsAddresses = true;
  constructor(private readonly sender: SmsSender) {}
  get channel(): string {
    return this.sender.channel;
  }
  async deliver(notice: Notice, to: string[]): Promise<void> {
    for (const phone of to) await this.sender.send({ to: phone, text: notice.body, ref: notice.noticeId });
  }
}
