/**
 * The SMS that tells the petitioner of a transition (acceptance, non-acceptance, transfer,
 * extension, the reply, the review and re-review opinions; a 催办 acknowledged): a notice of the
 * outbox to their mobile, written with the transition (docs/online.md). Its id names the case
 * version it follows, so it is written once. None without a mobile or after an opt-out.
 */
import type { Case } from '../../domain/case';
import { petitionerMobile, SMS_EVENT_CLOCK, smsText, type SmsEvent } from '../../domain/online';
import type { OfficeSettings } from '../../domain/office';
import { noticeIdOf, type Notice } from '../../domain/supervision';
import type { Recipient } from '../../domain/sweep';
import { shanghaiDate } from '../../domain/time';

export function petitionerSms(settings: Pick<OfficeSettings, 'online'>, before: Case, after: Case, event: SmsEvent | null, now: Date): Notice | null {
  const phone = event && event !== 'code' ? petitionerMobile(after) : null;
  if (!event || event === 'code' || !phone) return null;
  const today = shanghaiDate(now);
  const clock = SMS_EVENT_CLOCK[event];
  const due = after.clocks[clock]?.due ?? before.clocks[clock]?.due ?? today;
  const recipient: Recipient = { kind: 'petitioner', phone };
  const milestone = `sms-${event}-v${after.version}`;
  return {
    noticeId: noticeIdOf({ caseNo: after.caseNo, clock, due, milestone, recipient }),
    caseNo: after.caseNo,
    clock,
    due,
    milestone,
    recipient,
    subject: `短信通知信访人：${after.caseNo}`,
    body: smsText(settings.online, event, { caseNo: after.caseNo }),
    createdOn: today,
    createdAt: now.toISOString(),
    documentIds: [],
  };
}
