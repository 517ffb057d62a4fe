/** 立即校验's answer (POST /admin/audit/verifications) as the admin reads it: in Chinese, dated in Beijing time. */
import type { OfficeAuditBreak, OfficeAuditVerification } from '@shared/app/office-audit';
import { dateTime } from '../../lib/format';

/** Why the chain breaks at the record named. */
const BREAK_TEXT: Record<OfficeAuditBreak, string> = {
  'hash-mismatch': '记录内容与其哈希值不符，记录已被改动',
  'prev-mismatch': '记录与前一条记录的哈希值不衔接，可能有记录被插入或前一条记录被改写',
  gap: '该记录缺失或顺序错乱，可能有记录被删除',
  'wrong-case': '该记录不属于本机关的操作记录',
  'head-missing': '缺少记载最后一条记录的链头，无法确认其后没有记录被删除',
};

export function verificationText(r: OfficeAuditVerification): string {
  const when = dateTime(r.checkedAt);
  if (r.ok) return `已校验 ${r.entries} 条记录，哈希链完整（${when}）`;
  const broken = r.firstBroken;
  const where = broken ? `哈希链在第 ${broken.seq} 条记录处断开：${BREAK_TEXT[broken.reason]}。` : '哈希链不完整。';
  const before = r.entries > 0 ? `此前的 ${r.entries} 条记录完好。` : '';
  return `${where}${before}请核查（${when}）`;
}
