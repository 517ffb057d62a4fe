/**
 * A notice of the outbox as a table item (keys: shared/storage/sweep-keys.ts): written by the
 * deadline sweep (sweep-store.ts) and by a transition that tells the petitioner by SMS
 * (dynamodb-repository.ts), delivered by the notice sender.
 */
import { FIRST_DELIVERY_GRACE_MS } from '../app/outbox';
import { NoticeSchema, type Delivery, type Notice } from '../domain/supervision';
import { recipientKey } from '../domain/sweep';
import { sweepIndex, sweepKey, sweepShard } from '../storage/sweep-keys';
import type { Item } from './dynamo-support';

export function noticeKey(n: Pick<Notice, 'caseNo' | 'clock' | 'due' | 'milestone' | 'recipient'>) {
  return sweepKey.notice(n.caseNo, n.clock, n.due, n.milestone, recipientKey(n.recipient));
}

export function noticeItem(n: Notice): Item {
  const notice = NoticeSchema.parse(n);
  const delivery: Delivery = { status: 'pending', attempts: 0 };
  return {
    ...noticeKey(notice),
    entity: 'notice',
    caseNo: notice.caseNo,
    noticeId: notice.noticeId,
    notice,
    delivery,
    bySweepPk: sweepIndex.outbox(notice.createdOn),
    bySweepSk: sweepIndex.outboxSk(notice.createdAt, notice.noticeId),
    // Not yet delivered: the retry run takes it if the stream's sender has not within the grace period.
    byDuePk: sweepIndex.noticeRetry(sweepShard(notice.caseNo)),
    byDueSk: sweepIndex.noticeRetrySk(new Date(Date.parse(notice.createdAt) + FIRST_DELIVERY_GRACE_MS), notice.noticeId),
  };
}
