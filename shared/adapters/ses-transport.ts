/**
 * Notices by email through Amazon SES (v2 SendEmail): plain text, UTF-8, one message per notice to
 * the recipient's addresses. The client is built once and injected.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { NoticeTransport } from '../app/outbox';
import type { Notice } from '../domain/supervision';

export class SesNoticeTransport implements NoticeTransport {
  readonly channel = 'email';
  readonly needsAddresses = true;

  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async deliver(notice: Notice, to: string[]): Promise<void> {
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: to },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        Content: {
          Simple: {
            Subject: { Data: notice.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: `${notice.body}\n\n（案件编号：${notice.caseNo}；通知编号：${notice.noticeId}）`, Charset: 'UTF-8' } },
          },
        },
        EmailTags: [
          { Name: 'clock', Value: notice.clock },
          { Name: 'milestone', Value: notice.milestone.replace(/[^A-Za-z0-9_-]/g, '_') },
        ],
      }),
    );
  }
}
